"""Who records an activity, and the input checks every kind of activity shares."""

from __future__ import annotations

from dataclasses import dataclass

from domain.kernel.rejections import ActivityRejection, InvalidInput, NotFound
from domain.kernel.roles import Role
from domain.kernel.text import NUL_PROBLEM, has_nul
from domain.models import Participant


@dataclass(frozen=True)
class Acting:
    """Who records the activity: the organization's platform (an admin) or one of its participants."""

    organization_id: int
    as_participant: int | None = None

    def may_act_for(self, participant_id: int) -> bool:
        return self.as_participant is None or self.as_participant == participant_id

    @property
    def is_admin(self) -> bool:
        return self.as_participant is None


async def member(acting: Acting, participant_id: int, role: Role, field: str) -> Participant | ActivityRejection:
    """The participant of `role` in the acting organization, or why not."""
    row = await Participant.filter(id=participant_id, organization_id=acting.organization_id).first()
    if row is None:
        return NotFound("Participant", str(participant_id))
    if Role(row.role) is not role:
        return InvalidInput(field, f"participant {participant_id} is not a {role.value}")
    return row


def text_problem(value: str, field: str, limit: int = 300) -> InvalidInput | None:
    if not value or not value.strip():
        return InvalidInput(field, "must not be empty")
    if has_nul(value):
        return InvalidInput(field, NUL_PROBLEM)
    if len(value) > limit:
        return InvalidInput(field, f"at most {limit} characters")
    return None


def first_problem(*checks: InvalidInput | None) -> InvalidInput | None:
    return next((c for c in checks if c is not None), None)
