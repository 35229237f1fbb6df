"""docs/policy.md states every rule of the Code of Conduct under the Code's own section names (issue 16, item
12), so an adopter reads the rules being enforced without the Code itself, and the README points there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = ROOT.parent / "shared" / "seed" / "code-of-conduct.txt"  # the Code, beside the repository when present

# The Code's section headings, in its order, as the Code names them (numbered sections, then the badge, its
# benefits and the sanctions), for the mentor Code and then the protégé Code.
MENTOR = [
    "Professional Responsibility",
    "Commitment to Growth",
    "Reliability and Availability",
    "Privacy and Confidentiality",
    "Goal-Based Mentorship",
    "Empathy and Inclusion",
    "Feedback and Continuous Improvement",
    "Platform Engagement",
    "Earning the Accountability Badge",
    "Benefits of the Accountability Badge",
    "Violations & Review",
]
PROTEGE = [
    "Respect and Professionalism",
    "Goal-Driven Mindset",
    "Commitment and Reliability",
    "Active Communication",
    "Privacy and Trust",
    "Reflect and Apply",
    "Earning the Protégé Accountability Badge",
    "Badge Perks",
    "Accountability Expectations",
]
UNNUMBERED = ("Earning the", "Benefits of the", "Badge Perks", "Violations & Review", "Accountability Expectations")


def code_headings(text: str) -> list[str]:
    """The Code's section headings: `1. <emoji> Name` lines, and the emoji-led badge and sanction headings."""
    headings = []
    for line in text.splitlines():
        line = line.strip()
        if numbered := re.fullmatch(r"\d+\.\s+\S+\s+(.+)", line):
            headings.append(numbered.group(1).strip())
        elif (named := re.fullmatch(r"[^\w\s]+\s+(.+)", line)) and named.group(1).startswith(UNNUMBERED):
            headings.append(named.group(1).strip())
    return headings


def rule_by_rule() -> str:
    text = (ROOT / "docs" / "policy.md").read_text()
    start = text.index("## The Code of Conduct, rule by rule")
    return text[start : text.index("\n## ", start + 1)]


def test_the_headings_here_are_the_codes():
    # The Code sits beside the repository in this workspace; where it does, its headings are these exactly.
    if CODE.exists():
        assert code_headings(CODE.read_text()) == MENTOR + PROTEGE


def test_every_section_of_the_code_is_restated_under_its_name_in_order():
    section = rule_by_rule()
    mentor, protege = section.split("### Protégé Code of Conduct")
    assert "### Mentor Code of Conduct" in mentor
    for part, headings in ((mentor, MENTOR), (protege, PROTEGE)):
        positions = []
        for number, heading in enumerate(headings, start=1):
            lead = (
                f"**{number}. {heading}.**" if number <= 8 and not heading.startswith(UNNUMBERED) else f"**{heading}.**"
            )
            assert lead in part, f"docs/policy.md does not restate the Code's section {heading!r}"
            positions.append(part.index(lead))
        assert positions == sorted(positions)


def test_each_restated_rule_says_how_standing_holds_it():
    section = rule_by_rule()
    paragraphs = [p for p in section.split("\n\n") if p.startswith("**")]
    assert len(paragraphs) == len(MENTOR) + len(PROTEGE)
    for paragraph in paragraphs:
        assert re.search(r"\*(Enforced|Measured|Recorded|Judged)", paragraph, re.I), paragraph[:60]


def test_the_readme_sends_adopters_to_the_rules_in_the_repository():
    readme = (ROOT / "README.md").read_text()
    assert "docs/policy.md#the-code-of-conduct-rule-by-rule" in readme
    assert "../shared/seed/code-of-conduct.txt" not in readme  # a path outside the repository reads as nothing
