"""One execution and one encoding per subscription event and selection, shared by every subscriber.

graphql-core executes a subscription's selection once per event per subscriber, and strawberry encodes each
`next` message with json.dumps per subscriber: with 2,000 subscribers that was ~540 µs of server CPU per
delivery (bench/fanout.py), 55 % executing and 25 % encoding and sending the same result again and again.

An event's result depends only on the selection, the variables used inside it, and the event: the payload
types of `Subscription` have no resolvers, so nothing in a result reads the subscriber's token or context
(tests/events/test_shared_events.py checks that, type by type). Who receives an event is decided before, in the
subscriber's own stream (schema/subscriptions.py, `_scope` and `_matches`), so sharing a result shares no
authority. A result is shared only when it has no errors.

- `SharedEventExecution` (mixed into the executor): before a per-event executor is even built, the event's
  result is looked up by (operation, variables used below the root fields, event); what is executed is kept.
- `SharedEventsWebSocketAdapter`: a `next` message whose payload is a shared result is written as
  `{"id":…,"type":"next","payload":<the result's JSON, encoded once>}`; every other message with orjson.

Both use `RENDERINGS`, a bounded per-process LRU: a miss only costs an execution.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import orjson
from graphql import ExecutionResult, FieldNode, OperationDefinitionNode, VariableNode, visit
from graphql.language import Visitor
from starlette.websockets import WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import WebSocketDisconnected

CAPACITY = 1024  # distinct (selection, event) pairs kept: events arrive in bursts, shared within one


class Rendering:
    """One event's result for one selection, and its JSON once someone asked for it."""

    __slots__ = ("encoded", "operation", "result")

    def __init__(self, result: ExecutionResult, operation: Any) -> None:
        self.result = result
        self.operation = operation  # the node whose id is in the key: kept alive while the entry is
        self.encoded: str | None = None


class EventRenderings:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._by_key: OrderedDict[Hashable, Rendering] = OrderedDict()
        self._by_data: dict[int, Rendering] = {}  # id(result.data) -> its rendering, for the encoder
        self.executed = 0
        self.shared = 0

    def get(self, key: Hashable) -> ExecutionResult | None:
        rendering = self._by_key.get(key)
        if rendering is None:
            return None
        self._by_key.move_to_end(key)
        self.shared += 1
        return rendering.result

    def keep(self, key: Hashable, result: ExecutionResult, operation: Any) -> None:
        self.executed += 1
        if result.errors or not isinstance(result.data, dict) or key in self._by_key:
            return
        rendering = Rendering(result, operation)
        self._by_key[key] = rendering
        self._by_data[id(result.data)] = rendering
        while len(self._by_key) > self.capacity:
            _, evicted = self._by_key.popitem(last=False)
            self._by_data.pop(id(evicted.result.data), None)

    def encoded_payload(self, payload: dict[str, Any]) -> str | None:
        """The JSON of a `next` payload that is exactly a shared result's {"data": …}, encoded once."""
        if len(payload) != 1 or "data" not in payload:
            return None
        rendering = self._by_data.get(id(payload["data"]))
        if rendering is None or rendering.result.data is not payload["data"]:
            return None
        if rendering.encoded is None:
            rendering.encoded = orjson.dumps(payload).decode()
        return rendering.encoded

    def clear(self) -> None:
        self._by_key.clear()
        self._by_data.clear()


RENDERINGS = EventRenderings()


class _Variables(Visitor):
    """Counts each variable's uses, and the uses that are arguments of a root field."""

    def __init__(self, root_fields: set[int]) -> None:
        super().__init__()
        self.root_fields = root_fields
        self.uses: dict[str, int] = {}
        self.root_uses: dict[str, int] = {}

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if id(node) in self.root_fields:
            for argument in node.arguments or ():
                if isinstance(argument.value, VariableNode):
                    name = argument.value.name.value
                    self.root_uses[name] = self.root_uses.get(name, 0) + 1

    def enter_variable(self, node: VariableNode, *_: Any) -> None:
        self.uses[node.name.value] = self.uses.get(node.name.value, 0) + 1


_rendering_variables: dict[int, tuple[OperationDefinitionNode, tuple[str, ...]]] = {}


def rendering_variables(operation: OperationDefinitionNode) -> tuple[str, ...]:
    """The variables an event's result can depend on: all but those used only as root-field arguments
    (`after`, `participantId`: they choose which events a subscriber gets, not how one looks)."""
    known = _rendering_variables.get(id(operation))
    if known is not None and known[0] is operation:
        return known[1]
    root_fields = {id(s) for s in operation.selection_set.selections if isinstance(s, FieldNode)}
    counter = _Variables(root_fields)
    visit(operation.selection_set, counter)
    names = tuple(sorted(n for n, uses in counter.uses.items() if uses > counter.root_uses.get(n, 0)))
    if len(_rendering_variables) >= CAPACITY:
        _rendering_variables.clear()
    _rendering_variables[id(operation)] = (operation, names)
    return names


class SharedResult:
    """What a per-event executor is when the event's result is already known: graphql-core only asks it for the
    result (`execute_subscription_event`), so the executor is not even copied."""

    __slots__ = ("result",)

    def __init__(self, result: ExecutionResult) -> None:
        self.result = result

    def execute_operation(self, serially: bool | None = None) -> ExecutionResult:
        return self.result


class SharedEventExecution:
    """Mixed into the executor: subscription events are executed once per selection and event."""

    # What names an event: set by the schema (schema/build.py) to a function of the root value, None when the
    # value is not an event whose result may be shared.
    event_key: Callable[[Any], Hashable | None] = staticmethod(lambda payload: None)  # type: ignore[assignment]
    _shared_key: Hashable | None = None

    def build_per_event_executor(self, payload: Any) -> Any:
        event = self.event_key(payload)
        if event is None:
            return super().build_per_event_executor(payload)  # type: ignore[misc]
        operation = self.operation  # type: ignore[attr-defined]
        coerced = self.variable_values.coerced  # type: ignore[attr-defined]
        used = {name: coerced.get(name) for name in rendering_variables(operation)}
        variables = orjson.dumps(used, option=orjson.OPT_SORT_KEYS, default=repr) if used else b""
        key = (id(operation), variables, event)
        shared = RENDERINGS.get(key)
        if shared is not None:
            return SharedResult(shared)
        executor = super().build_per_event_executor(payload)  # type: ignore[misc]
        executor._shared_key = key
        return executor

    def execute_operation(self, serially: bool | None = None) -> Any:
        key = self._shared_key
        result = super().execute_operation(serially)  # type: ignore[misc]
        if key is None:
            return result
        if self.is_awaitable(result):  # type: ignore[attr-defined]
            return self._keep_when_done(key, result)
        RENDERINGS.keep(key, result, self.operation)  # type: ignore[attr-defined]
        return result

    async def _keep_when_done(self, key: Hashable, pending: Any) -> Any:
        result = await pending
        RENDERINGS.keep(key, result, self.operation)  # type: ignore[attr-defined]
        return result


def _encode(message: Any) -> str:
    try:
        return orjson.dumps(message).decode()
    except TypeError:  # what orjson refuses (an int past 64 bits) goes as json.dumps would write it
        import json

        return json.dumps(message)


class SharedEventsWebSocketAdapter(ASGIWebSocketAdapter):
    async def send_json(self, message: Any) -> None:
        text = None
        if isinstance(message, dict) and message.get("type") == "next" and isinstance(message.get("payload"), dict):
            payload = RENDERINGS.encoded_payload(message["payload"])
            if payload is not None:
                text = '{"id":' + _encode(message["id"]) + ',"type":"next","payload":' + payload + "}"
        try:
            await self.ws.send_text(text if text is not None else _encode(message))
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc
