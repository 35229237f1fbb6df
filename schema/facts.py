"""Recorded facts over GraphQL: the two parties read the facts between them and dispute, concede or withdraw
them; admins resolve disputes. Partners read no fact: statements are the parties' own words."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info
from tortoise.expressions import Q

from domain.access.principals import Principal, TokenRole
from domain.facts.disputes import FactActor, concede_dispute, dispute_fact, resolve_dispute, withdraw_fact
from domain.facts.machine import FactContext, FactMachine
from domain.infra.stepping import allowed
from domain.kernel.rejections import is_rejection
from domain.models import FactKind
from domain.models import RecordedFact as FactRow
from schema.context import admin_of, principal_of
from schema.enums import FactEvent, FactState
from schema.errors import (
    AuthError,
    FactStepNotAllowedError,
    InvalidInputError,
    NotFoundError,
    StaleVersionError,
    TransitionNotAllowedError,
    to_graphql,
)
from schema.ids import any_id
from schema.types import TransitionEntry

MAX_FACTS = 100


@strawberry.enum(description="How an admin resolves a dispute.")
class DisputeOutcome(Enum):
    UPHELD = "upheld"  # the fact stands and counts
    WITHDRAWN = "withdrawn"  # the fact is taken back


@strawberry.type(description="A fact one side's record counts against the other: a no-show, or a lapsed reply.")
class Fact:
    id: strawberry.ID
    kind: FactKind
    subject_id: strawberry.ID = strawberry.field(description="Who the fact counts against.")
    counterpart_id: strawberry.ID = strawberry.field(description="The other party, whose record it is.")
    session_id: strawberry.ID | None
    message_id: strawberry.ID | None
    state: FactState
    counts: bool = strawberry.field(description="Whether it counts toward the Code's rules and the badge metrics now.")
    recorded_at: datetime
    dispute_until: datetime = strawberry.field(description="Disputable until then; undisputed, it counts after.")
    disputed_by: strawberry.ID | None
    statement: str | None = strawberry.field(description="The disputer's words.")
    settled_at: datetime | None
    settlement: str | None
    version: int
    row: strawberry.Private[FactRow]

    @classmethod
    def from_row(cls, row: FactRow) -> Fact:
        return cls(
            id=strawberry.ID(str(row.id)),
            kind=row.kind,
            subject_id=strawberry.ID(str(row.subject_id)),
            counterpart_id=strawberry.ID(str(row.counterpart_id)),
            session_id=strawberry.ID(str(row.session_id)) if row.session_id else None,
            message_id=strawberry.ID(str(row.message_id)) if row.message_id else None,
            state=FactState(row.state),
            counts=row.state == "confirmed",
            recorded_at=row.recorded_at,
            dispute_until=row.dispute_until,
            disputed_by=strawberry.ID(str(row.disputed_by)) if row.disputed_by else None,
            statement=row.statement,
            settled_at=row.settled_at,
            settlement=row.settlement,
            version=row.version,
            row=row,
        )

    @strawberry.field(description="What you may do to this fact now, from the fact machine.")
    def allowed_events(self, info: Info) -> list[FactEvent]:
        by = fact_actor(principal_of(info))
        r = self.row
        ctx = FactContext(
            by.actor,
            by.person,
            r.subject_id,
            r.counterpart_id,
            r.disputed_by,
            info.context.clock.now(),
            r.dispute_until,
        )
        return [FactEvent(e) for e in allowed(FactMachine, r.state, ctx=ctx)]


@strawberry.type
class FactPayload:
    fact: Fact
    steps: list[TransitionEntry] = strawberry.field(description="A step reversed because the fact was withdrawn.")


@strawberry.input
class DisputeFactInput:
    fact_id: strawberry.ID
    statement: str


@strawberry.input
class WithdrawFactInput:
    fact_id: strawberry.ID
    reason: str


@strawberry.input
class ResolveDisputeInput:
    fact_id: strawberry.ID
    outcome: DisputeOutcome
    reason: str


FactResult = Annotated[
    FactPayload
    | NotFoundError
    | InvalidInputError
    | FactStepNotAllowedError
    | StaleVersionError
    | TransitionNotAllowedError,
    strawberry.union("FactResult"),
]


def fact_actor(principal: Principal) -> FactActor:
    if principal.role is TokenRole.PARTNER:
        raise AuthError("FORBIDDEN", "facts are the parties' and the admins': a partner token neither reads nor acts")
    person = principal.participant_id if principal.role is TokenRole.PARTICIPANT else None
    return FactActor(principal.actor, person, principal.organization_id)


def _payload(result: Any) -> Any:
    if is_rejection(result):
        return to_graphql(result)
    return FactPayload(fact=Fact.from_row(result.fact), steps=[TransitionEntry.from_row(s) for s in result.steps])


@strawberry.type
class FactMutations:
    @strawberry.mutation(description="Dispute a fact about you, or one you are the other party to, within its window.")
    async def dispute_fact(self, info: Info, input: DisputeFactInput) -> FactResult:
        by = fact_actor(principal_of(info))
        return _payload(await dispute_fact(any_id(input.fact_id), input.statement, by=by, clock=info.context.clock))  # type: ignore[no-any-return]

    @strawberry.mutation(description="Agree with the other side's dispute: the fact is withdrawn.")
    async def concede_dispute(self, info: Info, fact_id: strawberry.ID) -> FactResult:
        by = fact_actor(principal_of(info))
        return _payload(await concede_dispute(any_id(fact_id), by=by, clock=info.context.clock))  # type: ignore[no-any-return]

    @strawberry.mutation(
        description="Take back a fact you recorded (its counterpart) or, as an admin, any fact not in dispute. "
        "A step it caused is reversed."
    )
    async def withdraw_fact(self, info: Info, input: WithdrawFactInput) -> FactResult:
        by = fact_actor(principal_of(info))
        result = await withdraw_fact(any_id(input.fact_id), input.reason, by=by, clock=info.context.clock)
        return _payload(result)  # type: ignore[no-any-return]

    @strawberry.mutation(description="Resolve a disputed fact (admins): upheld, it counts; withdrawn, it does not.")
    async def resolve_dispute(self, info: Info, input: ResolveDisputeInput) -> FactResult:
        by = fact_actor(admin_of(info))
        result = await resolve_dispute(
            any_id(input.fact_id), input.outcome.value, input.reason, by=by, clock=info.context.clock
        )
        return _payload(result)  # type: ignore[no-any-return]


@strawberry.type
class FactQueries:
    @strawberry.field(
        description="Facts recorded about you or by your side (participants), or about a participant (admins), newest first."
    )
    async def facts(
        self, info: Info, participant_id: strawberry.ID | None = None, state: FactState | None = None
    ) -> list[Fact]:
        principal = principal_of(info)
        by = fact_actor(principal)
        query = FactRow.filter(organization_id=principal.organization_id)
        if by.person is not None:
            query = query.filter(Q(subject_id=by.person) | Q(counterpart_id=by.person))
        elif participant_id is not None:
            query = query.filter(subject_id=any_id(participant_id))
        if state is not None:
            query = query.filter(state=state.value)
        return [Fact.from_row(r) for r in await query.order_by("-id").limit(MAX_FACTS)]
