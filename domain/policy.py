"""Every threshold and window of the standing rules, each with the Code section it comes from.

Rules read their numbers from here and nowhere else. A change of any value is a new `version`,
and every transition log row records the version it was decided under.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


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
