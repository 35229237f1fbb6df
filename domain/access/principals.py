"""Token roles and the principal a bearer token stands for."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from domain.kernel.actors import Actor, ActorKind


class TokenRole(str, Enum):
    ADMIN = "admin"  # runs mutations inside its organization
    PARTICIPANT = "participant"  # sees only its own participant
    PARTNER = "partner"  # reads standing in its organization, never contact details


class PartnerCannotAct(Exception):
    """A partner token reads; it is never the actor of a change. Reaching this is a bug in a caller."""


@dataclass(frozen=True)
class Principal:
    token_id: int
    role: TokenRole
    organization_id: int
    participant_id: int | None = None  # a participant token acts as, and sees only, this participant
    # The participant an admin token's holder also is (an admin who mentors): they are a party to any case
    # about themselves, so they may neither be assigned to it nor decide it.
    admin_person_id: int | None = None

    @property
    def person_id(self) -> int | None:
        """The participant behind this token, whatever its role."""
        return self.participant_id if self.role is TokenRole.PARTICIPANT else self.admin_person_id

    @property
    def actor(self) -> Actor:
        """Who a change made with this token is recorded as. Partners make no changes."""
        if self.role is TokenRole.PARTICIPANT:
            return Actor(ActorKind.PARTICIPANT, f"participant:{self.participant_id}")
        if self.role is TokenRole.ADMIN:
            return Actor.admin(self.token_id)
        raise PartnerCannotAct(f"partner token {self.token_id} cannot be the actor of a change")

    @property
    def is_admin(self) -> bool:
        return self.role is TokenRole.ADMIN
