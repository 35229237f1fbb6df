"""The Starlette application: /graphql (HTTP and websockets) and /healthz."""

from __future__ import annotations

import gc
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types.unset import UNSET, UnsetType
from tortoise.contrib.starlette import RegisterTortoise

from domain.access.principals import Principal
from domain.access.read_model import READ_MODEL
from domain.access.tokens import authenticate
from domain.badges.certificate import certificate_pdf
from domain.infra.config import Settings
from domain.infra.db import direct_connection, ensure_sqlite_folder, tortoise_config
from domain.kernel.clock import Clock, SystemClock
from schema.build import StandingExecutionContext, build_schema
from schema.console import console_routes
from schema.context import Context
from schema.fastpath_check import check_fast_path
from schema.graphiql import graphiql_assets, graphiql_page
from schema.http_view import GraphQLOverHTTP
from schema.idempotency import HEADER, respond_once
from schema.metrics import Metrics
from schema.observability import RequestContext
from schema.persisted import with_document
from schema.persisted_http import answer_persisted
from schema.request_limits import BodySizeLimit, RequestJSONError, decode_request_json
from schema.shared_events import SharedEventsWebSocketAdapter
from schema.verification_page import verification_page
from workers.coalesce import Coalesced
from workers.realtime import Broadcaster
from workers.sockets import SocketRegistry, SocketWatch

CERTIFICATE_CODE = re.compile(r"^[0-9a-f]{16}$")  # what domain.badges issues: 8 random bytes in hex


def bearer_secret(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, secret = header.strip().partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


class StandingGraphQL(GraphQLOverHTTP):
    websocket_adapter_class = SharedEventsWebSocketAdapter  # type: ignore[assignment]

    def __init__(self, *args: Any, clock: Clock, sockets: SocketRegistry, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clock, self.sockets = clock, sockets

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        try:
            return await super().run(request, context, root_value)
        finally:
            if isinstance(request, WebSocket):
                self.sockets.closed(request)

    async def respond(self, request: Request) -> Response:
        """A mutation sent with an Idempotency-Key is answered once and that answer kept (schema/idempotency.py);
        a persisted operation is answered by its plan when it can be (schema/persisted.py)."""
        secret = bearer_secret(request.headers.get("authorization"))
        if HEADER not in request.headers and (planned := await answer_persisted(request, secret)) is not None:
            return planned
        return await respond_once(request, self.clock, secret, lambda: super(StandingGraphQL, self).respond(request))

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:  # type: ignore[override]
        """GraphiQL from the package's own copies (schema/graphiql/), so it opens without internet."""
        return HTMLResponse(graphiql_page())

    def decode_json(self, data: str | bytes) -> object:
        """HTTP bodies and websocket messages alike: bounded in size, UTF-8 and nesting (schema/request_limits.py)."""
        return decode_request_json(data)

    def parse_json(self, data: str | bytes) -> Any:
        try:
            value = decode_request_json(data)
        except RequestJSONError as refused:
            raise HTTPException(413 if "larger" in refused.problem else 400, refused.problem) from None
        except json.JSONDecodeError:
            raise HTTPException(400, "Unable to parse request body as JSON") from None
        if not isinstance(value, dict):
            raise HTTPException(400, "a GraphQL request is a JSON object with `query` and, optionally, `variables`")
        return with_document(value)

    def parse_query_params(self, params: Any) -> dict[str, Any]:
        return with_document(super().parse_query_params(params))

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:  # type: ignore[override]
        principal: Principal | None = None
        if isinstance(request, Request):
            secret = bearer_secret(request.headers.get("authorization"))
            principal = await authenticate(secret) if secret else None
        return Context(clock=self.clock, principal=principal, request=request, response=response)

    async def on_ws_connect(self, context: Context) -> UnsetType:  # type: ignore[override]
        """Websockets authenticate once, in connection_init: {"authorization": "Bearer <token>"}."""
        params = context.connection_params or {}
        secret = bearer_secret(params.get("authorization") or params.get("Authorization"))
        principal = await authenticate(secret) if secret else None
        if principal is None:
            raise ConnectionRejectionError({"message": "missing or invalid token in connection_init"})
        context.principal = principal
        self.sockets.opened(principal.token_id, context.request)  # revoking the token closes this socket
        return UNSET  # a plain connection_ack, without a payload


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    """Ready when the database answers and, if configured, Redis does too. With Redis, a worker that sends
    no `ok` heartbeat (workers/heartbeat.py) makes the API `degraded`: it still serves (200), while deadlines
    and webhooks wait for the worker."""
    checks: dict[str, str] = {}
    worker_ok = True
    try:
        from tortoise import connections

        await connections.get("default").execute_query("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        checks["database"] = f"unreachable: {type(exc).__name__}"
    redis_url = request.app.state.settings.redis_url
    if redis_url:
        from redis.asyncio import Redis

        from workers.heartbeat import worker_check

        client = Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2)
        try:
            await client.ping()
            checks["redis"] = "ok"
            worker_ok, checks["worker"] = await worker_check(client)
        except Exception as exc:  # noqa: BLE001
            checks.setdefault("redis", f"unreachable: {type(exc).__name__}")
            worker_ok, checks["worker"] = False, "degraded: unknown while Redis is unreachable"
        finally:
            await client.aclose()
    else:
        checks["redis"] = "not configured (embedded mode)"
    checks["readModel"] = read_model_check(request.app)
    ready = checks["database"] == "ok" and (checks["redis"] == "ok" or checks["redis"].startswith("not configured"))
    status = "not ready" if not ready else "ready" if worker_ok else "degraded"
    return JSONResponse({"status": status, "checks": checks}, status_code=200 if ready else 503)


async def certificate(request: Request) -> Response:
    """GET /certificates/<code>.pdf with a bearer token: the protégé, or an admin or partner of their organization."""
    secret = bearer_secret(request.headers.get("authorization"))
    principal = await authenticate(secret) if secret else None
    if principal is None:
        return JSONResponse(
            {"error": "missing or invalid token"}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
        )
    code = request.path_params["code"]
    if not CERTIFICATE_CODE.match(code):
        return JSONResponse({"error": "no such certificate"}, status_code=404)
    verify = str(request.url_for("certificate-verify", code=code))  # the public page its link and QR code open
    pdf = await certificate_pdf(code, principal, verification_url=verify)
    if pdf is None:
        return JSONResponse({"error": "no such certificate"}, status_code=404)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="accountability-{request.path_params["code"]}.pdf"'},
    )


@asynccontextmanager
async def timers(settings: Settings, clock: Clock) -> AsyncIterator[None]:
    """With Redis, deadlines scheduled here become precise arq jobs; without, this process fires them."""
    if settings.redis_url:
        from arq.connections import RedisSettings, create_pool

        from domain.deadlines.schedule import on_scheduled
        from workers.scheduling import arq_listener

        redis = await create_pool(RedisSettings.from_dsn(settings.redis_url))
        unregister = on_scheduled(arq_listener(redis))
        try:
            yield
        finally:
            unregister()
            await redis.aclose()
        return
    from workers.embedded import EmbeddedScheduler

    scheduler = EmbeddedScheduler(clock, interval=settings.sweep_interval)
    await scheduler.start()
    try:
        yield
    finally:
        await scheduler.stop()


async def webhook_dispatcher(settings: Settings, app: Starlette) -> Coalesced:
    """After a commit with events: with Redis, the worker delivers webhooks; without, this process does.
    Either way, commits that arrive while a dispatch runs share the next one."""
    from domain.events.webhooks import deliver_due

    if settings.redis_url:
        from arq.connections import RedisSettings, create_pool

        redis = await create_pool(RedisSettings.from_dsn(settings.redis_url))
        app.state.webhook_queue = redis

        async def enqueue() -> None:
            await redis.enqueue_job("deliver_webhooks_job")

        return Coalesced(enqueue, "enqueue webhook delivery")
    return Coalesced(lambda: deliver_due(SystemClock()), "deliver webhooks")


@asynccontextmanager
async def realtime(app: Starlette, settings: Settings) -> AsyncIterator[None]:
    """One feed per process for the subscribers here; with Redis, a relay (one leads) and a listener."""
    from domain.events.outbox import on_announce
    from workers.realtime import Feed, Relay

    feed = Feed(app.state.broadcaster, redis_url=settings.redis_url)
    dispatch_webhooks = await webhook_dispatcher(settings, app)
    relay = Relay(settings.redis_url) if settings.redis_url else None
    socket_watch = SocketWatch(app.state.sockets)
    await feed.start()
    await socket_watch.start()
    if relay:
        await relay.start()

    async def wake() -> None:
        feed.wake()
        if relay:
            relay.wake()
        dispatch_webhooks.request()

    unregister = on_announce(wake)
    try:
        yield
    finally:
        unregister()
        await dispatch_webhooks.drain()
        if relay:
            await relay.stop()
        await socket_watch.stop()
        await feed.stop()
        if queue := getattr(app.state, "webhook_queue", None):
            await queue.aclose()


@asynccontextmanager
async def read_model(settings: Settings, app: Starlette | None = None) -> AsyncIterator[None]:
    """On PostgreSQL, this process's read model listens for changes (domain/access/read_model.py)."""
    from workers.read_model_listener import ReadModelListener

    connection = direct_connection(settings.database_url)
    if connection is None or not settings.read_model:
        yield
        return
    listener = ReadModelListener(READ_MODEL, connection)
    await listener.start()
    if app is not None:
        app.state.read_model_listening = True
    try:
        yield
    finally:
        await listener.stop()
        if app is not None:
            app.state.read_model_listening = False


def read_model_check(app: Starlette) -> str:
    """What /readyz says of the read model; informational: without it the API reads the database."""
    if not getattr(app.state, "read_model_listening", False):
        return "off: reads go to the database (SQLite, or STANDING_READ_MODEL=false)"
    if not READ_MODEL.trusted():
        return "not current: reads go to the database until the listener hears a heartbeat"
    return f"current: as of {READ_MODEL.now() - (READ_MODEL.fresh_as_of or 0):.3f} s ago"


def settle_heap() -> None:
    """Move everything built at start-up (the schema, the ORM, the machines) out of the garbage collector's
    sight. Python's cyclic collector otherwise re-traverses that whole heap in every full collection, which
    bench/api.py's profiles showed as several percent of every request (samples landing on whichever line
    allocated when a collection began). Objects made later are collected as usual."""
    gc.collect()
    gc.freeze()


def create_app(
    settings: Settings | None = None, *, clock: Clock | None = None, manage_database: bool = True
) -> Starlette:
    """The ASGI app. Tests that own the ORM connection pass manage_database=False."""
    settings = settings or Settings.from_env()
    sockets = SocketRegistry()
    graphql = StandingGraphQL(
        build_schema(production=settings.production),
        clock=clock or SystemClock(),
        sockets=sockets,
        graphql_ide=None if settings.production else "graphiql",
        allowed_origins=settings.allowed_origins,
        max_subscriptions_per_connection=20,
    )
    routes = [
        # First: Starlette tries routes in order, and nearly every request is for /graphql.
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/certificates/{code:str}.pdf", certificate, methods=["GET"]),
        Route("/certificates/verify/{code:str}", verification_page(graphql.clock), name="certificate-verify"),
        *console_routes(),
        graphiql_assets(),
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        metrics.start()
        # Metrics never share the API's public port: a port of their own, if asked for (docs/deployment.md).
        stop_serving = metrics.serve(settings.metrics_port, settings.metrics_host) if settings.metrics_port else None
        check_fast_path(StandingExecutionContext)
        try:
            async with _managed(app):
                settle_heap()
                yield
        finally:
            metrics.stop()
            if stop_serving:
                stop_serving()

    @asynccontextmanager
    async def _managed(app: Starlette) -> AsyncIterator[None]:
        if not manage_database:
            yield
            return
        ensure_sqlite_folder(settings.database_url)
        async with RegisterTortoise(app, config=tortoise_config(settings.database_url)):
            async with timers(settings, graphql.clock), realtime(app, settings), read_model(settings, app):
                yield

    broadcaster = Broadcaster()
    metrics = Metrics(subscribers=lambda: broadcaster.subscribers)
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[Middleware(RequestContext, metrics=metrics), Middleware(BodySizeLimit)],
    )
    app.state.settings = settings
    app.state.broadcaster = broadcaster
    app.state.sockets = sockets
    app.state.metrics = metrics
    return app
