"""The docs about exports and privacy stay true: the verifier in docs/exports.md runs and refuses a changed
byte, and docs/privacy.md names every table Standing has."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tortoise import Tortoise

from domain.exports.keys import load_or_create_key
from domain.exports.signing import sign

ROOT = Path(__file__).resolve().parents[2]


def snippet() -> str:
    text = (ROOT / "docs/exports.md").read_text(encoding="utf-8")
    section = text[text.index("### Verifying without Standing") :]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_verifier_in_the_docs_runs_in_ten_lines_and_refuses_a_changed_byte(tmp_path):
    code = snippet()
    assert len(code.strip().splitlines()) <= 10
    (tmp_path / "verify.py").write_text(code)
    key = load_or_create_key(tmp_path / "key.pem")
    (tmp_path / "public.pem").write_text(key.public_pem())
    signed = sign({"kind": "participant", "name": "Zoë Ødegård", "steps": [{"reason": "late", "id": 3}]}, key)
    export = tmp_path / "export.json"
    export.write_text(json.dumps(signed, indent=2, ensure_ascii=False), encoding="utf-8")
    run = [sys.executable, str(tmp_path / "verify.py"), str(export), str(tmp_path / "public.pem")]
    verified = subprocess.run(run, capture_output=True, text=True, timeout=60)
    assert verified.returncode == 0 and verified.stdout.strip() == "verified", verified.stderr
    export.write_text(export.read_text(encoding="utf-8").replace('"late"', '"lame"'), encoding="utf-8")
    refused = subprocess.run(run, capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0 and "InvalidSignature" in refused.stderr


async def test_the_privacy_page_names_every_table(orm):
    text = (ROOT / "docs/privacy.md").read_text(encoding="utf-8")
    tables = {model._meta.db_table for model in Tortoise.apps["standing"].values()}
    assert sorted(t for t in tables if f"`{t}`" not in text) == []
