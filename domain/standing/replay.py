"""Standing at any moment, rebuilt by replaying the append-only log through the machines, never from a copy.

Each logged step is sent again, in log order, to the role's standing machine (or the badge machine) with the
context it was taken in: its actor, its instant, its input, the step it overrules. A step the machine refuses,
or one logged from a state the replay is not in, means the log does not replay: that is a bug, returned as
`LogDoesNotReplay` and logged. `standing_at` answers for one participant (GraphQL's `standingAt`, certificate
verification); `check_organization` replays everyone and compares with the stored rows (`standing replay
--check`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from statemachine.exceptions import TransitionNotAllowed as MachineRefused

from domain.badges.evaluation import NO_BADGE_STANDINGS
from domain.badges.machine import HELD, BadgeMachine
from domain.infra.snapshots import ParticipantRead
from domain.kernel.actors import Actor, ActorKind
from domain.kernel.roles import Role
from domain.models import BadgeRecord, Participant, TransitionRecord
from domain.standing.machines import EventInputInvalid, TransitionContext, machine_class, machine_name
from domain.standing.policy import STANDING_POLICY

log = logging.getLogger("standing.replay")
BATCH = 200  # participants replayed per statement in a whole organization's check


def badge_machine_name(role: Role | str) -> str:
    return f"{Role(role).value}_badge"


# Every standing and badge machine: a row of another role's machine in someone's log is a finding, not noise.
REPLAYED_MACHINES = [*(machine_name(r) for r in Role), *(badge_machine_name(r) for r in Role)]


@dataclass(frozen=True)
class BadgeAt:
    status: str  # the badge machine's state: none, awarded, at_risk, revoked
    since: datetime | None  # when it took this status; None while there never was a badge
    record: TransitionRecord | None = None  # the badge step that set it

    @property
    def held(self) -> bool:
        return self.status in HELD


@dataclass(frozen=True)
class StandingAt:
    """A participant's standing and badge at one instant, as the replay rebuilt them."""

    participant_id: int
    at: datetime
    state: str
    since: datetime
    suspended_until: datetime | None
    decided_by: TransitionRecord | None  # the step that set this state; None: the state they registered in
    badge: BadgeAt
    steps: int  # log rows replayed up to `at`


@dataclass(frozen=True)
class LogDoesNotReplay:
    """A logged step the machines refuse from the state the replay reached before it."""

    participant_id: int
    record_id: int
    machine: str
    replayed_state: str  # where the replay stood before this step
    event: str
    from_state: str
    to_state: str
    problem: str

    @property
    def message(self) -> str:
        return (
            f"participant {self.participant_id}: log row {self.record_id} ({self.machine}: {self.event}, "
            f"{self.from_state} -> {self.to_state}) does not replay from {self.replayed_state}: {self.problem}"
        )


class _Holder:
    """What a standing machine's guards read: the replayed row, never the stored one."""

    def __init__(self, role: Role, state: str, since: datetime) -> None:
        self.role, self.standing, self.standing_since = role, state, since
        self.suspended_until: datetime | None = None


class _BadgeHolder:
    def __init__(self) -> None:
        self.state = "none"


@dataclass
class _Replay:
    participant_id: int
    role: Role
    holder: _Holder
    badge: _BadgeHolder = field(default_factory=_BadgeHolder)
    decided_by: TransitionRecord | None = None
    badge_since: datetime | None = None
    badge_record: TransitionRecord | None = None
    steps: int = 0

    def __post_init__(self) -> None:
        self.machine = machine_class(self.role)(model=self.holder, state_field="standing")
        self.badge_machine = BadgeMachine(model=self.badge, state_field="state")

    def step(self, row: TransitionRecord) -> LogDoesNotReplay | None:
        if row.machine == machine_name(self.role):
            problem = self._standing_step(row)
            before = row.from_state if problem is None else self.holder.standing
        elif row.machine == badge_machine_name(self.role):
            problem = self._badge_step(row)
            before = self.badge.state
        else:
            problem, before = f"a {row.machine} step in a {self.role.value}'s log", self.holder.standing
        if problem is not None:
            return LogDoesNotReplay(
                self.participant_id, row.id, row.machine, before, row.event, row.from_state, row.to_state, problem
            )
        self.steps += 1
        return None

    def _standing_step(self, row: TransitionRecord) -> str | None:
        state = self.holder.standing
        if row.from_state != state:
            return f"it is logged from {row.from_state}, but the replay is in {state}"
        if row.event not in machine_class(self.role).event_ids():
            return f"{row.event} is not a {self.role.value} event"
        if row.outcome == "held":  # automation would have taken it; a lock or an appeal held it: nothing moved
            return None if row.to_state == state else "a held step that changed state"
        try:
            actor = Actor(ActorKind(row.actor_kind), row.actor_id)
        except ValueError:
            return f"unknown actor kind {row.actor_kind!r}"
        until = _instant(row.evidence.get("until")) if isinstance(row.evidence, dict) else None
        ctx = TransitionContext(
            actor=actor,
            now=row.occurred_at,
            policy=STANDING_POLICY,  # the one standing policy; time rules log their own version beside it
            params={"until": until} if until is not None else {},
            overrules=row.overrules,
        )
        if row.event not in machine_class(self.role).events_from(state):
            return f"the {self.role.value} machine has no {row.event} out of {state}"
        try:
            self.machine.send(row.event, ctx=ctx)
        except EventInputInvalid as invalid:
            return f"its input is refused ({invalid})"
        except MachineRefused:
            return "the machine refuses it: " + "; ".join(self.machine.refusal_reasons(row.event, ctx))
        if self.holder.standing != row.to_state:
            reached, self.holder.standing = self.holder.standing, state
            self.machine = machine_class(self.role)(model=self.holder, state_field="standing")
            return f"the machine leads to {reached}, the log says {row.to_state}"
        # What apply_event writes beside the state, so the next step's guards read what they read then.
        self.holder.standing_since = row.occurred_at
        self.holder.suspended_until = until if self.holder.standing == "suspended" else None
        self.decided_by = row
        return None

    def _badge_step(self, row: TransitionRecord) -> str | None:
        state = self.badge.state
        if row.from_state != state:
            return f"it is logged from {row.from_state}, but the replayed badge is {state}"
        forbidden = self.holder.standing in NO_BADGE_STANDINGS[self.role]
        if row.event in ("award", "cure") and forbidden:
            return f"a badge cannot be earned in {self.holder.standing}"
        # The facts an evaluation saw are not all in the log, but each event needs its own: award and cure
        # need every criterion met, a lapse one unmet, a revocation a standing that forbids it or a cure date
        # passed. The machine then says whether that event leads from this state to the logged one.
        eligible = row.event in ("award", "cure")
        cure_passed = row.event == "revoke" and not forbidden
        try:
            self.badge_machine.send(row.event, eligible=eligible, forbidden=forbidden, cure_passed=cure_passed)
        except (MachineRefused, ValueError, AttributeError) as refused:
            return f"the badge machine refuses it ({type(refused).__name__})"
        if self.badge.state != row.to_state:
            reached, self.badge.state = self.badge.state, state
            self.badge_machine = BadgeMachine(model=self.badge, state_field="state")
            return f"the badge machine leads to {reached}, the log says {row.to_state}"
        self.badge_since, self.badge_record = row.occurred_at, row
        return None

    def answer(self, at: datetime) -> StandingAt:
        return StandingAt(
            participant_id=self.participant_id,
            at=at,
            state=self.holder.standing,
            since=self.holder.standing_since,
            suspended_until=self.holder.suspended_until,
            decided_by=self.decided_by,
            badge=BadgeAt(self.badge.state, self.badge_since, self.badge_record),
            steps=self.steps,
        )


def _instant(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def replay(
    participant: ParticipantRead, rows: Iterable[TransitionRecord], at: datetime | None = None
) -> StandingAt | LogDoesNotReplay:
    """The participant's standing after the log's steps up to `at` (all of them when None), in log order.

    Steps are taken in log order; the state at `at` is the one after the last step of the longest prefix
    logged at or before `at`. Rows of other machines (cases, appeals, facts) are not standing and are skipped."""
    role = Role(participant.role)
    state = _Replay(participant.id, role, _Holder(role, machine_class(role).initial_state.id, participant.created_at))
    last = participant.created_at
    for row in rows:
        if row.machine not in REPLAYED_MACHINES:
            continue
        if at is not None and row.occurred_at > at:
            break
        if (broken := state.step(row)) is not None:
            log.error("the transition log does not replay: %s", broken.message)
            return broken
        last = max(last, row.occurred_at)
    return state.answer(at if at is not None else last)


async def standing_at(participant: ParticipantRead, at: datetime) -> StandingAt | LogDoesNotReplay | None:
    """The participant's standing and badge at `at`; None before they registered."""
    if at < participant.created_at:
        return None
    # The whole log, in log order: replay() stops at the first row beyond `at`, so a row logged later with an
    # earlier time (a clock set back) is never taken out of order.
    rows = await TransitionRecord.filter(participant_id=participant.id, machine__in=REPLAYED_MACHINES).order_by("id")
    return replay(participant, rows, at)


@dataclass(frozen=True)
class Difference:
    """A participant whose stored row says something the replay of their log does not."""

    participant_id: int
    role: str
    broken: LogDoesNotReplay | None  # the log does not replay at all
    differences: dict[str, tuple[object, object]]  # field -> (stored, replayed)

    @property
    def message(self) -> str:
        if self.broken is not None:
            return self.broken.message
        said = "; ".join(
            f"{k}: stored {stored}, replayed {replayed}" for k, (stored, replayed) in self.differences.items()
        )
        return f"participant {self.participant_id} ({self.role}): {said}"


def compare(participant: Participant, badge: BadgeRecord | None, rows: list[TransitionRecord]) -> Difference | None:
    """What the stored rows say that the full replay does not, or None when they agree."""
    replayed = replay(participant, rows)
    if isinstance(replayed, LogDoesNotReplay):
        return Difference(participant.id, Role(participant.role).value, replayed, {})
    differences: dict[str, tuple[object, object]] = {}
    stored = {
        "standing": participant.standing,
        "standing_since": participant.standing_since,
        "suspended_until": participant.suspended_until,
        "badge": badge.state if badge else "none",
    }
    rebuilt = {
        "standing": replayed.state,
        "standing_since": replayed.since,
        "suspended_until": replayed.suspended_until,
        "badge": replayed.badge.status,
    }
    for key, value in stored.items():
        if value != rebuilt[key]:
            differences[key] = (value, rebuilt[key])
    return Difference(participant.id, Role(participant.role).value, None, differences) if differences else None


@dataclass
class CheckReport:
    participants: int = 0
    differences: list[Difference] = field(default_factory=list)


async def check_organization(organization_id: int, progress: Callable[[int, int], None] | None = None) -> CheckReport:
    """Replay every participant of the organization and report each whose stored state differs."""
    ids: list[int] = list(
        await Participant.filter(organization_id=organization_id).order_by("id").values_list("id", flat=True)  # type: ignore[arg-type]
    )
    report = CheckReport(participants=len(ids))
    if progress:
        progress(0, len(ids))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        participants = await Participant.filter(id__in=batch).order_by("id")
        badges = {b.participant_id: b for b in await BadgeRecord.filter(participant_id__in=batch)}
        logs: dict[int, list[TransitionRecord]] = {pid: [] for pid in batch}
        rows = await TransitionRecord.filter(participant_id__in=batch, machine__in=REPLAYED_MACHINES).order_by(
            "participant_id", "id"
        )
        for row in rows:
            logs[row.participant_id].append(row)
        for participant in participants:
            if (found := compare(participant, badges.get(participant.id), logs[participant.id])) is not None:
                if found.broken is None:
                    log.error("stored standing differs from its replay: %s", found.message)
                report.differences.append(found)
        if progress:
            progress(min(start + BATCH, len(ids)), len(ids))
    return report


__all__ = [
    "BadgeAt",
    "CheckReport",
    "Difference",
    "LogDoesNotReplay",
    "StandingAt",
    "check_organization",
    "compare",
    "replay",
    "standing_at",
]
