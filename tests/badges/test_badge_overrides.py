"""An organization's badge overrides, set by an admin over GraphQL: validated, recorded and applied."""

from __future__ import annotations

import pytest

from domain.badges.overrides import policy_for
from domain.kernel.roles import Role
from domain.models import BadgePolicyChange, Organization

SET = """mutation($overrides: JSON!, $reason: String!) { setBadgeOverrides(overrides: $overrides, reason: $reason) {
  __typename
  ... on BadgeOverridesPayload { change { id actor { kind id } reason previous overrides versions occurredAt }
    policies { role version criteria { key threshold windowDays overridden } } }
  ... on InvalidInputError { field message } } }"""
POLICIES = "{ badgePolicies { role version criteria { key threshold windowDays overridden source } } }"
CHANGES = "{ badgePolicyChanges { reason overrides versions actor { kind } } }"
FOUR_SESSIONS = {"protege": {"session_attendance": {"threshold": 4, "window_days": 90}}}


def criterion(policies: list[dict], role: str, key: str) -> dict:
    policy = next(p for p in policies if p["role"] == role)
    return next(c for c in policy["criteria"] if c["key"] == key)


async def test_an_admin_sets_overrides_and_every_reader_sees_the_new_policy(gql, world):
    before = (await gql.data(POLICIES, token=world.partner))["badgePolicies"]
    code = criterion(before, "PROTEGE", "session_attendance")
    assert not code["overridden"]

    result = (
        await gql.data(SET, {"overrides": FOUR_SESSIONS, "reason": "our cohorts meet weekly"}, token=world.admin)
    )["setBadgeOverrides"]
    assert result["__typename"] == "BadgeOverridesPayload"
    change = result["change"]
    assert change["actor"]["kind"] == "ADMIN" and change["reason"] == "our cohorts meet weekly"
    assert change["previous"] is None and change["overrides"] == FOUR_SESSIONS
    protege_version = change["versions"]["protege"]
    assert "+org." in protege_version and "+org." not in change["versions"]["mentor"]

    for token in (world.partner, world.protege_token, world.admin):
        after = (await gql.data(POLICIES, token=token))["badgePolicies"]
        attendance = criterion(after, "PROTEGE", "session_attendance")
        assert (attendance["threshold"], attendance["windowDays"], attendance["overridden"]) == (4.0, 90, True)
        assert next(p for p in after if p["role"] == "PROTEGE")["version"] == protege_version
    # The evaluation reads the same values.
    policy = await policy_for(world.org_id, Role.PROTEGE)
    assert policy.version == protege_version and policy.criterion("session_attendance").threshold == 4


async def test_an_empty_object_restores_the_code_and_the_history_keeps_both_changes(gql, world):
    await gql.data(SET, {"overrides": FOUR_SESSIONS, "reason": "weekly"}, token=world.admin)
    restored = (await gql.data(SET, {"overrides": {}, "reason": "back to the Code"}, token=world.admin))[
        "setBadgeOverrides"
    ]
    assert restored["change"]["previous"] == FOUR_SESSIONS and restored["change"]["overrides"] is None
    assert not any(c["overridden"] for p in restored["policies"] for c in p["criteria"])
    assert (await Organization.get(id=world.org_id)).policy_overrides is None
    history = (await gql.data(CHANGES, token=world.admin))["badgePolicyChanges"]
    assert [h["reason"] for h in history] == ["back to the Code", "weekly"]


@pytest.mark.parametrize(
    "overrides, field, fragment",
    [
        ({"coach": {}}, "overrides", "unknown role"),
        ({"protege": {"session_attendance": {"threshold": -1}}}, "overrides", "positive number"),
        ({"mentor": {"responsiveness": {"threshold": 1.5}}}, "overrides", "at most 1"),
        ({"protege": {"nope": {"threshold": 2}}}, "overrides", "unknown protege criterion"),
        ([1, 2], "overrides", "an object by role"),
        ({"protege": {"session_attendance": 4}}, "overrides", "an object by role"),
    ],
)
async def test_bad_overrides_are_refused_with_the_reason_and_change_nothing(gql, world, overrides, field, fragment):
    result = (await gql.data(SET, {"overrides": overrides, "reason": "try"}, token=world.admin))["setBadgeOverrides"]
    assert result["__typename"] == "InvalidInputError" and result["field"] == field
    assert fragment in result["message"]
    assert (await Organization.get(id=world.org_id)).policy_overrides is None
    assert await BadgePolicyChange.all().count() == 0


async def test_a_reason_is_required(gql, world):
    result = (await gql.data(SET, {"overrides": FOUR_SESSIONS, "reason": "  "}, token=world.admin))["setBadgeOverrides"]
    assert result == {
        "__typename": "InvalidInputError",
        "field": "reason",
        "message": "reason: every admin action needs a reason",
    }


@pytest.mark.parametrize("who", ["partner", "protege_token", "mentor_token"])
async def test_only_admins_change_overrides_or_read_their_history(gql, world, who):
    for query, variables in ((SET, {"overrides": FOUR_SESSIONS, "reason": "x"}), (CHANGES, {})):
        body = await gql.execute(query, variables, token=getattr(world, who))
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert (await Organization.get(id=world.org_id)).policy_overrides is None


async def test_another_organizations_overrides_are_its_own(gql, world):
    await gql.data(SET, {"overrides": FOUR_SESSIONS, "reason": "ours"}, token=world.other_admin)
    ours = (await gql.data(POLICIES, token=world.admin))["badgePolicies"]
    assert not criterion(ours, "PROTEGE", "session_attendance")["overridden"]
    assert (await gql.data(CHANGES, token=world.admin))["badgePolicyChanges"] == []


async def test_the_policy_pages_example_runs_as_written(gql, world):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "policy.md").read_text()
    example = text.split("```graphql\n", 1)[1].split("```", 1)[0]
    result = (await gql.data(example, token=world.admin))["setBadgeOverrides"]
    assert result["change"]["versions"]["protege"] == (await policy_for(world.org_id, Role.PROTEGE)).version
    assert "+org." in result["change"]["versions"]["protege"]
