"""The two ceilings bench/api.py measures next to the real app, served by the same uvicorn settings.

- `starlette_app`: a bare Starlette JSON endpoint (what the HTTP stack costs).
- `hello_app`: a Strawberry hello-world with ParserCache and ValidationCache, as schema/build.py
  configures the real schema (what GraphQL execution costs before any database work).
"""

from __future__ import annotations

import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache


async def _json(request: Request) -> JSONResponse:
    return JSONResponse({"hello": "world"})


starlette_app = Starlette(routes=[Route("/json", _json, methods=["GET", "POST"])])


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"


_schema = strawberry.Schema(
    query=Query, extensions=[lambda: ParserCache(maxsize=256), lambda: ValidationCache(maxsize=256)]
)
hello_app = Starlette(routes=[Route("/graphql", GraphQL(_schema, graphql_ide=None), methods=["GET", "POST"])])
