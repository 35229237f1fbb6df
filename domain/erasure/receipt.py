"""An erasure's receipt: what was deleted, what was pseudonymized, what was kept, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ReceiptLine:
    table: str
    columns: tuple[str, ...]
    rows: int
    why: str

    def as_json(self) -> dict[str, Any]:
        return {"table": self.table, "columns": list(self.columns), "rows": self.rows, "why": self.why}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReceiptLine:
        return cls(data["table"], tuple(data["columns"]), data["rows"], data["why"])


# What the erasure keeps, and why: the record of what happened, under the pseudonym.
KEPT = (
    ReceiptLine(
        "transition_log",
        ("event", "from_state", "to_state", "actor_kind", "actor_id", "reason", "evidence", "policy_version"),
        0,
        "the record of every standing step, who took it and why; it names the person by id only",
    ),
    ReceiptLine(
        "case, case_log, case_decision, concern",
        ("state", "category", "code_section", "event", "reason", "outcome", "reference"),
        0,
        "cases, their steps, reasons and outcomes, and report codes: the organization's record of its decisions",
    ),
    ReceiptLine(
        "notice, appeal",
        ("title", "parts", "body", "state", "decision_reason"),
        0,
        "notices as issued and appeal decisions, with the name replaced by the pseudonym",
    ),
    ReceiptLine(
        "outbox_event",
        ("type", "event", "from_state", "to_state", "reason_code", "ref"),
        0,
        "events partners received; they hold ids and codes, never contact details",
    ),
    ReceiptLine(
        "mentorship_session, message, goal, recorded_fact, badge, deadline",
        ("times", "status", "state", "criteria"),
        0,
        "when things happened and how they counted, without the words: the badge and standing evidence",
    ),
)


@dataclass(frozen=True)
class Receipt:
    deleted: list[ReceiptLine]
    pseudonymized: list[ReceiptLine]
    kept: list[ReceiptLine] = field(default_factory=list)
    pseudonym: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "pseudonym": self.pseudonym,
            "deleted": [line.as_json() for line in self.deleted],
            "pseudonymized": [line.as_json() for line in self.pseudonymized],
            "kept": [line.as_json() for line in self.kept],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Receipt:
        return cls(
            deleted=[ReceiptLine.from_json(d) for d in data["deleted"]],
            pseudonymized=[ReceiptLine.from_json(d) for d in data["pseudonymized"]],
            kept=[ReceiptLine.from_json(d) for d in data["kept"]],
            pseudonym=data.get("pseudonym", ""),
        )
