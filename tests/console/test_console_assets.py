"""The console's and GraphiQL's assets ship with the package: every file is package data, and no page loads
anything from another origin."""

from __future__ import annotations

import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {"schema.console": ROOT / "schema" / "console", "schema.graphiql": ROOT / "schema" / "graphiql"}


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_every_asset_is_package_data(package):
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"][package]
    folder = PACKAGES[package]
    files = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.suffix != ".py"]
    files = [f for f in files if "__pycache__" not in f]
    assert files and [f for f in files if not any(fnmatch(f, p) for p in patterns)] == []


def test_the_console_loads_nothing_from_elsewhere():
    static = PACKAGES["schema.console"] / "static"
    for path in static.rglob("*"):
        if path.suffix in {".html", ".js", ".css"}:
            text = path.read_text()
            assert not re.search(r"https?://", text), path.name
            assert "innerHTML" not in text and "insertAdjacentHTML" not in text, path.name
