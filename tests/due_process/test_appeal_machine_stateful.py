"""A Hypothesis state machine drives appeals through the real GraphQL API and checks them against a plain table.

The table is written from the issue's words, independently of domain/appeals/machine.py (which it never
imports): an appeal is filed once, within 20 days of the step, by the participant it was taken against; an
admin who did not take the step upholds, reduces or overturns it; its appellant withdraws it; undecided 14
days after filing it expires. Refused steps change nothing.
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
from domain.deadlines.sweep import sweep
from domain.kernel.roles import Role
from domain.participants.registration import ProfileInput, register_participant
from tests.support.due_process import APPEAL, APPEAL_BY_ID, DECIDE_APPEAL, WITHDRAW
from tests.support.stateful import LoopClient, api_on_a_loop

WINDOW, DECIDE_WITHIN = timedelta(days=20), timedelta(days=14)
DECIDED = {"uphold": "upheld", "reduce": "reduced", "overturn": "overturned"}
# What each decision leaves a suspended mentor in: the suspension stands, or it is undone to the first notice.
STANDING_AFTER = {"upheld": "SUSPENDED", "reduced": "FIRST_NOTICE", "overturned": "FIRST_NOTICE"}
START = datetime(2026, 5, 1, tzinfo=UTC)
NAMES = itertools.count()

NOTICE = 'mutation($p: ID!) { issueNotice(input: {participantId: $p, reason: "late"}) { __typename } }'
SUSPEND = """mutation($p: ID!, $u: DateTime!) { suspend(input: {participantId: $p, reason: "again", until: $u}) {
  ... on TransitionPayload { transition { id } } } }"""
STANDING = "query($id: ID!) { participant(id: $id) { standing { state } } }"


class AppealAPI(RuleBasedStateMachine):
    client: LoopClient
    suspender: str  # the admin who takes every step here
    other_admin: str

    def __init__(self) -> None:
        super().__init__()
        self.state = "none"  # no appeal yet
        self.appeal_id: str | None = None
        self.step_at = self.filed_at = START

    @initialize()
    def an_admin_suspends_a_mentor(self) -> None:
        c = self.client
        self.mentor = c.run(_person(c, Role.MENTOR))
        self.mentor_token = c.run(_token(c, TokenRole.PARTICIPANT, self.mentor))
        self.bystander = c.run(_token(c, TokenRole.PARTICIPANT, c.run(_person(c, Role.PROTEGE))))
        c.post(NOTICE, {"p": str(self.mentor)}, self.suspender)
        until = (c.clock.now() + timedelta(days=300)).isoformat()
        self.step_id = c.post(SUSPEND, {"p": str(self.mentor), "u": until}, self.suspender)["suspend"]["transition"][
            "id"
        ]
        self.step_at = c.clock.now()

    @rule(by_the_mentor=st.booleans())
    def file(self, by_the_mentor: bool) -> None:
        token = self.mentor_token if by_the_mentor else self.bystander
        variables = {"input": {"transitionId": self.step_id, "statement": "please look again"}}
        answer = self.client.post(APPEAL, variables, token)["appealSanction"]
        allowed = by_the_mentor and self.state == "none" and self.client.clock.now() <= self.step_at + WINDOW
        if allowed:
            assert answer["__typename"] == "AppealPayload", answer
            self.state, self.appeal_id, self.filed_at = "open", answer["appeal"]["id"], self.client.clock.now()
        else:
            assert answer["__typename"] in {"NotPermittedError", "NotFoundError"}, (self.state, answer)

    @rule(decision=st.sampled_from(sorted(DECIDED)), by_the_suspender=st.booleans())
    def decide(self, decision: str, by_the_suspender: bool) -> None:
        if self.appeal_id is None:
            return
        extra = {"reduceTo": "ISSUE_NOTICE"} if decision == "reduce" else {}
        variables = {"input": {"appealId": self.appeal_id, "decision": decision.upper(), "reason": "read it", **extra}}
        token = self.suspender if by_the_suspender else self.other_admin
        answer = self.client.post(DECIDE_APPEAL, variables, token)["decideAppeal"]
        if self.state == "open" and not by_the_suspender:
            assert answer["__typename"] == "AppealDecisionPayload", answer
            self.state = DECIDED[decision]
        else:
            assert answer["__typename"] == "AppealStepNotAllowedError", (self.state, answer)

    @rule(by_the_mentor=st.booleans())
    def withdraw(self, by_the_mentor: bool) -> None:
        if self.appeal_id is None:
            return
        token = self.mentor_token if by_the_mentor else self.bystander
        answer = self.client.post(WITHDRAW, {"id": self.appeal_id}, token)["withdrawAppeal"]
        if by_the_mentor and self.state == "open":
            assert answer["__typename"] == "AppealPayload", answer
            self.state = "withdrawn"
        else:
            assert answer["__typename"] in {"AppealStepNotAllowedError", "NotFoundError"}, (self.state, answer)

    @rule(days=st.integers(min_value=1, max_value=9))
    def time_passes_and_the_sweep_runs(self, days: int) -> None:
        clock = self.client.clock
        clock.advance(timedelta(days=days))
        self.client.run(sweep(clock))
        if self.state == "open" and clock.now() >= self.filed_at + DECIDE_WITHIN:
            self.state = "expired"

    @invariant()
    def the_api_shows_the_tables_state(self) -> None:
        if not hasattr(self, "mentor"):
            return
        standing = self.client.post(STANDING, {"id": str(self.mentor)}, self.other_admin)
        expected = STANDING_AFTER.get(self.state, "SUSPENDED")
        assert standing["participant"]["standing"]["state"] == expected, self.state
        if self.appeal_id is None:
            return
        appeal = self.client.post(APPEAL_BY_ID, {"id": self.appeal_id}, self.other_admin)["appeal"]
        assert appeal["state"] == self.state.upper()
        assert set(appeal["allowedEvents"]) == ({"UPHOLD", "REDUCE", "OVERTURN"} if self.state == "open" else set())


async def _person(client: LoopClient, role: Role) -> int:
    organization = await get_or_create_organization("demo", client.clock)
    n = next(NAMES)
    result = await register_participant(
        organization_id=organization.id,
        role=role,
        profile=ProfileInput(f"Person {n}", f"p{n}@example.org"),
        clock=client.clock,
    )
    return result.id  # type: ignore[union-attr]


async def _token(client: LoopClient, role: TokenRole, participant_id: int | None = None) -> str:
    organization = await get_or_create_organization("demo", client.clock)
    issued = await create_token(organization=organization, role=role, clock=client.clock, participant_id=participant_id)
    return issued.secret  # type: ignore[union-attr]


def test_the_appeal_api_follows_the_appeal_table(database_url: str) -> None:
    with api_on_a_loop(database_url, START) as client:
        AppealAPI.client = client
        AppealAPI.suspender = client.run(_token(client, TokenRole.ADMIN))
        AppealAPI.other_admin = client.run(_token(client, TokenRole.ADMIN))
        run_state_machine_as_test(
            AppealAPI,
            settings=settings(
                max_examples=25,
                stateful_step_count=15,
                deadline=None,
                database=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
