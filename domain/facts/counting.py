"""Which recorded facts count: the one filter the missed-sessions reminder, non-responsiveness and the badge
metrics share. A fact counts once confirmed. A no-show or a lapse recorded before facts existed (no fact row)
counts as it always did; a lapse whose fact is not written yet counts only once its window has passed."""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import Q, Subquery

from domain.facts.machine import NOT_COUNTING
from domain.facts.policy import FACT_POLICY
from domain.models import FactKind, RecordedFact


def uncounted_no_shows(subject_id: int) -> Subquery:
    """Ids of sessions whose no-show does not count against `subject_id` (provisional, disputed, withdrawn)."""
    facts = RecordedFact.filter(kind=FactKind.NO_SHOW, subject_id=subject_id, state__in=sorted(NOT_COUNTING))
    return Subquery(facts.values("session_id"))


def counted_lapse(now: datetime) -> Q:
    """Messages whose lapsed response window counts against their recipient at `now`."""
    lapse = RecordedFact.filter(kind=FactKind.RESPONSE_LAPSE)
    settled = Q(id__in=Subquery(lapse.filter(state="confirmed").values("message_id")))
    unsettled = Q(id__in=Subquery(lapse.filter(state__in=sorted(NOT_COUNTING)).values("message_id")))
    window_over = Q(respond_by__lte=now - FACT_POLICY.dispute_window.value)
    return settled | (window_over & ~unsettled)
