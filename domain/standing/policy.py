"""The standing ladders' thresholds and windows, each with the Code section it comes from.

`STANDING_POLICY` bounds what admins may do (a suspension's length, undoing a removal, a notice's
decay); `TIME_POLICY` holds the time-based rules of the Protégé Code and the nudges. A change of any
value is a new `version`, and every log row records the version of the policy that decided it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.kernel.thresholds import BEYOND, CountRule, Threshold


@dataclass(frozen=True)
class StandingPolicy:
    version: str
    max_suspension: Threshold
    removal_undo_grace: Threshold
    notice_decay: Threshold


STANDING_POLICY = StandingPolicy(
    version="coc-2026.1",
    max_suspension=Threshold(
        timedelta(days=365),
        "Mentor Code, Violations & Review, Second Notice: suspension is *temporary*; "
        "Standing caps it at a year so no suspension is open-ended.",
    ),
    removal_undo_grace=Threshold(
        timedelta(days=30),
        "Mentor Code, Violations & Review, Final Action: a mistaken removal may be undone "
        "by an admin within this grace period; the row is never hard-deleted.",
    ),
    notice_decay=Threshold(
        timedelta(days=180),
        "Mentor Code, Violations & Review, First Notice: a written reminder with support offered; "
        "it lapses after this long with no new violation.",
    ),
)


@dataclass(frozen=True)
class TimePolicy:
    """The time-based rules of the Protégé Code's "Accountability Expectations", and the nudges."""

    version: str
    missed_sessions: CountRule
    inactivity: Threshold
    non_responsiveness: CountRule
    nudge_after: Threshold

    def inactivity_due(self, last_active: datetime) -> datetime:
        """The first moment *beyond* the inactivity window: exactly 60 days idle is not yet a warning."""
        return last_active + self.inactivity.value + BEYOND

    def last_active_for(self, inactivity_due: datetime) -> datetime:
        return inactivity_due - self.inactivity.value - BEYOND


TIME_POLICY = TimePolicy(
    version="time-2026.1",
    missed_sessions=CountRule(
        2,
        Threshold(
            timedelta(days=60),
            "Protégé Code, Reminder: 2+ sessions missed without notice. The Code names no window: Standing "
            "counts no-shows in the last 60 days, the badge's attendance window.",
        ),
    ),
    inactivity=Threshold(
        timedelta(days=60),
        "Protégé Code, Warning: inactivity beyond 60 days without updates hides the profile from mentors.",
    ),
    non_responsiveness=CountRule(
        3,
        Threshold(
            timedelta(days=60),
            "Protégé Code, Ineligibility: repeated non-responsiveness. Standing reads 'repeated' as 3 lapsed "
            "48-hour response windows within 60 days.",
        ),
    ),
    nudge_after=Threshold(
        timedelta(hours=24),
        "Halfway through a 48-hour window (messages, session notes, feedback), a nudge is recorded.",
    ),
)
