"""A provisional fact's dispute window closes: undisputed, the fact is confirmed and starts to count."""

from __future__ import annotations

from datetime import datetime

from domain.deadlines.firing import Firing
from domain.facts.disputes import FactActor, settle
from domain.kernel.actors import Actor
from domain.models import Deadline, Participant, RecordedFact

WINDOW_RULE = "fact_window_closes"


async def fact_window_closes(d: Deadline, p: Participant, now: datetime, dry_run: bool) -> Firing:
    fact = await RecordedFact.filter(id=d.subject_id).first()
    if fact is None or fact.state != "provisional":
        return Firing(f"no change (the fact is {fact.state if fact else 'gone'})")
    if dry_run:
        return Firing(f"would confirm the {fact.kind.value} fact {fact.id}")
    by = FactActor(Actor.system(WINDOW_RULE), None, fact.organization_id)
    result = await settle(fact.id, "close_window", by, "its dispute window closed undisputed", now)
    steps = getattr(result, "steps", [])
    taken = f"; {steps[0].event}" if steps else ""
    return Firing(f"confirmed the {fact.kind.value} fact {fact.id}{taken}")
