"""Recording the facts of a no-show or of a lapsed response window: provisional, with their dispute window's
deadline, in the transaction that records the session's outcome or fires the response deadline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from domain.deadlines.schedule import schedule
from domain.events import outbox
from domain.facts.policy import FACT_POLICY
from domain.kernel.thresholds import BEYOND
from domain.models import Absentee, DeadlineKind, FactKind, MentorshipSession, Message, RecordedFact


async def record_no_show(session: MentorshipSession, now: datetime, conn: Any = None) -> list[RecordedFact]:
    """One provisional fact per absentee: against the protégé, the mentor, or both."""
    against = {
        Absentee.PROTEGE: [(session.protege_id, session.mentor_id)],
        Absentee.MENTOR: [(session.mentor_id, session.protege_id)],
        Absentee.BOTH: [(session.protege_id, session.mentor_id), (session.mentor_id, session.protege_id)],
    }[Absentee(session.absentee)]
    facts = []
    for subject, counterpart in against:
        fact = await _record(
            FactKind.NO_SHOW, session.organization_id, subject, counterpart, now, now, conn, session_id=session.id
        )
        if fact is not None:
            facts.append(fact)
    return facts


async def record_lapse(message: Message, now: datetime, conn: Any = None) -> RecordedFact | None:
    """The recipient's lapsed window; its dispute window runs from the lapse, not from when it was noticed."""
    return await _record(
        FactKind.RESPONSE_LAPSE,
        message.organization_id,
        message.recipient_id,
        message.sender_id,
        message.respond_by,
        now,
        conn,
        message_id=message.id,
    )


async def _record(
    kind: FactKind,
    organization_id: int,
    subject: int,
    counterpart: int,
    lapsed_at: datetime,
    now: datetime,
    conn: Any,
    *,
    session_id: int | None = None,
    message_id: int | None = None,
) -> RecordedFact | None:
    key = f"{kind.value}:{session_id or message_id}:{subject}"
    until = lapsed_at + FACT_POLICY.dispute_window.value
    try:
        fact = await RecordedFact.create(
            using_db=conn,
            key=key,
            organization_id=organization_id,
            kind=kind,
            subject_id=subject,
            counterpart_id=counterpart,
            session_id=session_id,
            message_id=message_id,
            state="provisional",
            recorded_at=now,
            dispute_until=until,
        )
    except IntegrityError:  # recorded already (a deadline fired twice): the first record stands
        return None
    await schedule(DeadlineKind.FACT_WINDOW, subject, until + BEYOND, now, subject_id=fact.id, conn=conn)
    await fact_event(fact, "recorded", now, conn)
    return fact


async def fact_event(fact: RecordedFact, event: str, now: datetime, conn: Any) -> None:
    """Tell both parties' platform of the fact (the subject may dispute it, the counterpart may withdraw it)."""
    await outbox.record(
        [
            outbox.NewEvent(
                type=outbox.FACT_CHANGED,
                organization_id=fact.organization_id,
                participant_id=participant,
                machine="fact",
                event=event,
                to_state=fact.state,
                reason_code=f"fact.{fact.kind.value}.{event}",
                occurred_at=now,
                ref=f"fact:{fact.id}",
            )
            for participant in (fact.subject_id, fact.counterpart_id)
        ],
        conn,
    )
    await outbox.announce()
