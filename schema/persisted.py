"""Persisted operations: the reads web clients make most, published with their hashes and planned in advance.

A client names one by the SHA-256 of its document, as Apollo's automatic persisted queries do
(`{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "…"}}, "variables": {…}}`), or sends the
document itself, word for word. Either way the request is answered by the operation's plan: the same
domain reads its resolvers make (`domain/access/visibility.py`, the badge summaries), shaped straight into
the answer, without parsing, validating and executing the document on every request. GraphQL's per-field
machinery was most of a read's cost (docs/benchmarks.md, "Where the read time goes").

A plan answers only the ordinary case: a valid token and well-formed variables. Anything else (no token,
a variable of the wrong type, a cursor that is not ours, a page size out of range) makes it step aside,
and GraphQL answers from the catalog's document, so errors stay GraphQL's own. Authorization is not
cached any differently from the GraphQL path: every request authenticates its token (domain/access/tokens.py).
The rows come from the process's read model while it is provably current (domain/access/read_model.py: at most
1 s behind any commit, never behind this process's own), pre-rendered once per row; otherwise from the
database, with the resolvers' own reads (tests/api/test_persisted.py keeps every plan's answer equal to
GraphQL's for the same document, token and variables, from either source).

A hash that is not in the catalog is refused with PERSISTED_QUERY_NOT_FOUND unless the request also sends a
document with that hash, which GraphQL then runs as usual: the catalog is published (docs/api.md,
`standing persisted-operations`), not registered by clients, so nobody can fill a server's memory with
documents.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from strawberry.relay import to_base64

from domain.access.principals import Principal
from domain.access.read_model import READ_MODEL, StandingRow
from domain.access.visibility import MAX_ID, visible_participant, visible_participants
from domain.infra.snapshots import ParticipantSnapshot, Snapshots
from schema.enums import BadgeStatus, StandingState
from schema.ids import parse_participant_id
from schema.loaders import load_badge_summaries
from schema.types import MAX_PAGE, offset_of_cursor

Variables = dict[str, Any]
# The answer as JSON bytes, or None: the plan steps aside and GraphQL answers.
Plan = Callable[[Principal, Variables], Awaitable[bytes | None]]


def sha256(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


@dataclass(frozen=True)
class PersistedOperation:
    name: str
    document: str
    plan: Plan = field(repr=False)

    @property
    def hash(self) -> str:
        return sha256(self.document)


class PersistedQueryError(Exception):
    """A persistedQuery extension the server cannot honour (Apollo's codes, so clients retry as they know how)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


PARTICIPANT_STANDING = "query ParticipantStanding($id: ID!) { participant(id: $id) { standing { state since } } }"
PARTICIPANTS_PAGE = (
    "query ParticipantsPage($first: Int!, $after: String) { participants(first: $first, after: $after) "
    "{ edges { node { id displayName profileVisible standing { state since } badge { status } } } "
    "pageInfo { hasNextPage endCursor } } }"
)
STANDING_NAMES = {state.value: state.name for state in StandingState}  # how GraphQL writes the enums
BADGE_NAMES = {status.value: status.name for status in BadgeStatus}

# A participant as the two operations show it; from a snapshot (database) or a read model row.
Shown = ParticipantSnapshot | StandingRow


def _standing(row: Shown) -> dict[str, Any]:
    return {"state": STANDING_NAMES[row.standing], "since": row.standing_since}


def _node(row: Shown, badge_state: str | None) -> dict[str, Any]:
    return {
        "id": to_base64("Participant", row.id),
        "displayName": row.display_name,
        "profileVisible": row.profile_visible,
        "standing": _standing(row),
        "badge": {"status": BADGE_NAMES[badge_state or "none"]},
    }


class Renderings:
    """Each read model row's JSON for the two operations, made once per row: rows are immutable and replaced
    on change, so a rendering is kept for as long as its row is the one the model holds."""

    def __init__(self) -> None:
        self._made: dict[int, tuple[StandingRow, bytes, bytes]] = {}

    def _of(self, row: StandingRow) -> tuple[StandingRow, bytes, bytes]:
        made = self._made.get(row.id)
        if made is None or made[0] is not row:
            single = encode({"participant": {"standing": _standing(row)}})
            made = self._made[row.id] = (row, single, b'{"node":' + _json(_node(row, row.badge_state)) + b"}")
        return made

    def single(self, row: StandingRow) -> bytes:
        return self._of(row)[1]

    def edge(self, row: StandingRow) -> bytes:
        return self._of(row)[2]


RENDERINGS = Renderings()
# Which source each planned answer came from, "read model" or "database" (tests and benchmarks read it).
answered_from: Counter[str] = Counter()
NO_PARTICIPANT = b'{"data":{"participant":null}}'


async def participant_standing(principal: Principal, variables: Variables) -> bytes | None:
    wanted = variables.get("id")
    if type(wanted) not in (str, int):  # ID! takes a string or an integer; anything else is GraphQL's error
        return None
    participant_id = parse_participant_id(wanted)
    if participant_id is None or not 0 < participant_id < MAX_ID:
        return NO_PARTICIPANT
    if READ_MODEL.trusted(principal.token_id):
        held = await READ_MODEL.one(principal, participant_id)
        if READ_MODEL.trusted(principal.token_id):  # still, after any refresh the read waited for
            answered_from["read model"] += 1
            return RENDERINGS.single(held) if held is not None else NO_PARTICIPANT
    answered_from["database"] += 1
    row = await visible_participant(principal, participant_id)
    return encode({"participant": {"standing": _standing(row)}} if row is not None else {"participant": None})


def _start_after(after: object) -> int | None:
    """Where the page starts for an `after` cursor, or None when the cursor is not one of ours."""
    if after is None:
        return 0
    offset = offset_of_cursor(after) if isinstance(after, str) else None
    return None if offset is None else offset + 1


def _page_info(start: int, shown: int, more: bool) -> dict[str, Any]:
    return {"hasNextPage": more, "endCursor": to_base64("arrayconnection", start + shown - 1) if shown else None}


async def participants_page(principal: Principal, variables: Variables) -> bytes | None:
    first, start = variables.get("first"), _start_after(variables.get("after"))
    if type(first) is not int or not 0 <= first <= MAX_PAGE or start is None:
        return None
    if READ_MODEL.trusted(principal.token_id):
        held = await READ_MODEL.page(principal, start, first + 1)  # one more row says whether another follows
        if READ_MODEL.trusted(principal.token_id):
            answered_from["read model"] += 1
            shown = held[:first]
            edges = b",".join(RENDERINGS.edge(row) for row in shown)
            info = _json(_page_info(start, len(shown), len(held) > first))
            return b'{"data":{"participants":{"edges":[' + edges + b'],"pageInfo":' + info + b"}}}"
    # The resolver's own two statements: the page and its badges.
    answered_from["database"] += 1
    rows = await Snapshots(visible_participants(principal).order_by("id"))[start : start + first + 1].all()
    page = rows[:first]
    badges = await load_badge_summaries([row.id for row in page]) if page else []
    nodes = [{"node": _node(row, badge.state if badge else None)} for row, badge in zip(page, badges, strict=True)]
    return encode({"participants": {"edges": nodes, "pageInfo": _page_info(start, len(page), len(rows) > first)}})


CATALOG: dict[str, PersistedOperation] = {
    op.hash: op
    for op in (
        PersistedOperation("ParticipantStanding", PARTICIPANT_STANDING, participant_standing),
        PersistedOperation("ParticipantsPage", PARTICIPANTS_PAGE, participants_page),
    )
}
BY_DOCUMENT = {op.document: op for op in CATALOG.values()}


def request_by_hash(document: str, variables: Variables) -> dict[str, Any]:
    """The body a client sends to name a catalog operation by its hash alone."""
    return {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256(document)}}, "variables": variables}


# Every catalog document holds its operation's name: a body without any of them, or the extension's own name,
# names no persisted operation, and is left to GraphQL without being decoded here first.
MARKERS = (b"persistedQuery", *(op.name.encode() for op in CATALOG.values()))


def may_name_one(raw: bytes) -> bool:
    return any(marker in raw for marker in MARKERS)


def requested_hash(body: dict[str, Any]) -> str | None:
    extensions = body.get("extensions")
    if not isinstance(extensions, dict) or "persistedQuery" not in extensions:
        return None
    persisted = extensions["persistedQuery"]
    if (
        not isinstance(persisted, dict)
        or persisted.get("version") != 1
        or not isinstance(persisted.get("sha256Hash"), str)
    ):
        raise PersistedQueryError(
            "PERSISTED_QUERY_INVALID", 'persistedQuery is {"version": 1, "sha256Hash": "<64 hex digits>"}'
        )
    return persisted["sha256Hash"].lower()


def resolve(body: dict[str, Any]) -> PersistedOperation | None:
    """The catalog's operation a request names, by hash or by its exact document; None for any other request.

    Raises PersistedQueryError for a hash it does not know (without a document of that hash) or a document
    that does not match the hash sent with it."""
    query = body.get("query")
    wanted = requested_hash(body)
    if wanted is None:
        return BY_DOCUMENT.get(query) if isinstance(query, str) else None
    if isinstance(query, str) and query and sha256(query) != wanted:
        raise PersistedQueryError("PERSISTED_QUERY_HASH_MISMATCH", "the document's SHA-256 is not the sha256Hash sent")
    operation = CATALOG.get(wanted)
    if operation is None and not (isinstance(query, str) and query):
        raise PersistedQueryError(
            "PERSISTED_QUERY_NOT_FOUND",
            "no persisted operation has this hash: send the document itself (see `standing persisted-operations`)",
        )
    return operation


def with_document(body: dict[str, Any]) -> dict[str, Any]:
    """The request as GraphQL reads it: a hash-only request gets its catalog document."""
    try:
        operation = resolve(body)
    except PersistedQueryError:
        return body  # answered before GraphQL (schema/app.py); never reached with a bad extension
    if operation is None or body.get("query"):
        return body
    return {**body, "query": operation.document}


def encode(data: dict[str, Any]) -> bytes:
    """The answer as JSON, with instants written as the DateTime scalar writes them (isoformat)."""
    return _json({"data": data})


def _json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=_instant).encode()


def _instant(value: Any) -> str:
    isoformat = getattr(value, "isoformat", None)
    if isoformat is None:
        raise TypeError(f"{type(value).__name__} is not JSON")
    return str(isoformat())


def catalog_manifest() -> list[dict[str, str]]:
    """What `standing persisted-operations` prints: every operation's name, hash and document."""
    return [{"name": op.name, "sha256Hash": op.hash, "document": op.document} for op in CATALOG.values()]
