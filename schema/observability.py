"""Structured JSON logs with request ids, and the request middleware that counts and times requests."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if rid := request_id.get():
            entry["request_id"] = rid
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str = "INFO") -> None:
    """One JSON object per line on stderr, for the API and the worker alike."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "arq"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


class RequestContext:
    """Gives every HTTP request an id (from X-Request-ID, or new), returns it, and records metrics."""

    def __init__(self, app: ASGIApp, metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _request_id(dict(scope.get("headers") or []).get(b"x-request-id", b"")) or uuid.uuid4().hex
        token = request_id.set(rid)
        started, status = time.perf_counter(), 500
        route = _route(scope.get("path", ""))

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", rid.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self.metrics.requests.labels(scope.get("method", ""), route, str(status)).inc()
            self.metrics.latency.labels(route).observe(time.perf_counter() - started)
            request_id.reset(token)


REQUEST_ID = re.compile(rb"^[A-Za-z0-9._:-]{1,64}$")


def _request_id(raw: bytes) -> str | None:
    """A caller's request id, if it is a short token we can echo and log safely."""
    return raw.decode("ascii") if REQUEST_ID.match(raw) else None


def _route(path: str) -> str:
    # Bounded label values: certificate codes would otherwise make a series per badge.
    return (
        "/certificates/{code}.pdf"
        if path.startswith("/certificates/")
        else path
        if path in {"/graphql", "/healthz", "/readyz", "/metrics"}
        else "other"
    )
