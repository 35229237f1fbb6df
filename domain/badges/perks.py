"""What an Accountability Badge brings, per role ("Benefits of the Accountability Badge", "Badge Perks")."""

from __future__ import annotations

from dataclasses import dataclass

from domain.badges.machine import HELD
from domain.kernel.roles import Role


@dataclass(frozen=True)
class Perks:
    priority_listing: bool  # both: listed first / priority access to mentors
    spotlight_eligible: bool  # mentor: mentor spotlight and case studies
    early_access: bool  # mentor: early platform features and invitations
    bonus_referrals: bool  # mentor: bonus referrals or impact rewards
    committed_learner: bool  # protégé: recognised as a committed learner
    ambassador_eligible: bool  # protégé: nomination to student ambassador roles
    certificate: bool  # protégé: downloadable certificate of accountability


def perks_for(role: Role, badge_state: str) -> Perks:
    held = badge_state in HELD  # an at-risk badge keeps its perks through the cure window
    mentor, protege = held and role is Role.MENTOR, held and role is Role.PROTEGE
    return Perks(
        priority_listing=held,
        spotlight_eligible=mentor,
        early_access=mentor,
        bonus_referrals=mentor,
        committed_learner=protege,
        ambassador_eligible=protege,
        certificate=protege,
    )
