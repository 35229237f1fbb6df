"""Generated artefacts stay current, docker-compose.yml stays valid, and dependencies point one way."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from domain.infra.config import settings_markdown
from cli.docs.diagrams import machines_markdown
from schema.build import schema_sdl
from cli.main import build_parser

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def section(name: str) -> str:
    match = re.search(rf"<!-- {name}:begin -->\n(.*?)<!-- {name}:end -->", README, re.S)
    assert match, f"README has no {name} section"
    return match.group(1)


def test_committed_schema_graphql_is_current():
    assert (ROOT / "schema.graphql").read_text() == schema_sdl(), "run `make schema` and commit schema.graphql"


def test_readme_diagrams_are_drawn_from_the_machine_classes():
    assert section("diagrams") == machines_markdown(), "paste `standing diagrams` into the README"


def test_readme_configuration_table_matches_the_settings():
    assert section("settings") == settings_markdown()


def test_docker_compose_file_is_valid():
    binary = shutil.which("docker-compose")
    if binary is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI must validate docker-compose.yml: install Debian's docker-compose")
        pytest.skip("docker-compose is not installed here")
    result = subprocess.run([binary, "-f", str(ROOT / "docker-compose.yml"), "config", "--quiet"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_command_in_docker_compose_exists_in_the_cli():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    commands = [s["command"] for s in services.values() if s.get("command") and s["command"][0] == "standing"]
    assert commands, "docker-compose.yml runs no standing command"
    parser = build_parser()
    for command in commands:
        args = parser.parse_args(command[1:])  # raises SystemExit on an unknown command or flag
        assert callable(args.run)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_domain_never_imports_schema_or_workers():
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & {"schema", "workers"})
        for path in (ROOT / "domain").rglob("*.py")
        if _imports(path) & {"schema", "workers"}
    }
    assert offenders == {}
