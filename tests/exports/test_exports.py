"""Signed exports (issue 17): a participant's or a case's record as one JSON document signed with Ed25519,
run through the real `standing` command against the test database. It verifies with the public key, fails
once one byte changes, and holds no reporter's identity and no private note."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from domain.activity.acting import Acting
from domain.activity.record import record_activity
from domain.activity.sessions import SubmitSessionNote
from domain.appeals.filing import appeal_sanction
from domain.cases.decisions import DecideCase, Outcome, decide_case
from domain.cases.handling import CaseActor, step_case
from domain.cases.notes import add_moderator_note
from domain.cases.reporting import ConcernReport, Evidence, Reporter, report_concern
from domain.exports.documents import participant_export, plain
from domain.exports.keys import load_or_create_key, load_public_key
from domain.exports.signing import canonical, sign, verify
from domain.kernel.actors import Actor
from domain.models import ApiToken, ConcernCategory, ReporterKind, SessionNote
from tests.support.activity import attended_session, goal_for
from tests.support.cohort import cohort

__all__ = ["cohort"]

ROOT = Path(__file__).resolve().parents[2]
REPORT_WORDS = "Quinn-only words: he shouted at me in the hallway"
MODERATOR_NOTE = "internal: reporter is nervous, keep Quinn's name out"
SESSION_NOTE = "private session note: Pat seemed anxious about money"
DECISION = "Missed two sessions without notice, and the report was upheld"
APPEAL = "I was in hospital on both days"


@dataclass
class Exported:
    mentor_id: int
    case_id: int
    case_reference: str
    reporter_name: str
    reporter_email: str
    reporter_id: int
    reporter_token_id: int


@pytest.fixture
async def exported(cohort, clock) -> Exported:
    """A case about the mentor, reported by a protégé, with a moderator note on the case and on the mentor,
    a private session note the admin cites, decided with a first notice, which the mentor appeals."""
    world, reporter = cohort.world, cohort.second
    mentor = world.mentor
    token = await ApiToken.filter(participant_id=reporter.id).get()
    report = ConcernReport(mentor.id, ConcernCategory.RESPECT_AND_INCLUSION, "Mentor Code 1", REPORT_WORDS, Evidence())
    filed = await report_concern(
        Reporter(ReporterKind.PARTICIPANT, token.id, world.org_id, reporter.id), report, clock=clock
    )
    assert type(filed).__name__ == "ConcernFiled", filed
    # An admin's report citing the mentor's private note of an attended session.
    acting = Acting(world.org_id)
    goal = await goal_for(acting, world.protege, mentor, clock)
    session = await attended_session(acting, mentor, world.protege, goal, clock, notes=False)
    note = await record_activity(
        Acting(world.org_id, mentor.id), SubmitSessionNote(session_id=session.id, body=SESSION_NOTE), clock=clock
    )
    assert isinstance(note, SessionNote)
    cited = ConcernReport(mentor.id, ConcernCategory.OTHER, "Mentor Code 4", "see the note", Evidence(notes=(note.id,)))
    await report_concern(Reporter(ReporterKind.ADMIN, 1, world.org_id), cited, clock=clock)
    handler = CaseActor(Actor.admin(99), 99, world.org_id)
    case_id = filed.case.id
    await add_moderator_note(
        organization_id=world.org_id, author=handler.actor, body=MODERATOR_NOTE, clock=clock, case_id=case_id
    )
    await add_moderator_note(
        organization_id=world.org_id, author=handler.actor, body=MODERATOR_NOTE, clock=clock, participant_id=mentor.id
    )
    assert type(await step_case(case_id, "triage", by=handler, reason="serious", clock=clock)).__name__ == "CaseStepped"
    decided = await decide_case(
        DecideCase(case_id, Outcome.STANDING_EVENT, DECISION, event="issue_notice"), by=handler, clock=clock
    )
    assert type(decided).__name__ == "CaseDecided", decided
    appealed = await appeal_sanction(
        organization_id=world.org_id,
        appellant_id=mentor.id,
        transition_id=decided.transition.id,
        statement=APPEAL,
        clock=clock,
    )
    assert type(appealed).__name__ == "AppealFiled", appealed
    return Exported(
        mentor.id, case_id, filed.case.reference, reporter.display_name, reporter.email, reporter.id, token.id
    )


def standing(args: list[str], database_url: str, key: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "STANDING_DATABASE_URL": database_url, "STANDING_EXPORT_KEY_PATH": str(key)}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60
    )


def flip_a_byte_of(path: Path, inside: str, after: int = 0) -> None:
    """Change one byte of the file: the character `after` characters into where `inside` first appears."""
    data = path.read_bytes()
    at = data.index(inside.encode()) + after
    path.write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :])


def assert_nothing_private(text: str, e: Exported) -> None:
    for secret in (
        e.reporter_name,
        e.reporter_email,
        f"participant:{e.reporter_id}",
        f"token:{e.reporter_token_id}",
        "token:99",
        "token:1",
        REPORT_WORDS,
        MODERATOR_NOTE,
        SESSION_NOTE,
        "see the note",
    ):
        assert secret not in text, secret


async def test_an_export_verifies_with_the_public_key_and_not_once_one_byte_changes(exported, clock, tmp_path):
    key = load_or_create_key(tmp_path / "key.pem")
    signed = sign(await participant_export(exported.mentor_id, clock=clock), key)
    public = load_public_key(key.public_pem())
    assert verify(signed, public) is None
    assert verify(json.loads(json.dumps(signed, indent=2)), public) is None  # layout is not signed, content is

    # One byte of a signed field: the decision's reason in the standing history.
    changed = json.loads(canonical(signed).decode())
    step = next(s for s in changed["document"]["standing_history"] if s["reason"] == DECISION)
    step["reason"] = "M" + DECISION[1:].replace("i", "j", 1)
    assert len(canonical(changed)) == len(canonical(signed))
    assert (
        verify(changed, public) == "the signature does not match the document: it was changed, or signed by another key"
    )

    # One byte of the signature itself.
    value = bytearray(base64.b64decode(signed["signature"]["value"]))
    value[17] ^= 0x01
    forged = {**signed, "signature": {**signed["signature"], "value": base64.b64encode(bytes(value)).decode()}}
    assert verify(forged, public) is not None

    # Another key does not verify it.
    other = load_or_create_key(tmp_path / "other.pem")
    assert "not with this key" in (verify(signed, other.public) or "")


async def test_the_command_exports_a_participant_signed_and_a_receiver_verifies_it(exported, orm, tmp_path):
    key, out, pem = tmp_path / "var" / "export-key.pem", tmp_path / "mentor.json", tmp_path / "public.pem"
    written = standing(["export", "--participant", str(exported.mentor_id), "-o", str(out)], orm, key)
    assert written.returncode == 0, written.stderr
    assert stat.S_IMODE(key.stat().st_mode) == 0o600  # made on first use, the owner's alone
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    printed = standing(["export-key"], orm, key)
    assert printed.returncode == 0 and printed.stdout.startswith("-----BEGIN PUBLIC KEY-----"), printed.stderr
    pem.write_text(printed.stdout)

    signed = json.loads(out.read_text())
    document = signed["document"]
    assert signed["signature"]["alg"] == "Ed25519" and signed["signature"]["key_id"] in printed.stderr
    assert document["kind"] == "participant" and document["participant"]["id"] == exported.mentor_id
    notice = next(s for s in document["standing_history"] if s["reason"] == DECISION)
    assert notice["event"] == "issue_notice" and notice["actor"] == {"kind": "admin"} and notice["policy_version"]
    assert notice["evidence"]["case"] == {
        "id": exported.case_id,
        "reference": exported.case_reference,
        "category": "respect_and_inclusion",
        "code_section": "Mentor Code 1",
    }
    assert [n["transition_id"] for n in document["notices"]] == [notice["id"]]
    assert [(a["transition_id"], a["statement"]) for a in document["appeals"]] == [(notice["id"], APPEAL)]
    [case] = document["cases"]
    assert case["reference"] == exported.case_reference and case["decisions"][0]["reason"] == DECISION
    assert [r["category"] for r in case["reports"]] == ["respect_and_inclusion", "other"]
    assert case["log"][0]["actor"] == {"kind": "reporter"} and case["disclosed_reporters"] == []
    assert_nothing_private(out.read_text(), exported)

    verified = standing(["export", "--verify", str(out), "--public-key", str(pem)], orm, key)
    assert verified.returncode == 0 and verified.stdout.startswith("verified"), verified.stderr
    raw = standing(["export-key", "--raw"], orm, key).stdout
    pem.write_text(raw)
    assert standing(["export", "--verify", str(out), "--public-key", str(pem)], orm, key).returncode == 0
    flip_a_byte_of(out, DECISION)
    refused = standing(["export", "--verify", str(out), "--public-key", str(pem)], orm, key)
    assert refused.returncode == 1 and "NOT VERIFIED" in refused.stderr


async def test_the_command_exports_a_case_without_its_reporters_or_private_notes(exported, orm, tmp_path):
    key, out = tmp_path / "key.pem", tmp_path / "case.json"
    written = standing(["export", "--case", str(exported.case_id), "-o", str(out)], orm, key)
    assert written.returncode == 0, written.stderr
    document = json.loads(out.read_text())["document"]
    assert document["kind"] == "case" and document["subject"]["id"] == exported.mentor_id
    assert "email" not in document["subject"]
    assert document["case"]["reference"] == exported.case_reference
    [step] = document["standing_history"]
    assert (step["event"], step["reason"]) == ("issue_notice", DECISION)
    assert [n["transition_id"] for n in document["notices"]] == [step["id"]]
    assert [a["statement"] for a in document["appeals"]] == [APPEAL]
    assert_nothing_private(out.read_text(), exported)
    assert standing(["export", "--verify", str(out)], orm, key).returncode == 0  # the installation's own key
    flip_a_byte_of(out, '"value": "', after=12)  # a character of the signature
    assert standing(["export", "--verify", str(out)], orm, key).returncode == 1


async def test_exporting_someone_unknown_says_so_and_writes_nothing(orm, tmp_path):
    key, out = tmp_path / "key.pem", tmp_path / "nobody.json"
    missing = standing(["export", "--participant", "999", "-o", str(out)], orm, key)
    assert missing.returncode == 2 and "999" in missing.stderr and not out.exists()
    assert standing(["export", "--case", "999"], orm, key).returncode == 2


def test_a_float_never_reaches_the_signature_a_metric_is_a_decimal_string(tmp_path):
    key = load_or_create_key(tmp_path / "key.pem")
    with pytest.raises(TypeError):
        sign({"criteria": [{"value": 0.85}]}, key)
    document = plain({"criteria": [{"value": 0.85, "met": True, "count": 3}]})
    assert document == {"criteria": [{"value": "0.85", "met": True, "count": 3}]}
    assert verify(sign(document, key), key.public) is None


async def test_after_an_erasure_the_export_keeps_the_whole_record_under_the_pseudonym(exported, clock, tmp_path):
    from datetime import timedelta

    from domain.deadlines.sweep import sweep
    from domain.erasure.policy import ERASURE_POLICY
    from domain.erasure.requesting import request_erasure
    from domain.models import Participant

    mentor = await Participant.get(id=exported.mentor_id)
    before = await participant_export(mentor.id, clock=clock)
    started = await request_erasure(
        organization_id=mentor.organization_id,
        participant_id=mentor.id,
        reason="asked",
        by=Actor.admin(99),
        clock=clock,
    )
    assert type(started).__name__ == "ErasureChange", started
    clock.advance(ERASURE_POLICY.window.value + timedelta(seconds=1))
    await sweep(clock)
    after = await participant_export(mentor.id, clock=clock)
    assert after["participant"]["display_name"].startswith(ERASURE_POLICY.pseudonym_prefix)
    text = json.dumps(after, ensure_ascii=False)
    assert mentor.display_name not in text and mentor.email not in text
    assert [(s["event"], s["reason"], s["actor"]) for s in after["standing_history"]] == [
        (s["event"], s["reason"], s["actor"]) for s in before["standing_history"]
    ]
    assert [a["statement"] for a in after["appeals"]] == [ERASURE_POLICY.erased_text]
    key = load_or_create_key(tmp_path / "key.pem")
    assert verify(sign(after, key), key.public) is None
