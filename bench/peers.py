"""The peers bench/api.py measures Standing against, in the same run: PostGraphile 4 and the Python floor.

PostGraphile is installed from npm into var/bench/postgraphile (ignored by git) the first time it is
needed, and run as one Node process against the benchmark's own database, without auth, with
`--disable-default-mutations --simple-collections only` and a pool of 5, as in the issue's figures.
Its fields map to Standing's like this (the data compared before measuring):

| Standing | PostGraphile |
|---|---|
| `participant(id) { standing { state since } }` | `participantById(id) { standing standingSince }` |
| `participants(first: 100, after) { edges { node { id displayName profileVisible standing { state since } badge { status } } } pageInfo }` | `allParticipantsList(condition: {organizationId}, orderBy: ID_ASC, first: 100, offset) { id displayName standing standingSince badgeByParticipantId { state } }` |

PostGraphile has no `profileVisible` (Standing derives it from the standing, which both return) and no
pageInfo in a simple collection (the client knows its offset). It sees every organization: no auth.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRAPHILE_DIR = ROOT / "var" / "bench" / "postgraphile"
POSTGRAPHILE_VERSION = "4"

PGL_SINGLE = "query($id: Int!) { participantById(id: $id) { standing standingSince } }"
PGL_PAGE = """query($org: Int!, $offset: Int!) { allParticipantsList(condition: {organizationId: $org},
  orderBy: ID_ASC, first: 100, offset: $offset) { id displayName standing standingSince badgeByParticipantId { state } } }"""


def postgraphile_binary() -> Path:
    """PostGraphile 4's CLI, installed with npm into var/bench/postgraphile on first use."""
    binary = POSTGRAPHILE_DIR / "node_modules" / ".bin" / "postgraphile"
    if binary.exists():
        return binary
    if shutil.which("npm") is None or shutil.which("node") is None:
        raise SystemExit("PostGraphile needs Node and npm: apt-get install -y nodejs npm")
    POSTGRAPHILE_DIR.mkdir(parents=True, exist_ok=True)
    if not (POSTGRAPHILE_DIR / "package.json").exists():
        (POSTGRAPHILE_DIR / "package.json").write_text('{"name": "bench-postgraphile", "private": true}\n')
    print(f"installing postgraphile@{POSTGRAPHILE_VERSION} from npm into {POSTGRAPHILE_DIR}")
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", f"postgraphile@{POSTGRAPHILE_VERSION}"],
        cwd=POSTGRAPHILE_DIR,
        check=True,
        capture_output=True,
    )
    return binary


def postgraphile_version() -> str:
    package = POSTGRAPHILE_DIR / "node_modules" / "postgraphile" / "package.json"
    import json

    return json.loads(package.read_text())["version"] if package.exists() else "not installed"


def postgraphile_command(dsn: str, port: int | str) -> list[str]:
    return [
        str(postgraphile_binary()),
        "--connection",
        dsn,
        "--schema",
        "public",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--disable-default-mutations",
        "--simple-collections",
        "only",
        "--disable-query-log",
        "--max-pool-size",
        "5",
    ]


def postgraphile_env() -> dict[str, str]:
    return {**os.environ, "NODE_ENV": "production"}


def pgl_as_standing_single(data: dict) -> dict:
    """PostGraphile's single read in Standing's shape, to compare the data both return."""
    row = data["data"]["participantById"]
    return {"participant": {"standing": {"state": row["standing"].upper(), "since": row["standingSince"]}}}


def pgl_as_standing_page(data: dict) -> list[tuple]:
    return [
        (r["id"], r["displayName"], r["standing"].upper(), (r["badgeByParticipantId"] or {"state": "none"})["state"])
        for r in data["data"]["allParticipantsList"]
    ]
