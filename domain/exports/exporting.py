"""The use case: one signed export of a participant or of a case, with the key the settings name."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

from domain.exports.documents import case_export, participant_export
from domain.exports.keys import load_or_create_key
from domain.exports.signing import sign
from domain.kernel.clock import Clock
from domain.kernel.rejections import NotFound


class Subject(str, Enum):
    PARTICIPANT = "participant"
    CASE = "case"


async def signed_export(
    subject: Subject, subject_id: int, *, key_path: str | Path, clock: Clock
) -> dict[str, Any] | NotFound:
    """The signed export of one participant or one case; the key is made on first use."""
    build = participant_export if subject is Subject.PARTICIPANT else case_export
    document = await build(subject_id, clock=clock)
    if isinstance(document, NotFound):
        return document
    return sign(document, load_or_create_key(key_path))
