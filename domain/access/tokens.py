"""Bearer tokens: issued once, stored as a hash, authenticated with a short per-process cache, revoked."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from domain.access.principals import Principal, TokenRole
from domain.kernel.clock import Clock
from domain.kernel.rejections import InvalidInput, NotFound
from domain.models import ApiToken, Organization, Participant

TOKEN_PREFIX = "stk_"


def hash_secret(secret: str) -> str:
    # Tokens carry 256 random bits, so a fast unsalted hash is enough to make a leaked table useless.
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


async def create_token(
    *,
    organization: Organization,
    role: TokenRole,
    clock: Clock,
    participant_id: int | None = None,
    label: str = "",
) -> IssuedToken | InvalidInput | NotFound:
    if role is TokenRole.PARTICIPANT and participant_id is None:
        return InvalidInput("participant", "a participant token needs the participant it acts for")
    if role is TokenRole.PARTNER and participant_id is not None:
        return InvalidInput("participant", "a partner token acts for the platform, never for a participant")
    if (
        participant_id is not None
        and not await Participant.filter(id=participant_id, organization_id=organization.id).exists()
    ):
        return NotFound("Participant", str(participant_id))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = await ApiToken.create(
        organization=organization,
        role=role.value,
        participant_id=participant_id,
        label=label,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        secret_hash=hash_secret(secret),
        created_at=clock.now(),
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

    def __init__(
        self, ttl: float = TOKEN_CACHE_SECONDS, *, maxsize: int = 10_000, now: Callable[[], float] = time.monotonic
    ) -> None:
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
# The token the running task acts for, once authenticated: commits made in the task are that client's
# (domain/access/read_model.py sends that client's next reads to the database until they are heard).
ACTING: ContextVar[int | None] = ContextVar("standing_acting_token", default=None)


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
        ACTING.set(principal.token_id)
        return principal
    tokens = (
        await ApiToken.filter(secret_hash=secret_hash, revoked_at=None)
        .limit(1)
        .values_list("id", "role", "organization_id", "participant_id")
    )
    if not tokens:
        return None
    token_id, role, organization_id, participant_id = tokens[0]
    kind = TokenRole(role)
    principal = (
        Principal(token_id, kind, organization_id, admin_person_id=participant_id)
        if kind is TokenRole.ADMIN
        else Principal(token_id, kind, organization_id, participant_id)
    )
    TOKENS.put(secret_hash, principal)
    ACTING.set(token_id)
    return principal


async def revoke_token(token_id: int, clock: Clock) -> bool:
    revoked = await ApiToken.filter(id=token_id, revoked_at=None).update(revoked_at=clock.now()) == 1
    TOKENS.forget(token_id)
    return revoked


async def revoked_among(token_ids: list[int]) -> list[int]:
    """Which of these tokens have been revoked (or deleted)."""
    active = set(await ApiToken.filter(id__in=token_ids, revoked_at=None).values_list("id", flat=True))
    return [token_id for token_id in token_ids if token_id not in active]
