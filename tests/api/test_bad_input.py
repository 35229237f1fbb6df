"""Every kind of bad input the hardening probes found (issue 16, item 4), against the real ASGI app: each gets a
clear 4xx or a typed GraphQL error, nothing is written to any table, and nothing is logged as a server error.

Two tables: requests refused before GraphQL reads them (status and message), and GraphQL requests whose
input a domain rule or a scalar refuses (a typed `UserError` naming the field, or a coercion error).
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from domain.activity.acting import Acting
from tests.support.activity import goal_for
from tests.support.rows import row_counts
from tests.support.world import World

BIG = 60_000  # fits in a request (64 KB), and is far above every field's bound
MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Raw:
    """An HTTP request and the status it must get; `says` is part of the body."""

    method: str
    path: str
    content: bytes = b""
    headers: dict[str, Any] = field(default_factory=dict)
    status: int = 400
    says: str = ""


def deep_json(levels: int) -> bytes:
    return b'{"query": "{ viewer { role } }", "variables": {"v": ' + b"[" * levels + b"]" * levels + b"}}"


JSON = {"content-type": "application/json"}
NOT_UTF8 = b"\xff\xfe\xfa"

RAW: dict[str, Raw] = {
    'a JSON body of "hello"': Raw("POST", "/graphql", b'"hello"', JSON, says="JSON object"),
    "a JSON body of 123": Raw("POST", "/graphql", b"123", JSON, says="JSON object"),
    "a JSON body of null": Raw("POST", "/graphql", b"null", JSON, says="JSON object"),
    "a JSON array of numbers": Raw("POST", "/graphql", b"[1, 2]", JSON),
    "non-UTF-8 bytes": Raw("POST", "/graphql", b'{"query": "' + NOT_UTF8 + b'"}', JSON, says="UTF-8"),
    "a body sent as charset=latin-1": Raw(
        "POST",
        "/graphql",
        '{"query": "{ viewer { role } } # café"}'.encode("latin-1"),
        {"content-type": "application/json; charset=latin-1"},
        says="UTF-8",
    ),
    "2,000-deep JSON": Raw("POST", "/graphql", deep_json(2000), JSON, says="nested"),
    "2,000-deep JSON with no query": Raw("POST", "/graphql", b"[" * 2000 + b"]" * 2000, JSON, says="nested"),
    "a 1 MB body": Raw("POST", "/graphql", b'{"query": "' + b"a" * MEGABYTE + b'"}', JSON, status=413),
    "a body that is not JSON": Raw("POST", "/graphql", b"{query", JSON, says="JSON"),
    "/certificates/%00.pdf": Raw("GET", "/certificates/%00.pdf", status=404),
    "a 10 KB certificate code": Raw("GET", "/certificates/" + "a" * 10_240 + ".pdf", status=404),
    "a certificate code of Unicode digits": Raw("GET", "/certificates/" + "١" * 16 + ".pdf", status=404),
}

# A header that is not UTF-8 (nor ASCII) on every route: each answers as it would without it.
VIEWER = b'{"query": "{ viewer { role } }"}'
for route, method, content, status in (
    ("/healthz", "GET", b"", 200),
    ("/readyz", "GET", b"", 200),
    ("/graphql", "POST", VIEWER, 200),
    ("/certificates/0123456789abcdef.pdf", "GET", b"", 404),
    ("/nope", "GET", b"", 404),
):
    RAW[f"a non-UTF-8 X-Request-ID on {route}"] = Raw(
        method, route, content, {"x-request-id": NOT_UTF8, **JSON}, status=status
    )


@pytest.fixture
async def http(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://standing.test") as client:
        yield client


@pytest.fixture
def server_errors(caplog):
    """Records logged at error or above while the test ran: an unhandled exception is one."""
    caplog.set_level(logging.INFO)
    return lambda: [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("case", RAW.values(), ids=RAW.keys())
async def test_bad_requests_get_a_clear_4xx_and_write_nothing(case: Raw, http, world: World, server_errors):
    before = await row_counts()
    headers = {"authorization": f"Bearer {world.admin}", **case.headers}
    response = await http.request(case.method, case.path, content=case.content, headers=headers)
    assert response.status_code == case.status, response.text
    assert case.says in response.text
    if "x-request-id" in case.headers:  # never echoed back: a fresh id instead
        assert len(response.headers["x-request-id"]) == 32
    assert await row_counts() == before
    assert server_errors() == []


@dataclass(frozen=True)
class Typed:
    """The mutation's field answers a typed error (`InvalidInputError` naming `field`, `NotFoundError`...)."""

    typename: str
    field: str | None = None


@dataclass(frozen=True)
class Refused:
    """GraphQL refuses the request before running it; an error message contains `says`."""

    says: str
    status: int = 200


OFFERING = 'mutation($d: String!) { createServiceOffering(mentorId: "%(mentor)s", title: "Portfolio review", description: $d) { __typename ...E } }'
LEAVE = 'mutation($r: String!) { grantLeave(participantId: "%(mentor)s", startsAt: "2026-02-01T00:00:00Z", endsAt: "2026-02-08T00:00:00Z", reason: $r) { __typename ...E } }'
LEAVE_AT = 'mutation($s: DateTime!, $e: DateTime!) { grantLeave(participantId: "%(mentor)s", startsAt: $s, endsAt: $e, reason: "Exams") { __typename ...E } }'
WEBHOOK = "mutation($u: String!) { registerWebhook(url: $u) { __typename ...E } }"
REGISTER = "mutation($n: String!, $e: String!, $t: String!) { registerParticipant(input: {role: MENTOR, displayName: $n, email: $e, timezone: $t}) { __typename ...E } }"
UPDATE = 'mutation($t: String!) { updateParticipant(input: {id: "%(mentor)s", timezone: $t}) { __typename ...E } }'
NOTICE = 'mutation($r: String!, $e: JSON) { issueNotice(input: {participantId: "%(mentor)s", reason: $r, evidence: $e}) { __typename ...E } }'
SUSPEND = 'mutation($u: DateTime!) { suspend(input: {participantId: "%(mentor)s", reason: "Missed sessions", until: $u}) { __typename ...E } }'
AVAILABILITY = 'mutation($s: DateTime!, $e: DateTime!) { addAvailability(mentorId: "%(mentor)s", startsAt: $s, endsAt: $e) { __typename ...E } }'
BOOK = 'mutation($at: DateTime!) { bookSession(input: {mentorId: "%(mentor)s", protegeId: "%(protege)s", goalId: "%(goal)s", scheduledAt: $at}) { __typename ...E } }'
GOAL = 'mutation($s: String!, $due: Date!) { createGoal(input: {protegeId: "%(protege)s", specific: $s, measurable: "3 case studies", achievable: "10 h a week", relevant: "Job search", dueOn: $due}) { __typename ...E } }'
PROGRESS = 'mutation($n: String!) { logGoalProgress(goalId: "%(goal)s", note: $n) { __typename ...E } }'
COMMUNITY = 'mutation($t: String!) { recordCommunityEvent(participantId: "%(mentor)s", kind: WEBINAR, title: $t) { __typename ...E } }'
LOCK = 'mutation($u: DateTime!) { lockStanding(input: {participantId: "%(mentor)s", until: $u, reason: "Under review"}) { __typename ...E } }'
OFFERING_FOR = (
    'mutation($id: ID!) { createServiceOffering(mentorId: $id, title: "Portfolio review") { __typename ...E } }'
)
GOAL_STATUS = "mutation($id: ID!) { setGoalStatus(goalId: $id, status: ACHIEVED) { __typename ...E } }"
ENABLE = "mutation($id: ID!) { enableWebhook(id: $id) { __typename ...E } }"
NOTICE_FOR = (
    'mutation($id: ID!) { issueNotice(input: {participantId: $id, reason: "Missed sessions"}) { __typename ...E } }'
)

NAIVE, YEAR_1, YEAR_9999 = "2026-03-01T09:00:00", "0001-01-01T09:00:00Z", "9999-12-31T23:00:00Z"
IDS = {"Unicode digits": "١٢", "a superscript digit": "²", "2^31": str(2**31), "2^63": str(2**63)}


def nested(levels: int) -> dict:
    value: dict = {}
    for _ in range(levels - 1):
        value = {"a": value}
    return value


GRAPHQL: dict[str, tuple[str, dict[str, Any], Typed | Refused]] = {
    "NUL in an offering description": (OFFERING, {"d": "Reviews\x00"}, Typed("InvalidInputError", "description")),
    "a 60 KB offering description": (OFFERING, {"d": "a" * BIG}, Typed("InvalidInputError", "description")),
    "NUL in a leave reason": (LEAVE, {"r": "Exams\x00"}, Typed("InvalidInputError", "reason")),
    "a 60 KB leave reason": (LEAVE, {"r": "a" * BIG}, Typed("InvalidInputError", "reason")),
    "NUL in a webhook URL": (WEBHOOK, {"u": "https://example.org/\x00"}, Typed("InvalidInputError", "url")),
    "a 60 KB webhook URL": (WEBHOOK, {"u": "https://example.org/" + "a" * BIG}, Typed("InvalidInputError", "url")),
    "a 1 MB webhook URL": (WEBHOOK, {"u": "https://example.org/" + "a" * MEGABYTE}, Refused("larger", 413)),
    "a webhook URL whose host label is too long": (
        WEBHOOK,
        {"u": f"https://{'a' * 100}.example.org/"},
        Typed("InvalidInputError", "url"),
    ),
    "a 60 KB time zone": (
        REGISTER,
        {"n": "Ada", "e": "ada@example.org", "t": "a" * BIG},
        Typed("InvalidInputError", "timezone"),
    ),
    "a 1 MB time zone": (REGISTER, {"n": "Ada", "e": "ada@example.org", "t": "a" * MEGABYTE}, Refused("larger", 413)),
    "a time zone that is a path": (UPDATE, {"t": "../../../../etc/passwd"}, Typed("InvalidInputError", "timezone")),
    "a 60 KB email": (REGISTER, {"n": "Ada", "e": "ada@" + "a" * BIG, "t": "UTC"}, Typed("InvalidInputError", "email")),
    "a 60 KB display name": (
        REGISTER,
        {"n": "a" * BIG, "e": "ada@example.org", "t": "UTC"},
        Typed("InvalidInputError", "displayName"),
    ),
    "a 60 KB reason": (NOTICE, {"r": "a" * BIG, "e": None}, Typed("InvalidInputError", "reason")),
    "400-deep evidence": (NOTICE, {"r": "Missed sessions", "e": nested(400)}, Refused("nested", 400)),
    "400-deep evidence written in the document": (
        NOTICE.replace("evidence: $e", "evidence: " + "{a: " * 400 + "1" + "}" * 400).replace(", $e: JSON", ""),
        {"r": "Missed sessions"},
        Refused("nested too deeply"),
    ),
    "20-deep evidence": (NOTICE, {"r": "Missed sessions", "e": nested(20)}, Typed("InvalidInputError", "evidence")),
    "60 KB of evidence": (
        NOTICE,
        {"r": "Missed sessions", "e": {"note": "a" * BIG}},
        Typed("InvalidInputError", "evidence"),
    ),
    "NUL in evidence": (NOTICE, {"r": "Missed sessions", "e": {"note\x00": 1}}, Typed("InvalidInputError", "evidence")),
    "a 60 KB goal": (GOAL, {"s": "a" * BIG, "due": "2026-06-01"}, Typed("InvalidInputError", "specific")),
    "a goal due in year 9999": (GOAL, {"s": "Ship a site", "due": "9999-12-31"}, Refused("between the years")),
    "a 60 KB progress note": (PROGRESS, {"n": "a" * BIG}, Typed("InvalidInputError", "note")),
    "a 60 KB community event title": (COMMUNITY, {"t": "a" * BIG}, Typed("InvalidInputError", "title")),
    "a naive suspension end": (SUSPEND, {"u": NAIVE}, Refused("UTC offset")),
    "a naive availability window": (AVAILABILITY, {"s": NAIVE, "e": "2026-03-01T10:00:00"}, Refused("UTC offset")),
    "a naive leave": (LEAVE_AT, {"s": NAIVE, "e": "2026-03-08T09:00:00"}, Refused("UTC offset")),
    "a naive session time": (BOOK, {"at": NAIVE}, Refused("UTC offset")),
    "a naive lock end": (LOCK, {"u": NAIVE}, Refused("UTC offset")),
    "a session in year 1": (BOOK, {"at": YEAR_1}, Refused("between the years")),
    "a session in year 9999": (BOOK, {"at": YEAR_9999}, Refused("between the years")),
    "a session two years ahead": (BOOK, {"at": "2028-01-01T09:00:00Z"}, Typed("InvalidInputError", "scheduledAt")),
    "an availability window in year 9999": (
        AVAILABILITY,
        {"s": YEAR_9999, "e": YEAR_9999},
        Refused("between the years"),
    ),
    "a leave in year 1": (LEAVE_AT, {"s": YEAR_1, "e": "0001-01-08T09:00:00Z"}, Refused("between the years")),
    "a date time of 100 KB": (SUSPEND, {"u": "2" * 40_000}, Refused("ISO 8601")),
    "a date time that is a number": (SUSPEND, {"u": 20260301}, Refused("ISO 8601")),
}
for name, value in IDS.items():
    GRAPHQL[f"a mentor id of {name}"] = (OFFERING_FOR, {"id": value}, Typed("NotFoundError"))
    GRAPHQL[f"a goal id of {name}"] = (GOAL_STATUS, {"id": value}, Typed("NotFoundError"))
    GRAPHQL[f"a webhook id of {name}"] = (ENABLE, {"id": value}, Typed("NotFoundError"))
    GRAPHQL[f"a participant id of {name}"] = (NOTICE_FOR, {"id": value}, Typed("NotFoundError"))

ERRORS = " fragment E on UserError { message ... on InvalidInputError { field } }"


@pytest.fixture
async def ids(world: World) -> dict[str, str]:
    """The world's ids, and a goal of the protégé's tracked by the mentor, to refer to."""
    goal = await goal_for(Acting(world.org_id), world.protege, world.mentor, world.clock)
    return {"mentor": str(world.mentor.id), "protege": str(world.protege.id), "goal": str(goal.id)}


@pytest.mark.parametrize("query, variables, expected", GRAPHQL.values(), ids=GRAPHQL.keys())
async def test_bad_input_gets_a_typed_error_and_writes_nothing(
    query: str, variables: dict, expected: Typed | Refused, http, world: World, ids, server_errors
):
    before = await row_counts()
    body = json.dumps({"query": query % ids + ERRORS, "variables": variables}).encode()
    response = await http.post("/graphql", content=body, headers={"authorization": f"Bearer {world.admin}", **JSON})
    if isinstance(expected, Typed):
        assert response.status_code == 200, response.text
        (result,) = response.json()["data"].values()
        assert result["__typename"] == expected.typename, result
        if expected.field:
            assert result["field"] == expected.field, result
        assert len(result["message"]) < 300 and sys.prefix not in result["message"], result  # no paths shown
    else:
        assert response.status_code == expected.status, response.text
        assert expected.says in response.text, response.text
        assert len(response.text) < 2000, response.text[:300]  # the refusal does not echo the input back
        assert "Unexpected" not in response.text
    assert await row_counts() == before
    assert server_errors() == []
