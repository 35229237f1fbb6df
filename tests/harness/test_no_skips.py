"""`make test` never passes with skips: a skipped test did not run, so the run fails, unless someone sets
STANDING_TEST_ALLOW_SKIPS=1 on purpose."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.live import ROOT


def _pytest(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "STANDING_TEST_ALLOW_SKIPS"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/harness/probes/skipping.py"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**environment, "STANDING_TEST_DATABASE": "sqlite", **env},
        timeout=300,
    )


def test_a_run_with_a_skipped_test_fails_and_says_which_and_why():
    result = _pytest()
    assert result.returncode == 1, result.stdout
    assert "1 passed, 1 skipped" in result.stdout
    assert "skipped tests fail the run" in result.stdout
    assert "needs something this machine lacks" in result.stdout


def test_skips_pass_only_when_asked_for():
    assert _pytest(STANDING_TEST_ALLOW_SKIPS="1").returncode == 0
