"""Queries shared by the tests and the benchmarks, so the two can never measure different things.

SINGLE and PAGE are bench/api.py's (a) and (b); tests/access/test_read_path.py guards what they cost.
"""

from __future__ import annotations

from datetime import timedelta

from domain.kernel.roles import Role
from domain.models import BadgeRecord

SINGLE = "query($id: ID!) { participant(id: $id) { standing { state since } } }"
PAGE = """query($first: Int!) { participants(first: $first) { edges { node {
  id displayName profileVisible standing { state since } badge { status }
} } pageInfo { hasNextPage endCursor } } }"""
VIEWER = "{ viewer { role } }"
SEND_REMINDER = 'mutation($id: ID!) { sendReminder(input: {participantId: $id, reason: "r"}) { __typename } }'
# The request-cost attacks of the Security issue: a 1 KB document whose fragments double at every level,
# and a thousand aliases of a page of participants.
ALIASES = "{ " + " ".join(f"a{i}: participants(first: 100) {{ edges {{ cursor }} }}" for i in range(1000)) + " }"


def fragment_bomb(levels: int) -> str:
    fragments = ["fragment F0 on Query { viewer { role } }"]
    fragments += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)]
    return f"query {{ ...F{levels} }} " + " ".join(fragments)


ISSUE_NOTICE = 'mutation($id: ID!) { issueNotice(input: {participantId: $id, reason: "r"}) { __typename } }'


async def crowd(gql, world, size: int) -> None:
    """Participants of both roles, some moved along their machine, some holding or having lost a badge."""
    for i in range(size):
        participant = await world.participant(Role.MENTOR if i % 2 else Role.PROTEGE, f"P{i}")
        if i % 3 == 0:
            mutation = SEND_REMINDER if participant.role is Role.PROTEGE else ISSUE_NOTICE
            await gql.data(mutation, {"id": str(participant.id)}, token=world.admin)
        if i % 4 == 0:
            now = world.clock.now()
            criteria = [
                {
                    "key": "session_attendance",
                    "description": "Attend 3 sessions",
                    "met": i % 8 == 0,
                    "value": float(i % 5),
                    "threshold": 3.0,
                    "window_start": (now - timedelta(days=60)).isoformat(),
                    "window_end": now.isoformat(),
                    "note": None,
                }
            ]
            await BadgeRecord.create(
                participant_id=participant.id,
                state="awarded" if i % 8 == 0 else "revoked",
                since=now,
                policy_version="test",
                evaluated_at=now,
                criteria=criteria,
                certificate_code=f"code{i}" if i % 8 == 0 else None,
            )
