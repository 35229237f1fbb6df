"""`standing replay`: rebuild standing from the append-only log through the machines.

`--check --org SLUG` replays a whole organization, with a progress bar on stderr, and prints every participant
whose stored standing or badge differs from its replay, or whose log does not replay: exit 1 when any does.
`--participant ID --at TIME` prints one participant's standing at that instant.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from cli.progress import ProgressBar
from domain.models import Organization, Participant
from domain.standing.replay import LogDoesNotReplay, check_organization, standing_at


def add_parser(commands) -> None:  # the subparsers of `standing`
    replay = commands.add_parser(
        "replay",
        help="rebuild standing from the transition log; --check compares a whole organization with its rows",
        description="Replays the append-only log through the standing and badge machines. With --check --org, "
        "reports every participant whose stored state differs from the replayed one (exit 1 when any does).",
    )
    replay.add_argument("--check", action="store_true", help="compare every participant of --org with its replay")
    replay.add_argument("--org", help="organization slug (with --check)")
    replay.add_argument("--participant", type=int, help="one participant's database id (with --at)")
    replay.add_argument("--at", help="ISO 8601 time (default: now)")
    replay.set_defaults(run=cmd_replay)


async def check(slug: str) -> int:
    organization = await Organization.filter(slug=slug).first()
    if organization is None:
        print(f"error: no organization '{slug}'", file=sys.stderr)
        return 2
    report = await check_organization(organization.id, progress=ProgressBar(f"replaying {slug}"))
    for difference in report.differences:
        kind = "does not replay" if difference.broken is not None else "differs"
        print(f"{kind}\t{difference.message}")
    print(f"replayed {report.participants} participant(s) of '{slug}': {len(report.differences)} differ from their log")
    return 1 if report.differences else 0


async def one(participant_id: int, at: datetime) -> int:
    participant = await Participant.filter(id=participant_id).first()
    if participant is None:
        print(f"error: no participant #{participant_id}", file=sys.stderr)
        return 2
    found = await standing_at(participant, at)
    if found is None:
        print(f"participant #{participant_id} was not registered yet at {at.isoformat()}")
        return 0
    if isinstance(found, LogDoesNotReplay):
        print(f"does not replay\t{found.message}")
        return 1
    by = f"{found.decided_by.actor_kind}:{found.decided_by.actor_id}" if found.decided_by else "registration"
    print(
        f"participant #{participant_id} at {at.isoformat()}: {found.state} since {found.since.isoformat()} "
        f"(decided by {by}); badge {found.badge.status}"
    )
    return 0


def cmd_replay(args: argparse.Namespace, settings) -> int:
    from cli.main import _with_database

    if args.check:
        if not args.org:
            print("error: --check needs --org SLUG", file=sys.stderr)
            return 2
        return _with_database(settings, lambda: check(args.org))
    if args.participant is None:
        print("error: pass --check --org SLUG, or --participant ID [--at TIME]", file=sys.stderr)
        return 2
    at = datetime.now(UTC)
    if args.at:
        try:
            at = datetime.fromisoformat(args.at.replace("Z", "+00:00"))
        except ValueError:
            print(f"error: --at {args.at!r} is not an ISO 8601 time", file=sys.stderr)
            return 2
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
    return _with_database(settings, lambda: one(args.participant, at))
