"""Idempotency keys: a retried request that carries the key of one already answered gets that answer again,
instead of a second effect (the IETF `Idempotency-Key` header draft, draft-ietf-httpapi-idempotency-key-header,
applied as Stripe applies it).

A key belongs to the token that sent it and lives for `KEY_LIFETIME`. The first request's effect and the key,
with the answer, commit in one transaction: a key is never stored without its effect, nor an effect without its
key. Two requests with one key at once produce one effect: the second waits on the key's unique index, finds
the first committed, and is answered as a retry. The same key with another request is refused: it is a client's
bug, and guessing which request it meant could double an effect or lose one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from tortoise.exceptions import IntegrityError

from domain.infra.db import transaction
from domain.kernel.clock import Clock
from domain.models import IdempotencyKey

KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class Answer:
    """What the HTTP layer sends: a status, a media type and the body's bytes."""

    status_code: int
    media_type: str
    body: bytes
    replayed: bool = False  # the stored answer to an earlier request with this key


@dataclass(frozen=True)
class KeyReused:
    """The key was first sent with another request (HTTP 422 in the draft)."""

    key: str
    first_operation: str

    @property
    def message(self) -> str:
        return (
            f"Idempotency-Key {self.key!r} was first used for another request ({self.first_operation}); "
            "use a new key for a new request"
        )


@dataclass(frozen=True)
class KeyInvalid:
    problem: str

    @property
    def message(self) -> str:
        return f"Idempotency-Key {self.problem}"


def parse_key(header: str) -> str | KeyInvalid:
    """The key from its header: a Structured Fields string as the draft writes it ("…"), or bare as Stripe's
    clients send it; 1 to 255 visible ASCII characters."""
    key = header.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not key:
        return KeyInvalid("is empty")
    if len(key) > MAX_KEY_LENGTH:
        return KeyInvalid(f"is longer than {MAX_KEY_LENGTH} characters")
    if not all(" " < c < "\x7f" for c in key):
        return KeyInvalid("may hold only visible ASCII characters")
    return key


def fingerprint(request: dict[str, object]) -> str:
    """SHA-256 of the request as its parsed JSON, so whitespace or key order in the body do not matter."""
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class _NotKept(Exception):
    """Rolls the request's transaction back: a server error is no answer to keep, and a retry may succeed."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer


async def answer_once(
    *,
    token_id: int,
    key: str,
    request_fingerprint: str,
    operation: str,
    clock: Clock,
    produce: Callable[[], Awaitable[Answer]],
) -> Answer | KeyReused:
    """`produce()` the answer and keep it under the key, in one transaction; or the answer kept already."""
    try:
        async with transaction():
            now = clock.now()
            kept = await IdempotencyKey.filter(token_id=token_id, key=key, expires_at__gt=now).first()
            if kept is not None:
                return _replay(kept, key, request_fingerprint)
            await IdempotencyKey.filter(token_id=token_id, expires_at__lte=now).delete()  # this token's lapsed keys
            answer = await produce()
            if answer.status_code >= 500:
                raise _NotKept(answer)
            await IdempotencyKey.create(
                token_id=token_id,
                key=key,
                fingerprint=request_fingerprint,
                operation=operation[:200],
                status_code=answer.status_code,
                media_type=answer.media_type[:100],
                body=answer.body.decode(),
                created_at=now,
                expires_at=now + KEY_LIFETIME,
            )
            return answer
    except _NotKept as not_kept:
        return not_kept.answer
    except IntegrityError:  # a request with this key committed while this one ran: this one was its retry
        kept = await IdempotencyKey.get(token_id=token_id, key=key)
        return _replay(kept, key, request_fingerprint)


def _replay(kept: IdempotencyKey, key: str, request_fingerprint: str) -> Answer | KeyReused:
    if kept.fingerprint != request_fingerprint:
        return KeyReused(key, kept.operation)
    return Answer(kept.status_code, kept.media_type, kept.body.encode(), replayed=True)


async def purge_expired_keys(clock: Clock) -> int:
    """Keys past their lifetime, with the answers they hold: the sweep removes them."""
    return await IdempotencyKey.filter(expires_at__lte=clock.now()).delete()
