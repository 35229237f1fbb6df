"""Notice templates: data, versioned, with six required parts, which an organization may reword.

Each template names its `key` (the step or appeal outcome it writes about), its `version`, a title and six
parts: the facts, the section of the Code, the consequence, the support offered, how to put things right,
and how to appeal and by when. A template lacking a part, or using a placeholder nobody fills, is rejected,
whether it ships here or comes from an organization.
"""

from __future__ import annotations

import hashlib
import json
import string
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

PARTS = ("facts", "code_section", "consequence", "support", "remedy", "appeal")
PART_TITLES = {
    "facts": "What happened",
    "code_section": "The Code",
    "consequence": "What this means",
    "support": "Support offered",
    "remedy": "How to put things right",
    "appeal": "How to appeal",
}
PLACEHOLDERS = frozenset(
    {
        "name",
        "organization",
        "date",
        "decider",
        "reason",
        "detail",
        "code_section",
        "until",
        "lapses_on",
        "support_contact",
        "appeal_by",
        "appealed_step",
        "appealed_on",
        "state",
        "remedy_of_step",
        "other_party",
        "sessions_cancelled",
        "until_words",
    }
)
MAX_PART = 1000


class TemplateRejected(ValueError):
    """A template that cannot be used: the message says which part or placeholder is wrong."""


@dataclass(frozen=True)
class Template:
    key: str
    version: str
    title: str
    parts: dict[str, str]

    def render(self, values: dict[str, str]) -> tuple[str, dict[str, str], str]:
        """(title, the six parts, the whole text) with every placeholder filled."""
        parts = {part: self.parts[part].format_map(values) for part in PARTS}
        body = "\n\n".join(f"{PART_TITLES[part]}\n{parts[part]}" for part in PARTS)
        return self.title.format_map(values), parts, body


def validate(raw: Any, key: str) -> Template:
    """A template from its JSON form, or TemplateRejected saying what is wrong."""
    if not isinstance(raw, dict) or not isinstance(raw.get("parts"), dict):
        raise TemplateRejected(f"{key}: a template is an object with a title and its parts")
    parts = raw["parts"]
    missing = [part for part in PARTS if not str(parts.get(part) or "").strip()]
    if missing:
        raise TemplateRejected(
            f"{key}: the template lacks {', '.join(missing)}; every notice has all of {', '.join(PARTS)}"
        )
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise TemplateRejected(f"{key}: unknown parts {sorted(unknown)}")
    for part, text in [*parts.items(), ("title", raw.get("title", ""))]:
        if not isinstance(text, str) or len(text) > MAX_PART or "\x00" in text:
            raise TemplateRejected(f"{key}.{part}: text of at most {MAX_PART} characters")
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as broken:
            raise TemplateRejected(f"{key}.{part}: {broken}") from None
        if names - PLACEHOLDERS:
            raise TemplateRejected(
                f"{key}.{part}: unknown placeholders {sorted(names - PLACEHOLDERS)}; use {sorted(PLACEHOLDERS)}"
            )
    if not str(raw.get("title") or "").strip():
        raise TemplateRejected(f"{key}: the template needs a title")
    return Template(key=key, version=str(raw.get("version") or "org"), title=raw["title"], parts=dict(parts))


@cache
def shipped() -> dict[str, Template]:
    """The templates that ship with Standing, validated once."""
    folder = resources.files("domain.notices").joinpath("templates")
    found = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            raw = json.loads(entry.read_text(encoding="utf-8"))
            found[raw["key"]] = validate(raw, raw["key"])
    return found


def template_for(key: str, overrides: dict[str, Any] | None) -> Template:
    """The organization's wording of `key` if it has one, else the shipped template. The version names both."""
    base = shipped()[key]
    mine = (overrides or {}).get(key)
    if not mine:
        return base
    custom = validate({"title": base.title, **mine}, key)
    digest = hashlib.sha256(json.dumps(mine, sort_keys=True).encode()).hexdigest()[:8]
    return Template(key, f"{base.version}+org.{digest}", custom.title, custom.parts)


def validate_overrides(overrides: Any) -> str | None:
    """What is wrong with an organization's template overrides, or None."""
    if not isinstance(overrides, dict):
        return 'an object by template key, e.g. {"suspend": {"parts": {...}}}'
    for key, raw in overrides.items():
        if key not in shipped():
            return f"unknown template {key!r}; choose from {sorted(shipped())}"
        try:
            validate({"title": shipped()[key].title, **raw} if isinstance(raw, dict) else raw, key)
        except TemplateRejected as rejected:
            return str(rejected)
    return None
