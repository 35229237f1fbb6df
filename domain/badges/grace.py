"""Badge grace: a lapsed criterion puts the badge at risk for a cure window instead of revoking it at once.

The badge keeps its perks while at risk. If every criterion is met again within the window the badge is
cured; when the cure date passes with a criterion still unmet, the `BADGE_CURE` deadline evaluates the
holder once more and the badge machine revokes it. Discourse's trust levels work the same way: demotion
only after a minimum time below the mark (docs/decisions.md, "Badge grace").
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from domain.deadlines.firing import Firing
from domain.deadlines.schedule import schedule
from domain.kernel.clock import FixedClock
from domain.models import BadgeRecord, Deadline, DeadlineKind, Participant


def cure_window_evidence(record: BadgeRecord, now: datetime, window: timedelta) -> dict[str, Any]:
    """The cure window a lapse opened (or, once it closes, the one that ran), as the log's evidence records it."""
    opened = now if record.state != "at_risk" else record.since
    cure_by = record.cure_by or opened + window
    return {"from": opened.isoformat(), "until": cure_by.isoformat(), "days": window.days}


async def schedule_cure(record: BadgeRecord, now: datetime, conn: Any) -> None:
    """Arm the deadline on which an at-risk badge is evaluated again (and revoked if still unmet)."""
    assert record.cure_by is not None
    await schedule(DeadlineKind.BADGE_CURE, record.participant_id, record.cure_by, now, rearm=True, conn=conn)


async def cure_ends(d: Deadline, p: Participant, now: datetime, dry_run: bool) -> Firing:
    # Imported here: evaluation imports this module for the helpers above.
    from domain.badges.evaluation import evaluate_badges

    record = await BadgeRecord.filter(participant_id=p.id).first()
    if record is None or record.state != "at_risk":
        return Firing("nothing to do (the badge is no longer at risk)")
    if dry_run:
        return Firing("would evaluate the at-risk badge again and revoke it if a criterion is still unmet")
    changes = await evaluate_badges(clock=FixedClock(now), participant_ids=[p.id])
    if not changes:
        return Firing("the badge stays at risk (its cure date moved)")
    change = changes[0]
    return Firing(f"badge {change.event}: {change.from_state} → {change.to_state}")
