"""Which rule runs when a deadline of each kind falls due."""

from __future__ import annotations

from domain.activity.windows import feedback_nudge, notes_lapse, notes_nudge, response_nudge
from domain.appeals.deciding import appeal_expires
from domain.badges.grace import cure_ends
from domain.cases.stages import stage_overdue
from domain.deadlines.firing import DeadlineRule
from domain.erasure.erasing import erasure_due
from domain.facts.window import fact_window_closes
from domain.models import DeadlineKind
from domain.notices.reading import notice_unread
from domain.standing.rules.inactivity import inactivity_warning
from domain.standing.rules.lock_end import lock_expires
from domain.standing.rules.non_responsiveness import response_lapses
from domain.standing.rules.notice_decay import notice_decays
from domain.standing.rules.suspension_end import suspension_ends

DEADLINE_RULES: dict[DeadlineKind, DeadlineRule] = {
    DeadlineKind.SUSPENSION_END: suspension_ends,
    DeadlineKind.NOTICE_DECAY: notice_decays,
    DeadlineKind.INACTIVITY: inactivity_warning,
    DeadlineKind.RESPONSE_DUE: response_lapses,
    DeadlineKind.NOTES_DUE: notes_lapse,
    DeadlineKind.RESPONSE_NUDGE: response_nudge,
    DeadlineKind.NOTES_NUDGE: notes_nudge,
    DeadlineKind.FEEDBACK_NUDGE: feedback_nudge,
    DeadlineKind.CASE_ACKNOWLEDGE: stage_overdue,
    DeadlineKind.CASE_TRIAGE: stage_overdue,
    DeadlineKind.CASE_DECIDE: stage_overdue,
    DeadlineKind.NOTICE_UNACKNOWLEDGED: notice_unread,
    DeadlineKind.LOCK_END: lock_expires,
    DeadlineKind.APPEAL_EXPIRY: appeal_expires,
    DeadlineKind.BADGE_CURE: cure_ends,
    DeadlineKind.FACT_WINDOW: fact_window_closes,
    DeadlineKind.ERASURE: erasure_due,
}

# A participant's excused leave pauses their own clocks; a case about them keeps the admins' clock running.
PAUSED_BY_LEAVE = frozenset(DEADLINE_RULES) - {
    DeadlineKind.CASE_ACKNOWLEDGE,
    DeadlineKind.CASE_TRIAGE,
    DeadlineKind.CASE_DECIDE,
    DeadlineKind.APPEAL_EXPIRY,
    DeadlineKind.LOCK_END,
    DeadlineKind.NOTICE_UNACKNOWLEDGED,
    DeadlineKind.FACT_WINDOW,  # a dispute window is the same 72 hours for both parties
    DeadlineKind.ERASURE,  # an erasure's window is the admins', not the participant's clock
}
