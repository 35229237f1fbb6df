"""Generated artefacts stay current, docker-compose.yml runs real commands, and dependencies point one way
(tests/repository/test_deployment.py validates docker-compose.yml itself)."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml

from cli.main import build_parser
from schema.build import schema_sdl

ROOT = Path(__file__).resolve().parents[2]


def test_committed_schema_graphql_is_current():
    assert (ROOT / "schema.graphql").read_text() == schema_sdl(), "run `make schema` and commit schema.graphql"


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


async def test_the_committed_migrations_match_the_models(orm):
    """A model change without its migration would pass on a test database built from the migrations."""
    from tortoise import Tortoise
    from tortoise.migrations.autodetector import MigrationAutodetector

    from domain.infra.db import tortoise_config

    apps = tortoise_config("sqlite://:memory:")["apps"]
    changes = await MigrationAutodetector(Tortoise.apps, apps).changes()
    assert [writer.name for writer in changes] == [], "run `tortoise -c domain.infra.db.TORTOISE_ORM makemigrations`"
