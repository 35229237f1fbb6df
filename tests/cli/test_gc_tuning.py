"""The API process raises the collector's first threshold and freezes what start-up made (cli/gc_tuning.py)."""

from __future__ import annotations

import subprocess
import sys

from tests.support.live import ROOT


def test_serving_tunes_the_collector_and_keeps_the_older_generations_thresholds():
    probe = (
        "import gc; before = gc.get_threshold(); from cli.gc_tuning import tune_for_serving; tune_for_serving(); "
        "print(before, gc.get_threshold(), gc.get_freeze_count() > 0)"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.split(") (") == ["(700, 10, 10", "50000, 10, 10) True\n"]
