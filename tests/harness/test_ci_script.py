"""`.ci/run` on a machine that lacks PostgreSQL, Redis, Node and docker-compose: it installs them with apt and
runs `make test`, instead of aborting with `pg_ctlcluster: command not found`. Run with stand-ins for apt-get
and make on a PATH that holds nothing else, so nothing is installed and no test runs."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.support.live import ROOT

TOOLS = ["bash", "ls", "sort", "tail", "seq", "mkdir", "dirname", "cat", "sleep"]


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/bash\n{body}\n")
    path.chmod(0o755)


def test_ci_installs_what_is_missing_and_runs_make_test(tmp_path):
    stubs, calls = tmp_path / "bin", tmp_path / "calls"
    stubs.mkdir()
    for tool in TOOLS:
        (stubs / tool).symlink_to(shutil.which(tool))  # type: ignore[arg-type]
    _stub(stubs, "apt-get", f'echo "apt-get $*" >> {calls}')
    _stub(stubs, "make", f'echo "make $*" >> {calls}')
    _stub(stubs, "pg_isready", "exit 2")  # no server answers
    _stub(stubs, "redis-cli", "exit 0")  # a Redis answers
    result = subprocess.run(
        ["bash", str(ROOT / ".ci" / "run")],
        env={"PATH": str(stubs), "POSTGRES_BINARIES": str(tmp_path / "none" / "initdb"), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    log = calls.read_text().splitlines()
    installs = [line for line in log if line.startswith("apt-get install")]
    assert installs and all(
        package in installs[0].split() for package in ("postgresql", "redis-server", "nodejs", "npm", "docker-compose")
    ), log
    assert log[-1] == "make test"
    assert "the tests start a private server of their own" in result.stdout
    assert "command not found" not in result.stderr
    assert os.environ.get("PATH")  # the test's own environment is untouched
