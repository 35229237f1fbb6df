"""Every threshold and window of the standing rules, each with the Code section it comes from.

Rules read their numbers from here and nowhere else. A change of any value is a new `version`,
and every transition log row records the version it was decided under.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Threshold:
    value: timedelta
    source: str  # where in the Code of Conduct (or in our documented decision) the value comes from


@dataclass(frozen=True)
class StandingPolicy:
    version: str
    max_suspension: Threshold
    removal_undo_grace: Threshold
    notice_decay: Threshold

    def as_dict(self) -> dict[str, object]:
        return {
            "version": self.version,
            "max_suspension_days": self.max_suspension.value.days,
            "removal_undo_grace_days": self.removal_undo_grace.value.days,
            "notice_decay_days": self.notice_decay.value.days,
        }


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
class ActivityPolicy:
    version: str
    response_window: Threshold
    notes_due: Threshold


ACTIVITY_POLICY = ActivityPolicy(
    version="activity-2026.1",
    response_window=Threshold(
        timedelta(hours=48),
        "Mentor Code 8 and Protégé Code 4: respond to messages within 48 hours.",
    ),
    notes_due=Threshold(
        timedelta(hours=48),
        "Mentor Code 3: complete session summaries or goal reviews within 48 hours.",
    ),
)


BEYOND = timedelta(seconds=1)


@dataclass(frozen=True)
class CountRule:
    count: int
    window: Threshold


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
    missed_sessions=CountRule(2, Threshold(
        timedelta(days=60),
        "Protégé Code, Reminder: 2+ sessions missed without notice. The Code names no window: Standing "
        "counts no-shows in the last 60 days, the badge's attendance window.",
    )),
    inactivity=Threshold(
        timedelta(days=60),
        "Protégé Code, Warning: inactivity beyond 60 days without updates hides the profile from mentors.",
    ),
    non_responsiveness=CountRule(3, Threshold(
        timedelta(days=60),
        "Protégé Code, Ineligibility: repeated non-responsiveness. Standing reads 'repeated' as 3 lapsed "
        "48-hour response windows within 60 days.",
    )),
    nudge_after=Threshold(
        timedelta(hours=24),
        "Halfway through a 48-hour window (messages, session notes, feedback), a nudge is recorded.",
    ),
)


@dataclass(frozen=True)
class WebhookPolicy:
    version: str
    max_consecutive_failures: int  # then the endpoint is disabled until an admin re-enables it
    first_retry: timedelta         # backoff doubles from here...
    max_retry: timedelta           # ...up to here
    max_attempts: int              # per delivery, then it is marked failed (re-enabling redelivers it)
    timeout: timedelta


WEBHOOK_POLICY = WebhookPolicy(
    version="webhooks-2026.1",
    max_consecutive_failures=5,
    first_retry=timedelta(seconds=10),
    max_retry=timedelta(hours=1),
    max_attempts=12,
    timeout=timedelta(seconds=10),
)
