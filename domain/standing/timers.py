"""The deadlines a standing state carries: a suspension ends, a first notice decays."""

from __future__ import annotations

from datetime import datetime

from domain.deadlines.schedule import schedule
from domain.models import DeadlineKind, Participant
from domain.standing.policy import STANDING_POLICY


async def deadlines_for_standing(participant: Participant, now: datetime, conn=None) -> None:
    """Standing states that end by themselves get a durable deadline when they are entered.

    The participant's version is part of the key, so every suspension or notice has its own timer.
    """
    if participant.standing == "suspended" and participant.suspended_until:
        await schedule(
            DeadlineKind.SUSPENSION_END,
            participant.id,
            participant.suspended_until,
            now,
            subject_id=participant.version,
            conn=conn,
        )
    elif participant.standing == "first_notice":
        await schedule(
            DeadlineKind.NOTICE_DECAY,
            participant.id,
            now + STANDING_POLICY.notice_decay.value,
            now,
            subject_id=participant.version,
            conn=conn,
        )
