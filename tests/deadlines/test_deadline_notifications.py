"""The queue hears of a deadline only once the transaction that made it has committed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.deadlines.schedule import deadline_key, on_scheduled, schedule
from domain.infra.db import transaction
from domain.models import Deadline, DeadlineKind

NOTICE = 'mutation($id: ID!) { issueNotice(input: {participantId: $id, reason: "r"}) { __typename } }'
SUSPEND = """mutation($id: ID!, $until: DateTime!) { suspend(input: {participantId: $id, reason: "r", until: $until}) {
  __typename ... on TransitionPayload { participant { standing { state } } } } }"""


@pytest.fixture
def heard():
    keys: list[str] = []

    async def listener(deadline: Deadline) -> None:
        keys.append(deadline.key)

    unregister = on_scheduled(listener)
    yield keys
    unregister()


async def test_a_deadline_is_announced_after_the_commit_and_never_after_a_rollback(world, heard):
    now = world.clock.now()
    async with transaction():
        await schedule(DeadlineKind.NOTICE_DECAY, world.mentor.id, now + timedelta(days=1), now)
        assert heard == []  # still inside the transaction: a job now could run before the row exists
    assert heard == [deadline_key(DeadlineKind.NOTICE_DECAY, world.mentor.id, None)]

    with pytest.raises(RuntimeError):
        async with transaction():
            await schedule(DeadlineKind.SUSPENSION_END, world.mentor.id, now + timedelta(days=2), now)
            raise RuntimeError("the use case failed after scheduling")
    assert len(heard) == 1  # rolled back: nothing to announce, and nothing in the table
    assert not await Deadline.filter(kind=DeadlineKind.SUSPENSION_END).exists()


async def test_nested_transactions_announce_once_when_the_outer_one_commits(world, heard):
    now = world.clock.now()
    async with transaction():
        async with transaction():
            await schedule(DeadlineKind.NOTICE_DECAY, world.mentor.id, now + timedelta(days=1), now)
        assert heard == []
    assert len(heard) == 1


async def test_a_queue_that_cannot_be_told_does_not_undo_the_transition(gql, world):
    async def unreachable(deadline: Deadline) -> None:
        raise ConnectionError("redis is down")

    unregister = on_scheduled(unreachable)
    try:
        await gql.data(NOTICE, {"id": str(world.mentor.id)}, token=world.admin)
        until = (world.clock.now() + timedelta(days=7)).isoformat()
        data = await gql.data(SUSPEND, {"id": str(world.mentor.id), "until": until}, token=world.admin)
    finally:
        unregister()
    assert data["suspend"]["participant"]["standing"]["state"] == "SUSPENDED"
    assert await Deadline.filter(kind=DeadlineKind.SUSPENSION_END, participant_id=world.mentor.id).exists()
