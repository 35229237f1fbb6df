"""What an export holds: a person's standing history (the transition log, with reasons, the kind of actor and
the policy version), their notices, appeals and the cases about them; or one case with what it decided.

Left out, always: who reported (unless an admin disclosed it to the subject, as `casesAboutMe` does), the
reports' own words and cited evidence, admins' moderator notes, private session notes, and which admin or
token took a step. docs/exports.md says why.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Any

from domain.cases.reading import disclosed_reporters
from domain.kernel.clock import Clock
from domain.kernel.rejections import NotFound
from domain.models import (
    Appeal,
    Case,
    CaseDecision,
    CaseLogEntry,
    Concern,
    Notice,
    Organization,
    Participant,
    TransitionRecord,
)

FORMAT = "standing-export/1"
LEFT_OUT = [
    "who reported a concern, unless an admin disclosed it to you",
    "the words of the reports and the sessions, messages and notes they cite",
    "admins' moderator notes, which are internal",
    "private session notes, which are their author's alone",
    "which admin or token took a step: only the kind of actor is given",
]
# Case steps a reporter takes: their actor is shown as "reporter", never as who.
REPORTER_STEPS = {"open", "report"}


def plain(value: Any) -> Any:
    """JSON values only: times as ISO 8601 UTC, enums as their values, floats as decimal strings."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def _actor(kind: str, actor_id: str) -> dict[str, str]:
    """The kind of actor; for the system, the rule that acted (a rule's name identifies nobody)."""
    return {"kind": kind, "rule": actor_id} if kind == "system" else {"kind": kind}


def _evidence(evidence: dict[str, Any]) -> dict[str, Any]:
    """A step's evidence, with a case named by its reference only: which reports and items it cites stays out."""
    shown = dict(evidence)
    if isinstance(shown.get("case"), dict):
        case = shown["case"]
        shown["case"] = {k: case[k] for k in ("id", "reference", "category", "code_section") if k in case}
    return shown


def transition(row: TransitionRecord) -> dict[str, Any]:
    return {
        "id": row.id,
        "machine": row.machine,
        "event": row.event,
        "from_state": row.from_state,
        "to_state": row.to_state,
        "outcome": row.outcome,
        "actor": _actor(row.actor_kind, row.actor_id),
        "reason": row.reason,
        "policy_version": row.policy_version,
        "evidence": _evidence(row.evidence or {}),
        "overrules": row.overrules,
        "occurred_at": row.occurred_at,
    }


def notice(row: Notice) -> dict[str, Any]:
    return {
        "id": row.id,
        "transition_id": row.transition_id,
        "appeal_id": row.appeal_id,
        "template_key": row.template_key,
        "template_version": row.template_version,
        "title": row.title,
        "parts": row.parts,
        "body": row.body,
        "appeal_by": row.appeal_by,
        "issued_at": row.issued_at,
        "acknowledged_at": row.acknowledged_at,
    }


def appeal(row: Appeal) -> dict[str, Any]:
    return {
        "id": row.id,
        "transition_id": row.transition_id,
        "statement": row.statement,
        "state": row.state,
        "filed_at": row.filed_at,
        "decide_by": row.decide_by,
        "decided_at": row.decided_at,
        "decision_reason": row.decision_reason,
        "result_transition_id": row.result_id,
    }


async def case(row: Case) -> dict[str, Any]:
    concerns = await Concern.filter(case_id=row.id).order_by("id")
    log = await CaseLogEntry.filter(case_id=row.id).order_by("id")
    decisions = await CaseDecision.filter(case_id=row.id).order_by("id")
    return {
        "id": row.id,
        "reference": row.reference,
        "state": row.state,
        "category": row.category,
        "code_section": row.code_section,
        "opened_at": row.opened_at,
        "updated_at": row.updated_at,
        "reports": [
            {"received_at": c.created_at, "category": c.category, "code_section": c.code_section} for c in concerns
        ],
        "log": [
            {
                "event": e.event,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "actor": {"kind": "reporter"} if e.event in REPORTER_STEPS else _actor(e.actor_kind, e.actor_id),
                "reason": e.reason,
                "occurred_at": e.occurred_at,
            }
            for e in log
        ],
        "decisions": [
            {
                "id": d.id,
                "outcome": d.outcome,
                "standing_event": d.standing_event,
                "reason": d.reason,
                "transition_id": d.transition_id,
                "reversal_id": d.reversal_id,
                "supersedes": d.supersedes_id,
                "decided_at": d.decided_at,
            }
            for d in decisions
        ],
        "disclosed_reporters": await disclosed_reporters(row.id),
    }


def _person(p: Participant, *, contact: bool) -> dict[str, Any]:
    person: dict[str, Any] = {"id": p.id, "role": p.role, "display_name": p.display_name}
    if contact:
        person |= {"email": p.email, "timezone": p.timezone, "registered_at": p.created_at}
    return person | {"standing": p.standing, "standing_since": p.standing_since, "suspended_until": p.suspended_until}


async def _header(kind: str, organization_id: int, clock: Clock) -> dict[str, Any]:
    organization = await Organization.get(id=organization_id)
    return {
        "format": FORMAT,
        "kind": kind,
        "generated_at": clock.now(),
        "organization": {"slug": organization.slug, "name": organization.name},
        "left_out": LEFT_OUT,
    }


async def participant_export(participant_id: int, *, clock: Clock) -> dict[str, Any] | NotFound:
    """Everything about one participant's standing, for them: the unsigned document."""
    person = await Participant.filter(id=participant_id).first()
    if person is None:
        return NotFound("Participant", str(participant_id))
    transitions = await TransitionRecord.filter(participant_id=person.id).order_by("id")
    notices = await Notice.filter(participant_id=person.id).order_by("id")
    appeals = await Appeal.filter(participant_id=person.id).order_by("id")
    cases = await Case.filter(subject_id=person.id).order_by("id")
    document = await _header("participant", person.organization_id, clock) | {
        "participant": _person(person, contact=True),
        "standing_history": [transition(t) for t in transitions],
        "notices": [notice(n) for n in notices],
        "appeals": [appeal(a) for a in appeals],
        "cases": [await case(c) for c in cases],
    }
    return plain(document)


async def case_export(case_id: int, *, clock: Clock) -> dict[str, Any] | NotFound:
    """One case about a participant, the steps it took on their standing, and their notices and appeals of those."""
    row = await Case.filter(id=case_id).first()
    if row is None:
        return NotFound("Case", str(case_id))
    subject = await Participant.get(id=row.subject_id)
    decisions = await CaseDecision.filter(case_id=row.id)
    step_ids = {d.transition_id for d in decisions} | {d.reversal_id for d in decisions}
    step_ids.discard(None)
    steps = await TransitionRecord.filter(id__in=step_ids).order_by("id")
    # An appeal's result (a reversal or a reduction) is part of what became of the case's step.
    appeals = await Appeal.filter(transition_id__in=step_ids).order_by("id")
    results = {a.result_id for a in appeals if a.result_id is not None} - step_ids
    steps += await TransitionRecord.filter(id__in=results).order_by("id")
    notices = await Notice.filter(participant_id=subject.id, transition_id__in={s.id for s in steps})
    appeal_notices = await Notice.filter(appeal_id__in=[a.id for a in appeals])
    document = await _header("case", row.organization_id, clock) | {
        "subject": _person(subject, contact=False),
        "case": await case(row),
        "standing_history": [transition(s) for s in sorted(steps, key=lambda s: s.id)],
        "notices": [notice(n) for n in sorted({n.id: n for n in notices + appeal_notices}.values(), key=_id)],
        "appeals": [appeal(a) for a in appeals],
    }
    return plain(document)


def _id(row: Any) -> int:
    return row.id
