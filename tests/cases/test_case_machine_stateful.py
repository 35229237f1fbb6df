"""A Hypothesis state machine drives cases through the real GraphQL API and checks them against a plain table.

The table is written from the issue's words, independently of domain/cases/machine.py (which it never
imports): the states, the steps between them, and the rule that an admin who is a party may not decide.
Every accepted step must appear once in the case log; every refused one must change nothing.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from domain.access.organizations import get_or_create_organization
from domain.access.principals import TokenRole
from domain.access.tokens import create_token
from domain.kernel.roles import Role
from domain.participants.registration import ProfileInput, register_participant
from tests.support.stateful import LoopClient, api_on_a_loop

NEXT = {
    ("open", "triage"): "triaged",
    ("reopened", "triage"): "triaged",
    ("triaged", "investigate"): "investigating",
    ("triaged", "decide"): "decided",
    ("investigating", "decide"): "decided",
    ("decided", "close"): "closed",
    ("open", "dismiss"): "dismissed",
    ("triaged", "dismiss"): "dismissed",
    ("investigating", "dismiss"): "dismissed",
    ("reopened", "dismiss"): "dismissed",
    ("decided", "reopen"): "reopened",
    ("closed", "reopen"): "reopened",
    ("dismissed", "reopen"): "reopened",
}
STEPS = ["triage", "investigate", "dismiss", "close", "reopen", "decide"]
START = datetime(2026, 3, 1, tzinfo=UTC)
NAMES = itertools.count()

REPORT = """mutation($s: ID!) { reportConcern(input: {subjectId: $s, category: OTHER, codeSection: "Mentor Code 1",
  description: "something happened"}) { __typename ... on ReportReceipt { caseReference joinedExistingCase } } }"""
CASE = "query($id: ID!) { case(id: $id) { id state version allowedEvents log { event } } }"
STEP = """mutation($input: CaseStepInput!) { %sCase(input: $input) { __typename
  ... on CasePayload { case { state } } ... on CaseStepNotAllowedError { state allowedEvents } } }"""
DECIDE = """mutation($input: DecideCaseInput!) { decideCase(input: $input) { __typename
  ... on CaseDecisionPayload { case { state } } ... on CaseStepNotAllowedError { reasons } } }"""


class CaseAPI(RuleBasedStateMachine):
    client: LoopClient
    admin: str  # an admin who is a party to no case
    party_admin: str  # an admin who is the subject of every case here
    subject_id: int

    def __init__(self) -> None:
        super().__init__()
        self.case_id: str | None = None
        self.state = "open"
        self.logged = 0

    @initialize()
    def a_concern_opens_a_case(self) -> None:
        subject = self.client.run(_person(Role.MENTOR))
        CaseAPI.subject_id = subject
        CaseAPI.party_admin = self.client.run(_token(TokenRole.ADMIN, subject))
        reporter = self.client.run(_token(TokenRole.PARTNER))  # a reporter of its own: five reports a day each
        receipt = self.client.post(REPORT, {"s": str(subject)}, reporter)["reportConcern"]
        assert receipt == {
            "__typename": "ReportReceipt",
            "caseReference": receipt["caseReference"],
            "joinedExistingCase": False,
        }
        self.case_id = receipt["caseReference"]
        self.logged = 1  # "open"

    @rule(step=st.sampled_from(STEPS), as_party=st.booleans())
    def an_admin_takes_a_step(self, step: str, as_party: bool) -> None:
        token = self.party_admin if as_party else self.admin
        case_id = self.client.post(CASE, {"id": self.case_id}, self.admin)["case"]["id"]
        if step == "decide":
            answer = self.client.post(
                DECIDE, {"input": {"caseId": case_id, "outcome": "GUIDANCE", "reason": "a conversation"}}, token
            )["decideCase"]
        else:
            answer = self.client.post(STEP % step, {"input": {"caseId": case_id, "reason": "a reason"}}, token)[
                f"{step}Case"
            ]
        target = NEXT.get((self.state, step))
        allowed = target is not None and not (step == "decide" and as_party)
        if allowed:
            assert answer["__typename"] in {"CasePayload", "CaseDecisionPayload"}, answer
            assert answer["case"]["state"] == target.upper()
            self.state, self.logged = target, self.logged + 1
        else:
            assert answer["__typename"] == "CaseStepNotAllowedError", (self.state, step, as_party, answer)

    @rule()
    def time_passes(self) -> None:
        self.client.clock.advance(timedelta(hours=7))

    @invariant()
    def the_api_shows_the_tables_state_and_every_step_once(self) -> None:
        if self.case_id is None:
            return
        case = self.client.post(CASE, {"id": self.case_id}, self.admin)["case"]
        assert case["state"] == self.state.upper()
        assert len(case["log"]) == self.logged
        expected = {step.upper() for (state, step) in NEXT if state == self.state}
        assert set(case["allowedEvents"]) == expected


async def _person(role: Role) -> int:
    organization = await get_or_create_organization("demo", _clock())
    n = next(NAMES)
    result = await register_participant(
        organization_id=organization.id,
        role=role,
        profile=ProfileInput(f"Subject {n}", f"s{n}@example.org"),
        clock=_clock(),
    )
    return result.id  # type: ignore[union-attr]


async def _token(role: TokenRole, participant_id: int | None = None) -> str:
    organization = await get_or_create_organization("demo", _clock())
    issued = await create_token(organization=organization, role=role, clock=_clock(), participant_id=participant_id)
    return issued.secret  # type: ignore[union-attr]


def _clock():  # type: ignore[no-untyped-def]
    return CaseAPI.client.clock


def test_the_case_api_follows_the_case_table(database_url: str) -> None:
    with api_on_a_loop(database_url, START) as client:
        CaseAPI.client = client
        CaseAPI.admin = client.run(_token(TokenRole.ADMIN))
        run_state_machine_as_test(
            CaseAPI,
            settings=settings(
                max_examples=25,
                stateful_step_count=20,
                deadline=None,
                database=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
