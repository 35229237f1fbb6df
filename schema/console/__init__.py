"""The admin console at /console: plain ES modules in `static/`, talking to the public GraphQL API only.

The server's part is small on purpose: one HTML shell and its assets, under a Content-Security-Policy that lets
the page run only its own scripts and reach only this server. Everything the console shows or does is a
GraphQL request sent with the admin's bearer token, which the page keeps in sessionStorage
(docs/decisions.md, "The admin console").
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

STATIC = Path(__file__).parent / "static"

SECURITY_HEADERS = {
    # Only the console's own scripts and styles run; requests go to this origin; no page may frame it.
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


async def shell(request: Request) -> HTMLResponse:
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    return HTMLResponse(html, headers={**SECURITY_HEADERS, "Cache-Control": "no-store"})


class Assets(StaticFiles):
    """The console's scripts and styles, with the same headers as the page."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    *[(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()],
                ]
            await send(message)

        await super().__call__(scope, receive, with_headers)


def console_routes() -> list[BaseRoute]:
    return [
        Route("/console", shell, methods=["GET"]),
        Route("/console/", shell, methods=["GET"]),
        Mount("/console/assets", app=Assets(directory=STATIC), name="console-assets"),
    ]
