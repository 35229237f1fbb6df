"""Node and npm packages for tests that run a JavaScript tool against a live server.

Packages are installed once with npm into an ignored folder under var/. Without node or npm the test is
skipped on a developer's machine, and fails with CI=true, where every test must run.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(message: str) -> None:
    if IN_CI:
        pytest.fail(f"CI must run this test: {message}", pytrace=False)
    pytest.skip(message)


def node_with(folder: Path, packages: list[str]) -> str:
    """The node binary, with `packages` (npm specs such as graphql-http@1) installed in `folder`."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        unavailable("node and npm are needed to run this JavaScript tool")
    folder.mkdir(parents=True, exist_ok=True)
    names = [spec.rsplit("@", 1)[0] if spec.rfind("@") > 0 else spec for spec in packages]
    with open(folder / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # parallel runs install once
        if not all((folder / "node_modules" / name / "package.json").exists() for name in names):
            try:
                result = subprocess.run(
                    [npm, "install", "--no-audit", "--no-fund", "--no-save", "--prefix", str(folder), *packages],
                    capture_output=True,
                    text=True,
                    timeout=300,
                    cwd=folder,
                )
            except subprocess.TimeoutExpired:
                unavailable(f"npm install of {packages} timed out")
            if result.returncode != 0:
                unavailable(f"npm install of {packages} failed:\n{result.stderr[-2000:]}")
    return node  # type: ignore[return-value]
