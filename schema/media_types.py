"""GraphQL over HTTP's two response media types: `application/graphql-response+json`, where a request error
(a document that does not parse or validate, a variable that does not coerce) is HTTP 400 with no `data`
entry, and the legacy `application/json`, always 200. The client's Accept header chooses
(https://graphql.github.io/graphql-over-http/draft/#sec-Legacy-Watershed)."""

from __future__ import annotations

from graphql import GraphQLError

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


def _quality(accept: str, media_type: str) -> float:
    """The q-value the Accept header gives `media_type` (exactly, or through */* and application/*)."""
    best, specificity = 0.0, -1
    kind = media_type.split("/")[0]
    for part in accept.split(","):
        name, *params = (p.strip() for p in part.split(";"))
        rank = 2 if name.lower() == media_type else 1 if name == f"{kind}/*" else 0 if name == "*/*" else -1
        if rank < specificity or rank < 0:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        best, specificity = q, rank
    return best


def response_media_type(accept: str | None) -> str:
    """`application/graphql-response+json` when the client asks for it at least as much as for
    `application/json`; the legacy type otherwise, and when the header is missing or says only */*."""
    if not accept or GRAPHQL_RESPONSE not in accept.lower():
        return JSON
    wanted = _quality(accept, GRAPHQL_RESPONSE)
    return GRAPHQL_RESPONSE if wanted > 0 and wanted >= _quality(accept, JSON) else JSON


def is_request_error(data: object, errors: list[GraphQLError] | None) -> bool:
    """Execution never started: no data, and every error is about the request (none has a field path)."""
    return data is None and bool(errors) and all(error.path is None for error in errors or [])
