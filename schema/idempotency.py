"""The `Idempotency-Key` header on GraphQL mutations over HTTP (docs/api.md, "Retries"): the request's answer
is produced and kept under the key by domain/access/idempotency.py, in the transaction of its effect.

Only a POST of a mutation by a valid token takes part. A query is safe to repeat, and a request with no valid
token has no effect to repeat: both are answered as if the header were absent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from domain.access.idempotency import Answer, KeyInvalid, KeyReused, answer_once, fingerprint, parse_key
from domain.access.tokens import authenticate
from domain.kernel.clock import Clock
from schema.media_types import response_media_type
from schema.request_limits import RequestJSONError, decode_request_json

HEADER = "idempotency-key"
REPLAYED = "Idempotent-Replayed"  # Stripe's name for the header that marks a kept answer


def mutation_fields(request: dict[str, object]) -> str | None:
    """'mutation: createParticipant, grantLeave' for a request whose operation is a mutation, else None."""
    query, name = request.get("query"), request.get("operationName")
    if not isinstance(query, str):
        return None
    try:
        document = parse(query)
    except GraphQLError:
        return None  # the request will be refused as it is, with or without a key
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if name is None or (o.name is not None and o.name.value == name)]
    if len(chosen) != 1 or chosen[0].operation != OperationType.MUTATION:
        return None
    fields = [s.name.value for s in chosen[0].selection_set.selections if hasattr(s, "name")]
    return "mutation: " + ", ".join(fields)


def _refusal(request: Request, status: int, code: str, message: str) -> Response:
    media_type = response_media_type(request.headers.get("accept"))
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]}, status_code=status, media_type=media_type
    )


async def respond_once(
    request: Request, clock: Clock, secret: str | None, respond: Callable[[], Awaitable[Response]]
) -> Response:
    header = request.headers.get(HEADER)
    if header is None or request.method != "POST":
        return await respond()
    key = parse_key(header)
    if isinstance(key, KeyInvalid):
        return _refusal(request, 400, "IDEMPOTENCY_KEY_INVALID", key.message)
    principal = await authenticate(secret) if secret else None
    try:
        body = decode_request_json(await request.body())
    except (RequestJSONError, ValueError):
        body = None
    operation = mutation_fields(body) if isinstance(body, dict) and principal is not None else None
    if principal is None or operation is None or not isinstance(body, dict):
        return await respond()

    async def produce() -> Answer:
        response = await respond()
        body = getattr(response, "body", None)  # a streamed answer cannot be kept: treated as not kept
        if not isinstance(body, bytes):
            return Answer(500, "application/json", b"")
        return Answer(response.status_code, response.headers.get("content-type", "application/json"), body)

    answer = await answer_once(
        token_id=principal.token_id,
        key=key,
        request_fingerprint=fingerprint(body),
        operation=operation,
        clock=clock,
        produce=produce,
    )
    if isinstance(answer, KeyReused):
        return _refusal(request, 422, "IDEMPOTENCY_KEY_REUSED", answer.message)
    headers = {REPLAYED: "true"} if answer.replayed else {}
    response = Response(answer.body, status_code=answer.status_code, headers=headers)
    response.headers["content-type"] = answer.media_type  # exactly as first sent, charset included
    return response
