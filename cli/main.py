"""The `standing` command: serve, worker, migrate, token, import, sweep, demo, export, export-key, export-schema,
persisted-operations, diagrams."""

from __future__ import annotations

import argparse
import asyncio
import difflib
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC
from pathlib import Path

from domain.access.organizations import get_or_create_organization
from domain.access.principals import TokenRole
from domain.access.tokens import create_token, revoke_token
from domain.infra import db
from domain.infra.config import Settings
from domain.kernel.clock import SystemClock
from domain.kernel.rejections import InvalidInput, NotFound
from domain.models import ApiToken, Organization


def _with_database(settings: Settings, work: Callable[[], Awaitable[int]]) -> int:
    async def run() -> int:
        await db.connect(settings.database_url)
        try:
            return await work()
        finally:
            await db.disconnect()

    return asyncio.run(run())


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from cli.gc_tuning import tune_for_serving
    from schema.app import create_app

    if args.migrate:
        asyncio.run(db.migrate(settings.database_url))
    from schema.observability import configure_logging

    configure_logging()
    app = create_app(settings)
    tune_for_serving()  # after the app is built: the schema is part of what is frozen
    uvicorn.run(
        app,
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=1,
        log_config=None,
        ws_per_message_deflate=settings.ws_compression,
    )
    return 0


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    import os

    from domain.infra.app_role import AppRoleRefused, grant_app_role

    asyncio.run(db.migrate(settings.database_url))
    print(f"migrated {settings.database_url}")
    if args.app_role:
        try:
            asyncio.run(
                grant_app_role(settings.database_url, args.app_role, os.environ.get("STANDING_APP_ROLE_PASSWORD"))
            )
        except AppRoleRefused as refused:
            print(f"error: {refused}", file=sys.stderr)
            return 2
        print(f"role {args.app_role}: read and write, append-only logs insert-only, owns no table")
    return 0


async def _organization_for_token(args: argparse.Namespace, clock: SystemClock) -> Organization | None:
    """The organization named by --org. A new one only with --create-org, or as a database's very first one
    (the quick start's): a typo never silently makes an empty organization."""
    organization = await Organization.filter(slug=args.org).first()
    if organization is not None:
        return organization
    known = [str(slug) for slug in await Organization.all().order_by("slug").values_list("slug", flat=True)]
    if known and not args.create_org:
        close = difflib.get_close_matches(args.org, known, n=3, cutoff=0.6)
        hint = (
            f"did you mean {' or '.join(repr(slug) for slug in close)}?" if close else f"known: {', '.join(known[:10])}"
        )
        print(
            f"error: no organization '{args.org}' ({hint}). Pass --create-org to create it.",
            file=sys.stderr,
        )
        return None
    organization = await get_or_create_organization(args.org, clock, name=args.org_name)
    print(f"created organization '{organization.slug}' ({organization.name})")
    return organization


def cmd_token_create(args: argparse.Namespace, settings: Settings) -> int:
    async def work() -> int:
        clock = SystemClock()
        organization = await _organization_for_token(args, clock)
        if organization is None:
            return 2
        issued = await create_token(
            organization=organization,
            role=TokenRole(args.role),
            clock=clock,
            participant_id=args.participant,
            label=args.label,
        )
        if isinstance(issued, (InvalidInput, NotFound)):
            print(f"error: {issued.message}", file=sys.stderr)
            return 2
        print(
            f"created {args.role} token #{issued.token.id} for organization '{organization.slug}' "
            f"(id {organization.id}). It is shown once; store it now:"
        )
        print(issued.secret)
        return 0

    return _with_database(settings, work)


def cmd_token_list(args: argparse.Namespace, settings: Settings) -> int:
    from cli.tables import print_table

    async def work() -> int:
        tokens = await ApiToken.all().prefetch_related("organization", "participant").order_by("id")
        rows = [
            (
                str(t.id),
                t.role,
                t.organization.slug,
                f"#{t.participant.id} {t.participant.display_name}" if t.participant else "-",
                f"{t.prefix}…",  # the stored prefix: tokens are kept only as a hash
                f"{t.created_at:%Y-%m-%d %H:%M}",
                f"{t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "-",
                t.label or "-",
            )
            for t in tokens
        ]
        header = ("ID", "ROLE", "ORGANIZATION", "PARTICIPANT", "PREFIX", "CREATED (UTC)", "REVOKED (UTC)", "LABEL")
        print_table(header, rows)
        if not rows:
            print("no tokens yet: `standing token create --role admin --org SLUG` makes one")
        return 0

    return _with_database(settings, work)


def cmd_token_revoke(args: argparse.Namespace, settings: Settings) -> int:
    async def work() -> int:
        if await revoke_token(args.id, SystemClock()):
            print(f"revoked token #{args.id}")
            return 0
        print(f"error: no active token #{args.id}", file=sys.stderr)
        return 2

    return _with_database(settings, work)


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from cli.importer import ImportFailed, apply, parse
    from cli.progress import ProgressBar
    from domain.badges.evaluation import evaluate_badges

    try:
        with open(args.file, encoding="utf-8") as lines:
            records = parse(lines)
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ImportFailed as failed:
        print(f"{args.file}: {len(failed.problems)} problem(s), nothing was imported:", file=sys.stderr)
        print(failed, file=sys.stderr)
        return 2

    async def work() -> int:
        clock = SystemClock()
        organization = await get_or_create_organization(args.org, clock)
        try:
            result = await apply(
                records, organization_id=organization.id, now=clock.now(), progress=ProgressBar("importing")
            )
        except ImportFailed as failed:
            print(f"\n{args.file}: nothing was imported:\n{failed}", file=sys.stderr)
            return 2
        changes = await evaluate_badges(clock=clock, organization_id=organization.id)
        summary = ", ".join(f"{n} {kind}" for kind, n in sorted(result.counts.items()))
        print(f"imported {len(records)} records into '{organization.slug}': {summary}")
        print(
            f"badges: {sum(c.event == 'award' for c in changes)} awarded, {sum(c.event == 'revoke' for c in changes)} revoked"
        )
        return 0

    return _with_database(settings, work)


def _print_policies(policies) -> None:
    for policy in policies.values():
        print(f"{policy.role.value}: {policy.version}")
        for c in policy.criteria:
            window = f" in {c.window.days} days" if c.window else ""
            print(f"  {c.key}\t{c.measure.value} >= {c.threshold:g}{window}")


async def _existing_organization(slug: str):
    from domain.models import Organization

    organization = await Organization.filter(slug=slug).first()
    if organization is None:
        print(f"error: no organization '{slug}'", file=sys.stderr)
    return organization


def cmd_policy_show(args: argparse.Namespace, settings: Settings) -> int:
    from domain.badges.overrides import policies_for

    async def work() -> int:
        if (organization := await _existing_organization(args.org)) is None:
            return 2
        _print_policies(await policies_for(organization.id))
        return 0

    return _with_database(settings, work)


def cmd_policy_set(args: argparse.Namespace, settings: Settings) -> int:
    import getpass
    import json

    from domain.badges.overrides import set_badge_overrides
    from domain.kernel.actors import Actor, ActorKind

    try:
        overrides = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"error: {args.file}: {exc}", file=sys.stderr)
        return 2

    async def work() -> int:
        clock = SystemClock()
        if (organization := await _existing_organization(args.org)) is None:
            return 2
        result = await set_badge_overrides(
            organization.id,
            overrides,
            reason=args.reason,
            actor=Actor(ActorKind.ADMIN, f"cli:{getpass.getuser()}"),
            clock=clock,
        )
        if isinstance(result, (InvalidInput, NotFound)):
            print(f"error: {result.message}", file=sys.stderr)
            return 2
        print(
            f"badge overrides of '{organization.slug}' set (change #{result.change.id}); they apply at the next "
            "evaluation:"
        )
        _print_policies(result.policies)
        return 0

    return _with_database(settings, work)


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    if args.check:
        return _worker_check(settings)
    from schema.observability import configure_logging
    from workers.settings import run

    configure_logging()
    run(settings, burst=args.burst)  # a worker that outlives Redis outages (workers/resilient.py)
    return 0


def _worker_check(settings: Settings) -> int:
    """`standing worker --check`: 0 when a worker on this host beats in Redis (the compose healthcheck)."""
    url = settings.redis_url
    if not url:
        print("error: the worker needs STANDING_REDIS_URL", file=sys.stderr)
        return 2
    from redis.asyncio import Redis

    from workers.heartbeat import local_check

    async def check() -> tuple[bool, str]:
        client = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        try:
            return await local_check(client)
        except Exception as exc:  # noqa: BLE001 - an unhealthy answer, not a traceback
            return False, f"Redis unreachable: {type(exc).__name__}"
        finally:
            await client.aclose()

    healthy, said = asyncio.run(check())
    print(f"worker {'healthy' if healthy else 'unhealthy'}: {said}", file=sys.stdout if healthy else sys.stderr)
    return 0 if healthy else 1


def cmd_sweep(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import datetime

    from domain.deadlines.sweep import sweep

    as_of = None
    if args.as_of:
        try:
            as_of = datetime.fromisoformat(args.as_of.replace("Z", "+00:00"))
        except ValueError:
            print(f"error: --as-of {args.as_of!r} is not an ISO 8601 time", file=sys.stderr)
            return 2
        as_of = as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)

    async def work() -> int:
        report = await sweep(SystemClock(), dry_run=args.dry_run, as_of=as_of)
        for fired in report.fired:
            print(
                f"{fired.due_at.isoformat()}\t{fired.kind}\tparticipant {fired.participant_id}\t{fired.firing.outcome}"
            )
        verb = "would fire" if args.dry_run else "fired"
        print(
            f"{verb} {len(report.fired)} deadline(s), {len(report.transitions)} transition(s); "
            f"{report.postponed} postponed by excused leave"
        )
        return 0

    return _with_database(settings, work)


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from cli.demo import DemoRefused, DemoSize, build_demo
    from cli.progress import ProgressBar

    asyncio.run(db.migrate(settings.database_url))  # idempotent: a fresh database works too

    async def work() -> int:
        started = SystemClock().now()
        try:
            result = await build_demo(
                slug=args.org,
                name=args.org_name,
                size=DemoSize(args.mentors, args.proteges),
                seed=args.seed,
                now=started,
                progress=ProgressBar("simulating six months"),
            )
        except DemoRefused as refused:
            print(f"error: {refused}", file=sys.stderr)
            return 2
        elapsed = (SystemClock().now() - started).total_seconds()
        print(f"simulated six months ending {started:%Y-%m-%d %H:%M} UTC (seed {args.seed}) in {elapsed:.1f}s")
        print("\n".join(result.summary()))
        print(
            "Open http://127.0.0.1:8000/graphql and send the header "
            '{"Authorization": "Bearer <token>"} with this admin token, shown once:'
        )
        print(result.admin_token)
        return 0

    return _with_database(settings, work)


def _write_private(path: str, text: str) -> None:
    """An export holds personal data: its file is readable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(path, 0o600)


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    import json

    if args.verify:
        return _verify_export(args, settings)
    from domain.exports.exporting import Subject, signed_export

    subject, subject_id = (
        (Subject.PARTICIPANT, args.participant) if args.participant is not None else (Subject.CASE, args.case)
    )

    async def work() -> int:
        signed = await signed_export(subject, subject_id, key_path=settings.export_key_path, clock=SystemClock())
        if isinstance(signed, NotFound):
            print(f"error: {signed.message}", file=sys.stderr)
            return 2
        text = json.dumps(signed, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        if args.output == "-":
            sys.stdout.write(text)
        else:
            _write_private(args.output, text)
            key = signed["signature"]["key_id"]
            print(f"wrote {args.output}: the {subject.value} export of #{subject_id}, signed with key {key}")
        return 0

    return _with_database(settings, work)


def _verify_export(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from domain.exports.keys import load_or_create_key, load_public_key
    from domain.exports.signing import verify

    try:
        if args.public_key:
            public = load_public_key(Path(args.public_key).read_bytes())
        elif Path(settings.export_key_path).exists():  # this installation's own key; verifying never makes one
            public = load_or_create_key(settings.export_key_path).public
        else:
            print("error: no --public-key, and no signing key here to check against", file=sys.stderr)
            return 2
        signed = json.loads(Path(args.verify).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if (problem := verify(signed, public)) is not None:
        print(f"NOT VERIFIED: {args.verify}: {problem}", file=sys.stderr)
        return 1
    print(f"verified: {args.verify} is signed by key {signed['signature']['key_id']} and unchanged")
    return 0


def cmd_export_key(args: argparse.Namespace, settings: Settings) -> int:
    from domain.exports.keys import load_or_create_key, public_raw_base64

    key = load_or_create_key(settings.export_key_path)
    sys.stdout.write(public_raw_base64(key.public) + "\n" if args.raw else key.public_pem())
    print(f"key id {key.key_id} ({settings.export_key_path})", file=sys.stderr)
    return 0


def cmd_export_schema(args: argparse.Namespace, settings: Settings) -> int:
    from schema.build import schema_sdl

    sdl = schema_sdl()
    if args.output == "-":
        sys.stdout.write(sdl)
    else:
        Path(args.output).write_text(sdl)
        print(f"wrote {args.output}")
    return 0


def cmd_persisted_operations(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from schema.persisted import catalog_manifest

    print(json.dumps(catalog_manifest(), indent=2))
    return 0


def cmd_docs(args: argparse.Namespace, settings: Settings) -> int:
    from cli.docs.sections import SECTIONS

    for section in SECTIONS:
        changed = section.write()
        print(f"{'rewrote' if changed else 'current'}: {section.file} ({section.marker})")
    return 0


def cmd_diagrams(args: argparse.Namespace, settings: Settings) -> int:
    from cli.docs.diagrams import machines_markdown

    sys.stdout.write(machines_markdown())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="standing", description="Run a mentorship platform's Code of Conduct.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the GraphQL API (GraphiQL at /graphql unless in production)")
    serve.add_argument("--host", help="bind address (default: STANDING_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: STANDING_PORT or 8000)")
    serve.add_argument("--migrate", action="store_true", help="apply migrations before serving")
    serve.set_defaults(run=cmd_serve)

    migrate = commands.add_parser("migrate", help="apply the committed database migrations")
    migrate.add_argument(
        "--app-role",
        metavar="NAME",
        help="PostgreSQL: create or update the role the API and worker "
        "connect as (owns no table; append-only logs insert-only); password from "
        "STANDING_APP_ROLE_PASSWORD",
    )
    migrate.set_defaults(run=cmd_migrate)

    token = commands.add_parser("token", help="create, list or revoke API tokens")
    token_commands = token.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    create = token_commands.add_parser("create", help="create a token; the secret is printed alone on the last line")
    create.add_argument("--role", required=True, choices=[r.value for r in TokenRole])
    create.add_argument(
        "--org", required=True, help="organization slug; an unknown one is refused (a typo), unless --create-org"
    )
    create.add_argument("--create-org", action="store_true", help="create the organization if it does not exist")
    create.add_argument("--org-name", help="a new organization's display name (default: its slug)")
    create.add_argument(
        "--participant",
        type=int,
        help="participant tokens: the participant it acts for; admin "
        "tokens: the participant the admin also is (never assigned to cases about themselves)",
    )
    create.add_argument("--label", default="", help="a note saying who or what holds the token")
    create.set_defaults(run=cmd_token_create)
    token_commands.add_parser("list", help="list tokens (never their secrets)").set_defaults(run=cmd_token_list)
    revoke = token_commands.add_parser("revoke", help="revoke a token by its number")
    revoke.add_argument("id", type=int)
    revoke.set_defaults(run=cmd_token_revoke)

    policy = commands.add_parser("policy", help="show or set an organization's badge thresholds and windows")
    policy_commands = policy.add_subparsers(dest="policy_command", required=True, metavar="ACTION")
    show = policy_commands.add_parser("show", help="the badge criteria each role is held to, overrides included")
    show.add_argument("--org", required=True, help="organization slug")
    show.set_defaults(run=cmd_policy_show)
    set_ = policy_commands.add_parser("set", help="replace the overrides with a JSON file ({} restores the Code)")
    set_.add_argument("file", help='JSON, e.g. {"protege": {"session_attendance": {"threshold": 4}}}')
    set_.add_argument("--org", required=True, help="organization slug")
    set_.add_argument("--reason", required=True, help="why (recorded with the change)")
    set_.set_defaults(run=cmd_policy_set)

    worker = commands.add_parser(
        "worker", help="run the arq worker: precise deadline jobs, the minute sweep, nightly badges"
    )
    worker.add_argument("--burst", action="store_true", help="run queued jobs, then exit")
    worker.add_argument(
        "--check",
        action="store_true",
        help="exit 0 if a worker on this host has a fresh heartbeat in Redis, else 1 (a container healthcheck)",
    )
    worker.set_defaults(run=cmd_worker)

    sweep = commands.add_parser("sweep", help="apply every consequence that is due, once")
    sweep.add_argument("--as-of", help="sweep as if it were this ISO 8601 time (default: now)")
    sweep.add_argument("--dry-run", action="store_true", help="print what would change, and change nothing")
    sweep.set_defaults(run=cmd_sweep)

    importer = commands.add_parser(
        "import",
        help="backfill activity from a JSON Lines file (all or nothing)",
        description='Each line is one record, e.g. {"type": "message", "sender": "p1", '
        '"recipient": "p2", "at": "2026-03-01T09:00:00Z"}. See docs/import.md.',
    )
    importer.add_argument("file", help="the .jsonl file")
    importer.add_argument("--org", required=True, help="organization slug; created if it does not exist yet")
    importer.set_defaults(run=cmd_import)

    from cli.demo import DEFAULT_SEED, DEMO_NAME, DEMO_SLUG, DemoSize

    demo = commands.add_parser(
        "demo",
        help="fill the database with a realistic organization: six months of a mentorship program",
        description="Simulates a program through the real use cases, ending now, with participants in every "
        "standing state and badge status. Prints an admin token on its last line. Refuses to run "
        "twice into the same organization.",
    )
    demo.add_argument(
        "--org", default=DEMO_SLUG, help="a new organization's slug (default: %(default)s); never one with participants"
    )
    demo.add_argument("--org-name", help=f"its display name (default: {DEMO_NAME!r} for {DEMO_SLUG}, else the slug)")
    demo.add_argument("--mentors", type=int, default=DemoSize.mentors, help="how many mentors (default: %(default)s)")
    demo.add_argument(
        "--proteges", type=int, default=DemoSize.proteges, help="how many protégés (default: %(default)s)"
    )
    demo.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed: the same seed tells the same story")
    demo.set_defaults(run=cmd_demo)

    exporting = commands.add_parser(
        "export",
        help="write a participant's or a case's signed JSON export (a subject-access request), or verify one",
        description="Writes one JSON document signed with Ed25519: a participant's standing history, notices, "
        "appeals and the cases about them, or one case; never reporters' identities or private notes. "
        "See docs/exports.md.",
    )
    which = exporting.add_mutually_exclusive_group(required=True)
    which.add_argument("--participant", type=int, metavar="ID", help="the participant's database id")
    which.add_argument("--case", type=int, metavar="ID", help="the case's database id")
    which.add_argument("--verify", metavar="FILE", help="check an export's signature instead")
    exporting.add_argument("--output", "-o", default="-", help="file to write (mode 0600), or - for stdout (default)")
    exporting.add_argument(
        "--public-key",
        metavar="FILE",
        help="with --verify: the public key, PEM or raw base64 (default: this installation's own key)",
    )
    exporting.set_defaults(run=cmd_export)

    export_key = commands.add_parser(
        "export-key", help="print the public key that verifies exports (PEM), making the signing key if there is none"
    )
    export_key.add_argument("--raw", action="store_true", help="the raw 32-byte key in base64 instead of PEM")
    export_key.set_defaults(run=cmd_export_key)

    export = commands.add_parser("export-schema", help="print or write the GraphQL SDL")
    export.add_argument("--output", "-o", default="-", help="file to write, or - for stdout (default)")
    export.set_defaults(run=cmd_export_schema)

    commands.add_parser(
        "persisted-operations", help="print the persisted operations' catalog as JSON: name, sha256Hash, document"
    ).set_defaults(run=cmd_persisted_operations)

    from cli.replay import add_parser as add_replay

    add_replay(commands)

    commands.add_parser("diagrams", help="print the state machines as mermaid diagrams").set_defaults(run=cmd_diagrams)
    commands.add_parser(
        "docs", help="regenerate the docs' generated sections (diagrams, settings, policy, module map)"
    ).set_defaults(run=cmd_docs)
    return parser


NEEDS_DATABASE = {"token", "import", "policy", "sweep", "worker", "replay"}  # and `serve` without --migrate


def _database_problem(args: argparse.Namespace, settings: Settings) -> str | None:
    from cli.database import database_problem

    exporting = args.command == "export" and not args.verify
    if args.command not in NEEDS_DATABASE and not (args.command == "serve" and not args.migrate) and not exporting:
        return None
    if args.command == "worker" and args.check:  # the healthcheck asks Redis only
        return None
    by_default = "STANDING_DATABASE_URL" not in os.environ
    return asyncio.run(database_problem(settings.database_url, by_default=by_default))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env()
    if (problem := _database_problem(args, settings)) is not None:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        code = args.run(args, settings)
        sys.stdout.flush()  # inside the try: a reader that went away is met here, not at exit
    except BrokenPipeError:
        # `standing sweep | head`: the reader has what it wanted. Stop quietly, and keep the flush at exit
        # from complaining about the same closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return code


if __name__ == "__main__":
    raise SystemExit(main())
