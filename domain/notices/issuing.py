"""Writing a notice: the facts of one step (or one appeal decision) filled into its template, stored with
the template's key and version, in the transaction of the step itself. `preview` renders the very same
text without writing anything, so an admin reads exactly what the participant will."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.appeals.policy import APPEAL_POLICY
from domain.deadlines.schedule import schedule
from domain.events import outbox
from domain.models import DeadlineKind, Notice, Organization, Participant, TransitionRecord
from domain.notices.policy import CODE_SECTIONS, NOTICE_POLICY, STATE_NAMES, STEP_NAMES
from domain.notices.templates import PLACEHOLDERS, template_for
from domain.standing.policy import STANDING_POLICY


def day(when: datetime) -> str:
    return f"{when:%-d %B %Y}"


def moment(when: datetime) -> str:
    return f"{when:%-d %B %Y at %H:%M} UTC"


@dataclass(frozen=True)
class Facts:
    """What a notice about one step says, before wording: the same for the preview and the notice."""

    event: str
    reason: str
    actor_kind: str
    evidence: dict[str, Any]
    occurred_at: datetime
    until: datetime | None = None


@dataclass(frozen=True)
class Rendered:
    template_key: str
    template_version: str
    title: str
    parts: dict[str, str]
    body: str
    appeal_by: datetime | None


def _decider(actor_kind: str, evidence: dict[str, Any]) -> str:
    if isinstance(evidence.get("case"), dict):
        return f"the program admins (case {evidence['case'].get('reference')})"
    return {
        "admin": "a program admin",
        "system": "the program's automatic rules",
        "participant": "your own activity",
    }.get(actor_kind, "the program")


def _counted(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _detail(evidence: dict[str, Any]) -> str:
    """The evidence in words: the case, and the sessions, messages or notes it rests on."""
    pieces = []
    case = evidence.get("case") if isinstance(evidence.get("case"), dict) else None
    if case:
        pieces.append(f" The case rests on {_counted(len(case.get('concerns') or []), 'report')}")
        cited = [
            f"{kind if len(ids) > 1 else kind[:-1]} {', '.join(map(str, ids))}"
            for kind in ("sessions", "messages", "notes")
            if (ids := case.get(kind))
        ]
        pieces.append((", citing " + "; ".join(cited)) if cited else "")
        pieces.append(".")
    for key, words in (("missed_sessions", "sessions missed"), ("lapsed_messages", "messages left unanswered")):
        if evidence.get(key):
            pieces.append(f" The {words}: {', '.join(map(str, evidence[key]))}.")
    return "".join(pieces)


def _code_section(event: str, evidence: dict[str, Any]) -> str:
    case = evidence.get("case") if isinstance(evidence.get("case"), dict) else None
    ladder = CODE_SECTIONS[event]
    return f"{case['code_section']}; {ladder}" if case and case.get("code_section") else ladder


async def _organization(participant: Participant, conn: Any = None) -> Organization:
    return await Organization.filter(id=participant.organization_id).using_db(conn).get()


async def render_step(participant: Participant, facts: Facts, conn: Any = None) -> Rendered:
    organization = await _organization(participant, conn)
    template = template_for(facts.event, organization.notice_templates)
    appeal_by = facts.occurred_at + APPEAL_POLICY.window.value
    values = dict.fromkeys(PLACEHOLDERS, "") | {
        "name": participant.display_name,
        "organization": organization.name,
        "date": day(facts.occurred_at),
        "decider": _decider(facts.actor_kind, facts.evidence),
        "reason": facts.reason.rstrip("."),
        "detail": _detail(facts.evidence),
        "code_section": _code_section(facts.event, facts.evidence),
        "until": moment(facts.until) if facts.until else "",
        "appeal_by": moment(appeal_by),
        "lapses_on": day(facts.occurred_at + STANDING_POLICY.notice_decay.value),
        "support_contact": organization.support_contact or NOTICE_POLICY.default_support,
        "appealed_step": "",
        "appealed_on": "",
        "state": "",
        "remedy_of_step": "",
    }
    title, parts, body = template.render(values)
    return Rendered(template.key, template.version, title, parts, body, appeal_by)


async def render_appeal_decision(
    participant: Participant,
    outcome: str,
    appealed: TransitionRecord,
    reason: str,
    actor_kind: str,
    now: datetime,
    conn: Any = None,
) -> Rendered:
    organization = await _organization(participant, conn)
    template = template_for(f"appeal_{outcome}", organization.notice_templates)
    step_template = template_for(appealed.event, organization.notice_templates)
    values = dict.fromkeys(PLACEHOLDERS, "") | {
        "name": participant.display_name,
        "organization": organization.name,
        "date": day(now),
        "decider": "the program's rules" if actor_kind == "system" else "a program admin",
        "reason": reason.rstrip("."),
        "detail": "",
        "code_section": CODE_SECTIONS[appealed.event],
        "until": "",
        "appeal_by": "",
        "lapses_on": "",
        "support_contact": organization.support_contact or NOTICE_POLICY.default_support,
        "appealed_step": STEP_NAMES[appealed.event],
        "appealed_on": day(appealed.occurred_at),
        "state": STATE_NAMES.get(participant.standing, participant.standing),
        "remedy_of_step": step_template.parts["remedy"].format_map(
            {k: "" for k in ("until", "appeal_by", "lapses_on")} | {"support_contact": ""}
        ),
    }
    title, parts, body = template.render(values)
    return Rendered(template.key, template.version, title, parts, body, None)


async def render_protection(
    participant: Participant,
    key: str,
    other_party: str,
    sessions_cancelled: int,
    until: datetime | None,
    now: datetime,
    conn: Any = None,
) -> Rendered:
    """A notice to the other party of a sanctioned participant: not a decision about them, so nothing to appeal."""
    organization = await _organization(participant, conn)
    template = template_for(key, organization.notice_templates)
    values = dict.fromkeys(PLACEHOLDERS, "") | {
        "name": participant.display_name,
        "organization": organization.name,
        "date": day(now),
        "other_party": other_party,
        "sessions_cancelled": str(sessions_cancelled),
        "until_words": (
            f"They are expected back on {day(until)}. Your clocks (inactivity, sessions) pause until then."
            if until
            else "They will not be back. Your clocks pause for two weeks while you find a new mentor."
        ),
        "support_contact": organization.support_contact or NOTICE_POLICY.default_support,
    }
    title, parts, body = template.render(values)
    return Rendered(template.key, template.version, title, parts, body, None)


async def store(
    participant: Participant,
    rendered: Rendered,
    now: datetime,
    conn: Any,
    *,
    transition_id: int | None = None,
    appeal_id: int | None = None,
) -> Notice:
    """Keep the notice, arm the nudge for leaving it unread, and tell the platform (which emails it)."""
    notice = await Notice.create(
        using_db=conn,
        organization_id=participant.organization_id,
        participant_id=participant.id,
        transition_id=transition_id,
        appeal_id=appeal_id,
        template_key=rendered.template_key,
        template_version=rendered.template_version,
        title=rendered.title,
        parts=rendered.parts,
        body=rendered.body,
        appeal_by=rendered.appeal_by,
        issued_at=now,
    )
    await schedule(
        DeadlineKind.NOTICE_UNACKNOWLEDGED,
        participant.id,
        now + NOTICE_POLICY.acknowledge_within.value,
        now,
        subject_id=notice.id,
        conn=conn,
    )
    await outbox.record(
        [
            outbox.NewEvent(
                type=outbox.NOTICE_ISSUED,
                organization_id=participant.organization_id,
                participant_id=participant.id,
                event=rendered.template_key,
                reason_code=f"notice.{rendered.template_key}",
                occurred_at=now,
                ref=f"notice:{notice.id}",
            )
        ],
        conn,
    )
    await outbox.announce()
    return notice


async def notice_for_step(
    participant: Participant, record: TransitionRecord, params: dict[str, Any], conn: Any
) -> Notice:
    """The notice of a downward step, written in the step's own transaction."""
    facts = Facts(
        record.event, record.reason, record.actor_kind, record.evidence, record.occurred_at, params.get("until")
    )
    return await store(
        participant, await render_step(participant, facts, conn), record.occurred_at, conn, transition_id=record.id
    )


async def preview_notice(
    *,
    organization_id: int,
    participant_id: int,
    event: str,
    reason: str,
    actor_kind: str,
    now: datetime,
    evidence: dict[str, Any] | None = None,
    until: datetime | None = None,
) -> Rendered | None:
    """The exact notice `event` would write now, with nothing written; None for a step that writes none."""
    from domain.standing.ladder import DOWNWARD

    participant = await Participant.filter(id=participant_id, organization_id=organization_id).first()
    if participant is None or event not in DOWNWARD:
        return None
    facts = Facts(event, reason.strip(), actor_kind, evidence or {}, now, until)
    return await render_step(participant, facts)
