"""GraphQL shapes of the domain's rejections, and the one error the API raises: AuthError."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError

from domain.kernel import rejections
from schema.enums import (
    AppealEvent,
    AppealState,
    CaseEvent,
    CaseState,
    FactEvent,
    FactState,
    StandingEvent,
    StandingState,
)


class AuthError(GraphQLError):
    """Missing token or a role that may not do this; never masked in production."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, extensions={"code": code})


class InputError(AuthError):
    """An argument the caller can fix that no typed result covers, such as a malformed cursor."""

    def __init__(self, message: str) -> None:
        super().__init__("BAD_USER_INPUT", message)


@strawberry.interface(description="Something the caller can fix; returned as data, not raised.")
class UserError:
    message: str


@strawberry.type
class NotFoundError(UserError):
    entity: str
    id: strawberry.ID


@strawberry.type
class TransitionNotAllowedError(UserError):
    state: StandingState
    event: StandingEvent
    allowed_events: list[StandingEvent]
    reasons: list[str]


@strawberry.type
class StaleVersionError(UserError):
    expected_version: int
    actual_version: int


@strawberry.type
class InvalidInputError(UserError):
    field: str


@strawberry.type
class NotPermittedError(UserError):
    """Well-formed input that a rule of the Code forbids."""


@strawberry.type(description="The case machine refused the step; `reasons` are the refusing guards' words.")
class CaseStepNotAllowedError(UserError):
    state: CaseState
    event: CaseEvent
    allowed_events: list[CaseEvent]
    reasons: list[str]


@strawberry.type(description="The appeal machine refused the step; `reasons` are the refusing guards' words.")
class AppealStepNotAllowedError(UserError):
    state: AppealState
    event: AppealEvent
    allowed_events: list[AppealEvent]
    reasons: list[str]


@strawberry.type(description="The fact machine refused the step; `reasons` are the refusing guards' words.")
class FactStepNotAllowedError(UserError):
    state: FactState
    event: FactEvent
    allowed_events: list[FactEvent]
    reasons: list[str]


def to_graphql(rejection: rejections.AnyRejection) -> UserError:
    match rejection:
        case rejections.NotFound(entity=entity, id=id_):
            return NotFoundError(message=rejection.message, entity=entity, id=strawberry.ID(id_))
        case rejections.TransitionNotAllowed():
            return TransitionNotAllowedError(
                message=rejection.message,
                state=StandingState(rejection.state),
                event=StandingEvent(rejection.event),
                allowed_events=[StandingEvent(e) for e in rejection.allowed_events],
                reasons=rejection.reasons,
            )
        case rejections.StaleVersion():
            return StaleVersionError(
                message=rejection.message,
                expected_version=rejection.expected_version,
                actual_version=rejection.actual_version,
            )
        case rejections.InvalidInput(field=field_name):
            return InvalidInputError(message=rejection.message, field=field_name)
        case rejections.NotPermitted():
            return NotPermittedError(message=rejection.message)
        case rejections.StepNotAllowed(machine="case"):
            return CaseStepNotAllowedError(
                message=rejection.message,
                state=CaseState(rejection.state),
                event=CaseEvent(rejection.event),
                allowed_events=[CaseEvent(e) for e in rejection.allowed_events],
                reasons=rejection.reasons,
            )
        case rejections.StepNotAllowed(machine="appeal"):
            return AppealStepNotAllowedError(
                message=rejection.message,
                state=AppealState(rejection.state),
                event=AppealEvent(rejection.event),
                allowed_events=[AppealEvent(e) for e in rejection.allowed_events],
                reasons=rejection.reasons,
            )
        case rejections.StepNotAllowed(machine="fact"):
            return FactStepNotAllowedError(
                message=rejection.message,
                state=FactState(rejection.state),
                event=FactEvent(rejection.event),
                allowed_events=[FactEvent(e) for e in rejection.allowed_events],
                reasons=rejection.reasons,
            )
    raise TypeError(f"unknown rejection {rejection!r}")
