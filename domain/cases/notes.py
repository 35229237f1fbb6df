"""Private notes: admins' moderator notes, and mentors' private session notes (Mentor Code 4: "Use platform
features like private notes responsibly").

A moderator note, on a participant or a case, is for admins only: append-only, with its author and time,
and never given to partners, webhooks or exports. A session note is its author's alone; an admin may open
one only while handling an active case that cites it (or its session), with a reason, and the author can
see who read it and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.cases.machine import ACTIVE_STATES
from domain.infra.db import Refused, atomically
from domain.kernel.actors import Actor
from domain.kernel.clock import Clock
from domain.kernel.rejections import InvalidInput, NotFound, NotPermitted
from domain.kernel.text import NUL_PROBLEM, has_nul, reason_problem
from domain.models import Case, Concern, ModeratorNote, Participant, SessionNote, SessionNoteRead

MAX_NOTE = 10_000


async def add_moderator_note(
    *,
    organization_id: int,
    author: Actor,
    body: str,
    clock: Clock,
    participant_id: int | None = None,
    case_id: int | None = None,
) -> ModeratorNote | Any:
    text = body.strip()
    if (participant_id is None) == (case_id is None):
        return InvalidInput("participantId", "a note is on one participant or one case")
    if not text or len(text) > MAX_NOTE:
        return InvalidInput("body", f"between 1 and {MAX_NOTE} characters")
    if has_nul(text):
        return InvalidInput("body", NUL_PROBLEM)
    if (
        participant_id is not None
        and not await Participant.filter(id=participant_id, organization_id=organization_id).exists()
    ):
        return NotFound("Participant", str(participant_id))
    if case_id is not None and not await Case.filter(id=case_id, organization_id=organization_id).exists():
        return NotFound("Case", str(case_id))
    return await ModeratorNote.create(
        organization_id=organization_id,
        participant_id=participant_id,
        case_id=case_id,
        author=author.id,
        body=text,
        created_at=clock.now(),
    )


@dataclass(frozen=True)
class OpenedNote:
    note: SessionNote
    read: SessionNoteRead


async def cites(case: Case, note: SessionNote) -> bool:
    """Whether a concern of the case cites the note, or the session it is about."""
    for concern in await Concern.filter(case_id=case.id).only("id", "evidence"):
        cited = concern.evidence
        if note.id in (cited.get("notes") or []) or note.session_id in (cited.get("sessions") or []):
            return True
    return False


async def open_session_note(
    *, organization_id: int, reader: Actor, note_id: int, case_id: int, reason: str, clock: Clock
) -> OpenedNote | Any:
    """An admin opens a private session note for a case that cites it; the read is logged for its author."""
    if (problem := reason_problem(reason, required=True)) is not None:
        return problem

    async def open_note(conn: Any) -> OpenedNote:
        note = await SessionNote.filter(id=note_id, session__organization_id=organization_id).using_db(conn).first()
        case = await Case.filter(id=case_id, organization_id=organization_id).using_db(conn).first()
        if note is None:
            raise Refused(NotFound("SessionNote", str(note_id)))
        if case is None:
            raise Refused(NotFound("Case", str(case_id)))
        if case.state not in ACTIVE_STATES and case.state != "decided":
            raise Refused(NotPermitted(f"case {case.reference} is {case.state}: notes are opened while handling it"))
        if not await cites(case, note):
            raise Refused(NotPermitted(f"case {case.reference} does not cite this note or its session"))
        read = await SessionNoteRead.create(
            using_db=conn,
            note_id=note.id,
            case_id=case.id,
            reader=reader.id,
            reason=reason.strip(),
            read_at=clock.now(),
        )
        return OpenedNote(note, read)

    return await atomically(open_note)
