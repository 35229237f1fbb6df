"""The module map of docs/architecture.md, generated from the tree: every package and module with the
first sentence of its docstring, so the map cannot drift from the code."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {
    "domain": "the Code of Conduct: machines, rules, policy, models and use cases",
    "schema": "GraphQL and HTTP: thin types and resolvers over the domain's use cases",
    "workers": "time and fan-out: arq jobs, the embedded scheduler, real-time delivery",
    "cli": "the `standing` command and the tools beside it",
}
LISTED_WHOLE = {"migrations"}  # folders shown as one row: their files are history, not concepts


def summary(path: Path) -> str:
    """The first sentence of a module's docstring, on one line."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    first = " ".join(doc.split("\n\n")[0].split())
    end = first.find(". ")
    return (first[: end + 1] if end != -1 else first).replace("|", "\\|")


def _rows(folder: Path) -> list[str]:
    rows = []
    init = folder / "__init__.py"
    relative = folder.relative_to(ROOT).as_posix()
    if init.exists() and folder.name not in PACKAGES:
        rows.append(f"| `{relative}/` | {summary(init)} |")
    if folder.name in LISTED_WHOLE:
        return rows
    for path in sorted(folder.glob("*.py")):
        if path.name != "__init__.py" and not path.name.startswith("_"):
            rows.append(f"| `{path.relative_to(ROOT).as_posix()}` | {summary(path)} |")
    for child in sorted(p for p in folder.iterdir() if p.is_dir() and (p / "__init__.py").exists()):
        rows += _rows(child)
    return rows


def module_map_markdown() -> str:
    parts = []
    for package, role in PACKAGES.items():
        parts += [
            f"### `{package}/` — {role}",
            "",
            "| Module | What it holds |",
            "|---|---|",
            *_rows(ROOT / package),
            "",
        ]
    return "\n".join(parts)
