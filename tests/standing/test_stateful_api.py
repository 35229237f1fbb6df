"""A Hypothesis state machine drives the real GraphQL API and checks it against a plain transition table.

The oracle below is written from the Code of Conduct rules, independently of domain.machines (which it
never imports): a dict {(role, state, event): next_state} and the guards as plain Python. Each
Hypothesis example registers fresh participants through the API (the transition log refuses DELETE,
so nothing is cleaned up between examples) and counts log rows per participant. Time only moves
through the injected FixedClock.

Hypothesis rules are synchronous, so the test owns an event loop and runs every request on it.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from strawberry.relay import GlobalID

from domain.access.organizations import get_or_create_organization
from domain.access.principals import TokenRole
from domain.access.tokens import create_token
from domain.infra import db
from domain.infra.config import Settings
from domain.kernel.clock import FixedClock
from domain.kernel.roles import Role
from domain.models import TransitionRecord
from domain.participants.registration import ProfileInput, register_participant
from schema.app import create_app
from schema.mutations.standing import camel

# --- the oracle: the Code of Conduct as a table and a few lines of Python -----------------------------

NEXT_STATE: dict[tuple[str, str, str], str] = {
    # Mentor: good → first notice → suspended → removed, and the admin's ways back.
    ("mentor", "good", "issue_notice"): "first_notice",
    ("mentor", "first_notice", "suspend"): "suspended",
    ("mentor", "first_notice", "remove"): "removed",
    ("mentor", "suspended", "remove"): "removed",
    ("mentor", "suspended", "lift_suspension"): "first_notice",
    ("mentor", "first_notice", "clear_notice"): "good",
    ("mentor", "removed", "undo_removal"): "first_notice",
    # Protégé: good → reminder → warning → ineligible, and back to good.
    ("protege", "good", "send_reminder"): "reminder",
    ("protege", "reminder", "approve_reschedule"): "good",
    ("protege", "good", "issue_warning"): "warning",
    ("protege", "reminder", "issue_warning"): "warning",
    ("protege", "good", "mark_ineligible"): "ineligible",
    ("protege", "reminder", "mark_ineligible"): "ineligible",
    ("protege", "warning", "mark_ineligible"): "ineligible",
    ("protege", "warning", "restore_good_standing"): "good",
    ("protege", "ineligible", "restore_good_standing"): "good",
}
ROLE_EVENTS = {role: {e for (r, _, e) in NEXT_STATE if r == role} for role in ("mentor", "protege")}
ALL_EVENTS = sorted(ROLE_EVENTS["mentor"] | ROLE_EVENTS["protege"])
HIDDEN = {"mentor": {"suspended", "removed"}, "protege": {"warning", "ineligible"}}
NEEDS_APPROVAL = {"mentor": set(), "protege": {"reminder"}}

DEEPER = {"issue_notice", "suspend", "remove", "issue_warning", "mark_ineligible"}

MAX_SUSPENSION = timedelta(days=365)  # suspend: `until` in the future and at most a year ahead
UNDO_GRACE = timedelta(days=30)  # undo_removal: within 30 days of the removal (inclusive)
NOTICE_DECAY = timedelta(days=180)  # only lets the *system* clear a notice; an admin always may
MAX_REASON = 2000

UNTIL_IN_PAST = "until: the suspension's end time must be in the future"
UNTIL_TOO_FAR = "until: the suspension may last at most the policy's maximum"
NO_REASON = "reason: every admin action needs a reason"
REASON_TOO_LONG = f"reason: at most {MAX_REASON} characters"
BAD_VERSION = "expectedVersion: versions start at 1"
GRACE_OVER = "a removal can only be undone within the policy's grace period, or by deciding its appeal"


@dataclass
class Person:
    """The model of one participant."""

    gid: str
    db_id: int
    role: str
    since: datetime
    state: str = "good"
    version: int = 1
    suspended_until: datetime | None = None
    log: list[tuple[str, str, str, str]] = field(default_factory=list)  # (event, from, to, reason)

    def admin_may(self, event: str, now: datetime) -> bool:
        """The non-input guards an admin meets (the only actor the API lets send events)."""
        if event == "undo_removal":
            return now <= self.since + UNDO_GRACE
        return True

    def allowed_events(self, now: datetime) -> set[str]:
        return {e for (r, s, e) in NEXT_STATE if r == self.role and s == self.state and self.admin_may(e, now)}


def expect(
    person: Person | None, event: str, reason: str, version: int | None, until: datetime | None, now: datetime
) -> dict[str, Any]:
    """What the API must answer, in the order the rules apply. `person` None: not in the caller's org."""
    stripped = reason.strip()
    if not stripped:
        return {"__typename": "InvalidInputError", "field": "reason", "message": NO_REASON}
    if len(stripped) > MAX_REASON:
        return {"__typename": "InvalidInputError", "field": "reason", "message": REASON_TOO_LONG}
    if version is not None and version < 1:
        return {"__typename": "InvalidInputError", "field": "expectedVersion", "message": BAD_VERSION}
    if person is None:
        return {"__typename": "NotFoundError"}
    if version is not None and version != person.version:
        return {"__typename": "StaleVersionError", "expectedVersion": version, "actualVersion": person.version}
    refusal = {
        "__typename": "TransitionNotAllowedError",
        "state": person.state,
        "allowedEvents": person.allowed_events(now),
    }
    if event not in ROLE_EVENTS[person.role]:
        return {**refusal, "reasons": [f"{event} is not a {person.role} event"]}
    target = NEXT_STATE.get((person.role, person.state, event))
    if target is None:
        return {**refusal, "reasons": []}
    if event == "suspend":
        if until is None or until <= now:
            return {"__typename": "InvalidInputError", "field": "until", "message": UNTIL_IN_PAST}
        if until > now + MAX_SUSPENSION:
            return {"__typename": "InvalidInputError", "field": "until", "message": UNTIL_TOO_FAR}
    if not person.admin_may(event, now):
        return {**refusal, "reasons": [GRACE_OVER]}
    return {"__typename": "TransitionPayload", "toState": target}


# --- GraphQL ----------------------------------------------------------------------------------------


MUTATION = """
mutation($pid: ID!, $reason: String!, $version: Int %(until_var)s) {
  %(field)s(input: {participantId: $pid, reason: $reason, expectedVersion: $version %(extra)s}) {
    __typename
    ... on TransitionPayload {
      participant { id version profileVisible bookingNeedsApproval standing { state since suspendedUntil } }
      transition { event fromState toState reason evidence occurredAt actor { kind } }
    }
    ... on UserError { message }
    ... on TransitionNotAllowedError { state event allowedEvents reasons }
    ... on StaleVersionError { expectedVersion actualVersion }
    ... on InvalidInputError { field }
    ... on NotFoundError { entity }
  }
}
"""

REGISTER = """
mutation($role: Role!, $name: String!, $email: String!) {
  registerParticipant(input: {role: $role, displayName: $name, email: $email}) {
    __typename
    ... on ParticipantPayload { participant { id version standing { state since } } }
  }
}
"""

PARTICIPANT_FIELDS = """
  version profileVisible bookingNeedsApproval
  standing {
    state since suspendedUntil allowedEvents
    history(first: 100) { edges { node { event fromState toState reason } } pageInfo { hasNextPage } }
  }
"""


def parse_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value.replace("Z", "+00:00"))


@dataclass
class Environment:
    """What the test function sets up once and every example shares: loop, HTTP client, clock, tokens."""

    loop: asyncio.AbstractEventLoop
    http: httpx.AsyncClient
    clock: FixedClock
    admin: str
    other_admin: str  # an admin of another organization
    partner: str
    participant_token: str

    def run(self, coroutine):
        return self.loop.run_until_complete(coroutine)

    def post(self, query: str, variables: dict[str, Any], token: str | None) -> dict:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = self.run(self.http.post("/graphql", json={"query": query, "variables": variables}, headers=headers))
        assert response.status_code == 200, response.text
        return response.json()

    def data(self, query: str, variables: dict[str, Any], token: str | None = None) -> dict:
        body = self.post(query, variables, token or self.admin)
        assert "errors" not in body, body["errors"]
        return body["data"]


BASE_TIME = datetime(2026, 1, 1, tzinfo=UTC)
EMAILS = itertools.count()

# Clock moves: small steps, and jumps to either side of every window the rules know.
DAY = timedelta(days=1)
CLOCK_STEPS = st.one_of(
    st.integers(min_value=1, max_value=400 * 86400).map(lambda s: timedelta(seconds=s)),
    st.sampled_from(
        [
            timedelta(microseconds=1),
            timedelta(minutes=5),
            DAY,
            7 * DAY,
            29 * DAY,
            UNDO_GRACE,
            UNDO_GRACE + DAY,
            NOTICE_DECAY,
            NOTICE_DECAY + DAY,
            MAX_SUSPENSION,
            MAX_SUSPENSION + DAY,
        ]
    ),
)
# `until` relative to now: past, now, the far edge of the maximum, and beyond it.
UNTIL_OFFSETS = st.sampled_from(
    [
        -DAY,
        -timedelta(microseconds=1),
        timedelta(0),
        timedelta(microseconds=1),
        timedelta(hours=1),
        14 * DAY,
        MAX_SUSPENSION - timedelta(seconds=1),
        MAX_SUSPENSION,
        MAX_SUSPENSION + timedelta(microseconds=1),
        MAX_SUSPENSION + DAY,
    ]
)
REASONS = st.one_of(
    st.sampled_from(
        ["a reason", "a reason", "  padded reason \n", "", "   ", "\t\n", "x" * MAX_REASON, "y" * (MAX_REASON + 1)]
    ),
    # NUL is left out here: PostgreSQL cannot store it, and it has its own test at the end of the file.
    st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=20),
)
VERSIONS = st.sampled_from(["none", "current", "none", "current", "stale", "ahead", "zero", "negative"])
# For the rule that walks the table: mostly good input, with a bad reason, version or `until` now and then.
GOOD_REASONS = st.sampled_from(["a reason"] * 6 + ["  padded reason \n", "   "])
GOOD_VERSIONS = st.sampled_from(["current", "none", "current", "none", "stale"])
GOOD_UNTILS = st.sampled_from([14 * DAY, timedelta(hours=1), MAX_SUSPENSION])


class StandingAPI(RuleBasedStateMachine):
    env: Environment  # set by the test function before Hypothesis runs

    def __init__(self) -> None:
        super().__init__()
        self.people: list[Person] = []
        self.env.clock.set(BASE_TIME)

    # -- setup: fresh participants for every example ---------------------------------------------------

    @initialize()
    def register_participants(self) -> None:
        for role in ("mentor", "protege", "mentor"):
            n = next(EMAILS)
            result = self.env.data(REGISTER, {"role": role.upper(), "name": f"P {n}", "email": f"p{n}@example.org"})
            payload = result["registerParticipant"]
            assert payload["__typename"] == "ParticipantPayload", payload
            node = payload["participant"]
            assert node["version"] == 1 and node["standing"]["state"] == "GOOD"
            gid = node["id"]
            self.people.append(Person(gid, int(GlobalID.from_id(gid).node_id), role, self.env.clock.now()))

    # -- rules ---------------------------------------------------------------------------------------

    @rule(step=CLOCK_STEPS)
    def time_passes(self, step: timedelta) -> None:
        self.env.clock.advance(step)

    def window_ends(self) -> list[datetime]:
        """Future ends of the windows the people's states have open: a removal's undo grace, a
        suspension's end, a notice's decay."""
        ends = []
        for person in self.people:
            if person.state == "removed":
                ends.append(person.since + UNDO_GRACE)
            elif person.state == "suspended" and person.suspended_until is not None:
                ends.append(person.suspended_until)
            elif person.state == "first_notice":
                ends.append(person.since + NOTICE_DECAY)
        return sorted(end for end in ends if end > self.env.clock.now())

    @precondition(lambda self: self.window_ends())
    @rule(data=st.data(), past_it=st.booleans())
    def time_reaches_a_window_end(self, data, past_it: bool) -> None:
        """Jump exactly to the end of an open window (still inside, for the inclusive grace) or 1 µs past it."""
        end = data.draw(st.sampled_from(self.window_ends()))
        self.env.clock.set(end + (timedelta(microseconds=1) if past_it else timedelta(0)))

    def removed_within_grace(self) -> list[Person]:
        return [p for p in self.people if p.state == "removed" and self.env.clock.now() <= p.since + UNDO_GRACE]

    @precondition(lambda self: self.removed_within_grace())
    @rule(data=st.data(), past_it=st.booleans())
    def admin_undoes_a_removal_at_the_last_moment(self, data, past_it: bool) -> None:
        """The grace period is inclusive: an undo exactly 30 days after the removal works, 1 µs later not."""
        person = data.draw(st.sampled_from(self.removed_within_grace()))
        self.env.clock.set(person.since + UNDO_GRACE + (timedelta(microseconds=1) if past_it else timedelta(0)))
        self.send(person, "undo_removal", "a mistaken removal", "current", timedelta(0), token=self.env.admin)

    @rule(data=st.data(), which=st.integers(0, 2), reason=GOOD_REASONS, version=GOOD_VERSIONS, until=GOOD_UNTILS)
    def admin_takes_a_step(self, data, which, reason, version, until) -> None:
        """An event the person's state has a row for, mostly with good input, so walks go deep."""
        person = self.people[which]
        candidates = sorted(e for (r, s, e) in NEXT_STATE if r == person.role and s == person.state)
        # Steps deeper into the machine count twice, so removals (and their undo window) come often.
        candidates += [e for e in candidates if e in DEEPER]
        event = data.draw(st.sampled_from(candidates))
        self.send(person, event, reason, version, until, token=self.env.admin)

    def mentors_with_a_notice(self) -> list[Person]:
        return [p for p in self.people if p.role == "mentor" and p.state == "first_notice"]

    @precondition(lambda self: self.mentors_with_a_notice())
    @rule(
        data=st.data(),
        until=st.sampled_from(
            [
                timedelta(0),
                timedelta(microseconds=1),
                MAX_SUSPENSION,
                MAX_SUSPENSION + timedelta(microseconds=1),
                -DAY,
            ]
        ),
    )
    def admin_suspends_a_mentor(self, data, until: timedelta) -> None:
        """`until` on both sides of both edges: now (not in the future) and now + 365 days (the maximum)."""
        person = data.draw(st.sampled_from(self.mentors_with_a_notice()))
        self.send(person, "suspend", "a reason", "current", until, token=self.env.admin)

    @rule(data=st.data(), which=st.integers(0, 2), reason=REASONS, version=VERSIONS, until=UNTIL_OFFSETS)
    def admin_sends_any_event(self, data, which, reason, version, until) -> None:
        """Any of the eleven events, including the other role's and ones the state has no row for,
        with any input: blank or overlong reasons, stale or invalid versions, past or too-far `until`."""
        person = self.people[which]
        own = sorted(e for (r, s, e) in NEXT_STATE if r == person.role and s == person.state)
        event = data.draw(st.sampled_from(own) | st.sampled_from(ALL_EVENTS))
        self.send(person, event, reason, version, until, token=self.env.admin)

    @rule(
        which=st.integers(0, 2),
        event=st.sampled_from(ALL_EVENTS),
        reason=REASONS,
        version=VERSIONS,
        who=st.sampled_from(["other_admin", "partner", "participant", "nobody"]),
    )
    def someone_else_sends(self, which, event, reason, version, who) -> None:
        """An admin of another organization gets NotFound; tokens that are not admin tokens get an auth error."""
        person = self.people[which]
        if who == "other_admin":
            self.send(person, event, reason, version, 14 * DAY, token=self.env.other_admin, same_org=False)
            return
        token = {"partner": self.env.partner, "participant": self.env.participant_token, "nobody": None}[who]
        body = self.env.post(*self.mutation(person, event, "a reason", person.version, 14 * DAY), token=token)
        assert body["data"] is None, body
        code = "UNAUTHENTICATED" if who == "nobody" else "FORBIDDEN"
        assert [e["extensions"]["code"] for e in body["errors"]] == [code], body

    # -- sending and checking ------------------------------------------------------------------------

    def mutation(
        self, person: Person, event: str, reason: str, version: int | None, until_offset: timedelta
    ) -> tuple[str, dict[str, Any]]:
        suspending = event == "suspend"
        query = MUTATION % {
            "field": camel(event),
            "until_var": ", $until: DateTime!" if suspending else "",
            "extra": ", until: $until" if suspending else "",
        }
        variables: dict[str, Any] = {"pid": person.gid, "reason": reason, "version": version}
        if suspending:
            variables["until"] = (self.env.clock.now() + until_offset).isoformat()
        return query, variables

    def send(
        self,
        person: Person,
        event: str,
        reason: str,
        version_kind: str,
        until_offset: timedelta,
        *,
        token: str,
        same_org: bool = True,
    ) -> None:
        version = {
            "none": None,
            "current": person.version,
            "stale": person.version - 1 if person.version > 1 else None,
            "ahead": person.version + 1,
            "zero": 0,
            "negative": -3,
        }[version_kind]
        now = self.env.clock.now()
        until = now + until_offset if event == "suspend" else None
        query, variables = self.mutation(person, event, reason, version, until_offset)
        got = self.env.data(query, variables, token=token)[camel(event)]
        want = expect(person if same_org else None, event, reason, version, until, now)

        assert got["__typename"] == want["__typename"], (event, person, want, got)
        match want["__typename"]:
            case "TransitionPayload":
                self.check_success(person, event, reason, until, now, got, want["toState"])
            case "InvalidInputError":
                assert (got["field"], got["message"]) == (want["field"], want["message"]), got
            case "StaleVersionError":
                assert (got["expectedVersion"], got["actualVersion"]) == (
                    want["expectedVersion"],
                    want["actualVersion"],
                )
            case "NotFoundError":
                assert got["entity"] == "Participant", got
            case "TransitionNotAllowedError":
                assert got["state"] == want["state"].upper(), (want, got)
                assert got["event"] == event.upper(), got
                assert {e.lower() for e in got["allowedEvents"]} == want["allowedEvents"], (person, want, got)
                assert got["reasons"] == want["reasons"], (want, got)

    def check_success(
        self, person: Person, event: str, reason: str, until: datetime | None, now: datetime, got: dict, target: str
    ) -> None:
        transition, participant = got["transition"], got["participant"]
        assert (transition["event"], transition["fromState"], transition["toState"]) == (
            event.upper(),
            person.state.upper(),
            target.upper(),
        )
        assert transition["reason"] == reason.strip()
        assert transition["actor"]["kind"] == "ADMIN"
        assert parse_time(transition["occurredAt"]) == now
        assert transition["evidence"] == ({"until": until.isoformat()} if event == "suspend" else {})
        person.log.append((event, person.state, target, reason.strip()))
        person.state, person.version, person.since = target, person.version + 1, now
        person.suspended_until = until if target == "suspended" else None
        assert participant["id"] == person.gid
        self.check_view(person, participant)

    def check_view(self, person: Person, view: dict) -> None:
        """A Participant as the API shows it, against the model."""
        assert view["version"] == person.version, (person, view)
        assert view["standing"]["state"] == person.state.upper(), (person, view)
        assert parse_time(view["standing"]["since"]) == person.since, (person, view)
        assert parse_time(view["standing"]["suspendedUntil"]) == person.suspended_until, (person, view)
        assert view["profileVisible"] is (person.state not in HIDDEN[person.role]), (person, view)
        assert view["bookingNeedsApproval"] is (person.state in NEEDS_APPROVAL[person.role]), (person, view)

    # -- invariants ----------------------------------------------------------------------------------

    @invariant()
    def the_api_and_the_log_agree_with_the_model(self) -> None:
        if not self.people:
            return
        query = "query(%s) { %s }" % (
            ", ".join(f"$p{i}: ID!" for i in range(len(self.people))),
            " ".join(f"p{i}: participant(id: $p{i}) {{ {PARTICIPANT_FIELDS} }}" for i in range(len(self.people))),
        )
        views = self.env.data(query, {f"p{i}": p.gid for i, p in enumerate(self.people)})
        now = self.env.clock.now()
        rows = Counter(
            self.env.run(
                TransitionRecord.filter(participant_id__in=[p.db_id for p in self.people]).values_list(
                    "participant_id", flat=True
                )
            )
        )
        for i, person in enumerate(self.people):
            view = views[f"p{i}"]
            self.check_view(person, view)
            assert {e.lower() for e in view["standing"]["allowedEvents"]} == person.allowed_events(now), (person, view)
            # One log row per successful transition, in order, each starting where the previous ended.
            assert rows[person.db_id] == len(person.log) == person.version - 1, (person, rows)
            history = view["standing"]["history"]
            assert history["pageInfo"]["hasNextPage"] is False
            logged = [
                (n["event"].lower(), n["fromState"].lower(), n["toState"].lower(), n["reason"])
                for n in (e["node"] for e in reversed(history["edges"]))
            ]
            assert logged == person.log, (person, logged)


def test_the_standing_api_follows_the_code_of_conduct_table(database_url: str) -> None:
    loop = asyncio.new_event_loop()
    http: httpx.AsyncClient | None = None
    connected = False
    try:
        loop.run_until_complete(db.connect(database_url))
        connected = True
        clock = FixedClock(BASE_TIME)
        app = create_app(Settings(database_url=database_url), clock=clock, manage_database=False)
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://standing.test")
        StandingAPI.env = Environment(loop, http, clock, *loop.run_until_complete(_tokens(clock)))
        run_state_machine_as_test(
            StandingAPI,
            settings=settings(
                max_examples=30,
                stateful_step_count=25,
                deadline=None,
                database=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
    finally:
        if http is not None:
            loop.run_until_complete(http.aclose())
        if connected:
            loop.run_until_complete(db.disconnect())
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
        StandingAPI.env = None  # type: ignore[assignment]


async def _tokens(clock: FixedClock) -> tuple[str, str, str, str]:
    """Tokens that outlive the examples: admin, an admin elsewhere, a partner, and a participant."""
    organization = await get_or_create_organization("stateful", clock)
    elsewhere = await get_or_create_organization("stateful-elsewhere", clock)
    bystander = await register_participant(
        organization_id=organization.id,
        role=Role.PROTEGE,
        clock=clock,
        profile=ProfileInput("Bystander", "bystander@example.org", "UTC"),
    )
    issued = [
        await create_token(organization=organization, role=TokenRole.ADMIN, clock=clock),
        await create_token(organization=elsewhere, role=TokenRole.ADMIN, clock=clock),
        await create_token(organization=organization, role=TokenRole.PARTNER, clock=clock),
        await create_token(
            organization=organization, role=TokenRole.PARTICIPANT, clock=clock, participant_id=bystander.id
        ),
    ]
    return tuple(i.secret for i in issued)  # type: ignore[return-value]


# --- NUL characters: a typed error on every database, not an internal error on PostgreSQL ---------------

NUL_MUTATION = """
mutation($pid: ID!, $reason: String!, $evidence: JSON) {
  issueNotice(input: {participantId: $pid, reason: $reason, evidence: $evidence}) {
    __typename
    ... on InvalidInputError { field }
  }
}
"""


@pytest.mark.parametrize(
    ("field", "reason", "evidence"),
    [
        ("reason", "broken\x00reason", None),
        ("evidence", "a reason", {"note": "broken\x00note"}),
    ],
)
async def test_a_nul_character_is_invalid_input_on_every_database(gql, world, field, reason, evidence):
    body = await gql.execute(
        NUL_MUTATION, {"pid": str(world.mentor.id), "reason": reason, "evidence": evidence}, token=world.admin
    )
    assert "errors" not in body, body["errors"]
    assert body["data"]["issueNotice"] == {"__typename": "InvalidInputError", "field": field}
    assert await TransitionRecord.filter(participant_id=world.mentor.id).count() == 0
