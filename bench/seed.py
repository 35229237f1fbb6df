"""Realistic data for bench/api.py: 10,000 participants of one organization, each with a history.

Every history is a walk through the participant's own standing machine (the classes in
`domain/machines/`), so each log row is a transition the machine has, and the participant row holds
the state, `standing_since` and `version` that walk leaves behind, exactly as `apply_event` would.
Deadlines that `apply_event` arms on entering first notice or a suspension are armed too, in the
future, so that the server's embedded sweep has nothing to fire while it is being measured.
Rows go in with the ORM's `bulk_create`, so every column passes through the models' fields.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from domain.access.organizations import get_or_create_organization
from domain.access.principals import TokenRole
from domain.access.tokens import create_token
from domain.badges.policy import BADGE_POLICIES
from domain.deadlines.schedule import deadline_key
from domain.kernel.actors import Actor
from domain.kernel.clock import FixedClock
from domain.kernel.roles import Role
from domain.models import BadgeRecord, Deadline, DeadlineKind, Participant, TransitionRecord
from domain.standing.machines import machine_class, machine_name
from domain.standing.policy import STANDING_POLICY

NOW = datetime.now(UTC).replace(microsecond=0)
ADMIN_EVENTS = {"approve_reschedule", "issue_notice", "suspend", "remove", "undo_removal"}
# Most steps lead back to good standing, as on a real platform; weights per event.
EVENT_WEIGHTS = {
    "send_reminder": 6,
    "approve_reschedule": 8,
    "issue_warning": 2,
    "mark_ineligible": 1,
    "restore_good_standing": 6,
    "issue_notice": 6,
    "clear_notice": 8,
    "suspend": 2,
    "lift_suspension": 6,
    "remove": 1,
    "undo_removal": 3,
}
HISTORY_LENGTHS = [0, 1, 2, 3, 4, 6, 9]
HISTORY_WEIGHTS = [30, 25, 18, 12, 8, 5, 2]


@dataclass(frozen=True)
class Seeded:
    organization_id: int
    admin_token: str
    partner_token: str
    participants: int
    transitions: int
    badges: int


def _walk(rng: random.Random, role: Role, steps: int) -> list[tuple[str, str, str]]:
    """(from, event, to) steps through the role's machine, starting in good standing."""
    machine = machine_class(role)
    state, path = "good", []
    states = {s.id: s for s in machine.states}
    for _ in range(steps):
        options = [(str(e), t.target.id) for t in states[state].transitions for e in t.events]
        event, target = rng.choices(options, weights=[EVENT_WEIGHTS[e] for e, _ in options])[0]
        path.append((state, event, target))
        state = target
    return path


def _criteria(rng: random.Random, role: Role, met: bool) -> list[dict]:
    evidence = []
    for criterion in BADGE_POLICIES[role].criteria:
        value = float(criterion.threshold) * (rng.uniform(1.0, 1.6) if met else rng.uniform(0.2, 0.95))
        evidence.append(
            {
                "key": criterion.key,
                "description": criterion.description,
                "met": met,
                "value": round(value, 4),
                "threshold": criterion.threshold,
                "window_start": (NOW - criterion.window).isoformat() if criterion.window else None,
                "window_end": NOW.isoformat(),
                "note": None,
            }
        )
    return evidence


async def seed(total: int = 10_000, *, seed_value: int = 7, batch: int = 2_000) -> Seeded:
    rng = random.Random(seed_value)
    clock = FixedClock(NOW)
    organization = await get_or_create_organization("bench", clock, "Bench platform")
    admin = await create_token(organization=organization, role=TokenRole.ADMIN, clock=clock, label="bench admin")
    partner = await create_token(organization=organization, role=TokenRole.PARTNER, clock=clock, label="bench partner")
    # A second organization, so that the organization filter has something to leave out.
    other = await get_or_create_organization("elsewhere", clock)

    participants: list[Participant] = []
    walks: list[list[tuple[str, str, str]]] = []
    for i in range(total + total // 20):
        role = Role.MENTOR if i % 5 < 2 else Role.PROTEGE  # 40 % mentors, 60 % protégés
        created = NOW - timedelta(days=rng.uniform(30, 720))
        walk = _walk(rng, role, rng.choices(HISTORY_LENGTHS, weights=HISTORY_WEIGHTS)[0])
        name = f"{'Mentor' if role is Role.MENTOR else 'Protege'} {i:05d}"
        participants.append(
            Participant(
                organization_id=organization.id if i < total else other.id,
                role=role,
                display_name=name,
                email=f"p{i:05d}@bench.example.org",
                timezone=rng.choice(["UTC", "Europe/Oslo", "America/Chicago"]),
                standing=walk[-1][2] if walk else "good",
                standing_since=created,
                version=1 + len(walk),
                program_review=False,
                created_at=created,
                updated_at=created,
            )
        )
        walks.append(walk)
    for start in range(0, len(participants), batch):
        await Participant.bulk_create(participants[start : start + batch])
    participants = await Participant.all().order_by("id")  # with their ids

    log: list[TransitionRecord] = []
    deadlines: list[Deadline] = []
    badges: list[BadgeRecord] = []
    for row, walk in zip(participants, walks, strict=False):
        if walk:
            # Steps spread from creation to now; a notice or suspension still in force is recent,
            # so the deadline it armed lies in the future.
            span = (NOW - row.created_at).total_seconds()
            times = sorted(row.created_at + timedelta(seconds=rng.uniform(0, span)) for _ in walk)
            if walk[-1][2] in {"first_notice", "suspended"}:
                times[-1] = NOW - timedelta(days=rng.uniform(1, 20))
                times = sorted(times)
            for (source, event, target), at in zip(walk, times, strict=False):
                actor = (
                    Actor.admin(admin.token.id)
                    if event in ADMIN_EVENTS or rng.random() < 0.5
                    else Actor.system("bench_seed")
                )
                evidence = {"until": (at + timedelta(days=30)).isoformat()} if event == "suspend" else {}
                log.append(
                    TransitionRecord(
                        organization_id=row.organization_id,
                        participant_id=row.id,
                        machine=machine_name(row.role),
                        from_state=source,
                        to_state=target,
                        event=event,
                        actor_kind=actor.kind.value,
                        actor_id=actor.id,
                        reason=f"bench: {event.replace('_', ' ')}",
                        evidence=evidence,
                        policy_version=STANDING_POLICY.version,
                        occurred_at=at,
                    )
                )
            row.standing_since = row.updated_at = times[-1]
            if row.standing == "suspended":
                row.suspended_until = times[-1] + timedelta(days=30)
                deadlines.append(_deadline(DeadlineKind.SUSPENSION_END, row, row.suspended_until, times[-1]))
            elif row.standing == "first_notice":
                due = times[-1] + STANDING_POLICY.notice_decay.value
                deadlines.append(_deadline(DeadlineKind.NOTICE_DECAY, row, due, times[-1]))
        if rng.random() < 0.3 and row.standing not in {"removed", "ineligible"}:
            awarded = rng.random() < 0.7
            since = NOW - timedelta(days=rng.uniform(1, 200))
            badges.append(
                BadgeRecord(
                    participant_id=row.id,
                    state="awarded" if awarded else "revoked",
                    since=since,
                    policy_version=BADGE_POLICIES[Role(row.role)].version,
                    evaluated_at=NOW - timedelta(hours=3),
                    criteria=_criteria(rng, Role(row.role), awarded),
                    certificate_code=secrets.token_hex(8) if awarded else None,
                    awarded_at=since,
                )
            )
    changed = [p for p, w in zip(participants, walks, strict=False) if w]
    for start in range(0, len(changed), batch):
        await Participant.bulk_update(
            changed[start : start + batch], fields=["standing_since", "updated_at", "suspended_until"]
        )
    for rows, model in ((log, TransitionRecord), (deadlines, Deadline), (badges, BadgeRecord)):
        for start in range(0, len(rows), batch):
            await model.bulk_create(rows[start : start + batch])
    return Seeded(
        organization_id=organization.id,
        admin_token=admin.secret,
        partner_token=partner.secret,  # type: ignore[union-attr]
        participants=total,
        transitions=len(log),
        badges=len(badges),
    )


def _deadline(kind: DeadlineKind, row: Participant, due: datetime, armed: datetime) -> Deadline:
    return Deadline(
        key=deadline_key(kind, row.id, row.version),
        kind=kind,
        participant_id=row.id,
        subject_id=row.version,
        due_at=due,
        base_due_at=due,
        armed_at=armed,
        created_at=armed,
    )
