"""Which rule runs when a deadline of each kind falls due."""

from __future__ import annotations

from domain.activity.windows import feedback_nudge, notes_lapse, notes_nudge, response_nudge
from domain.deadlines.firing import DeadlineRule
from domain.models import DeadlineKind
from domain.standing.rules.inactivity import inactivity_warning
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
}
