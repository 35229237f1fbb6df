"""Bearer tokens and the role matrix: who may see and do what, inside which organization."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import Enum

from tortoise.queryset import QuerySet

from domain.actors import Actor, ActorKind
from domain.clock import Clock
from domain.models import ApiToken, Organization, Participant
from domain.rejections import InvalidInput, NotFound

TOKEN_PREFIX = "stk_"


class TokenRole(str, Enum):
    ADMIN = "admin"          # runs mutations inside its organization
    PARTICIPANT = "participant"  # sees only its own participant
    PARTNER = "partner"      # reads standing in its organization, never contact details


@dataclass(frozen=True)
class Principal:
    token_id: int
    role: TokenRole
    organization_id: int
    participant_id: int | None = None

    @property
    def actor(self) -> Actor:
        if self.role is TokenRole.PARTICIPANT:
            return Actor(ActorKind.PARTICIPANT, f"participant:{self.participant_id}")
        return Actor(ActorKind.ADMIN if self.role is TokenRole.ADMIN else ActorKind.SYSTEM, f"token:{self.token_id}")

    @property
    def is_admin(self) -> bool:
        return self.role is TokenRole.ADMIN


def hash_secret(secret: str) -> str:
    # Tokens carry 256 random bits, so a fast unsalted hash is enough to make a leaked table useless.
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


async def create_token(
    *, organization: Organization, role: TokenRole, clock: Clock,
    participant_id: int | None = None, label: str = "",
) -> IssuedToken | InvalidInput | NotFound:
    if role is TokenRole.PARTICIPANT and participant_id is None:
        return InvalidInput("participant", "a participant token needs the participant it acts for")
    if role is not TokenRole.PARTICIPANT and participant_id is not None:
        return InvalidInput("participant", "only participant tokens name a participant")
    if participant_id is not None and not await Participant.filter(
        id=participant_id, organization_id=organization.id
    ).exists():
        return NotFound("Participant", str(participant_id))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = await ApiToken.create(
        organization=organization, role=role.value, participant_id=participant_id, label=label,
        prefix=secret[: len(TOKEN_PREFIX) + 6], secret_hash=hash_secret(secret), created_at=clock.now(),
    )
    return IssuedToken(token, secret)


async def authenticate(secret: str) -> Principal | None:
    """The principal behind a bearer secret, or None when it is unknown or revoked."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = await ApiToken.filter(secret_hash=hash_secret(secret), revoked_at=None).first()
    if token is None:
        return None
    return Principal(token.id, TokenRole(token.role), token.organization_id, token.participant_id)


async def revoke_token(token_id: int, clock: Clock) -> bool:
    return await ApiToken.filter(id=token_id, revoked_at=None).update(revoked_at=clock.now()) == 1


async def get_or_create_organization(slug: str, clock: Clock, name: str | None = None) -> Organization:
    organization = await Organization.filter(slug=slug).first()
    if organization is None:
        organization = await Organization.create(slug=slug, name=name or slug, created_at=clock.now())
    return organization


def visible_participants(principal: Principal) -> QuerySet[Participant]:
    """Every participant this principal may read: its organization, or only itself."""
    query = Participant.filter(organization_id=principal.organization_id)
    if principal.role is TokenRole.PARTICIPANT:
        query = query.filter(id=principal.participant_id)
    return query


def can_read(principal: Principal, participant: Participant) -> bool:
    if participant.organization_id != principal.organization_id:
        return False
    return principal.role is not TokenRole.PARTICIPANT or participant.id == principal.participant_id


def can_see_contact(principal: Principal, participant: Participant) -> bool:
    """Contact details are for admins and the participant themself; partners never see them."""
    if not can_read(principal, participant):
        return False
    return principal.role is TokenRole.ADMIN or participant.id == principal.participant_id


def can_update_profile(principal: Principal, participant_id: int) -> bool:
    return principal.is_admin or principal.participant_id == participant_id
