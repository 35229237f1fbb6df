"""The docs stay true to the code: generated tables are current, every GraphQL example is valid against
schema.graphql, every module is on the architecture map, and the import example imports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from graphql import OperationType, build_schema, parse, validate

from cli.docs.architecture import PACKAGES, module_map_markdown
from cli.docs.sections import SECTIONS
from cli.importer import RECORDS, apply
from cli.importer import parse as parse_records
from domain.infra.config import SETTINGS_DOC
from domain.models import Goal, MentorshipSession, Message, Participant, SessionNote

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def read(name: str) -> str:
    return (ROOT / name).read_text()


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def test_policy_page_shows_the_override_format_the_code_accepts():
    from domain.badges.policy import PROTEGE_BADGE_POLICY, validate_overrides

    text = read("docs/policy.md")
    example = json.loads(blocks(text, "json")[0])
    assert validate_overrides(example) is None
    assert f"`{PROTEGE_BADGE_POLICY.with_overrides(example).version}`" in text


def test_every_graphql_example_is_valid_against_schema_graphql():
    schema = build_schema(read("schema.graphql"))
    examples = {
        name: blocks(read(name), "graphql")
        for name in ("docs/api.md", "docs/webhooks.md", "docs/policy.md", "README.md")
    }
    for name, found in examples.items():
        for example in found:
            errors = validate(schema, parse(example))
            assert not errors, (name, example, errors)
    kinds = {op.operation for example in examples["docs/api.md"] for op in parse(example).definitions}
    assert kinds == {OperationType.QUERY, OperationType.MUTATION, OperationType.SUBSCRIPTION}
    assert len(examples["README.md"]) >= 2


def test_a_broken_example_would_be_caught():
    schema = build_schema(read("schema.graphql"))
    assert validate(schema, parse("{ participants(standing: ASLEEP) { edges { node { nickname } } } }"))


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: f"{s.file}:{s.marker}")
def test_every_generated_section_of_the_docs_is_current(section):
    assert section.current() == section.generate(), "run `standing docs` (or `make docs`) and commit the result"


def test_the_module_map_names_every_module_and_says_what_it_holds():
    rows = [line for line in module_map_markdown().splitlines() if line.startswith("| `")]
    mapped = {line.split("`")[1] for line in rows}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if (
                path.name.startswith("_")
                and path.name != "__init__.py"
                or "migrations" in path.parts[:-1]
                and path.name != "__init__.py"
            ):
                continue
            relative = path.relative_to(ROOT).as_posix()
            shown = relative.removesuffix("__init__.py") if path.name == "__init__.py" else relative
            if shown.rstrip("/") in PACKAGES:
                continue
            assert shown in mapped, shown
    empty = [line for line in rows if line.rstrip().endswith("|  |")]
    assert empty == [], f"modules without a docstring: {empty}"


def test_the_deployment_page_covers_every_setting_and_service():
    text = read("docs/deployment.md")
    for variable, _, _ in SETTINGS_DOC:
        assert f"`{variable}`" in text, variable
    for service in yaml.safe_load(read("docker-compose.yml"))["services"]:
        assert f"`{service}`" in text, service


def test_the_import_page_documents_every_record_type_and_field():
    text = read("docs/import.md")
    for kind, fields in RECORDS.items():
        row = next((line for line in text.splitlines() if line.startswith(f"| `{kind}` |")), None)
        assert row, kind
        for field in fields:
            assert f"`{field}`" in row, (kind, field)


async def test_the_import_example_imports(world, clock):
    example = blocks(read("docs/import.md"), "jsonl")[0].splitlines()
    records = parse_records(example)
    result = await apply(records, organization_id=world.org_id, now=clock.now())
    assert sum(result.counts.values()) == len(example)
    assert result.counts == {kind: sum(json.loads(line)["type"] == kind for line in example) for kind in result.counts}
    assert await Participant.filter(email="pat@example.org").exists()
    assert await Goal.filter(specific="Publish a UX portfolio site").exists()
    assert sorted(await MentorshipSession.all().values_list("status", flat=True)) == ["attended", "rescheduled"]
    assert (await SessionNote.get()).on_time and (await Message.get()).responded_at is not None
