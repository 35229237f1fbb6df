"""The small organization most tests act on, and a GraphQL client over the real ASGI app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from domain.access.organizations import get_or_create_organization
from domain.access.principals import TokenRole
from domain.access.tokens import create_token
from domain.kernel.clock import FixedClock
from domain.kernel.roles import Role
from domain.models import Participant
from domain.participants.registration import ProfileInput, register_participant


@dataclass
class GraphQLClient:
    """Posts GraphQL to the real ASGI app over httpx, with or without a bearer token."""

    http: httpx.AsyncClient

    async def execute(self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None) -> dict:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def data(self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None) -> dict:
        body = await self.execute(query, variables, token=token)
        assert "errors" not in body, body["errors"]
        return body["data"]


@dataclass
class World:
    """A small organization to act on: tokens of each role and one participant of each role."""

    clock: FixedClock
    org_id: int
    admin: str
    partner: str
    mentor: Participant
    protege: Participant
    mentor_token: str
    protege_token: str
    other_admin: str  # an admin of another organization

    async def participant(self, role: Role, name: str = "Someone", org_id: int | None = None) -> Participant:
        result = await register_participant(
            organization_id=org_id or self.org_id,
            role=role,
            profile=ProfileInput(name, f"{name.lower().replace(' ', '.')}@example.org", "Europe/Oslo"),
            clock=self.clock,
        )
        assert isinstance(result, Participant), result
        return result


async def issue(org_slug: str, role: TokenRole, clock: FixedClock, participant_id: int | None = None) -> str:
    organization = await get_or_create_organization(org_slug, clock)
    issued = await create_token(organization=organization, role=role, clock=clock, participant_id=participant_id)
    return issued.secret  # type: ignore[union-attr]


async def build_world(clock: FixedClock) -> World:
    organization = await get_or_create_organization("demo", clock)
    w = World(clock, organization.id, "", "", None, None, "", "", "")  # type: ignore[arg-type]
    w.mentor = await w.participant(Role.MENTOR, "Maya Mentor")
    w.protege = await w.participant(Role.PROTEGE, "Pat Protege")
    w.admin = await issue("demo", TokenRole.ADMIN, clock)
    w.partner = await issue("demo", TokenRole.PARTNER, clock)
    w.mentor_token = await issue("demo", TokenRole.PARTICIPANT, clock, w.mentor.id)
    w.protege_token = await issue("demo", TokenRole.PARTICIPANT, clock, w.protege.id)
    w.other_admin = await issue("elsewhere", TokenRole.ADMIN, clock)
    return w
