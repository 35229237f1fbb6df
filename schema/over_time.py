"""Standing over time: `Participant.standingAt(at)`, replayed from the log, and the public `verifyCertificate`.

Both call the domain's replay (domain/standing/replay.py); `verifyCertificate` is the only field of the API
answered without a token, and it shows no contact detail.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.badges.verification import verify_certificate
from domain.infra.snapshots import ParticipantRead
from domain.standing.replay import LogDoesNotReplay, standing_at
from schema.context import principal_of
from schema.enums import ActorKind, BadgeStatus, Role, StandingState, TokenRole
from schema.errors import InvalidInputError, NotFoundError
from schema.types import Actor, TransitionEntry

MAX_CODE_ECHO = 32  # a wrong code is echoed back in NotFoundError.id, never more than this


@strawberry.type(description="The badge as the replay of its log found it at that instant.")
class BadgeAt:
    status: BadgeStatus
    since: datetime | None = strawberry.field(description="When it took this status; null: there never was a badge.")
    held: bool = strawberry.field(description="AWARDED or AT_RISK: the badge and its perks were held.")


@strawberry.type(description="A participant's standing at one instant, rebuilt by replaying the transition log.")
class StandingAt:
    at: datetime
    state: StandingState
    since: datetime
    suspended_until: datetime | None
    decided_by: Actor | None = strawberry.field(
        description="Who or what took the step into this state; null: the state the participant registered in."
    )
    transition: TransitionEntry | None = strawberry.field(description="That step's log row; null as decidedBy.")
    badge: BadgeAt
    steps_replayed: int = strawberry.field(description="Log rows (standing and badge) replayed up to `at`.")


@strawberry.type(description="The participant's log does not replay through the machines: a bug, and it is logged.")
class LogDoesNotReplayError:
    message: str
    transition_id: strawberry.ID
    replayed_state: str
    problem: str


StandingAtResult = Annotated[
    StandingAt | InvalidInputError | LogDoesNotReplayError, strawberry.union("StandingAtResult")
]


async def resolve_standing_at(row: ParticipantRead, info: Info, at: datetime) -> StandingAtResult | None:
    if at > info.context.clock.now():
        return InvalidInputError(message="at: standing is known up to now, not in the future", field="at")
    found = await standing_at(row, at)
    if found is None:
        return None
    if isinstance(found, LogDoesNotReplay):
        return LogDoesNotReplayError(
            message=found.message,
            transition_id=strawberry.ID(str(found.record_id)),
            replayed_state=found.replayed_state,
            problem=found.problem,
        )
    for_partner = principal_of(info).role is TokenRole.PARTNER
    step = found.decided_by
    return StandingAt(
        at=at,
        state=StandingState(found.state),
        since=found.since,
        suspended_until=found.suspended_until,
        decided_by=Actor(kind=ActorKind(step.actor_kind), id=step.actor_id) if step else None,
        transition=TransitionEntry.from_row(step, for_partner=for_partner) if step else None,
        badge=BadgeAt(status=BadgeStatus(found.badge.status), since=found.badge.since, held=found.badge.held),
        steps_replayed=found.steps,
    )


@strawberry.type(description="What a certificate's code proves, to anyone: no token, no contact details.")
class CertificateVerification:
    code: str
    name: str
    organization_name: str = strawberry.field(description="The organization's display name, never its slug.")
    role: Role
    awarded_at: datetime = strawberry.field(description="The badge date.")
    badge_status: BadgeStatus
    still_held: bool = strawberry.field(description="AWARDED or AT_RISK now.")
    in_good_standing: bool | None = strawberry.field(
        description="Their standing at `checkedAt`, replayed from the log, is their ladder's first rung; "
        "null when the log does not replay."
    )
    checked_at: datetime = strawberry.field(description="The moment of this verification: what 'on <date>' means.")
    statement: str = strawberry.field(description='"in good standing on 2 December 2026", or "not in ..."')


def statement(in_good_standing: bool | None, on: datetime) -> str:
    day = f"{on.day} {on:%B %Y}"
    if in_good_standing is None:
        return f"standing on {day} could not be established"
    return f"{'in' if in_good_standing else 'not in'} good standing on {day}"


CertificateResult = Annotated[CertificateVerification | NotFoundError, strawberry.union("CertificateResult")]


@strawberry.type
class VerificationQueries:
    @strawberry.field(
        description="Verify a certificate's code. Public: answers without a token, and shows no contact details. "
        "An unknown or malformed code is a NotFoundError."
    )
    async def verify_certificate(self, info: Info, code: str) -> CertificateResult:
        now = info.context.clock.now()
        facts = await verify_certificate(code.strip().lower(), now)
        if facts is None:
            shown = code[:MAX_CODE_ECHO]
            return NotFoundError(
                message="no certificate carries this code", entity="Certificate", id=strawberry.ID(shown)
            )
        return CertificateVerification(
            code=facts.code,
            name=facts.name,
            organization_name=facts.organization_name,
            role=facts.role,
            awarded_at=facts.awarded_at,
            badge_status=BadgeStatus(facts.badge_status),
            still_held=facts.still_held,
            in_good_standing=facts.in_good_standing,
            checked_at=facts.checked_at,
            statement=statement(facts.in_good_standing, facts.checked_at),
        )
