"""Registering participants and updating their profiles."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.access.visibility import can_update_profile
from domain.kernel.rejections import NotFound
from domain.models import Participant
from domain.participants import registration
from domain.participants.registration import ProfileInput
from schema.context import admin_of, principal_of
from schema.enums import Role
from schema.errors import InvalidInputError, NotFoundError, StaleVersionError, UserError, to_graphql
from schema.ids import parse_participant_id
from schema.types import ParticipantNode


@strawberry.type
class ParticipantPayload:
    participant: ParticipantNode


RegisterParticipantResult = Annotated[
    ParticipantPayload | InvalidInputError, strawberry.union("RegisterParticipantResult")
]
UpdateParticipantResult = Annotated[
    ParticipantPayload | NotFoundError | StaleVersionError | InvalidInputError,
    strawberry.union("UpdateParticipantResult"),
]


@strawberry.input
class RegisterParticipantInput:
    role: Role
    display_name: str
    email: str
    timezone: str = "UTC"


@strawberry.input
class UpdateParticipantInput:
    id: strawberry.ID
    expected_version: int | None = None
    display_name: str | None = None
    email: str | None = None
    timezone: str | None = None


def _payload_or_error(result) -> ParticipantPayload | UserError:
    if isinstance(result, Participant):
        return ParticipantPayload(participant=ParticipantNode.from_row(result))
    return to_graphql(result)


@strawberry.type
class ParticipantMutations:
    @strawberry.mutation(description="Admins register a mentor or protégé in their organization.")
    async def register_participant(self, info: Info, input: RegisterParticipantInput) -> RegisterParticipantResult:
        principal = admin_of(info)
        result = await registration.register_participant(
            organization_id=principal.organization_id,
            role=input.role,
            profile=ProfileInput(input.display_name, input.email, input.timezone),
            clock=info.context.clock,
        )
        return _payload_or_error(result)  # type: ignore[return-value]

    @strawberry.mutation(description="Admins, or the participant themself, update a profile.")
    async def update_participant(self, info: Info, input: UpdateParticipantInput) -> UpdateParticipantResult:
        principal = principal_of(info)
        participant_id = parse_participant_id(input.id)
        if participant_id is None or not can_update_profile(principal, participant_id):
            return to_graphql(NotFound("Participant", str(input.id)))  # type: ignore[return-value]
        result = await registration.update_participant(
            participant_id=participant_id,
            organization_id=principal.organization_id,
            profile=ProfileInput(input.display_name, input.email, input.timezone),
            expected_version=input.expected_version,
            clock=info.context.clock,
        )
        return _payload_or_error(result)  # type: ignore[return-value]
