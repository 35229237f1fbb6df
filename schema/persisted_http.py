"""Answering a persisted operation over HTTP from its plan (schema/persisted.py), before GraphQL sees it."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from domain.access.tokens import authenticate
from schema.media_types import GRAPHQL_RESPONSE, response_media_type
from schema.persisted import PersistedQueryError, may_name_one, resolve
from schema.request_limits import RequestJSONError, decode_request_json

# How often a plan answered and how often it stepped aside for GraphQL, by operation name (tests read it).
stats: Counter[str] = Counter()


async def _request_body(request: Request) -> dict[str, Any] | None:
    """The GraphQL request in the body (POST) or the query string (GET); None when it is not a plain one, so
    that GraphQL's own view refuses it with its own words."""
    try:
        if request.method == "GET":
            if not may_name_one(request.url.query.encode()):
                return None
            params = dict(request.query_params)
            body: Any = {
                key: decode_request_json(params[key]) if key in ("variables", "extensions") else params[key]
                for key in params
            }
        elif request.method == "POST" and "application/json" in request.headers.get("content-type", "").lower():
            raw = await request.body()
            if not may_name_one(raw):
                return None  # an ordinary request: its body is decoded once, by GraphQL
            body = decode_request_json(raw)
        else:
            return None
    except (RequestJSONError, json.JSONDecodeError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


async def answer_persisted(request: Request, secret: str | None) -> Response | None:
    """The plan's answer, a refusal of a persistedQuery extension, or None: GraphQL answers."""
    body = await _request_body(request)
    if body is None:
        return None
    media_type = response_media_type(request.headers.get("accept"))
    try:
        operation = resolve(body)
    except PersistedQueryError as refused:
        # A request error: 400 under the GraphQL media type; 200 under application/json, where Apollo's
        # clients look for PERSISTED_QUERY_NOT_FOUND to retry with the document.
        return JSONResponse(
            {"errors": [{"message": refused.message, "extensions": {"code": refused.code}}]},
            status_code=400 if media_type == GRAPHQL_RESPONSE else 200,
            media_type=media_type,
        )
    variables = body.get("variables") or {}
    name = body.get("operationName")
    if operation is None or not isinstance(variables, dict) or name not in (None, operation.name):
        return None
    principal = await authenticate(secret) if secret else None
    if principal is None:
        stats[f"{operation.name}:graphql"] += 1
        return None  # GraphQL's UNAUTHENTICATED error, word for word
    try:
        answer = await operation.plan(principal, variables)
    except Exception:  # noqa: BLE001 - GraphQL runs the same reads and reports the failure in its own shape
        answer = None
    if answer is None:
        stats[f"{operation.name}:graphql"] += 1
        return None
    stats[f"{operation.name}:planned"] += 1
    headers = {"content-type": f"{GRAPHQL_RESPONSE}; charset=utf-8"} if media_type == GRAPHQL_RESPONSE else None
    return Response(answer, media_type=media_type, headers=headers)
