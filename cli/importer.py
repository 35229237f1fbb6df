"""Backfilling a platform's history from JSON Lines: `standing import FILE --org SLUG`.

Each line is one activity, replayed through the same use cases the API calls, with the clock set
to the record's `at` time. Records name each other with `ref`s ("ref": "g1", then "goal": "g1"),
or use database ids. The file is checked whole before anything is written, each problem reported
with its line and field, and the replay runs in one transaction: a bad batch writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from domain.activity.acting import Acting
from domain.activity.calendar import AddAvailability, CreateServiceOffering
from domain.activity.community import RecordCommunityEvent
from domain.activity.goals import CreateGoal, LogGoalProgress, SetGoalStatus, SmartGoal
from domain.activity.messages import RespondToMessage, SendMessage
from domain.activity.record import ActivityCommand, record_activity
from domain.activity.sessions import BookSession, RecordSessionOutcome, SubmitSessionFeedback, SubmitSessionNote
from domain.infra.db import transaction
from domain.kernel.clock import FixedClock
from domain.kernel.rejections import InvalidInput, NotFound, NotPermitted
from domain.kernel.roles import Role
from domain.models import Absentee, CommunityEventKind, GoalStatus, SessionStatus
from domain.participants.registration import ProfileInput, register_participant


@dataclass(frozen=True)
class ImportProblem:
    line: int
    field: str
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.problem}"


class ImportFailed(Exception):
    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


# Field kinds: how to read a JSON value, and what to call it in an error.
def _text(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError("must be a string")
    return v


def _int(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise ValueError("must be an integer")
    return v


def _number(v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError("must be a number")
    return float(v)


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise ValueError("must be true or false")
    return v


def _time(v: Any) -> datetime:
    try:
        parsed = datetime.fromisoformat(_text(v).replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("must be an ISO 8601 time, e.g. 2026-03-01T09:00:00Z") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _date(v: Any) -> date:
    try:
        return date.fromisoformat(_text(v))
    except ValueError:
        raise ValueError("must be an ISO date, e.g. 2026-06-30") from None


def _enum(kind: type[Enum]) -> Callable[[Any], Any]:
    def read(v: Any) -> Any:
        try:
            return kind(_text(v))
        except ValueError:
            raise ValueError(f"must be one of {', '.join(m.value for m in kind)}") from None

    return read


REF = "ref"  # a reference to another record: a ref string from an earlier line, or a database id

# type -> {field: (reader, required)}; "at" (the record's time) is allowed on every type.
RECORDS: dict[str, dict[str, tuple[Any, bool]]] = {
    "participant": {
        "role": (_enum(Role), True),
        "display_name": (_text, True),
        "email": (_text, True),
        "timezone": (_text, False),
    },
    "goal": {
        "protege": (REF, True),
        "mentor": (REF, False),
        "specific": (_text, True),
        "measurable": (_text, True),
        "achievable": (_text, True),
        "relevant": (_text, True),
        "due_on": (_date, True),
    },
    "goal_status": {"goal": (REF, True), "status": (_enum(GoalStatus), True)},
    "progress": {"goal": (REF, True), "note": (_text, True), "percent_complete": (_int, False), "author": (REF, False)},
    "availability": {"mentor": (REF, True), "starts_at": (_time, True), "ends_at": (_time, True)},
    "offering": {
        "mentor": (REF, True),
        "title": (_text, True),
        "description": (_text, False),
        "duration_minutes": (_int, False),
    },
    "session": {
        "mentor": (REF, True),
        "protege": (REF, True),
        "goal": (REF, True),
        "scheduled_at": (_time, True),
        "duration_minutes": (_int, False),
        "admin_approved": (_bool, False),
    },
    "session_outcome": {
        "session": (REF, True),
        "outcome": (_enum(SessionStatus), True),
        "absentee": (_enum(Absentee), False),
        "notice_hours": (_number, False),
    },
    "note": {"session": (REF, True), "body": (_text, True)},
    "feedback": {"session": (REF, True), "body": (_text, True), "rating": (_int, False)},
    "message": {"sender": (REF, True), "recipient": (REF, True)},
    "response": {"message": (REF, True)},
    "community_event": {"participant": (REF, True), "kind": (_enum(CommunityEventKind), True), "title": (_text, True)},
}


@dataclass
class Record:
    line: int
    type: str
    values: dict[str, Any]
    at: datetime | None
    ref: str | None


def parse(lines: Iterable[str]) -> list[Record]:
    """Check every line; raise ImportFailed with every problem found, or return the records."""
    records: list[Record] = []
    problems: list[ImportProblem] = []
    refs: set[str] = set()
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        before = len(problems)
        record = _parse_line(number, raw, refs, problems)
        if record and len(problems) == before:
            records.append(record)
            if record.ref:
                refs.add(record.ref)
    if problems:
        raise ImportFailed(problems)
    return records


def _parse_line(number: int, raw: str, refs: set[str], problems: list[ImportProblem]) -> Record | None:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        problems.append(ImportProblem(number, "(line)", f"not valid JSON: {exc.msg}"))
        return None
    if not isinstance(data, dict):
        problems.append(ImportProblem(number, "(line)", "each line must be a JSON object"))
        return None
    kind = data.get("type")
    if kind not in RECORDS:
        problems.append(ImportProblem(number, "type", f"must be one of {', '.join(RECORDS)}"))
        return None
    spec = RECORDS[kind]
    values: dict[str, Any] = {}
    for name in sorted(set(data) - set(spec) - {"type", "at", "ref"}):
        problems.append(ImportProblem(number, name, f"not a field of {kind}"))
    for name, (reader, required) in spec.items():
        if name not in data or data[name] is None:
            if required:
                problems.append(ImportProblem(number, name, "is required"))
            continue
        value = data[name]
        if reader is REF:
            if isinstance(value, str) and value in refs or isinstance(value, int) and not isinstance(value, bool):
                values[name] = value
            else:
                problems.append(ImportProblem(number, name, f"{value!r} is neither an earlier ref nor a database id"))
            continue
        try:
            values[name] = reader(value)
        except ValueError as exc:
            problems.append(ImportProblem(number, name, str(exc)))
    at = None
    if "at" in data:
        try:
            at = _time(data["at"])
        except ValueError as exc:
            problems.append(ImportProblem(number, "at", str(exc)))
    ref = data.get("ref")
    if ref is not None and (not isinstance(ref, str) or ref in refs):
        problems.append(ImportProblem(number, "ref", "must be a string not used by an earlier line"))
    return Record(number, kind, values, at, ref)


@dataclass
class ImportResult:
    counts: dict[str, int] = field(default_factory=dict)


async def apply(
    records: list[Record],
    *,
    organization_id: int,
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Replay the records in one transaction; the first rejection rolls everything back."""
    result = ImportResult()
    ids: dict[str, int] = {}
    acting = Acting(organization_id)
    async with transaction():
        for done, record in enumerate(records, start=1):
            clock = FixedClock(record.at or now)
            outcome = await _replay(record, acting, clock, lambda v: ids.get(v, -1) if isinstance(v, str) else v)
            if isinstance(outcome, (InvalidInput, NotFound, NotPermitted)):
                if isinstance(outcome, InvalidInput):
                    raise ImportFailed([ImportProblem(record.line, outcome.field, outcome.problem)])
                raise ImportFailed([ImportProblem(record.line, "(record)", outcome.message)])
            if record.ref:
                ids[record.ref] = outcome.id
            result.counts[record.type] = result.counts.get(record.type, 0) + 1
            if progress:
                progress(done, len(records))
    return result


async def _replay(r: Record, acting: Acting, clock: FixedClock, ref: Callable[[Any], int]) -> Any:
    v = r.values
    if r.type == "participant":
        profile = ProfileInput(v["display_name"], v["email"], v.get("timezone", "UTC"))
        return await register_participant(
            organization_id=acting.organization_id, role=v["role"], profile=profile, clock=clock
        )
    # Badges are evaluated once, after the import.
    return await record_activity(acting, _command(r.type, v, ref), clock=clock, evaluate=False)


def _command(kind: str, v: dict[str, Any], ref: Callable[[Any], int]) -> ActivityCommand:
    match kind:
        case "goal":
            goal = SmartGoal(v["specific"], v["measurable"], v["achievable"], v["relevant"], v["due_on"])
            return CreateGoal(
                protege_id=ref(v["protege"]), goal=goal, mentor_id=ref(v["mentor"]) if "mentor" in v else None
            )
        case "goal_status":
            return SetGoalStatus(goal_id=ref(v["goal"]), status=v["status"])
        case "progress":
            return LogGoalProgress(
                goal_id=ref(v["goal"]),
                note=v["note"],
                percent_complete=v.get("percent_complete"),
                author_id=ref(v["author"]) if "author" in v else None,
            )
        case "availability":
            return AddAvailability(mentor_id=ref(v["mentor"]), starts_at=v["starts_at"], ends_at=v["ends_at"])
        case "offering":
            return CreateServiceOffering(
                mentor_id=ref(v["mentor"]),
                title=v["title"],
                description=v.get("description", ""),
                duration_minutes=v.get("duration_minutes", 60),
            )
        case "session":
            return BookSession(
                mentor_id=ref(v["mentor"]),
                protege_id=ref(v["protege"]),
                goal_id=ref(v["goal"]),
                scheduled_at=v["scheduled_at"],
                duration_minutes=v.get("duration_minutes", 60),
                admin_approved=v.get("admin_approved", False),
            )
        case "session_outcome":
            return RecordSessionOutcome(
                session_id=ref(v["session"]),
                outcome=v["outcome"],
                absentee=v.get("absentee"),
                notice_hours=v.get("notice_hours"),
            )
        case "note":
            return SubmitSessionNote(session_id=ref(v["session"]), body=v["body"])
        case "feedback":
            return SubmitSessionFeedback(session_id=ref(v["session"]), body=v["body"], rating=v.get("rating"))
        case "message":
            return SendMessage(sender_id=ref(v["sender"]), recipient_id=ref(v["recipient"]))
        case "response":
            return RespondToMessage(message_id=ref(v["message"]))
        case "community_event":
            return RecordCommunityEvent(participant_id=ref(v["participant"]), kind=v["kind"], title=v["title"])
    raise AssertionError(f"unhandled record type {kind}")
