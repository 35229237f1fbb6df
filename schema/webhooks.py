"""Webhook endpoints over GraphQL: admins register, inspect and re-enable them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.events import webhooks
from domain.kernel.rejections import InvalidInput, NotFound
from domain.models import WebhookAttempt as AttemptRow
from domain.models import WebhookDelivery as DeliveryRow
from domain.models import WebhookEndpoint as EndpointRow
from schema.context import admin_of
from schema.errors import InvalidInputError, NotFoundError, to_graphql
from schema.ids import parse_database_id


@strawberry.type
class WebhookEndpoint:
    id: strawberry.ID
    url: str
    event_types: list[str]
    active: bool
    consecutive_failures: int
    disabled_at: datetime | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: EndpointRow) -> WebhookEndpoint:
        return cls(
            id=strawberry.ID(str(row.id)),
            url=row.url,
            event_types=list(row.event_types),
            active=row.active,
            consecutive_failures=row.consecutive_failures,
            disabled_at=row.disabled_at,
            created_at=row.created_at,
        )


@strawberry.type
class WebhookAttempt:
    number: int
    status_code: int | None
    error: str | None
    attempted_at: datetime
    duration_ms: int


@strawberry.type
class WebhookDelivery:
    id: strawberry.ID
    event_cursor: strawberry.ID
    status: str
    attempts: int
    next_attempt_at: datetime
    delivered_at: datetime | None
    attempt_log: list[WebhookAttempt]


@strawberry.type(description="The signing secret is shown here once; store it to verify deliveries.")
class WebhookRegistration:
    endpoint: WebhookEndpoint
    secret: str


RegisterWebhookResult = Annotated[WebhookRegistration | InvalidInputError, strawberry.union("RegisterWebhookResult")]
EnableWebhookResult = Annotated[WebhookEndpoint | NotFoundError, strawberry.union("EnableWebhookResult")]


@strawberry.type
class WebhookMutations:
    @strawberry.mutation(description="Register an endpoint for event types (empty: all). Deliveries are signed JSON.")
    async def register_webhook(
        self, info: Info, url: str, event_types: list[str] | None = None
    ) -> RegisterWebhookResult:
        principal = admin_of(info)
        result = await webhooks.register_webhook(
            organization_id=principal.organization_id, url=url, event_types=event_types or [], clock=info.context.clock
        )
        if isinstance(result, InvalidInput):
            return to_graphql(result)  # type: ignore[return-value]
        return WebhookRegistration(endpoint=WebhookEndpoint.from_row(result.endpoint), secret=result.secret)

    @strawberry.mutation(description="Re-enable a disabled endpoint and redeliver what it missed.")
    async def enable_webhook(self, info: Info, id: strawberry.ID) -> EnableWebhookResult:
        principal = admin_of(info)
        endpoint_id = parse_database_id(id) or -1
        result = await webhooks.enable_webhook(
            organization_id=principal.organization_id, endpoint_id=endpoint_id, clock=info.context.clock
        )
        if isinstance(result, NotFound):
            return to_graphql(result)  # type: ignore[return-value]
        return WebhookEndpoint.from_row(result)


@strawberry.type
class WebhookQueries:
    @strawberry.field(description="The organization's webhook endpoints (admins).")
    async def webhooks(self, info: Info) -> list[WebhookEndpoint]:
        principal = admin_of(info)
        rows = await EndpointRow.filter(organization_id=principal.organization_id).order_by("id")
        return [WebhookEndpoint.from_row(r) for r in rows]

    @strawberry.field(description="Recent deliveries to one endpoint, with every attempt and its status.")
    async def webhook_deliveries(
        self, info: Info, endpoint_id: strawberry.ID, first: int = 50
    ) -> list[WebhookDelivery]:
        principal = admin_of(info)
        rows = (
            await DeliveryRow.filter(
                endpoint_id=parse_database_id(endpoint_id) or -1,
                endpoint__organization_id=principal.organization_id,
            )
            .order_by("-id")
            .limit(max(1, min(first, 100)))
        )
        attempts: dict[int, list[AttemptRow]] = {}
        for attempt in await AttemptRow.filter(delivery_id__in=[r.id for r in rows]).order_by("number"):
            attempts.setdefault(attempt.delivery_id, []).append(attempt)
        return [
            WebhookDelivery(
                id=strawberry.ID(str(r.id)),
                event_cursor=strawberry.ID(str(r.event_id)),
                status=r.status,
                attempts=r.attempts,
                next_attempt_at=r.next_attempt_at,
                delivered_at=r.delivered_at,
                attempt_log=[
                    WebhookAttempt(
                        number=a.number,
                        status_code=a.status_code,
                        error=a.error,
                        attempted_at=a.attempted_at,
                        duration_ms=a.duration_ms,
                    )
                    for a in attempts.get(r.id, [])
                ],
            )
            for r in rows
        ]
