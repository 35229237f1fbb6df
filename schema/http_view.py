"""strawberry's ASGI view, speaking GraphQL over HTTP as the spec's current draft asks: the response media
type the client accepts (schema/media_types.py), request errors as HTTP 400 without `data` under
`application/graphql-response+json`, and refusals before GraphQL (a body that is not JSON, a wrong method)
as a JSON `errors` list rather than plain text."""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, process_result

from schema.media_types import GRAPHQL_RESPONSE, is_request_error, response_media_type


class GraphQLOverHTTP(GraphQL):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        response = await self.respond(request)
        await response(scope, receive, send)

    async def respond(self, request: Request) -> Response:
        """One HTTP request's whole answer, refusals before GraphQL included."""
        try:
            response: Response = await self.run(request)
        except HTTPException as refused:
            media_type = response_media_type(request.headers.get("accept"))
            response = JSONResponse(
                {"errors": [{"message": refused.reason}]}, status_code=refused.status_code, media_type=media_type
            )
        return response

    async def get_sub_response(self, request: Any) -> Response:
        sub_response = await super().get_sub_response(request)
        if isinstance(request, Request):  # process_result, which sees only the request, sets its status
            sub_response.media_type = response_media_type(request.headers.get("accept"))
            request.state.sub_response = sub_response
        return sub_response

    async def process_result(self, request: Any, result: Any) -> GraphQLHTTPResponse:
        processed = process_result(result)
        sub_response = getattr(getattr(request, "state", None), "sub_response", None)
        if sub_response is not None and sub_response.media_type == GRAPHQL_RESPONSE:
            if is_request_error(result.data, result.errors):
                processed.pop("data", None)
                sub_response.status_code = 400
        return processed

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        response = super().create_response(response_data, sub_response)
        if sub_response.media_type == GRAPHQL_RESPONSE:
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
        return response
