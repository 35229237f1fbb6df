"""Organizations: the tenants tokens act inside."""

from __future__ import annotations

from domain.kernel.clock import Clock
from domain.models import Organization


async def get_or_create_organization(slug: str, clock: Clock, name: str | None = None) -> Organization:
    organization = await Organization.filter(slug=slug).first()
    if organization is None:
        organization = await Organization.create(slug=slug, name=name or slug, created_at=clock.now())
    return organization
