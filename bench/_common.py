"""Helpers shared by the benchmarks: databases, processes, machine facts, figures."""

from __future__ import annotations

import os
import platform
import re
import resource
import socket
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STANDING = [sys.executable, "-m", "cli.main"]
# Databases the benchmarks may drop and re-create. Never `test`, `postgres`, or another's database.
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def require_loopback(url: str) -> None:
    """All load goes to this machine only."""
    if not re.search(r"@?(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(/|$)", url):
        raise SystemExit(f"refusing a non-loopback URL: {url}")


def database_name(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


async def recreate_database(url: str) -> None:
    """Drop and create the benchmark's own database (its name must start with `bench_`)."""
    import asyncpg

    require_loopback(url)
    name = database_name(url)
    if not re.fullmatch(r"bench_[a-z0-9_]+", name):
        raise SystemExit(f"refusing to reset {name!r}: benchmark databases are named bench_<something>")
    conn = await asyncpg.connect(ADMIN_URL)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def pg_value(url: str, sql: str, *args: Any) -> Any:
    import asyncpg

    conn = await asyncpg.connect(url.split("?")[0].replace("postgres://", "postgresql://", 1))  # no pool options
    try:
        return await conn.fetchval(sql, *args)
    finally:
        await conn.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(process: subprocess.Popen, timeout: float = 15) -> None:
    """SIGTERM (a graceful stop), then SIGKILL; only the process we started."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def rss_kib(pid: int) -> int:
    """VmRSS of a process, in KiB, from /proc/<pid>/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def raise_open_files(wanted: int) -> int:
    """Raise the soft limit on open files (children inherit it); returns the limit in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil(n * p / 100), at least 1
    return ordered[int(rank) - 1]


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(seconds),
        "min_ms": round(min(seconds) * 1000, 1),
        "p50_ms": round(percentile(seconds, 50) * 1000, 1),
        "p90_ms": round(percentile(seconds, 90) * 1000, 1),
        "p99_ms": round(percentile(seconds, 99) * 1000, 1),
        "max_ms": round(max(seconds) * 1000, 1),
    }


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    mem_kib = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal:")
    )
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = bool(
            subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout.strip()
        )
    except (OSError, subprocess.SubprocessError):
        commit, dirty = "", False
    if not commit:  # an exported tree (git archive) is no checkout: say which commit it came from
        commit = os.environ.get("BENCH_COMMIT", "unknown")
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "ram_gib": f"{mem_kib / 1024 / 1024:.1f}",
        "loadavg_at_start": load,
        "python": platform.python_version(),
        "commit": commit + ("+uncommitted changes" if dirty else ""),
    }


def print_machine(info: dict[str, str]) -> None:
    print(
        f"machine: {info['nproc']} cores, {info['cpu']}, {info['ram_gib']} GiB RAM; Python {info['python']}; "
        f"load average at start {info['loadavg_at_start']}; commit {info['commit']}"
    )
