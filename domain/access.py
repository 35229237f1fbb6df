"""Bearer tokens and the role matrix: who may see and do what, inside which organization."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from tortoise.queryset import QuerySet

from domain.actors import Actor, ActorKind
from domain.clock import Clock
from domain.models import ApiToken, Organization, Participant
from domain.rejections import InvalidInput, NotFound
from domain.snapshots import ParticipantSnapshot, snapshot

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


# How long a process may go on trusting a token it has looked up. Revoking through `revoke_token`
# takes effect at once in the revoking process; another process (`standing token revoke`, another
# API worker) refuses the token at most this many seconds later.
TOKEN_CACHE_SECONDS = 5.0


class TokenCache:
    """Principals of recently seen tokens, by secret hash, each trusted for `ttl` seconds.

    Only valid tokens are kept (an unknown secret is looked up every time, so nobody can fill the
    cache with junk), and at most `maxsize` of them: the oldest go first.
    """

    def __init__(self, ttl: float = TOKEN_CACHE_SECONDS, *, maxsize: int = 10_000,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.maxsize, self.now = ttl, maxsize, now
        self._entries: dict[str, tuple[float, Principal]] = {}

    def get(self, secret_hash: str) -> Principal | None:
        entry = self._entries.get(secret_hash)
        if entry is None:
            return None
        if self.now() >= entry[0]:
            del self._entries[secret_hash]
            return None
        return entry[1]

    def put(self, secret_hash: str, principal: Principal) -> None:
        self._entries.pop(secret_hash, None)
        while len(self._entries) >= self.maxsize:
            del self._entries[next(iter(self._entries))]
        self._entries[secret_hash] = (self.now() + self.ttl, principal)

    def forget(self, token_id: int | None = None) -> None:
        """Drop one token (by id), or every token."""
        if token_id is None:
            self._entries.clear()
            return
        for key in [k for k, (_, p) in self._entries.items() if p.token_id == token_id]:
            del self._entries[key]


TOKENS = TokenCache()


def forget_tokens() -> None:
    """Empty this process's token cache (tests and benchmarks use it to start cold)."""
    TOKENS.forget()


async def authenticate(secret: str) -> Principal | None:
    """The principal behind a bearer secret, or None when it is unknown or revoked.

    Looked up in the database at most once per TOKEN_CACHE_SECONDS per process; see TokenCache.
    """
    if not secret.startswith(TOKEN_PREFIX):
        return None
    secret_hash = hash_secret(secret)
    if (principal := TOKENS.get(secret_hash)) is not None:
        return principal
    tokens = await ApiToken.filter(secret_hash=secret_hash, revoked_at=None).limit(1).values_list(
        "id", "role", "organization_id", "participant_id")
    if not tokens:
        return None
    token_id, role, organization_id, participant_id = tokens[0]
    principal = Principal(token_id, TokenRole(role), organization_id, participant_id)
    TOKENS.put(secret_hash, principal)
    return principal


async def revoke_token(token_id: int, clock: Clock) -> bool:
    revoked = await ApiToken.filter(id=token_id, revoked_at=None).update(revoked_at=clock.now()) == 1
    TOKENS.forget(token_id)
    return revoked


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


_PARTICIPANT_BY_ID: dict[str, str] = {}


def _participant_by_id_sql(dialect: str) -> str | None:
    """`visible_participants(p).filter(id=...)` for one row, written once per dialect."""
    if dialect not in {"postgres", "sqlite"}:
        return None
    if dialect not in _PARTICIPANT_BY_ID:
        columns = ", ".join(f'"{c}"' for c in Participant._meta.db_fields)
        first, second = ("$1", "$2") if dialect == "postgres" else ("?", "?")
        _PARTICIPANT_BY_ID[dialect] = (
            f'SELECT {columns} FROM "{Participant._meta.db_table}" '
            f'WHERE "id" = {first} AND "organization_id" = {second} LIMIT 1'
        )
    return _PARTICIPANT_BY_ID[dialect]


async def visible_participant(principal: Principal, participant_id: int) -> Participant | ParticipantSnapshot | None:
    """One participant this principal may read, or None: the same rule as `visible_participants`.

    The API's hottest read, so its SQL is written once rather than built by the query builder
    on every request (one statement either way), and it returns a read-only snapshot.
    """
    if principal.role is TokenRole.PARTICIPANT and participant_id != principal.participant_id:
        return None
    if not 0 < participant_id < 2**31:  # no row has such an id (the column is a 32-bit integer)
        return None
    client = Participant._meta.db
    sql = _participant_by_id_sql(client.capabilities.dialect)
    if sql is None:
        return await visible_participants(principal).filter(id=participant_id).first()
    _, rows = await client.execute_query(sql, [participant_id, principal.organization_id])
    return snapshot(rows[0]) if rows else None


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
