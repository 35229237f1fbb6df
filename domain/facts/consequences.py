"""What a settled fact changes. Confirmed, it may complete a rule's count: the missed-sessions reminder, or
non-responsiveness. Withdrawn, a step it had caused is reversed through the machine's way back when, without
it, the rule's count falls short, with a log row that names the fact and overrules the step. Either way the
subject's badge is evaluated again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.badges.evaluation import evaluate_badges
from domain.infra.db import Refused
from domain.kernel.actors import Actor
from domain.kernel.clock import FixedClock
from domain.kernel.roles import Role
from domain.models import FactKind, Participant, RecordedFact, TransitionRecord
from domain.standing.apply import StandingCommand, TransitionApplied, apply_event
from domain.standing.ladder import WAY_BACK
from domain.standing.rules.missed_sessions import missed_sessions_reminder
from domain.standing.rules.non_responsiveness import non_responsiveness

# The step each kind of fact counts toward, and where that step's evidence lists the facts' sources.
STEP_OF = {
    FactKind.NO_SHOW: ("send_reminder", "missed_sessions"),
    FactKind.RESPONSE_LAPSE: ("mark_ineligible", "lapsed_messages"),
}
REVERSAL_RULE = "fact_withdrawn"


def source_of(fact: RecordedFact) -> int:
    return fact.session_id if fact.kind is FactKind.NO_SHOW else fact.message_id  # type: ignore[return-value]


async def after_settled(fact: RecordedFact, now: datetime, reason: str) -> list[TransitionRecord]:
    """Run what the settled fact changes; returns the standing steps taken (a reversal, or a rule's step)."""
    subject = await Participant.get(id=fact.subject_id)
    steps: list[TransitionRecord] = []
    if fact.state == "confirmed" and Role(subject.role) is Role.PROTEGE:
        if fact.kind is FactKind.NO_SHOW:
            await missed_sessions_reminder(subject, now)
        else:
            await non_responsiveness(subject, now, dry_run=False)
    elif fact.state == "withdrawn":
        steps = await _reverse_caused_steps(fact, now, reason)
    await evaluate_badges(clock=FixedClock(now), participant_ids=[fact.subject_id])
    return steps


async def _reverse_caused_steps(fact: RecordedFact, now: datetime, reason: str) -> list[TransitionRecord]:
    event, key = STEP_OF[fact.kind]
    source = source_of(fact)
    reversed_steps = []
    caused = TransitionRecord.filter(participant_id=fact.subject_id, event=event, outcome="applied")
    for step in await caused.order_by("-id"):
        cited: list[int] = list(step.evidence.get(key) or [])
        if source not in cited or await TransitionRecord.filter(overrules=step.id).exists():
            continue
        subject = await Participant.get(id=fact.subject_id)
        if subject.standing != step.to_state:
            continue  # the participant moved on since: an admin decides what the withdrawal changes
        remaining = [i for i in cited if i not in await _withdrawn_sources(fact)]
        if len(remaining) >= int(step.evidence.get("threshold") or 0):
            continue  # the rule's count still holds without this fact
        result = await apply_event(
            StandingCommand(
                fact.subject_id,
                WAY_BACK[event],
                Actor.system(REVERSAL_RULE),
                f"the fact it rested on was withdrawn ({fact.kind.value} {source}): {reason}; "
                f"{len(remaining)} of {step.evidence.get('threshold')} remain",
                evidence={"fact": fact.id, "overrules": step.id, key: remaining},
                overrules=step.id,
            ),
            clock=FixedClock(now),
        )
        if not isinstance(result, TransitionApplied):
            raise Refused(result)
        reversed_steps.append(result.record)
    return reversed_steps


async def _withdrawn_sources(fact: RecordedFact) -> set[Any]:
    field = "session_id" if fact.kind is FactKind.NO_SHOW else "message_id"
    rows = RecordedFact.filter(subject_id=fact.subject_id, kind=fact.kind, state="withdrawn")
    return set(await rows.values_list(field, flat=True))
