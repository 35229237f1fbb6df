"""Bounds on what an HTTP or websocket request may carry before GraphQL sees it: its size, its encoding and
the nesting of its JSON. Each is refused with a clear 4xx, never an HTTP 500 from deep in a parser."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

MAX_BODY_BYTES = 64 * 1024  # a GraphQL document is at most 2,000 tokens; variables carry short texts
MAX_JSON_DEPTH = 32  # nesting of the request's JSON: evidence is a small object, not a tree


class RequestJSONError(json.JSONDecodeError):
    """JSON the API will not read: strawberry answers HTTP 400 (or closes a websocket with 4400)."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem, "", 0)
        self.problem = problem


def depth_of(value: Any, limit: int = MAX_JSON_DEPTH) -> int:
    """How deeply a decoded JSON value nests, counted up to `limit + 1` without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def decode_request_json(data: str | bytes) -> Any:
    """json.loads, refusing bodies that are too large, not UTF-8, or nested too deeply."""
    if len(data) > MAX_BODY_BYTES:
        raise RequestJSONError(f"the request is larger than {MAX_BODY_BYTES} bytes")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise RequestJSONError("the request body must be JSON encoded as UTF-8") from None
    try:
        value = json.loads(data)
    except RecursionError:
        raise RequestJSONError(f"JSON nested more than {MAX_JSON_DEPTH} levels deep") from None
    # Nesting needs an opening bracket per level, so a body with few of them cannot be too deep (counting in C
    # spares the walk below, which was 4 % of a persisted single read's CPU in bench/api.py's profile).
    if data.count("{") + data.count("[") > MAX_JSON_DEPTH and depth_of(value) > MAX_JSON_DEPTH:
        raise RequestJSONError(f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
    return value


class BodySizeLimit:
    """Refuse an HTTP request whose declared body is too large before reading any of it."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            declared = dict(scope.get("headers") or []).get(b"content-length")
            problem = None
            if declared is not None:
                if not declared.isdigit():
                    problem = (400, "Content-Length must be a number of bytes")
                elif int(declared) > self.limit:
                    problem = (413, f"the request is larger than {self.limit} bytes")
            if problem:
                status, message = problem
                await JSONResponse({"errors": [{"message": message}]}, status_code=status)(scope, receive, send)
                return
        await self.app(scope, receive, send)
