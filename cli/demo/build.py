"""`build_demo`: one seeded simulated program in an organization of its own, all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time

from cli.demo.census import DemoResult, census
from cli.demo.options import (
    DAY,
    DAYS,
    DEFAULT_SEED,
    DEFAULT_SIZE,
    DEMO_NAME,
    DEMO_SLUG,
    EMAIL_DOMAIN,
    DemoRefused,
    DemoSize,
)
from cli.demo.simulation import Simulation
from domain.access.organizations import get_or_create_organization
from domain.access.principals import TokenRole
from domain.access.tokens import create_token
from domain.infra.db import transaction
from domain.kernel.actors import Actor
from domain.kernel.clock import FixedClock
from domain.kernel.rejections import InvalidInput, NotFound
from domain.models import Organization, Participant


async def build_demo(
    *,
    slug: str = DEMO_SLUG,
    name: str | None = None,
    size: DemoSize = DEFAULT_SIZE,
    seed: int = DEFAULT_SEED,
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> DemoResult:
    """Fill organization `slug` (display name `name`) with a simulated program that ends at `now`; all or nothing.

    The demo has an organization of its own: one that already has participants is refused, so the demo never
    mixes with someone's real data, such as the quick start's. The sweep knows no organizations: overdue
    deadlines elsewhere in the database would fire at simulated times, so run the demo on a fresh
    database or on one whose deadlines are current (a running server keeps them so).
    """
    if problem := size.problem():
        raise DemoRefused(problem)
    end = now.astimezone(UTC)
    start = datetime.combine((end - DAYS * DAY).date(), time(0), tzinfo=UTC)
    async with transaction():
        organization = await Organization.filter(slug=slug).first()
        if (
            organization
            and await Participant.filter(organization_id=organization.id, email__endswith=f"@{EMAIL_DOMAIN}").exists()
        ):
            raise DemoRefused(
                f"organization '{slug}' already has the demo's participants; "
                f"pass --org with another slug to build a second one"
            )
        if organization and await Participant.filter(organization_id=organization.id).exists():
            raise DemoRefused(
                f"organization '{slug}' already has participants of its own; the demo fills an organization "
                "of its own: pass --org with a new slug"
            )
        clock = FixedClock(start)
        display_name = name or (DEMO_NAME if slug == DEMO_SLUG else slug)
        organization = organization or await get_or_create_organization(slug, clock, name=display_name)
        issued = await create_token(
            organization=organization, role=TokenRole.ADMIN, clock=clock, label="standing demo: the program admin"
        )
        assert not isinstance(issued, (InvalidInput, NotFound)), issued
        simulation = Simulation(organization, Actor.admin(issued.token.id), size, seed, start, end, progress)
        await simulation.run()
        return DemoResult(
            organization=organization,
            admin_token=issued.secret,
            rejected=simulation.rejected,
            **await census(organization.id, end),
        )
