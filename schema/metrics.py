"""Prometheus metrics at /metrics: requests, transitions, sweeps, job lateness, subscribers, webhooks."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    start_http_server,
)
from starlette.requests import Request
from starlette.responses import Response

from domain.infra import observe

LATENESS_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60, 300, 3600, 86400)


class Metrics:
    """One process's metrics. The API passes its live-subscriber count; the worker has no subscribers."""

    def __init__(self, subscribers: Callable[[], int] | None = None) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "standing_http_requests_total", "HTTP requests", ["method", "route", "status"], registry=r
        )
        self.latency = Histogram("standing_http_request_seconds", "HTTP request duration", ["route"], registry=r)
        self.transitions = Counter(
            "standing_transitions_total",
            "Transitions applied by this process",
            ["machine", "from_state", "to_state"],
            registry=r,
        )
        self.sweep_seconds = Histogram("standing_sweep_seconds", "Duration of one sweep", registry=r)
        self.lateness = Histogram(
            "standing_deadline_lateness_seconds",
            "How late a deadline fired after its due time",
            ["kind"],
            buckets=LATENESS_BUCKETS,
            registry=r,
        )
        self.webhook_failures = Counter(
            "standing_webhook_failures_total", "Failed webhook delivery attempts", registry=r
        )
        self.webhook_deliveries = Counter(
            "standing_webhook_attempts_total", "Webhook delivery attempts", ["ok"], registry=r
        )
        if subscribers is not None:
            subscriber_gauge = Gauge(
                "standing_live_subscribers", "Live GraphQL subscriptions in this process", registry=r
            )
            subscriber_gauge.set_function(subscribers)
        self._unregister: list[Callable[[], None]] = []

    def start(self) -> None:
        self._unregister = [
            observe.listen(observe.TRANSITION, self._transition),
            observe.listen(observe.SWEEP, lambda seconds, fired: self.sweep_seconds.observe(seconds)),
            observe.listen(
                observe.DEADLINE_FIRED,
                lambda kind, lateness_seconds: self.lateness.labels(kind).observe(max(lateness_seconds, 0)),
            ),
            observe.listen(observe.WEBHOOK_ATTEMPT, self._webhook),
        ]

    def stop(self) -> None:
        for unregister in self._unregister:
            unregister()

    def _transition(self, machine: str, from_state: str, to_state: str, **_: object) -> None:
        self.transitions.labels(machine, from_state, to_state).inc()

    def _webhook(self, ok: bool, status_code: int | None) -> None:
        self.webhook_deliveries.labels("true" if ok else "false").inc()
        if not ok:
            self.webhook_failures.inc()

    def serve(self, port: int, host: str = "127.0.0.1") -> Callable[[], None]:
        """Serve /metrics on a port of its own, from a background thread; returns a stop function."""
        server, thread = start_http_server(port, addr=host, registry=self.registry)

        def stop() -> None:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)

        return stop

    async def endpoint(self, request: Request) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)
