"""Real processes for end-to-end tests: a private redis-server and `standing serve`, on free ports."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
STANDING = [sys.executable, "-m", "cli.main"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, what: str, timeout: float = 20.0) -> None:
    """Poll a live process on the wall clock: start-up and delivery across processes cannot be faked."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


async def until(check: Callable[[], object], what: str, timeout: float = 20.0) -> None:
    """Wait in a test's event loop for what another task, thread or process does, on the wall clock; `check` may
    be a coroutine function."""
    try:
        async with asyncio.timeout(timeout):
            while not (await check() if asyncio.iscoroutinefunction(check) else check()):  # type: ignore[misc]
                await asyncio.sleep(0.005)
    except TimeoutError:
        pytest.fail(f"timed out waiting for {what}")


class PrivateRedis:
    """A redis-server of our own, so a test may kill and restart it without touching anyone else's."""

    def __init__(self, tmp: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:  # the Redis tests run everywhere, or the run fails: they are never skipped
            pytest.fail(
                "the Redis tests need redis-server on the PATH (Debian: apt-get install redis-server)", pytrace=False
            )
        self.binary, self.port, self.dir = binary, free_port(), tmp
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, "redis-server to start")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


SERVE_LOG = "STANDING_TEST_SERVE_LOG"  # in the env `serve` yields: the file the server's log goes to


@contextmanager
def serve(database_url: str, **env_extra: str) -> Iterator[tuple[str, dict[str, str]]]:
    """`standing serve` on a free port; its stderr (JSON log lines) goes to a file, so it can never block on a
    full pipe, and `env[SERVE_LOG]` names it."""
    port = free_port()
    env = {**os.environ, "STANDING_DATABASE_URL": database_url, **env_extra}
    if not env_extra.get("STANDING_REDIS_URL"):
        env.pop("STANDING_REDIS_URL", None)
    log = tempfile.NamedTemporaryFile(prefix="standing-serve-", suffix=".log", delete=False)
    env[SERVE_LOG] = log.name
    server = subprocess.Popen(
        STANDING + ["serve", "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log
    )
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        assert server.poll() is None, Path(log.name).read_text(errors="replace")
        try:
            return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    try:
        wait_until(healthy, "standing serve to start", 30)
        yield base, env
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(STANDING + args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def graphql(base: str, token: str, query: str, variables: dict | None = None) -> dict:
    response = httpx.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": f"Bearer {token}"},
        timeout=20,
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]
