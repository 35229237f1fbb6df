"""The windows the Code gives for activity: answering messages and writing session notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from domain.kernel.thresholds import Threshold


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
