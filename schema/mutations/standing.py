"""One mutation per machine event, generated from the machines so none can be missed.

`issueNotice`, `suspend(until)`, `liftSuspension`, ... all call `domain.standing.apply_event`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from domain.kernel.rejections import NotFound
from domain.standing.apply import StandingCommand, TransitionApplied, apply_event
from domain.standing.machines import MACHINES
from schema.context import admin_of
from schema.errors import (
    InvalidInputError,
    NotFoundError,
    StaleVersionError,
    TransitionNotAllowedError,
    to_graphql,
)
from schema.ids import parse_participant_id
from schema.types import ParticipantNode, TransitionEntry

# The Python type of each event parameter a machine declares in `event_params`.
PARAM_TYPES: dict[str, type] = {"until": datetime}


@strawberry.type
class TransitionPayload:
    participant: ParticipantNode
    transition: TransitionEntry


TransitionResult = Annotated[
    TransitionPayload | NotFoundError | TransitionNotAllowedError | StaleVersionError | InvalidInputError,
    strawberry.union("TransitionResult"),
]


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _describe(event: str) -> str:
    roles = [m.role.value for m in MACHINES.values() if event in m.event_ids()]
    transitions = [
        f"{t.source.id} → {t.target.id}"
        for m in MACHINES.values()
        for s in m.states
        for t in s.transitions
        if t.event == event
    ]
    return f"{' / '.join(roles).title()} standing: {', '.join(transitions)}. Needs an admin token and a reason."


def _input_type(event: str, params: frozenset[str]) -> type:
    annotations: dict[str, Any] = {
        "participant_id": strawberry.ID,
        "reason": str,
        **{name: PARAM_TYPES[name] for name in sorted(params)},
        "expected_version": int | None,
        "evidence": JSON | None,
    }
    namespace = {"__annotations__": annotations, "expected_version": None, "evidence": None}
    name = camel(event)[0].upper() + camel(event)[1:] + "Input"
    return strawberry.input(type(name, (), namespace), name=name)


def _resolver(event: str, input_type: type, params: frozenset[str]):
    async def resolve(info, input):
        principal = admin_of(info)
        participant_id = parse_participant_id(input.participant_id)
        if participant_id is None:
            return to_graphql(NotFound("Participant", str(input.participant_id)))  # type: ignore[return-value]
        result = await apply_event(
            StandingCommand(
                participant_id=participant_id,
                event=event,
                actor=principal.actor,
                reason=input.reason,
                evidence=input.evidence if input.evidence is not None else {},
                params={p: getattr(input, p) for p in params},
                expected_version=input.expected_version,
                organization_id=principal.organization_id,
            ),
            clock=info.context.clock,
        )
        if isinstance(result, TransitionApplied):
            return TransitionPayload(  # type: ignore[return-value]
                participant=ParticipantNode.from_row(result.participant),
                transition=TransitionEntry.from_row(result.record),
            )
        return to_graphql(result)  # type: ignore[return-value]

    # Set after definition: the input type is built at runtime, so it cannot be a string annotation.
    resolve.__annotations__ = {"info": Info, "input": input_type, "return": TransitionResult}
    return resolve


def _event_params(event: str) -> frozenset[str]:
    return frozenset().union(*(m.event_params.get(event, frozenset()) for m in MACHINES.values()))


def build_transition_mutations() -> type:
    """A strawberry type with one mutation field per event of either machine."""
    namespace: dict[str, Any] = {}
    events = dict.fromkeys(e for m in MACHINES.values() for e in m.event_ids())
    for event in events:
        params = _event_params(event)
        namespace[event] = strawberry.mutation(
            resolver=_resolver(event, _input_type(event, params), params),
            name=camel(event),
            description=_describe(event),
        )
    return strawberry.type(type("StandingMutations", (), namespace))
