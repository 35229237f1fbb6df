"""docker-compose.yml, the Dockerfile and the lock file, checked without a Docker engine: `docker-compose config`
(Debian's v1.29 validates and resolves the file offline) with a .env made from .env.example, then the resolved
services. Issue 16, item 11: secrets from an env file, restart policies, Redis persistence, healthchecks on
/readyz and on the worker's heartbeat, a reverse proxy in front of the API replicas, a pinned, unprivileged
image built from a lock file."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from cli.main import build_parser

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("postgres", "redis", "api", "worker", "proxy")


def docker_compose() -> str:
    binary = shutil.which("docker-compose")
    if binary is None:  # never a skip: .ci/run installs it
        pytest.fail(
            "docker-compose.yml is validated with docker-compose: apt-get install docker-compose", pytrace=False
        )
    return binary


@pytest.fixture(scope="module")
def resolved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The file as Compose resolves it, in a copy of the project whose .env is .env.example."""
    project = tmp_path_factory.mktemp("compose")
    shutil.copy(ROOT / "docker-compose.yml", project / "docker-compose.yml")
    shutil.copy(ROOT / ".env.example", project / ".env")
    result = subprocess.run(
        [docker_compose(), "-f", str(project / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        cwd=project,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_docker_compose_refuses_to_start_without_the_env_file(tmp_path: Path):
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    result = subprocess.run(
        [docker_compose(), "-f", str(tmp_path / "docker-compose.yml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode != 0  # no .env: no password, no start


def test_no_password_is_written_in_the_compose_file_and_the_env_file_is_never_committed(resolved):
    text = (ROOT / "docker-compose.yml").read_text()
    assert "standing:standing" not in text and "POSTGRES_PASSWORD:" not in text.replace("${POSTGRES_PASSWORD", "")
    assert re.search(r"\$\{POSTGRES_PASSWORD:\?", text), "the password comes from .env, and is required"
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()
    tracked = subprocess.run(["git", "ls-files", ".env"], cwd=ROOT, capture_output=True, text=True).stdout
    assert tracked.strip() == ""
    example = (ROOT / ".env.example").read_text()
    password = re.search(r"^POSTGRES_PASSWORD=(.+)$", example, re.M)
    assert password and "CHANGE-ME" in password.group(1)
    services = resolved["services"]
    # The password reaches PostgreSQL and the application's URL from .env, and nothing else supplies it.
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"] == password.group(1)
    for name in ("migrate", "api", "worker"):
        assert f":{password.group(1)}@postgres:5432/" in services[name]["environment"]["STANDING_DATABASE_URL"]


def test_every_long_running_service_restarts(resolved):
    for name in SERVICES:
        assert resolved["services"][name].get("restart") == "unless-stopped", name
    assert resolved["services"]["migrate"]["restart"] == "no"


def test_redis_appends_to_a_named_volume(resolved):
    redis = resolved["services"]["redis"]
    command = redis["command"]
    assert command[command.index("--appendonly") + 1] == "yes" and command[command.index("--dir") + 1] == "/data"
    assert any(volume.split(":")[:2] == ["redisdata", "/data"] for volume in redis["volumes"])
    assert "redisdata" in resolved["volumes"] and "pgdata" in resolved["volumes"]


def test_the_api_is_checked_on_readyz_and_the_worker_on_its_heartbeat(resolved):
    api = resolved["services"]["api"]["healthcheck"]["test"]
    assert "http://127.0.0.1:8000/readyz" in " ".join(api) and "/healthz" not in " ".join(api)
    worker = resolved["services"]["worker"]["healthcheck"]["test"]
    assert worker[0] == "CMD" and worker[1:] == ["standing", "worker", "--check"]
    args = build_parser().parse_args(worker[2:])
    assert args.check and callable(args.run)


def test_the_proxy_alone_publishes_a_port_and_reaches_every_api_replica(resolved):
    services = resolved["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}  # so `--scale api=3` never clashes on a host port
    assert services["api"]["expose"] == ["8000"]
    proxy = services["proxy"]
    assert re.fullmatch(r"nginx:\d+\.\d+\.\d+-alpine", proxy["image"]), "a pinned nginx"
    assert proxy["ports"][0]["target"] == 80
    assert any(v.endswith("deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro") for v in proxy["volumes"])
    assert proxy["depends_on"]["api"]["condition"] == "service_healthy"
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert re.search(r"server api:8000 resolve\b", conf)  # re-resolved: replicas added later are reached too
    assert "resolver 127.0.0.11" in conf and "proxy_pass http://standing_api;" in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf  # subscriptions are websockets


def test_images_are_pinned(resolved):
    for name in ("postgres", "redis", "proxy"):
        assert re.fullmatch(r"[a-z]+:\d+\.\d+(\.\d+)?-[a-z]+", resolved["services"][name]["image"]), name


def test_the_dockerfile_pins_its_base_runs_unprivileged_and_installs_from_the_lock_file():
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    base = [line for line in lines if line.startswith("FROM ")]
    assert len(base) == 1 and re.fullmatch(r"FROM python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?", base[0])
    users = [line for line in lines if line.startswith("USER ")]
    assert users and users[-1].split()[1].split(":")[0] not in ("root", "0")
    assert lines.index(users[-1]) > max(i for i, line in enumerate(lines) if line.startswith("RUN "))
    assert "RUN pip install --no-deps -r requirements.lock" in lines
    assert "RUN pip install --no-deps . && rm -rf build *.egg-info" in lines


def test_the_lock_file_pins_every_dependency_of_pyproject_within_its_range():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    for text in project["dependencies"]:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is missing from requirements.lock: run deploy/lock.py"
        assert requirement.specifier.contains(pins[name], prereleases=True), (name, pins[name], str(requirement))


def test_the_lock_file_is_what_the_environment_the_tests_run_in_holds():
    """The tests pass on these versions; the image gets the same ones."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "lock.py"), "--check"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
