"""Appeals over GraphQL: the sanctioned participant files and withdraws with their own token; an admin who
did not take the step decides. The appeal of a step also shows on that step in `history`."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain.access.principals import Principal, TokenRole
from domain.appeals.deciding import DecideAppeal, decide_appeal
from domain.appeals.filing import appeal_sanction, withdraw_appeal
from domain.appeals.machine import AppealContext, bind_appeal
from domain.kernel.rejections import is_rejection
from domain.models import Appeal as AppealRow
from domain.models import TransitionRecord
from schema.context import admin_of, principal_of
from schema.enums import AppealEvent, AppealState, StandingEvent
from schema.errors import (
    AppealStepNotAllowedError,
    AuthError,
    InvalidInputError,
    NotFoundError,
    NotPermittedError,
    StaleVersionError,
    TransitionNotAllowedError,
    to_graphql,
)
from schema.ids import any_id
from schema.types import TransitionEntry

MAX_APPEALS = 100


@strawberry.enum(description="How an admin decides an appeal.")
class AppealDecision(Enum):
    UPHOLD = "uphold"  # the step stands
    REDUCE = "reduce"  # a lighter rung of the same ladder replaces it
    OVERTURN = "overturn"  # the step is undone through the machine's own way back


@strawberry.type(description="An appeal of one downward step.")
class Appeal:
    id: strawberry.ID
    participant_id: strawberry.ID
    transition_id: strawberry.ID = strawberry.field(description="The step appealed.")
    state: AppealState
    statement: str = strawberry.field(description="The appellant's words.")
    filed_at: datetime
    decide_by: datetime = strawberry.field(description="Undecided by then, the appeal expires and nothing changes.")
    decided_at: datetime | None
    decided_by: str | None
    decision_reason: str | None
    result_id: strawberry.ID | None = strawberry.field(description="The step the decision took, if any.")
    version: int
    row: strawberry.Private[AppealRow]

    @classmethod
    def from_row(cls, row: AppealRow) -> Appeal:
        return cls(
            id=strawberry.ID(str(row.id)),
            participant_id=strawberry.ID(str(row.participant_id)),
            transition_id=strawberry.ID(str(row.transition_id)),
            state=AppealState(row.state),
            statement=row.statement,
            filed_at=row.filed_at,
            decide_by=row.decide_by,
            decided_at=row.decided_at,
            decided_by=row.decided_by,
            decision_reason=row.decision_reason,
            result_id=strawberry.ID(str(row.result_id)) if row.result_id else None,
            version=row.version,
            row=row,
        )

    @strawberry.field(description="The step appealed, from the transition log.")
    async def step(self) -> TransitionEntry:
        return TransitionEntry.from_row(await TransitionRecord.get(id=self.row.transition_id))

    @strawberry.field(description="The step the decision took: the reversal (overturned, reduced), or none.")
    async def result(self) -> TransitionEntry | None:
        row = await TransitionRecord.filter(id=self.row.result_id).first() if self.row.result_id else None
        return TransitionEntry.from_row(row) if row else None

    @strawberry.field(description="What you may do to this appeal now, from the appeal machine.")
    async def allowed_events(self, info: Info) -> list[AppealEvent]:
        principal = principal_of(info)
        if principal.role is TokenRole.PARTNER:
            return []
        step = await TransitionRecord.get(id=self.row.transition_id)
        machine, _ = bind_appeal(self.row.state)
        ctx = AppealContext(principal.actor, self.row.participant_id, step.actor_id)
        return [AppealEvent(e.id) for e in machine.enabled_events(ctx=ctx)]


@strawberry.type
class AppealPayload:
    appeal: Appeal


@strawberry.type
class AppealDecisionPayload:
    appeal: Appeal
    steps: list[TransitionEntry] = strawberry.field(
        description="The standing steps the decision took: the way back, then a reduction's lighter rung."
    )


@strawberry.input
class AppealSanctionInput:
    transition_id: strawberry.ID = strawberry.field(description="The downward step of your standing to appeal.")
    statement: str = strawberry.field(description="Why the step is wrong, in your words.")


@strawberry.input
class DecideAppealInput:
    appeal_id: strawberry.ID
    decision: AppealDecision
    reason: str
    reduce_to: StandingEvent | None = strawberry.field(
        default=None, description="For REDUCE: the lighter rung that replaces the step, e.g. ISSUE_NOTICE."
    )
    until: datetime | None = strawberry.field(default=None, description="A reduced suspension's end.")
    expected_version: int | None = None


AppealErrors = NotFoundError | InvalidInputError | NotPermittedError | AppealStepNotAllowedError | StaleVersionError
AppealResult = Annotated[AppealPayload | AppealErrors, strawberry.union("AppealResult")]
DecideAppealResult = Annotated[
    AppealDecisionPayload | AppealErrors | TransitionNotAllowedError, strawberry.union("DecideAppealResult")
]


def _appellant(info: Info) -> Principal:
    principal = principal_of(info)
    if principal.role is not TokenRole.PARTICIPANT or principal.participant_id is None:
        raise AuthError("FORBIDDEN", "an appeal is filed by the sanctioned participant, with their own token")
    return principal


def _payload(result: Any) -> Any:
    return to_graphql(result) if is_rejection(result) else AppealPayload(appeal=Appeal.from_row(result.appeal))


@strawberry.type
class AppealMutations:
    @strawberry.mutation(
        description="Appeal a downward step of your standing, once, within its window (policy: 20 days). "
        "While it is open, automation takes no further punitive step."
    )
    async def appeal_sanction(self, info: Info, input: AppealSanctionInput) -> AppealResult:
        principal = _appellant(info)
        result = await appeal_sanction(
            organization_id=principal.organization_id,
            appellant_id=principal.participant_id,  # type: ignore[arg-type]
            transition_id=any_id(input.transition_id),
            statement=input.statement,
            clock=info.context.clock,
        )
        return _payload(result)  # type: ignore[no-any-return]

    @strawberry.mutation(description="Withdraw your open appeal; the step stands and escalation resumes.")
    async def withdraw_appeal(self, info: Info, appeal_id: strawberry.ID) -> AppealResult:
        principal = _appellant(info)
        result = await withdraw_appeal(
            organization_id=principal.organization_id,
            appellant_id=principal.participant_id,  # type: ignore[arg-type]
            appeal_id=any_id(appeal_id),
            clock=info.context.clock,
        )
        return _payload(result)  # type: ignore[no-any-return]

    @strawberry.mutation(
        description="Decide an open appeal (admins who did not take the step): uphold it, reduce it to a lighter "
        "rung, or overturn it. The decision writes its own notice."
    )
    async def decide_appeal(self, info: Info, input: DecideAppealInput) -> DecideAppealResult:
        principal = admin_of(info)
        command = DecideAppeal(
            appeal_id=any_id(input.appeal_id),
            decision=input.decision.value,
            reason=input.reason,
            reduce_to=input.reduce_to.value if input.reduce_to else None,
            until=input.until,
            expected_version=input.expected_version,
        )
        result = await decide_appeal(
            command, organization_id=principal.organization_id, by=principal.actor, clock=info.context.clock
        )
        if is_rejection(result):
            return to_graphql(result)  # type: ignore[return-value]
        return AppealDecisionPayload(  # type: ignore[return-value]
            appeal=Appeal.from_row(result.appeal), steps=[TransitionEntry.from_row(s) for s in result.steps]
        )


@strawberry.type
class AppealQueries:
    @strawberry.field(description="The organization's appeals, oldest first (admins).")
    async def appeals(self, info: Info, state: AppealState | None = None, first: int = 50) -> list[Appeal]:
        principal = admin_of(info)
        query = AppealRow.filter(organization_id=principal.organization_id)
        if state is not None:
            query = query.filter(state=state.value)
        rows = await query.order_by("filed_at", "id").limit(max(1, min(first, MAX_APPEALS)))
        return [Appeal.from_row(r) for r in rows]

    @strawberry.field(description="One appeal: an admin's of the organization, or a participant's own.")
    async def appeal(self, info: Info, id: strawberry.ID) -> Appeal | None:
        principal = principal_of(info)
        query = AppealRow.filter(id=any_id(id), organization_id=principal.organization_id)
        if principal.role is TokenRole.PARTICIPANT:
            query = query.filter(participant_id=principal.participant_id)
        elif principal.role is not TokenRole.ADMIN:
            return None
        row = await query.first()
        return Appeal.from_row(row) if row else None

    @strawberry.field(description="Your appeals, newest first (participant tokens).")
    async def my_appeals(self, info: Info) -> list[Appeal]:
        principal = _appellant(info)
        rows = await AppealRow.filter(participant_id=principal.participant_id).order_by("-id").limit(MAX_APPEALS)
        return [Appeal.from_row(r) for r in rows]
