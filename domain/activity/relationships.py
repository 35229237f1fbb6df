"""Who is in a mentorship with whom: the facts a participant may record about another rest on it.

A mentor and a protégé are in a mentorship when one of the protégé's goals names the mentor (the protégé
chose them), or when a session between the two was booked. A participant token records facts only about
such a relationship; admins (the platform) record for anyone in their organization.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import Q

from domain.models import AvailabilityWindow, Goal, MentorshipSession, Participant


async def in_mentorship(a: int, b: int) -> bool:
    """Whether participants `a` and `b` share a goal (one owns it, the other is named on it) or a session."""
    pair = Q(protege_id=a, mentor_id=b) | Q(protege_id=b, mentor_id=a)
    return await Goal.filter(pair).exists() or await MentorshipSession.filter(pair).exists()


async def open_for_booking(mentor: Participant, at: datetime) -> bool:
    """Whether the mentor's published calendar has a window open at `at` (their standing offer to be booked)."""
    return await AvailabilityWindow.filter(mentor_id=mentor.id, starts_at__lte=at, ends_at__gt=at).exists()
