"""A PostgreSQL server of the test session's own, for a machine where none is running.

`initdb` into a folder under var/ with the installed binaries (Debian: /usr/lib/postgresql/<version>/bin), then
`pg_ctl start` on a free port, trust authentication, its socket in that folder; stopped and deleted when the
session ends. PostgreSQL refuses to run as root, so as root the binaries run as the `postgres` user.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.support.live import ROOT, free_port


class PostgresUnavailable(Exception):
    """No private server could be started; the message says what is missing."""


def binaries() -> Path:
    """The folder holding initdb and pg_ctl: the newest installed version's, or the PATH's."""
    installed = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if installed:
        return Path(installed[-1]).parent
    if (initdb := shutil.which("initdb")) is not None:
        return Path(initdb).resolve().parent
    raise PostgresUnavailable("no initdb found (Debian: apt-get install postgresql)")


class PrivatePostgres:
    def __init__(self) -> None:
        self.bin = binaries()
        (ROOT / "var").mkdir(exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix="test-postgres-", dir=ROOT / "var"))
        self.port = free_port()
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:
            if shutil.which("runuser") is None:
                raise PostgresUnavailable("running as root, PostgreSQL needs runuser to run as the postgres user")
            self.as_postgres = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.dir, user="postgres")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        result = subprocess.run([*self.as_postgres, *args], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise PostgresUnavailable(f"{Path(args[0]).name} failed: {(result.stderr or result.stdout)[-1500:]}")

    def start(self) -> str:
        data = self.dir / "data"
        self._run(str(self.bin / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(self.dir / "log"), "-w", "start")
        atexit.register(self.stop)
        return self.url

    def stop(self) -> None:
        data = self.dir / "data"
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [*self.as_postgres, str(self.bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(self.dir, ignore_errors=True)
