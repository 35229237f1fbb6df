"""Who caused a decision: an admin, the system, or the participant through their own activity."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ActorKind(str, Enum):
    ADMIN = "admin"
    SYSTEM = "system"
    PARTICIPANT = "participant"
    PARTNER = "partner"  # reports a concern on the platform's behalf; never takes a standing step


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    id: str

    @classmethod
    def admin(cls, token_id: int | str) -> Actor:
        return cls(ActorKind.ADMIN, f"token:{token_id}")

    @classmethod
    def system(cls, rule: str) -> Actor:
        return cls(ActorKind.SYSTEM, rule)

    @property
    def is_admin(self) -> bool:
        return self.kind is ActorKind.ADMIN
