"""bench/api.py's comparison: Standing, the Python floor and PostGraphile 4 in the same run, on the same
database, under realistic access, without and with a background stream of transitions.

- **Single reads** of random participants across all of the organization's participants (wrk picks a
  random body from a table of one body per participant, each request).
- **Pages of 100** at random cursors (offsets 0 to n − 100, so every page is full).
- **With writes**: the same while bench/writes.py sends 50 transitions a second and measures staleness.

Before measuring, the three servers' answers to the same random reads and pages are compared (the same
standing, since, names, badge status, order), so that the three serve the same data.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.api import APP, BIN, ROOT, Load, Server, app_env, lua_string, measure
from bench.peers import (
    PGL_PAGE,
    PGL_SINGLE,
    pgl_as_standing_page,
    postgraphile_command,
    postgraphile_env,
)
from schema.persisted import PARTICIPANT_STANDING, PARTICIPANTS_PAGE, request_by_hash
from tests.support.queries import SINGLE

# The page of bench (b), at a cursor.
PAGE_AT = """query($first: Int!, $after: String) { participants(first: $first, after: $after) { edges { node {
  id displayName profileVisible standing { state since } badge { status }
} } pageInfo { hasNextPage endCursor } } }"""
SERVERS = ("standing", "floor", "postgraphile")
QUERIES = ("single", "page")
WRITE_RATE = 50


def cursor(offset: int) -> str:
    return base64.b64encode(f"arrayconnection:{offset}".encode()).decode()


# How Standing is asked: by its persisted operations' hashes (schema/persisted.py), as a web client built
# against the published catalog asks, or (--documents) with the full documents, which GraphQL executes.
PERSISTED = True


def standing_body(query: str, value: int) -> dict[str, Any]:
    if query == "single":
        variables: dict[str, Any] = {"id": str(value)}
        return (
            request_by_hash(PARTICIPANT_STANDING, variables) if PERSISTED else {"query": SINGLE, "variables": variables}
        )
    variables = {"first": 100, "after": cursor(value - 1) if value else None}
    return request_by_hash(PARTICIPANTS_PAGE, variables) if PERSISTED else {"query": PAGE_AT, "variables": variables}


def bodies(server: str, query: str, values: list[int], organization_id: int) -> list[str]:
    """One JSON body per participant id (single) or page offset (page), for this server's schema."""
    if server == "postgraphile":
        if query == "single":
            return [json.dumps({"query": PGL_SINGLE, "variables": {"id": v}}) for v in values]
        return [json.dumps({"query": PGL_PAGE, "variables": {"org": organization_id, "offset": v}}) for v in values]
    return [json.dumps(standing_body(query, v)) for v in values]


def random_bodies(table: list[str], token: str | None) -> str:
    """A wrk script that sends a body picked at random from `table` with every request."""
    entries = ",\n".join(lua_string(body) for body in table)
    auth = f'headers["Authorization"] = "Bearer {token}"\n' if token else ""
    return f"""
local bodies = {{
{entries}
}}
local headers = {{["Content-Type"] = "application/json"}}
{auth}local n = #bodies
local seeded = false
request = function()
  if not seeded then
    math.randomseed(os.time() + tonumber(tostring({{}}):sub(8), 16))
    seeded = true
  end
  return wrk.format("POST", "/graphql", headers, bodies[math.random(n)])
end
"""


# --- the same data from all three ----------------------------------------------------------------------


def _post(base: str, body: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(base + "/graphql", json=body, headers=headers, timeout=10)
    response.raise_for_status()
    data = response.json()
    if data.get("errors"):
        raise RuntimeError(f"{base}: {data['errors']}")
    return data


def _page_rows(data: dict[str, Any]) -> list[tuple]:
    rows = []
    for edge in data["data"]["participants"]["edges"]:
        node = edge["node"]
        kind, _, number = base64.b64decode(node["id"]).decode().partition(":")
        rows.append((int(number), node["displayName"], node["standing"]["state"], node["badge"]["status"].lower()))
    return rows


def verify_same_data(
    bases: dict[str, str], ids: list[int], offsets: list[int], organization_id: int, token: str, probes: int = 20
) -> None:
    """Standing and the floor answer byte-for-byte the same JSON; PostGraphile the same rows and values."""
    rng = random.Random(1)
    for participant_id in rng.sample(ids, probes):
        body = standing_body("single", participant_id)
        expected = _post(bases["standing"], body, token)
        if "floor" in bases:
            assert _post(bases["floor"], body) == expected, (participant_id, expected)
        if "postgraphile" in bases:
            got = _post(bases["postgraphile"], {"query": PGL_SINGLE, "variables": {"id": participant_id}})
            row = got["data"]["participantById"]
            want = expected["data"]["participant"]["standing"]
            assert row["standing"].upper() == want["state"], (participant_id, row, want)
            assert datetime.fromisoformat(row["standingSince"]) == datetime.fromisoformat(want["since"]), (row, want)
    for offset in rng.sample(offsets, max(1, probes // 4)):
        body = standing_body("page", offset)
        expected = _post(bases["standing"], body, token)
        if "floor" in bases:
            assert _post(bases["floor"], body) == expected, offset
        if "postgraphile" in bases:
            got = _post(
                bases["postgraphile"], {"query": PGL_PAGE, "variables": {"org": organization_id, "offset": offset}}
            )
            assert pgl_as_standing_page(got) == [(r[0], r[1], r[2], r[3]) for r in _page_rows(expected)], offset


# --- the background stream -------------------------------------------------------------------------------


class WriteStream:
    """bench/writes.py in its own process for as long as the `with` block lasts."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.out = Path(self.dir.name) / "out.json"
        path = Path(self.dir.name) / "config.json"
        path.write_text(json.dumps({**config, "out": str(self.out)}))
        self.process = subprocess.Popen([str(BIN / "python"), str(ROOT / "bench" / "writes.py"), "--config", str(path)])
        self.results: dict[str, Any] = {}

    def __enter__(self) -> WriteStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:  # stuck: its figures are lost, the run goes on
            print("  (the write stream did not stop within 60 s: killed, its figures lost)")
            self.process.kill()
            self.process.wait(10)
        if self.out.exists():
            self.results = json.loads(self.out.read_text())
        self.dir.cleanup()


async def stream_targets(dsn: str, organization_id: int, limit: int = 2_000) -> list[list[int]]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT id, standing FROM participant WHERE organization_id = $1 AND role = 'protege' "
            "AND standing IN ('good', 'reminder') ORDER BY id LIMIT $2",
            organization_id,
            limit,
        )
    finally:
        await conn.close()
    rng = random.Random(3)
    rows = list(rows)
    rng.shuffle(rows)
    return [[r["id"], 0 if r["standing"] == "good" else 1] for r in rows]


# --- the run --------------------------------------------------------------------------------------------


def start(server: str, url: str, dsn: str, organization_id: int, args: argparse.Namespace) -> Server:
    if server == "standing":
        process = Server(APP, factory=True, env=app_env(url, args))
        process.wait_ready("/healthz")
        process.wait_idle(args.database)
    elif server == "floor":
        env = {"BENCH_FLOOR_DSN": dsn, "BENCH_FLOOR_ORG": str(organization_id)}
        process = Server("bench.floor_app:app", env=env)
        process.wait_ready("/graphql", method="POST")
    else:
        process = Server("postgraphile", command=postgraphile_command(dsn, "{port}"), env=postgraphile_env())
        process.wait_ready("/graphql", method="POST")
    return process


async def run_comparison(url: str, state: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """All servers run side by side for the whole comparison; each round measures every server in turn
    (the order rotating from round to round), so the machine's background load falls on all of them alike.
    The figure kept for each server and request is the median of its rounds."""
    global PERSISTED
    PERSISTED = not args.documents
    from bench.api import pg_value

    dsn = url.split("?")[0].replace("postgres://", "postgresql://", 1)
    organization_id = state["organization_id"]
    ids = [
        int(i)
        for i in (
            await pg_value(
                url, "SELECT array_agg(id ORDER BY id) FROM participant WHERE organization_id = $1", organization_id
            )
        )
    ]
    offsets = list(range(0, len(ids) - 100 + 1))
    token = state["partner_token"]
    variants = [v for v in ("reads", "writes") if v in args.variants.split(",")]
    servers = [s for s in SERVERS if s in args.servers.split(",")]
    scripts = {
        (server, query): random_bodies(
            bodies(server, query, ids if query == "single" else offsets, organization_id),
            token if server != "postgraphile" else None,
        )
        for server in servers
        for query in QUERIES
    }

    results: dict[str, Any] = {"loads": {}, "writes": {}, "ids": len(ids), "offsets": len(offsets)}
    running: dict[str, Server] = {}
    try:
        for server in servers:
            running[server] = start(server, url, dsn, organization_id, args)
        # The same data from all three, before anything is measured.
        verify_same_data({s: p.base for s, p in running.items()}, ids, offsets, organization_id, token)
        print(f"  the same data from {', '.join(servers)}: checked on 20 random reads and 5 random pages")
        for variant in variants:
            writer = None
            if variant == "writes":
                writer = Server(APP, factory=True, env=app_env(url, args))
            try:
                if writer is not None:
                    writer.wait_ready("/healthz")
                    writer.wait_idle(args.database)
                runs: dict[str, list[Load]] = {}
                streams: dict[str, list[dict[str, Any]]] = {s: [] for s in servers}
                for round_ in range(args.repeat):
                    order = servers[round_ % len(servers) :] + servers[: round_ % len(servers)]
                    for server in order:
                        print(f"{variant}, round {round_ + 1} of {args.repeat}: {server}")
                        process = running[server]
                        stream = None
                        if writer is not None:
                            stream = WriteStream(
                                {
                                    "writer_url": writer.base + "/graphql",
                                    "self_url": process.base + "/graphql" if server == "standing" else None,
                                    "reader_url": process.base + "/graphql",
                                    "reader_kind": server,
                                    "reader_token": token if server != "postgraphile" else None,
                                    "admin_token": state["admin_token"],
                                    "targets": await stream_targets(dsn, organization_id),
                                    "rate": WRITE_RATE,
                                }
                            )
                        try:
                            for query in QUERIES:
                                name = f"{variant}.{server}.{query}"
                                load = measure(
                                    name,
                                    process,
                                    "/graphql",
                                    scripts[server, query],
                                    args,
                                    warmup=round_ == 0,
                                    repeat=1,
                                )
                                runs.setdefault(name, []).append(load)
                        finally:
                            if stream is not None:
                                stream.__exit__()
                                streams[server].append(stream.results)
                for name, loads in runs.items():
                    median = sorted(loads, key=lambda r: r.rps)[len(loads) // 2]
                    median.extra["runs_rps"] = [round(r.rps) for r in loads]
                    results["loads"][name] = _as_dict(median)
                for server, parts in streams.items():
                    if parts:
                        results["writes"][server] = merge_streams(parts)
                        print(f"  {server} stream: {json.dumps(results['writes'][server])}")
            finally:
                if writer is not None:
                    writer.stop()
    finally:
        for process in running.values():
            process.stop()
    return results


def merge_streams(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """One server's write streams of every round as one: counts summed, percentiles over all samples."""
    from bench._common import percentile

    merged: dict[str, Any] = {
        key: sum(p.get(key, 0) for p in parts)
        for key in ("sent", "applied", "refused", "failed", "probe_timeouts", "seconds")
    }
    merged["rate"] = round(merged["applied"] / max(merged["seconds"], 1e-9), 1)
    mutation = [v for p in parts for v in p.get("mutation_ms_samples", [])]
    merged["mutation_p50_ms"] = round(percentile(mutation, 50), 1) if mutation else None
    merged["mutation_p99_ms"] = round(percentile(mutation, 99), 1) if mutation else None
    merged["staleness"] = {}
    for name in ("within", "across"):
        values = [v for p in parts for v in p.get("samples", {}).get(name, [])]
        if values:
            merged["staleness"][name] = {
                "n": len(values),
                "p50_ms": round(percentile(values, 50) * 1000, 2),
                "p99_ms": round(percentile(values, 99) * 1000, 2),
                "max_ms": round(max(values) * 1000, 2),
            }
    return merged


def _as_dict(load: Load) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(load)


# --- the tables -------------------------------------------------------------------------------------------


def _x(value: float, base: float | None) -> str:
    return f"{value / base:.2f}×" if base else "–"


def comparison_tables(results: dict[str, Any]) -> str:
    loads = results["loads"]
    lines: list[str] = []
    labels = {
        "single": "one participant's standing (random of {ids})".format(ids=f"{results['ids']:,}"),
        "page": "a page of 100 with standing and badge status (random cursor)",
    }
    for variant in ("reads", "writes"):
        if not any(k.startswith(variant + ".") for k in loads):
            continue
        title = "reads only" if variant == "reads" else f"with {WRITE_RATE} transitions/s in the background"
        lines += [
            f"**{title}**",
            "",
            "| request | server | req/s | p50 ms | p99 ms | app CPU µs/req | PostgreSQL CPU µs/req | ÷ floor | ÷ PostGraphile |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for query in QUERIES:
            floor = loads.get(f"{variant}.floor.{query}", {}).get("rps")
            peer = loads.get(f"{variant}.postgraphile.{query}", {}).get("rps")
            for server in SERVERS:
                load = loads.get(f"{variant}.{server}.{query}")
                if not load:
                    continue
                label = labels[query] if server == "standing" else ""
                bold = "**" if server == "standing" else ""
                name = {
                    "standing": "Standing",
                    "floor": "floor (Starlette + asyncpg + orjson)",
                    "postgraphile": "PostGraphile 4, no auth",
                }[server]
                errors = load["errors"] + load["non_2xx"]
                lines.append(
                    f"| {label} | {name}{f' ({errors} errors)' if errors else ''} | {bold}{load['rps']:,.0f}{bold} | "
                    f"{load['p50_ms']:.2f} | {load['p99_ms']:.2f} | {load['extra']['app_cpu_us']:,} | "
                    f"{load['extra']['pg_cpu_us']:,} | {bold}{_x(load['rps'], floor)}{bold} | {bold}{_x(load['rps'], peer)}{bold} |"
                )
        lines.append("")
    if results["writes"]:
        lines += [
            "**Staleness** (from a transition's mutation response to the first read of the server under test that "
            "shows it; bench/writes.py):",
            "",
            "| server read | transitions applied/s | within one process p50 / p99 ms | across two p50 / p99 ms | max ms | probe timeouts |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for server in SERVERS:
            w = results["writes"].get(server)
            if not w:
                continue
            s = w.get("staleness", {})
            within = s.get("within")
            across = s.get("across")
            lines.append(
                f"| {server} | {w['rate']} | "
                + (f"{within['p50_ms']:.1f} / {within['p99_ms']:.1f}" if within else "– (no writes to it)")
                + " | "
                + (f"{across['p50_ms']:.1f} / {across['p99_ms']:.1f}" if across else "–")
                + f" | {max((v['max_ms'] for v in s.values()), default=0):.1f} | {w['probe_timeouts']} |"
            )
        lines.append("")
    return "\n".join(lines)


DOCS = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- api-comparison:begin -->", "<!-- api-comparison:end -->"


def write_docs(text: str) -> None:
    """Replace the generated comparison in docs/benchmarks.md (between its markers) with `text`."""
    doc = DOCS.read_text()
    if BEGIN not in doc:
        raise SystemExit(f"docs/benchmarks.md has no {BEGIN} … {END} section")
    head, rest = doc.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOCS.write_text(f"{head}{BEGIN}\n{text.strip()}\n{END}{tail}")
    print(f"wrote the tables to {DOCS.relative_to(ROOT)}")


def command_line() -> str:
    program = "python -m bench.comparison" if sys.argv[0].endswith("comparison.py") else "bench/api.py"
    return " ".join([program, *sys.argv[1:]])


def docs_section(
    tables: str,
    legacy: str,
    info: dict[str, str],
    args: argparse.Namespace,
    counts: dict[str, dict[str, int]],
    results: dict[str, Load],
) -> str:
    """The generated part of docs/benchmarks.md: the command, the machine and its load, then the tables."""
    from bench.api import load_average
    from bench.peers import postgraphile_version

    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    before, after = info["loadavg_at_start"], load_average()
    shared = max(float(before.split()[0]), float(after.split()[0])) > 1.0
    lines = [
        f"*Generated by `{command_line()}` at commit `{info['commit']}`, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.*",
        "",
        f"**Machine:** {info['nproc']} cores ({info['cpu']}), {info['ram_gib']} GiB RAM; Python {info['python']}; "
        f"PostgreSQL {info['postgresql']}; {info['wrk']}; PostGraphile {postgraphile_version()} on Node {node}; "
        f"{info['packages']}.",
        f"**Load:** 1-, 5- and 15-minute load average {before} before the run and {after} after"
        + (
            ": the machine was shared with other work (test suites), so absolute figures are low and noisy; "
            "the ratios, measured in the same run, are the figures to compare."
            if shared
            else "."
        ),
        f"**Settings:** every server one process (uvicorn, 1 worker, no access log; PostGraphile one Node process), "
        f"a pool of 5 connections each; wrk -t1 -c{args.connections}, {args.warmup:g} s warm-up, "
        f"{args.repeat} × {args.duration:g} s measured (median); app and PostgreSQL CPU from /proc. "
        + (
            "Standing is asked with its full documents (`--documents`): GraphQL parses, validates and executes each."
            if args.documents
            else "Standing is asked by its persisted operations' hashes (schema/persisted.py, docs/api.md): each read "
            "is answered by its plan; the token and the organization are still checked on every request."
        ),
        "",
        tables,
    ]
    page = counts.get("page_of_100")
    if page:
        lines.append(
            f"SQL statements per page of 100: {page['warm']} (cold token: {page['cold']}); per single read: "
            f"{counts['participant_standing']['warm']} (tests/access/test_read_path.py pins both)."
        )
    if "transitions" in results:
        t = results["transitions"]
        pg = results.get("pgbench_single_row_update")
        lines.append(
            f"\nTransitions, 8 clients on PostgreSQL: **{t.extra['transitions_per_s']:,.0f}/s** "
            f"(p50 {t.p50_ms:.1f} ms, p99 {t.p99_ms:.1f} ms, app CPU {t.extra['app_cpu_us']:,} µs and PostgreSQL "
            f"CPU {t.extra['pg_cpu_us']:,} µs each; {t.extra['refused_or_failed']} refused)"
            + (f", next to pgbench's {pg.rps:,.0f} single-row UPDATEs/s." if pg else ".")
        )
    return "\n".join(lines)


if __name__ == "__main__":  # python -m bench.comparison: the whole comparison, written to docs/benchmarks.md
    from bench.api import main

    sys.argv[1:1] = [] if "--docs" in sys.argv else ["--docs"]
    sys.exit(main())
