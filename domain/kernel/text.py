"""Text the databases can store: PostgreSQL refuses NUL characters in text and jsonb."""

from __future__ import annotations

import json
from typing import Any

from domain.kernel.rejections import InvalidInput

MAX_REASON_LENGTH = 2000


def has_nul(value: Any) -> bool:
    """True when a string, or any string inside a JSON-like value, contains a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(has_nul(v) for v in value)
    return False


NUL_PROBLEM = "must not contain NUL characters"


def free_text_problem(value: str, field: str, *, limit: int, required: bool = True) -> InvalidInput | None:
    """What is wrong with a free-text field, or None: storable, at most `limit` characters, and, when
    `required`, not blank. Every free-text field is bounded, because every row is kept."""
    if required and not value.strip():
        return InvalidInput(field, "must not be empty")
    if has_nul(value):
        return InvalidInput(field, NUL_PROBLEM)
    if len(value.strip()) > limit:
        return InvalidInput(field, f"at most {limit} characters")
    return None


def reason_problem(reason: str, *, required: bool) -> InvalidInput | None:
    """What is wrong with the reason given for a decision, or None. Admins must always give one."""
    text = reason.strip()
    if has_nul(text):
        return InvalidInput("reason", NUL_PROBLEM)
    if required and not text:
        return InvalidInput("reason", "every admin action needs a reason")
    if len(text) > MAX_REASON_LENGTH:
        return InvalidInput("reason", f"at most {MAX_REASON_LENGTH} characters")
    return None


MAX_EVIDENCE_BYTES = 8192  # evidence goes into the append-only log for good: ids and short notes, not documents
MAX_EVIDENCE_DEPTH = 6


def _depth(value: Any, limit: int) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def evidence_problem(evidence: Any) -> InvalidInput | None:
    """What is wrong with evidence given for a decision, or None: a small JSON object of storable text."""
    if not isinstance(evidence, dict):
        return InvalidInput("evidence", 'must be a JSON object, e.g. {"sessions": [12, 14]}')
    if _depth(evidence, MAX_EVIDENCE_DEPTH) > MAX_EVIDENCE_DEPTH:
        return InvalidInput("evidence", f"nested at most {MAX_EVIDENCE_DEPTH} levels deep")
    if has_nul(evidence):
        return InvalidInput("evidence", NUL_PROBLEM)
    if len(json.dumps(evidence, default=str)) > MAX_EVIDENCE_BYTES:
        return InvalidInput("evidence", f"at most {MAX_EVIDENCE_BYTES} bytes of JSON")
    return None
