#!/usr/bin/env python
"""Benchmark of the API's read path and transition throughput, on PostgreSQL, over loopback.

One command, from the repository root (needs PostgreSQL on 127.0.0.1:5432 and `wrk`;
`apt-get install -y wrk` on Debian):

    .venv/bin/python bench/api.py

It (re)creates the database `bench_api` (and `bench_pgbench` for pgbench), seeds 10,000 participants with
their transition history (bench/seed.py), then for each scenario starts the real app in its own
process — uvicorn on `schema.app:create_app`, one worker — and loads it with `wrk` (one thread, a
bounded number of connections, a bounded time, after a warm-up). In the same run it measures two
ceilings served by the same uvicorn settings (bench/ceilings.py): a bare Starlette JSON endpoint and a
Strawberry hello-world with ParserCache and ValidationCache, and reports every figure as a ratio to
them. SQL statements per request are counted twice: in-process from Tortoise's `tortoise.db_client`
debug log (one request, token cache cold and warm), and from PostgreSQL itself
(pg_stat_database's committed transactions during the whole run, divided by the requests served:
outside a transaction every statement is its own transaction). Transitions are measured under 8
concurrent clients next to pgbench's single-row UPDATE rate at the same concurrency.

Options: --duration, --warmup, --connections, --only a,b,c, --reuse (skip re-seeding when the
database from a previous run is there), --production (STANDING_PRODUCTION=true), --pool N (asyncpg
pool size, default Tortoise's 5), --profile DIR (py-spy records the app during each scenario),
--json FILE. All load goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
import httpx  # noqa: E402

from bench._common import free_port, pg_value, recreate_database, stop_process  # noqa: E402
from bench._common import machine as machine_facts  # noqa: E402
from tests.support.queries import PAGE, SINGLE, VIEWER  # noqa: E402  (the queries the tests guard)

BIN = Path(sys.executable).parent
PG = "postgres://postgres@127.0.0.1:5432"
STATE_FILE = ROOT / "var" / "bench-seed.json"

HELLO = "{ hello }"
TRANSITION = """mutation($id: ID!) { %s(input: {participantId: $id, reason: "bench load"}) {
  __typename ... on TransitionPayload { participant { version standing { state } } }
} }"""
EVENTS = ("sendReminder", "approveReschedule")  # good -> reminder -> good, for ever
APP = "schema.app:create_app"


@dataclass
class Load:
    name: str
    requests: int = 0
    seconds: float = 0.0
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    non_2xx: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


# --- databases ---------------------------------------------------------------------------------------


async def committed(url: str, name: str) -> int:
    """Transactions PostgreSQL committed or rolled back in this database (flushed when backends exit)."""
    return int(await pg_value(url, "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = $1", name))


async def prepare_database(url: str, name: str, reuse: bool, total: int) -> dict[str, Any]:
    from bench.seed import seed
    from domain.infra import db

    if reuse and STATE_FILE.exists():
        state = json.loads(STATE_FILE.read_text())
        try:
            if state.get("url") == url and await pg_value(url, "SELECT count(*) FROM participant") > 0:
                print(f"reusing {name}: {state['participants']} participants, {state['transitions']} transitions")
                return state
        except (OSError, asyncpg.PostgresError):
            pass
    started = time.perf_counter()
    await recreate_database(url.split("?")[0])
    await db.migrate(url)
    await db.connect(url)
    try:
        seeded = await seed(total)
    finally:
        await db.disconnect()
    state = {"url": url, **asdict(seeded)}
    STATE_FILE.parent.mkdir(exist_ok=True)
    STATE_FILE.write_text(json.dumps(state))
    await pg_value(url, "ANALYZE")
    print(
        f"seeded {name} in {time.perf_counter() - started:.1f}s: {seeded.participants} participants, "
        f"{seeded.transitions} transitions, {seeded.badges} badges"
    )
    return state


# --- servers -----------------------------------------------------------------------------------------


class Server:
    """One uvicorn process, one worker, no access log, on a free loopback port."""

    def __init__(
        self, app: str, *, factory: bool = False, env: dict[str, str] | None = None, command: list[str] | None = None
    ) -> None:
        """`command`, when given, is any server's command line with `{port}` in it (a peer's)."""
        self.port = free_port()
        if command is not None:
            self.process = subprocess.Popen(
                [part.replace("{port}", str(self.port)) for part in command],
                cwd=ROOT,
                env={**os.environ, **(env or {})},
                stdout=subprocess.DEVNULL,
            )
            self.base = f"http://127.0.0.1:{self.port}"
            return
        command = [
            str(BIN / "uvicorn"),
            app,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            "1",
            "--no-access-log",
            "--log-level",
            "critical",
        ]
        if factory:
            command.insert(2, "--factory")
        self.process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})})
        self.base = f"http://127.0.0.1:{self.port}"

    def cpu_seconds(self) -> float:
        return process_cpu(self.process.pid)

    def wait_idle(self, db_name: str | None = None, limit: float = 600.0) -> float:
        """Wait until the process has finished its start-up work (in embedded mode the API process runs
        the sweep and the daily badge evaluation of the whole population when it starts): two quiet
        seconds in a row, for the app and for its PostgreSQL backends. Returns how long it took."""
        started, quiet = time.monotonic(), 0
        while time.monotonic() - started < limit and quiet < 2:
            before, pg_before = self.cpu_seconds(), backends_cpu(db_name) if db_name else 0.0
            time.sleep(1.0)
            pg_used = backends_cpu(db_name) - pg_before if db_name else 0.0
            quiet = quiet + 1 if self.cpu_seconds() - before < 0.05 and pg_used < 0.05 else 0
        waited = time.monotonic() - started - 2
        if waited > 1:
            print(f"  (waited {waited:.0f}s for the app's start-up work to finish)")
        return waited

    def wait_ready(self, path: str, *, method: str = "GET") -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}")
            try:
                httpx.request(method, self.base + path, timeout=1, **({"json": {}} if method == "POST" else {}))
                return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        stop_process(self.process, timeout=10)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """User + system CPU seconds a process has used so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def backends_cpu(db_name: str) -> float:
    """CPU seconds used so far by the PostgreSQL backends serving this database."""
    out = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-Atc",
            f"SELECT pid FROM pg_stat_activity WHERE datname = '{db_name}' "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
        ],
        capture_output=True,
        text=True,
    ).stdout.split()
    return sum(process_cpu(int(pid)) for pid in out)


class Profiler:
    """py-spy, when asked for and installed, records the server while it is measured."""

    def __init__(self, directory: Path | None, name: str, pid: int) -> None:
        self.process = None
        if directory is None:
            return
        spy = shutil.which("py-spy", path=str(BIN)) or shutil.which("py-spy")
        if spy is None:
            print("  (py-spy is not installed: .venv/bin/pip install py-spy)")
            return
        directory.mkdir(parents=True, exist_ok=True)
        self.output = directory / f"{name}.txt"
        self.process = subprocess.Popen(
            [
                spy,
                "record",
                "--pid",
                str(pid),
                "--format",
                "raw",
                "--rate",
                "250",
                "--output",
                str(self.output),
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(1)

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(2)  # SIGINT: py-spy writes its file and exits
            self.process.wait(30)
            print(f"  profile: {self.output}")


# --- load generation ---------------------------------------------------------------------------------


def lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def fixed_post(body: dict[str, Any], token: str | None) -> str:
    lines = [
        'wrk.method = "POST"',
        f"wrk.body = {lua_string(json.dumps(body))}",
        'wrk.headers["Content-Type"] = "application/json"',
    ]
    if token:
        lines.append(f'wrk.headers["Authorization"] = "Bearer {token}"')
    return "\n".join(lines) + "\n"


def alternating_transitions(targets: list[tuple[int, int]], token: str) -> str:
    """Each protégé in turn, each time the event that moves it on: a protégé is revisited only after
    every other one, so no two in-flight requests ever touch the same row."""
    bodies = [json.dumps({"query": TRANSITION % event, "variables": {"id": "__ID__"}}) for event in EVENTS]
    ids = ",".join(str(i) for i, _ in targets)
    first = ",".join(str(e) for _, e in targets)
    return f"""
local ids = {{{ids}}}
local first = {{{first}}}
local bodies = {{{lua_string(bodies[0])}, {lua_string(bodies[1])}}}
local headers = {{["Content-Type"] = "application/json", ["Authorization"] = "Bearer {token}"}}
local n, k = #ids, 0
request = function()
  local i = k % n + 1
  local e = (first[i] + math.floor(k / n)) % 2 + 1
  k = k + 1
  local body = string.gsub(bodies[e], "__ID__", tostring(ids[i]))
  return wrk.format("POST", "/graphql", headers, body)
end
"""


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"unexpected wrk latency {text!r}")
    return float(match.group(1)) * UNITS[match.group(2)]


def wrk(name: str, url: str, script: str, *, connections: int, seconds: float) -> Load:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{int(seconds)}s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                f.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(f.name)
    load = Load(name)
    if m := re.search(r"(\d+) requests in ([\d.]+)(m?s)", out):
        load.requests = int(m.group(1))
        load.seconds = float(m.group(2)) * (1e-3 if m.group(3) == "ms" else 1)
    if "Latency Distribution" not in out:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    load.rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    try:
        load.p50_ms = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
        load.p99_ms = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    except (AttributeError, ValueError) as exc:
        raise RuntimeError(f"unexpected wrk output ({exc}):\n{out}") from exc
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        load.errors = sum(int(g) for g in m.groups())
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        load.non_2xx = int(m.group(1))
    return load


def check(base: str, path: str, body: dict[str, Any], token: str | None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(base + path, json=body, headers=headers, timeout=10)
    response.raise_for_status()
    data = response.json()
    if data.get("errors"):
        raise RuntimeError(f"{path}: {data['errors']}")
    return data


# --- statement counts, in-process --------------------------------------------------------------------


async def statement_counts(
    url: str,
    requests: dict[str, tuple[dict[str, Any], dict[str, Any], str]],
    *,
    show: bool = False,
) -> dict[str, dict[str, int]]:
    """SQL statements for one request of each kind: the first body with the token cache cold, then
    the second body with it warm (a transition needs another event the second time)."""
    from domain.access.tokens import forget_tokens
    from domain.infra import db
    from domain.infra.config import Settings
    from schema.app import create_app

    await db.connect(url)
    counts: dict[str, dict[str, int]] = {}
    try:
        with db.logging_statements() as counter:
            app = create_app(Settings(database_url=url), manage_database=False)
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
                for name, (cold, warm, token) in requests.items():
                    counts[name] = {}
                    for phase, body in (("cold", cold), ("warm", warm)):
                        if phase == "cold":
                            forget_tokens()
                        await asyncio.sleep(0.2)  # let background work of the previous request finish
                        counter.statements.clear()
                        response = await client.post(
                            "/graphql", json=body, headers={"Authorization": f"Bearer {token}"}
                        )
                        assert response.status_code == 200 and "errors" not in response.json(), response.text
                        assert "Error" not in json.dumps(response.json()), response.text  # no typed rejection
                        await asyncio.sleep(0.2)
                        counts[name][phase] = len(counter.statements)
                        if show:
                            print(f"--- {name} ({phase}): {len(counter.statements)} statements")
                            for statement in counter.statements:
                                print("   ", statement[:160])
    finally:
        await db.disconnect()
    return counts


# --- scenarios ---------------------------------------------------------------------------------------


def app_env(url: str, args: argparse.Namespace) -> dict[str, str]:
    env = {
        "STANDING_DATABASE_URL": url,
        "STANDING_PRODUCTION": "true" if args.production else "false",
        "STANDING_REDIS_URL": "",
    }
    return env


def measure(
    name: str,
    server: Server,
    path: str,
    script: str,
    args: argparse.Namespace,
    connections: int | None = None,
    warmup: bool = True,
    repeat: int | None = None,
) -> Load:
    """wrk against one server: a warm-up, then `repeat` measured runs; the median run (by req/s) is
    reported, with the range of all runs."""
    connections = connections or args.connections
    warm = None
    if warmup and args.warmup:
        warm = wrk(name, server.base + path, script, connections=connections, seconds=args.warmup)
    runs: list[Load] = []
    for _ in range(repeat or args.repeat):
        profiler = Profiler(args.profile, name, server.process.pid) if not runs else Profiler(None, name, 0)
        app_cpu, pg_cpu = server.cpu_seconds(), backends_cpu(args.database)
        try:
            load = wrk(name, server.base + path, script, connections=connections, seconds=args.duration)
        finally:
            profiler.stop()
        # CPU per request is steadier than req/s on a shared machine: it does not count time spent waiting.
        load.extra["app_cpu_us"] = round(1e6 * (server.cpu_seconds() - app_cpu) / max(load.requests, 1))
        load.extra["app_cpu_share"] = round((server.cpu_seconds() - app_cpu) / max(load.seconds, 1e-9), 2)
        # Only live backends are counted: one that exited meanwhile takes its CPU with it (hence at least 0).
        pg_used = max(0.0, backends_cpu(args.database) - pg_cpu)
        load.extra["pg_cpu_us"] = round(1e6 * pg_used / max(load.requests, 1))
        runs.append(load)
    load = sorted(runs, key=lambda r: r.rps)[len(runs) // 2]
    load.extra["runs_rps"] = [round(r.rps) for r in runs]
    load.extra["warmup_requests"] = warm.requests if warm else 0
    load.extra["all_requests"] = sum(r.requests for r in runs) + load.extra["warmup_requests"]
    spread = f", runs {min(load.extra['runs_rps']):,}–{max(load.extra['runs_rps']):,} req/s" if len(runs) > 1 else ""
    print(
        f"  {name}: {load.rps:,.0f} req/s, p50 {load.p50_ms:.2f} ms, p99 {load.p99_ms:.2f} ms "
        f"({load.requests} requests, {load.errors} socket errors, {load.non_2xx} non-2xx{spread})"
    )
    return load


def run_ceilings(args: argparse.Namespace) -> list[Load]:
    loads = []
    with Server("bench.ceilings:starlette_app") as server:
        server.wait_ready("/json")
        loads.append(measure("starlette_json", server, "/json", 'wrk.method = "GET"\n', args))
    with Server("bench.ceilings:hello_app") as server:
        server.wait_ready("/graphql")
        check(server.base, "/graphql", {"query": HELLO}, None)
        loads.append(measure("strawberry_hello_cached", server, "/graphql", fixed_post({"query": HELLO}, None), args))
    return loads


async def run_read(
    name: str, body: dict[str, Any], token: str, url: str, db_name: str, args: argparse.Namespace, verify
) -> Load:
    before = await committed(url, db_name)
    with Server(APP, factory=True, env=app_env(url, args)) as server:
        server.wait_ready("/healthz")
        server.wait_idle(args.database)
        verify(check(server.base, "/graphql", body, token))
        load = measure(name, server, "/graphql", fixed_post(body, token), args)
        total = load.extra["all_requests"] + 1
    await asyncio.sleep(1.0)  # exiting backends flush their statistics
    xacts = await committed(url, db_name) - before
    load.extra["pg_statements_per_request"] = round(xacts / max(total, 1), 3)
    return load


async def run_transitions(url: str, db_name: str, state: dict[str, Any], args: argparse.Namespace) -> Load:
    async def targets() -> list[tuple[int, int]]:
        conn = await asyncpg.connect(url.split("?")[0].replace("postgres://", "postgresql://", 1))
        try:
            rows = await conn.fetch(
                "SELECT id, standing FROM participant WHERE organization_id = $1 AND role = 'protege' "
                "AND standing IN ('good', 'reminder') ORDER BY id",
                state["organization_id"],
            )
        finally:
            await conn.close()
        return [(r["id"], 0 if r["standing"] == "good" else 1) for r in rows]

    async def logged() -> tuple[int, int]:
        count = await pg_value(url, "SELECT count(*) FROM transition_log WHERE reason = 'bench load'")
        return int(count), int(await pg_value(url, "SELECT coalesce(max(id), 0) FROM transition_log"))

    with Server(APP, factory=True, env=app_env(url, args)) as server:
        server.wait_ready("/healthz")
        server.wait_idle(args.database)
        if args.warmup:
            wrk(
                "transitions",
                server.base + "/graphql",
                alternating_transitions(await targets(), state["admin_token"]),
                connections=8,
                seconds=args.warmup,
            )
        script = alternating_transitions(await targets(), state["admin_token"])
        before, _ = await logged()
        load = measure("transitions", server, "/graphql", script, args, connections=8, warmup=False, repeat=1)
        after, _ = await logged()
    load.extra["transitions_logged"] = after - before
    load.extra["transitions_per_s"] = round((after - before) / load.seconds, 1)
    # wrk stops counting at the deadline while the server finishes what is in flight, so the log can hold
    # a few more transitions than wrk saw answered; fewer would mean refusals or failures.
    load.extra["refused_or_failed"] = max(0, load.requests - (after - before))
    return load


def run_pgbench(args: argparse.Namespace) -> Load:
    asyncio.run(recreate_database(f"{PG}/bench_pgbench"))
    common = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["pgbench", "-i", "-q", "-s", "1", *common, "bench_pgbench"], check=True, capture_output=True)
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write("\\set aid random(1, 100000)\nUPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = :aid;\n")
    try:
        process = subprocess.Popen(
            [
                "pgbench",
                "-n",
                "-M",
                "prepared",
                "-c",
                "8",
                "-j",
                "2",
                "-T",
                str(int(args.duration)),
                "-f",
                f.name,
                *common,
                "bench_pgbench",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        backend_cpu: dict[str, float] = {}  # the backends live as long as pgbench: sample them until it exits
        while process.poll() is None:
            for pid in subprocess.run(
                [
                    "psql",
                    *common,
                    "-Atc",
                    "SELECT pid FROM pg_stat_activity WHERE datname = 'bench_pgbench' AND pid <> pg_backend_pid()",
                ],
                capture_output=True,
                text=True,
            ).stdout.split():
                backend_cpu[pid] = max(backend_cpu.get(pid, 0.0), process_cpu(int(pid)))
            time.sleep(0.5)
        out, err = process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"pgbench failed: {err}")
    finally:
        os.unlink(f.name)
    load = Load("pgbench_single_row_update")
    load.rps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    load.p50_ms = float(re.search(r"latency average = ([\d.]+) ms", out).group(1))  # pgbench reports the mean
    load.requests = int(re.search(r"number of transactions actually processed: (\d+)", out).group(1))
    load.seconds = float(args.duration)
    load.extra["pg_cpu_us"] = round(1e6 * sum(backend_cpu.values()) / max(load.requests, 1))
    print(f"  pgbench single-row UPDATE, 8 clients: {load.rps:,.0f} tps, mean latency {load.p50_ms:.2f} ms")
    return load


def machine() -> dict[str, str]:
    """The machine facts every benchmark reports, plus the versions this one depends on."""
    versions = subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            "import importlib.metadata as m; print(', '.join(f'{p} {m.version(p)}' for p in "
            "['strawberry-graphql','starlette','uvicorn','tortoise-orm','asyncpg','uvloop']))",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    pg = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SHOW server_version"], capture_output=True, text=True
    ).stdout.strip()
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()[0]
    return {**machine_facts(), "packages": versions, "postgresql": pg, "wrk": wrk_version}


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def report(
    results: dict[str, Load], counts: dict[str, dict[str, int]], info: dict[str, str], args: argparse.Namespace
) -> str:
    starlette = results.get("starlette_json")
    hello = results.get("strawberry_hello_cached")

    def ratio(load: Load, ceiling: Load | None) -> str:
        return f"{load.rps / ceiling.rps:.2f}×" if ceiling and ceiling.rps else "–"

    lines = [
        f"machine: {info['nproc']} cores, {info['cpu']}; Python {info['python']}; PostgreSQL {info['postgresql']}; "
        f"{info['wrk']}",
        f"packages: {info['packages']}",
        f"load: wrk -t1, {args.connections} connections (8 for transitions), median of {args.repeat} runs of "
        f"{args.duration:g}s (transitions and pgbench: one run) after a {args.warmup:g}s warm-up; uvicorn, 1 worker, no access log, log level critical; production={args.production}; "
        f"app={APP}; "
        f"pool={args.pool or 'default (5)'}; load average (1, 5, 15 min) before the run: {info['loadavg_at_start']}, "
        f"after: {load_average()}",
        "",
        "| what | req/s (range of runs) | p50 ms | p99 ms | ÷ Starlette JSON | ÷ cached hello-world | app CPU µs/req | "
        "PostgreSQL CPU µs/req | SQL statements/request |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, load in results.items():
        if name in {"transitions", "pgbench_single_row_update"}:
            continue
        sql = ""
        if name in counts:
            c = counts[name]
            sql = f"{c['warm']} (cold token: {c['cold']}; PostgreSQL saw {load.extra['pg_statements_per_request']})"
        runs = load.extra.get("runs_rps", [])
        spread = f" ({min(runs):,}–{max(runs):,})" if len(runs) > 1 else ""
        lines.append(
            f"| {name} | {load.rps:,.0f}{spread} | {load.p50_ms:.2f} | {load.p99_ms:.2f} | {ratio(load, starlette)} | "
            f"{ratio(load, hello)} | {load.extra['app_cpu_us']:,} | {load.extra['pg_cpu_us']:,} | {sql} |"
        )
    if "transitions" in results:
        t = results["transitions"]
        pg = results.get("pgbench_single_row_update")
        lines += [
            "",
            "| what | per second | p50 ms | p99 ms | ÷ pgbench | app CPU µs/req | PostgreSQL CPU µs/req |",
            "|---|---:|---:|---:|---:|---:|---:|",
            f"| transition mutations, 8 clients ({t.extra['transitions_logged']} logged, "
            f"{t.extra['refused_or_failed']} refused) | {t.extra['transitions_per_s']:,.0f} | {t.p50_ms:.2f} | "
            f"{t.p99_ms:.2f} | {t.extra['transitions_per_s'] / pg.rps:.2f}× | {t.extra['app_cpu_us']:,} | "
            f"{t.extra['pg_cpu_us']:,} |"
            if pg
            else "",
        ]
        if pg:
            lines.append(
                f"| pgbench single-row UPDATE, 8 clients | {pg.rps:,.0f} | {pg.p50_ms:.2f} (mean) | – | 1.00× "
                f"| – | ≥ {pg.extra['pg_cpu_us']:,} |"
            )
        if "transitions" in counts:
            lines.append(
                f"\nSQL statements per transition mutation: {counts['transitions']['warm']} "
                f"(cold token: {counts['transitions']['cold']})"
            )
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> int:
    db_name = args.database
    url = f"{PG}/{db_name}" + (f"?maxsize={args.pool}" if args.pool else "")
    only = set(args.only.split(",")) if args.only else {"compare", "c"}
    info = machine()
    state = await prepare_database(url, db_name, args.reuse, args.participants)
    some_id = int(
        await pg_value(
            url, "SELECT min(id) + 4242 FROM participant WHERE organization_id = $1", state["organization_id"]
        )
    )
    single = {"query": SINGLE, "variables": {"id": str(some_id)}}
    page = {"query": PAGE, "variables": {"first": 100}}
    results: dict[str, Load] = {}

    comparison = None
    if "compare" in only:
        from bench.comparison import run_comparison

        print("Standing, the floor and PostGraphile 4 on the same database, random reads and pages")
        comparison = await run_comparison(url, state, args)
    if "ceilings" in only:
        print("ceilings")
        for load in await asyncio.to_thread(run_ceilings, args):
            results[load.name] = load
    if "a" in only:
        print("the real app without SQL: { viewer { role } }, partner token (known to the token cache)")

        def verify_viewer(data: dict) -> None:
            assert data["data"]["viewer"]["role"] == "PARTNER", data

        results["app_viewer_no_sql"] = await run_read(
            "app_viewer_no_sql", {"query": VIEWER}, state["partner_token"], url, db_name, args, verify_viewer
        )
        print("(a) one participant's standing, partner token")

        def verify_single(data: dict) -> None:
            assert data["data"]["participant"]["standing"]["state"], data

        results["participant_standing"] = await run_read(
            "participant_standing", single, state["partner_token"], url, db_name, args, verify_single
        )
    if "b" in only:
        print("(b) a page of 100 participants with standing and badge status, partner token")

        def verify_page(data: dict) -> None:
            assert len(data["data"]["participants"]["edges"]) == 100, data

        results["page_of_100"] = await run_read(
            "page_of_100", page, state["partner_token"], url, db_name, args, verify_page
        )
    if "c" in only:
        print("(c) transition mutations under 8 concurrent clients, admin token")
        results["transitions"] = await run_transitions(url, db_name, state, args)
        results["pgbench_single_row_update"] = await asyncio.to_thread(run_pgbench, args)

    probe = await pg_value(
        url,
        "SELECT id FROM participant WHERE organization_id = $1 AND role = 'protege' AND "
        "standing = 'good' ORDER BY id DESC LIMIT 1",
        state["organization_id"],
    )
    counts = await statement_counts(
        url,
        {
            "app_viewer_no_sql": ({"query": VIEWER}, {"query": VIEWER}, state["partner_token"]),
            "participant_standing": (single, single, state["partner_token"]),
            "page_of_100": (page, page, state["partner_token"]),
            "transitions": (
                {"query": TRANSITION % EVENTS[0], "variables": {"id": str(probe)}},
                {"query": TRANSITION % EVENTS[1], "variables": {"id": str(probe)}},
                state["admin_token"],
            ),
        },
        show=args.show_sql,
    )
    text = report(results, counts, info, args)
    if comparison is not None:
        from bench.comparison import comparison_tables, docs_section, write_docs

        tables = comparison_tables(comparison)
        text = tables + "\n" + text
        if args.docs:
            write_docs(docs_section(tables, text, info, args, counts, results))
    print("\n" + text)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "machine": info,
                    "counts": counts,
                    "results": {k: asdict(v) for k, v in results.items()},
                    "comparison": comparison,
                },
                indent=2,
            )
        )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of measured load per scenario")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of unmeasured load first")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections for the read scenarios")
    parser.add_argument("--repeat", type=int, default=3, help="measured runs per read scenario (the median is kept)")
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--database", default="bench_api")
    parser.add_argument("--only", help="comma-separated subset of: compare,ceilings,a,b,c (default compare,c)")
    parser.add_argument("--variants", default="reads,writes", help="the comparison's variants: reads,writes")
    parser.add_argument("--servers", default="standing,floor,postgraphile", help="the comparison's servers")
    parser.add_argument("--docs", action="store_true", help="write the comparison's tables to docs/benchmarks.md")
    parser.add_argument(
        "--documents", action="store_true", help="ask Standing with full documents, not persisted operations' hashes"
    )
    parser.add_argument("--reuse", action="store_true", help="keep the seeded database of a previous run")
    parser.add_argument("--production", action="store_true", help="serve with STANDING_PRODUCTION=true")
    parser.add_argument("--pool", type=int, help="asyncpg pool size for the app (Tortoise's default is 5)")
    parser.add_argument("--profile", type=Path, help="record each scenario with py-spy into this folder")
    parser.add_argument("--json", help="also write the results as JSON to this file")
    parser.add_argument("--show-sql", action="store_true", help="print the statements each request sends")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
