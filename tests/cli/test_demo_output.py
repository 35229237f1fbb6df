"""The seeded demo is a fixed story: every table's rows, digested, match the committed golden file."""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from tortoise import Tortoise

from cli.demo import build_demo
from domain.infra.db import APP_LABEL
from tests.cli.test_demo import NOW, SMALL

GOLDEN = Path(__file__).parent / "golden" / "demo_digest.json"
UPDATE = "STANDING_UPDATE_GOLDEN"  # set to 1 to rewrite the golden file after an intended change of the story
# Drawn from `secrets`, not from the seed: the admin token's secret (and its shown prefix), certificate codes.
# A badge row's id follows the order in which PostgreSQL happens to return the participants being evaluated;
# nothing refers to it, and its participant_id identifies it.
NOT_SEEDED = {"api_token": {"prefix", "secret_hash"}, "badge": {"certificate_code", "id"}}
# A case's reference is drawn from `secrets` too, and other rows quote it (the case log, a notice's evidence, a
# nudge's text, an event's ref): each is spelled by the case's id instead, wherever it appears.
CASE_REFERENCE = re.compile(r"CASE-[0-9A-Z]{4}-[0-9A-Z]{4}")


def _plain(value: Any) -> Any:
    """One spelling per value on both databases: UTC instants, enum values, JSON with sorted keys."""
    if isinstance(value, datetime):
        instant = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return instant.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return _plain(value.value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(round(value, 9))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


async def digest() -> dict[str, dict[str, Any]]:
    """Every table's rows (ids and timestamps included: both are deterministic), sorted and hashed per table."""
    tables: dict[str, dict[str, Any]] = {}
    case = Tortoise.apps[APP_LABEL]["Case"]
    references = {r: f"case#{i}" for i, r in await case.all().values_list("id", "reference")}
    for model in sorted(Tortoise.apps[APP_LABEL].values(), key=lambda m: m._meta.db_table):
        table = model._meta.db_table
        skip = NOT_SEEDED.get(table, set())
        rows = [
            CASE_REFERENCE.sub(
                lambda m: references.get(m.group(0), m.group(0)),
                json.dumps(
                    {k: _plain(v) for k, v in sorted(row.items()) if k not in skip}, sort_keys=True, ensure_ascii=False
                ),
            )
            for row in await model.all().values()
        ]
        rows.sort()
        tables[table] = {"rows": len(rows), "sha256": hashlib.sha256("\n".join(rows).encode()).hexdigest()}
    return tables


async def test_the_seeded_demo_writes_exactly_the_golden_rows(orm):
    await build_demo(size=SMALL, now=NOW)
    found = {
        table: rows for table, rows in (await digest()).items() if rows["rows"]
    }  # a table added later starts empty
    if os.environ.get(UPDATE):
        GOLDEN.write_text(json.dumps(found, indent=2, sort_keys=True) + "\n")
    golden = json.loads(GOLDEN.read_text())
    changed = {table: (golden.get(table), rows) for table, rows in found.items() if rows != golden.get(table)}
    assert changed == {}, "the seeded demo's rows changed: (golden, found) by table"
    assert found == golden, "the seeded demo no longer writes some of the golden tables"
