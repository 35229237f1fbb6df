"""Typed rejections: why a use case said no. Errors are data; exceptions are for bugs."""

from __future__ import annotations

from dataclasses import dataclass


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
    participant_id: int
    expected_version: int
    actual_version: int

    @property
    def message(self) -> str:
        return (
            f"participant {self.participant_id} is at version {self.actual_version}, "
            f"not {self.expected_version}: reload it and decide again"
        )


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
