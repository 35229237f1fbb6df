"""Settings read from the environment, each with a documented default."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

DEFAULT_DATABASE_URL = "sqlite://var/standing.sqlite3"
DEFAULT_EXPORT_KEY_PATH = "var/export-signing-key.pem"


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _port(value: str | None) -> int | None:
    return int(value) if value else None


def _list(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    production: bool = False
    allowed_origins: list[str] = field(default_factory=list)
    host: str = "127.0.0.1"
    port: int = 8000
    sweep_interval: float = 30.0
    worker_metrics_port: int | None = None
    metrics_port: int | None = None
    metrics_host: str = "127.0.0.1"
    webhooks_allow_loopback: bool = False
    export_key_path: str = DEFAULT_EXPORT_KEY_PATH
    read_model: bool = True
    ws_compression: bool = False

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        return cls(
            database_url=env.get("STANDING_DATABASE_URL") or DEFAULT_DATABASE_URL,
            redis_url=env.get("STANDING_REDIS_URL") or None,
            production=_flag(env.get("STANDING_PRODUCTION")),
            allowed_origins=_list(env.get("STANDING_ALLOWED_ORIGINS")),
            host=env.get("STANDING_HOST") or "127.0.0.1",
            port=int(env.get("STANDING_PORT") or 8000),
            sweep_interval=float(env.get("STANDING_SWEEP_INTERVAL") or 30),
            worker_metrics_port=_port(env.get("STANDING_WORKER_METRICS_PORT")),
            metrics_port=_port(env.get("STANDING_METRICS_PORT")),
            metrics_host=env.get("STANDING_METRICS_HOST") or "127.0.0.1",
            webhooks_allow_loopback=_flag(env.get("STANDING_WEBHOOKS_ALLOW_LOOPBACK")),
            export_key_path=env.get("STANDING_EXPORT_KEY_PATH") or DEFAULT_EXPORT_KEY_PATH,
            read_model=_flag(env.get("STANDING_READ_MODEL") or "true"),
            ws_compression=_flag(env.get("STANDING_WS_COMPRESSION")),
        )


# (variable, default, meaning) — the README's configuration table is checked against this.
SETTINGS_DOC: list[tuple[str, str, str]] = [
    (
        "STANDING_DATABASE_URL",
        DEFAULT_DATABASE_URL,
        "Tortoise database URL: `sqlite://path` (embedded) or `postgres://user@host:5432/db`.",
    ),
    (
        "STANDING_REDIS_URL",
        "(unset)",
        "Redis for the arq worker and event fan-out. Unset means embedded mode: no Redis needed.",
    ),
    (
        "STANDING_PRODUCTION",
        "false",
        "`true` turns off introspection and GraphiQL, masks unexpected errors and enforces query limits.",
    ),
    (
        "STANDING_ALLOWED_ORIGINS",
        "(empty)",
        "Comma-separated origins allowed to open GraphQL websockets from a browser.",
    ),
    ("STANDING_HOST", "127.0.0.1", "Address `standing serve` binds to."),
    ("STANDING_PORT", "8000", "Port `standing serve` listens on."),
    (
        "STANDING_SWEEP_INTERVAL",
        "30",
        "Embedded mode only: seconds between catch-up sweeps (deadlines also get precise in-process timers).",
    ),
    (
        "STANDING_METRICS_PORT",
        "(unset)",
        "`standing serve` serves Prometheus `/metrics` on this separate port, never on the API's own.",
    ),
    (
        "STANDING_METRICS_HOST",
        "127.0.0.1",
        "Address the API's and the worker's metrics ports bind to (`0.0.0.0` inside a container network).",
    ),
    (
        "STANDING_WORKER_METRICS_PORT",
        "(unset)",
        "`standing worker` serves Prometheus `/metrics` on this port (job lateness, sweeps, transitions, webhooks).",
    ),
    (
        "STANDING_WEBHOOKS_ALLOW_LOOPBACK",
        "false",
        "`true` lets webhooks reach loopback addresses, for tests and local development; private, link-local and "
        "metadata addresses stay refused.",
    ),
    (
        "STANDING_EXPORT_KEY_PATH",
        DEFAULT_EXPORT_KEY_PATH,
        "Ed25519 private key (PEM) that signs `standing export` documents; made on first use, mode 0600. "
        "`standing export-key` prints its public key (docs/exports.md).",
    ),
    (
        "STANDING_READ_MODEL",
        "true",
        "PostgreSQL only: the API keeps the standing and the page of participants in memory, kept current by the "
        "database's notifications and answered from only while at most 1 s stale (docs/api.md). `false`: always "
        "read the database.",
    ),
    (
        "STANDING_WS_COMPRESSION",
        "false",
        "`true` accepts a websocket client's offer of permessage-deflate. Off by default, as in Node's `ws` server: "
        "compressing each ~300-byte event once per subscriber was a tenth of a delivery's CPU, and its state 42 KiB "
        "of each socket's memory (docs/benchmarks.md).",
    ),
]


def settings_markdown() -> str:
    """The README's configuration table, generated from SETTINGS_DOC."""
    rows = ["| Variable | Default | Meaning |", "|---|---|---|"]
    rows += [f"| `{name}` | `{default}` | {meaning} |" for name, default, meaning in SETTINGS_DOC]
    return "\n".join(rows) + "\n"
