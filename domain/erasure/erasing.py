"""The erasure itself, when its window ends: blank what the person wrote, replace their name and email by the
pseudonym wherever they appear, clear their certificate code and revoke their tokens, all in one transaction.

What is erased is declared once, in AUTHORED; `plan` counts it for the receipt of a pending request and `erase`
applies it, so the receipt of a request says beforehand what the erasure will do.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise import Tortoise, connections, fields
from tortoise.fields.data import CharEnumFieldInstance
from tortoise.models import Model

from domain.deadlines.firing import Firing
from domain.erasure.policy import ERASURE_POLICY
from domain.erasure.receipt import KEPT, Receipt, ReceiptLine
from domain.infra.db import in_fresh_transaction
from domain.models import (
    ApiToken,
    Appeal,
    BadgeRecord,
    Concern,
    Deadline,
    ErasureRequest,
    ExcusedLeave,
    Goal,
    GoalProgress,
    Participant,
    RecordedFact,
    ServiceOffering,
    SessionFeedback,
    SessionNote,
)


@dataclass(frozen=True)
class Authored:
    """Free text the person wrote (or that is about them alone), blanked by the erasure."""

    model: type[Model]
    owner: str  # the filter that finds the person's rows, with {id} for the participant's id
    columns: tuple[str, ...]
    why: str


AUTHORED = (
    Authored(Goal, "protege_id", ("specific", "measurable", "achievable", "relevant"), "the goals they set"),
    Authored(GoalProgress, "author_id", ("note",), "progress updates they wrote"),
    Authored(SessionNote, "session__mentor_id", ("body",), "session notes they wrote as mentor"),
    Authored(SessionFeedback, "session__protege_id", ("body",), "session feedback they wrote as protégé"),
    Authored(ServiceOffering, "mentor_id", ("title", "description"), "the services they offered"),
    Authored(ExcusedLeave, "participant_id", ("reason",), "why they were on leave"),
    Authored(Appeal, "participant_id", ("statement",), "their appeal statements"),
    Authored(RecordedFact, "disputed_by", ("statement",), "what they wrote disputing a fact"),
    Authored(Concern, "reporter_participant_id", ("description",), "the text of reports they made"),
    Authored(ApiToken, "participant_id", ("label",), "their tokens' labels (the tokens are revoked)"),
)


async def _authored_ids(item: Authored, participant_id: int, conn: Any) -> list[int]:
    rows = await item.model.filter(**{item.owner: participant_id}).using_db(conn).values("id")
    return [row["id"] for row in rows]


def pseudonym_for(tag: str) -> str:
    return f"{ERASURE_POLICY.pseudonym_prefix} {tag}"


def pseudonymous_email(tag: str) -> str:
    return f"erased-{tag}@erased.invalid"  # RFC 2606: .invalid never delivers


# --- Replacing the name and email wherever they appear -------------------------------------------------------


def _text_columns() -> list[tuple[str, str, bool]]:
    """(table, column, is_json) of every text and JSON column of every model."""
    columns = []
    for model in Tortoise.apps["standing"].values():
        meta = model._meta
        for name, field in meta.fields_map.items():
            if isinstance(field, CharEnumFieldInstance) or field.pk:
                continue
            if isinstance(field, (fields.CharField, fields.TextField, fields.JSONField)):
                columns.append((meta.db_table, field.source_field or name, isinstance(field, fields.JSONField)))
    return sorted(columns)


@dataclass(frozen=True)
class Replacer:
    needles: tuple[str, ...]  # lower case
    pattern: re.Pattern[str]
    replacements: dict[str, str]

    @classmethod
    def of(cls, name: str, email: str, tag: str) -> Replacer:
        replacements = {email.lower(): pseudonymous_email(tag), name.lower(): pseudonym_for(tag)}
        needles = tuple(n for n in replacements if n)
        # Whole words only: "Sam" is erased from "Sam's goal", never from "same".
        alternatives = "|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True))
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        return cls(needles, pattern, replacements)

    def text(self, value: str) -> str:
        return self.pattern.sub(lambda m: self.replacements[m.group(0).lower()], value)

    def json(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(v) for v in value]
        if isinstance(value, dict):
            return {self.text(k): self.json(v) for k, v in value.items()}
        return value


async def _scrub(replacer: Replacer, conn: Any, *, dry_run: bool) -> list[ReceiptLine]:
    postgres = conn.capabilities.dialect == "postgres"
    lines = []
    for table, column, is_json in _text_columns():
        if table == "erasure_request" and column == "receipt":
            continue  # written last, from the lines this returns
        text = f'"{column}"::text' if postgres else f'"{column}"'
        finds = " OR ".join(
            (f"strpos(lower({text}), ${i + 1}) > 0" if postgres else f"instr(lower({text}), ?) > 0")
            for i in range(len(replacer.needles))
        )
        _, rows = await conn.execute_query(
            f'SELECT id, {text} AS value FROM "{table}" WHERE {finds}', list(replacer.needles)
        )
        changed = 0
        for row in rows:
            if is_json:
                new = json.dumps(replacer.json(json.loads(row["value"])), ensure_ascii=False, separators=(",", ":"))
                if new == json.dumps(json.loads(row["value"]), ensure_ascii=False, separators=(",", ":")):
                    continue
            else:
                new = replacer.text(row["value"])
                if new == row["value"]:
                    continue
            changed += 1
            if dry_run:
                continue
            cast = "::jsonb" if postgres and is_json else ""
            sql = (
                f'UPDATE "{table}" SET "{column}" = $1{cast} WHERE id = $2'
                if postgres
                else f'UPDATE "{table}" SET "{column}" = ? WHERE id = ?'
            )
            await conn.execute_query(sql, [new, row["id"]])
        if changed:
            lines.append(ReceiptLine(table, (column,), changed, "the name and email replaced by the pseudonym"))
    return lines


# --- Planning and erasing -------------------------------------------------------------------------------------


async def plan(participant: Participant, tag: str, conn: Any = None) -> Receipt:
    """What erasing this participant now would delete, pseudonymize and keep: the receipt of a pending request."""
    return await _run(participant, tag, None, conn, dry_run=True)


async def _run(participant: Participant, tag: str, now: datetime | None, conn: Any, *, dry_run: bool) -> Receipt:
    conn = conn or connections.get("default")
    deleted = [
        ReceiptLine("participant", ("display_name", "email", "timezone"), 1, "their name, email and time zone"),
    ]
    for item in AUTHORED:
        ids = await _authored_ids(item, participant.id, conn)
        if not ids:
            continue
        deleted.append(ReceiptLine(item.model._meta.db_table, item.columns, len(ids), item.why))
        if not dry_run:
            blank = dict.fromkeys(item.columns, ERASURE_POLICY.erased_text)
            await item.model.filter(id__in=ids).using_db(conn).update(**blank)
    badges = (
        await BadgeRecord.filter(participant_id=participant.id).exclude(certificate_code=None).using_db(conn).count()
    )
    if badges:
        deleted.append(ReceiptLine("badge", ("certificate_code",), badges, "their certificate stops verifying"))
    replacer = Replacer.of(participant.display_name, participant.email, tag)
    if not dry_run:
        await (
            Participant.filter(id=participant.id)
            .using_db(conn)
            .update(display_name=pseudonym_for(tag), email=pseudonymous_email(tag), timezone="UTC", updated_at=now)
        )
        await BadgeRecord.filter(participant_id=participant.id).using_db(conn).update(certificate_code=None)
        await ApiToken.filter(participant_id=participant.id, revoked_at=None).using_db(conn).update(revoked_at=now)
    pseudonymized = await _scrub(replacer, conn, dry_run=dry_run)
    return Receipt(deleted=deleted, pseudonymized=pseudonymized, kept=list(KEPT), pseudonym=pseudonym_for(tag))


async def erase(request_id: int, now: datetime) -> ErasureRequest | None:
    """Carry out a pending request whose window has ended; None when there is none (cancelled, done, not due)."""

    async def work(conn: Any) -> ErasureRequest | None:
        request = (
            await ErasureRequest.filter(id=request_id, status="pending", due_at__lte=now)
            .select_for_update()
            .using_db(conn)
            .first()
        )
        if request is None:
            return None
        participant = await Participant.filter(id=request.participant_id).select_for_update().using_db(conn).get()
        tag = request.pseudonym.removeprefix(ERASURE_POLICY.pseudonym_prefix).strip()
        # While 'scrubbing', and only inside this transaction, the append-only triggers let UPDATE through
        # (migration 0013); the status is 'done' before the commit, so no one else ever sees it.
        await ErasureRequest.filter(id=request.id).using_db(conn).update(status="scrubbing")
        receipt = await _run(participant, tag, now, conn, dry_run=False)
        await (
            ErasureRequest.filter(id=request.id)
            .using_db(conn)
            .update(status="done", completed_at=now, receipt=receipt.as_json())
        )
        return await ErasureRequest.filter(id=request.id).using_db(conn).get()

    return await in_fresh_transaction(work)


async def erasure_due(deadline: Deadline, participant: Participant, now: datetime, dry_run: bool) -> Firing:
    """The erasure deadline's rule: the window ended, so the erasure runs (unless it was cancelled)."""
    request = await ErasureRequest.filter(id=deadline.subject_id).first()
    if request is None or request.status != "pending":
        return Firing(f"no erasure: the request is {request.status if request else 'gone'}")
    if dry_run:
        return Firing(f"would erase participant {participant.id}")
    done = await erase(request.id, now)
    return Firing(f"erased participant {participant.id}" if done else "no erasure: nothing pending")
