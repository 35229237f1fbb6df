"""Typed rejections: why a use case said no. Errors are data; exceptions are for bugs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeGuard


@dataclass(frozen=True)
class NotFound:
    entity: str
    id: str

    @property
    def message(self) -> str:
        return f"{self.entity} {self.id} was not found"


@dataclass(frozen=True)
class TransitionNotAllowed:
    participant_id: int
    state: str
    event: str
    allowed_events: list[str]
    reasons: list[str]

    @property
    def message(self) -> str:
        why = f": {'; '.join(self.reasons)}" if self.reasons else ""
        return f"{self.event} is not allowed from {self.state}{why}"


@dataclass(frozen=True)
class StaleVersion:
    participant_id: int  # the id of the row that moved on (a participant, or the `entity` named)
    expected_version: int
    actual_version: int
    entity: str = "participant"

    @property
    def message(self) -> str:
        return (
            f"{self.entity} {self.participant_id} is at version {self.actual_version}, "
            f"not {self.expected_version}: reload it and decide again"
        )


@dataclass(frozen=True)
class StepNotAllowed:
    """A machine other than the standing ladders (a case, an appeal) refused a step."""

    machine: str  # "case" | "appeal"
    entity_id: int
    state: str
    event: str
    allowed_events: list[str]
    reasons: list[str]

    @property
    def message(self) -> str:
        why = f": {'; '.join(self.reasons)}" if self.reasons else ""
        return f"{self.event} is not allowed for a {self.machine} that is {self.state}{why}"


@dataclass(frozen=True)
class InvalidInput:
    field: str
    problem: str

    @property
    def message(self) -> str:
        return f"{self.field}: {self.problem}"


Rejection = NotFound | TransitionNotAllowed | StaleVersion | InvalidInput


@dataclass(frozen=True)
class NotPermitted:
    """The input is well formed, but a rule of the Code forbids it (e.g. booking a suspended mentor)."""

    problem: str

    @property
    def message(self) -> str:
        return self.problem


ActivityRejection = NotFound | InvalidInput | NotPermitted

# Anything a use case may refuse with.
AnyRejection = NotFound | TransitionNotAllowed | StaleVersion | InvalidInput | NotPermitted | StepNotAllowed

REJECTION_TYPES = (NotFound, TransitionNotAllowed, StaleVersion, InvalidInput, NotPermitted, StepNotAllowed)


def is_rejection(value: object) -> TypeGuard[AnyRejection]:
    """Whether a use case's answer is a refusal rather than its result."""
    return isinstance(value, REJECTION_TYPES)
