"""The role matrix through the GraphQL API: who may read and do what, on whom, inside which organization.

Token roles: an admin acts inside its own organization, a participant sees only itself, a partner reads
standing in its organization but never contact details, and no token (or a revoked or malformed one)
gets a clear UNAUTHENTICATED error. An admin of another organization sees nothing of "demo".
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import timedelta

import pytest

from domain.access.organizations import get_or_create_organization
from domain.access.tokens import hash_secret, revoke_token
from domain.kernel.actors import Actor
from domain.kernel.roles import Role
from domain.models import ApiToken, Participant, TransitionRecord
from domain.standing.apply import StandingCommand, TransitionApplied, apply_event
from domain.standing.machines import MACHINES
from schema.mutations.standing import camel

MAYA = ("Maya Mentor", "maya.mentor@example.org")
PAT = ("Pat Protege", "pat.protege@example.org")
SAM = ("Sam Suspended", "sam.suspended@example.org")
OLIVE = ("Olive Outsider", "olive.outsider@example.org")


def global_id(participant_id: int) -> str:
    """The Relay global id of a participant, computed independently of the product code."""
    return base64.b64encode(f"Participant:{participant_id}".encode()).decode()


def error_codes(body: dict) -> list[str | None]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors", [])]


@dataclass
class Crowd:
    """The world plus a hidden (suspended) mentor in demo and a mentor in the other organization."""

    demo_id: int
    elsewhere_id: int
    sam: Participant
    olive: Participant


@pytest.fixture
async def crowd(world, clock) -> Crowd:
    sam = await world.participant(Role.MENTOR, SAM[0])
    for event, params in [("issue_notice", {}), ("suspend", {"until": clock.now() + timedelta(days=7)})]:
        applied = await apply_event(
            StandingCommand(
                participant_id=sam.id,
                event=event,
                actor=Actor.admin("setup"),
                reason="setup",
                params=params,
                organization_id=world.org_id,
            ),
            clock=clock,
        )
        assert isinstance(applied, TransitionApplied), applied
    elsewhere = await get_or_create_organization("elsewhere", clock)
    olive = await world.participant(Role.MENTOR, OLIVE[0], org_id=elsewhere.id)
    assert elsewhere.id != world.org_id
    return Crowd(world.org_id, elsewhere.id, sam, olive)


# --- who am I --------------------------------------------------------------------------------------

VIEWER = "{ viewer { role organizationId participantId } }"


@pytest.mark.parametrize(
    ("token", "role", "org", "participant"),
    [
        ("admin", "ADMIN", "demo", None),
        ("partner", "PARTNER", "demo", None),
        ("mentor_token", "PARTICIPANT", "demo", "mentor"),
        ("protege_token", "PARTICIPANT", "demo", "protege"),
        ("other_admin", "ADMIN", "elsewhere", None),
    ],
)
async def test_viewer_tells_each_token_its_role_organization_and_participant(
    gql, world, clock, token, role, org, participant
):
    org_id = (await get_or_create_organization(org, clock)).id
    data = await gql.data(VIEWER, token=getattr(world, token))
    assert data["viewer"] == {
        "role": role,
        "organizationId": str(org_id),
        "participantId": str(getattr(world, participant).id) if participant else None,
    }


# --- reading one participant: participant(id) and node(id) ---------------------------------------

PARTICIPANT_QUERY = "query($id: ID!) { participant(id: $id) { id displayName email standing { state } } }"
NODE_QUERY = "query($id: ID!) { node(id: $id) { id ... on Participant { displayName email standing { state } } } }"

LOOKUPS = {
    "participant-by-database-id": (PARTICIPANT_QUERY, "participant", lambda p: str(p.id)),
    "participant-by-global-id": (PARTICIPANT_QUERY, "participant", lambda p: global_id(p.id)),
    "node-by-global-id": (NODE_QUERY, "node", lambda p: global_id(p.id)),
}

# (token, target, may read, may see the email)
READ_MATRIX = [
    ("admin", "mentor", True, True),
    ("admin", "protege", True, True),
    ("partner", "mentor", True, False),
    ("partner", "protege", True, False),
    ("mentor_token", "mentor", True, True),
    ("mentor_token", "protege", False, False),
    ("protege_token", "protege", True, True),
    ("protege_token", "mentor", False, False),
    ("other_admin", "mentor", False, False),
    ("other_admin", "protege", False, False),
]


@pytest.mark.parametrize("lookup", list(LOOKUPS))
@pytest.mark.parametrize(("token", "target", "may_read", "sees_email"), READ_MATRIX)
async def test_reading_one_participant_follows_the_role_matrix(gql, world, lookup, token, target, may_read, sees_email):
    query, field, make_id = LOOKUPS[lookup]
    participant = getattr(world, target)
    data = await gql.data(query, {"id": make_id(participant)}, token=getattr(world, token))
    if not may_read:
        assert data == {field: None}
        return
    assert data[field] == {
        "id": global_id(participant.id),
        "displayName": participant.display_name,
        "email": participant.email if sees_email else None,
        "standing": {"state": "GOOD"},
    }


@pytest.mark.parametrize(
    "foreign_id",
    [
        base64.b64encode(b"Organization:1").decode(),
        base64.b64encode(b"Participant:abc").decode(),
        "not-a-global-id",
        "",
    ],
)
async def test_node_with_an_id_that_names_no_participant_is_null(gql, world, foreign_id):
    assert await gql.data(NODE_QUERY, {"id": foreign_id}, token=world.admin) == {"node": None}


async def test_participant_that_does_not_exist_is_null_not_an_error(gql, world):
    assert await gql.data(PARTICIPANT_QUERY, {"id": "999999"}, token=world.admin) == {"participant": None}


async def test_other_organizations_admin_cannot_read_a_demo_participant_by_any_id(gql, world, crowd):
    for make_id in (lambda p: str(p.id), lambda p: global_id(p.id)):
        for target in (world.mentor, world.protege, crowd.sam):
            data = await gql.data(PARTICIPANT_QUERY, {"id": make_id(target)}, token=world.other_admin)
            assert data == {"participant": None}
    # ...while its own participant is readable, with contact details.
    own = await gql.data(PARTICIPANT_QUERY, {"id": str(crowd.olive.id)}, token=world.other_admin)
    assert own["participant"]["email"] == OLIVE[1]


# --- listing participants: the connection and its filters ----------------------------------------

PARTICIPANTS_QUERY = """
query($role: Role, $standing: StandingState, $visible: Boolean, $org: ID) {
  participants(role: $role, standing: $standing, visible: $visible, organizationId: $org, first: 100) {
    edges { node { displayName email } }
  }
}
"""

DEMO, ELSEWHERE = "demo", "elsewhere"

# (token, filters, display names listed in id order)
LIST_MATRIX = [
    ("admin", {}, [MAYA[0], PAT[0], SAM[0]]),
    ("partner", {}, [MAYA[0], PAT[0], SAM[0]]),
    ("mentor_token", {}, [MAYA[0]]),
    ("protege_token", {}, [PAT[0]]),
    ("other_admin", {}, [OLIVE[0]]),
    ("admin", {"org": DEMO}, [MAYA[0], PAT[0], SAM[0]]),
    ("admin", {"org": ELSEWHERE}, []),
    ("partner", {"org": ELSEWHERE}, []),
    ("mentor_token", {"org": DEMO}, [MAYA[0]]),
    ("other_admin", {"org": DEMO}, []),
    ("other_admin", {"org": ELSEWHERE}, [OLIVE[0]]),
    ("admin", {"role": "MENTOR"}, [MAYA[0], SAM[0]]),
    ("admin", {"role": "PROTEGE"}, [PAT[0]]),
    ("partner", {"role": "MENTOR"}, [MAYA[0], SAM[0]]),
    ("mentor_token", {"role": "MENTOR"}, [MAYA[0]]),
    ("protege_token", {"role": "MENTOR"}, []),
    ("other_admin", {"role": "MENTOR"}, [OLIVE[0]]),
    ("admin", {"standing": "SUSPENDED"}, [SAM[0]]),
    ("admin", {"standing": "GOOD"}, [MAYA[0], PAT[0]]),
    ("partner", {"standing": "SUSPENDED"}, [SAM[0]]),
    ("mentor_token", {"standing": "SUSPENDED"}, []),
    ("other_admin", {"standing": "SUSPENDED"}, []),
    ("admin", {"visible": False}, [SAM[0]]),
    ("admin", {"visible": True}, [MAYA[0], PAT[0]]),
    ("partner", {"visible": False}, [SAM[0]]),
    ("protege_token", {"visible": True}, [PAT[0]]),
    ("other_admin", {"visible": False}, []),
    ("admin", {"role": "MENTOR", "visible": True, "org": DEMO}, [MAYA[0]]),
]


def _list_id(row) -> str:
    token, filters, _ = row.values if hasattr(row, "values") else row
    return token + "-" + ("-".join(f"{k}={v}" for k, v in filters.items()) or "unfiltered")


@pytest.mark.parametrize(("token", "filters", "expected"), LIST_MATRIX, ids=[_list_id(r) for r in LIST_MATRIX])
async def test_participants_connection_lists_only_what_the_token_may_read(gql, world, crowd, token, filters, expected):
    variables = dict(filters)
    if "org" in variables:
        variables["org"] = str(crowd.demo_id if variables["org"] == DEMO else crowd.elsewhere_id)
    data = await gql.data(PARTICIPANTS_QUERY, variables, token=getattr(world, token))
    assert [e["node"]["displayName"] for e in data["participants"]["edges"]] == expected


async def test_asking_for_another_organizations_participants_never_leaks_any_of_them(gql, world, crowd):
    # Holds whether the request fails or answers: nothing of demo reaches the other organization's admin.
    for token, org in [
        (world.other_admin, crowd.demo_id),
        (world.admin, crowd.elsewhere_id),
        (world.partner, crowd.elsewhere_id),
    ]:
        body = await gql.execute(PARTICIPANTS_QUERY, {"org": str(org)}, token=token)
        connection = (body.get("data") or {}).get("participants") or {"edges": []}
        assert [e["node"]["displayName"] for e in connection["edges"]] == []


# (token, the emails it sees in its unfiltered listing, in id order)
LIST_EMAILS = [
    ("admin", [MAYA[1], PAT[1], SAM[1]]),
    ("partner", [None, None, None]),
    ("mentor_token", [MAYA[1]]),
    ("protege_token", [PAT[1]]),
    ("other_admin", [OLIVE[1]]),
]


@pytest.mark.parametrize(("token", "emails"), LIST_EMAILS, ids=[row[0] for row in LIST_EMAILS])
async def test_participants_connection_shows_email_only_to_admins_and_the_participant_itself(
    gql, world, crowd, token, emails
):
    data = await gql.data(PARTICIPANTS_QUERY, {}, token=getattr(world, token))
    assert [e["node"]["email"] for e in data["participants"]["edges"]] == emails


# --- the directory ------------------------------------------------------------------------------

DIRECTORY_QUERY = "query($role: Role!) { directory(role: $role) { id role displayName timezone } }"


DIRECTORY_MATRIX = [
    ("admin", "MENTOR", [MAYA[0]]),
    ("admin", "PROTEGE", [PAT[0]]),
    ("partner", "MENTOR", [MAYA[0]]),
    ("mentor_token", "PROTEGE", [PAT[0]]),
    ("protege_token", "MENTOR", [MAYA[0]]),
    ("other_admin", "MENTOR", [OLIVE[0]]),
    ("other_admin", "PROTEGE", []),
]


@pytest.mark.parametrize(
    ("token", "role", "expected"), DIRECTORY_MATRIX, ids=[f"{token}-{role}" for token, role, _ in DIRECTORY_MATRIX]
)
async def test_directory_lists_visible_profiles_of_the_tokens_own_organization(
    gql, world, crowd, token, role, expected
):
    data = await gql.data(DIRECTORY_QUERY, {"role": role}, token=getattr(world, token))
    assert [p["displayName"] for p in data["directory"]] == expected
    assert {p["role"] for p in data["directory"]} == ({role} if expected else set())


async def test_directory_profiles_carry_no_contact_details(gql, world):
    body = await gql.execute("{ directory(role: MENTOR) { displayName email } }", token=world.protege_token)
    assert body.get("data") is None
    assert [e["message"] for e in body["errors"]] == ["Cannot query field 'email' on type 'Profile'."]


# --- no token, revoked token, malformed header ----------------------------------------------------

REGISTER = """
mutation($role: Role!, $name: String!, $email: String!) {
  registerParticipant(input: {role: $role, displayName: $name, email: $email, timezone: "Europe/Oslo"}) {
    __typename
    ... on ParticipantPayload { participant { id displayName email organization { slug } } }
    ... on InvalidInputError { field message }
  }
}
"""

UPDATE = """
mutation($id: ID!, $name: String) {
  updateParticipant(input: {id: $id, displayName: $name}) {
    __typename
    ... on ParticipantPayload { participant { displayName email version } }
    ... on NotFoundError { entity id message }
  }
}
"""


def transition_mutation(event: str) -> str:
    suspending = event == "suspend"
    return """
mutation($pid: ID!, $reason: String! %(until_var)s) {
  %(field)s(input: {participantId: $pid, reason: $reason %(extra)s}) {
    __typename
    ... on TransitionPayload { participant { version standing { state } } transition { event actor { kind } } }
    ... on NotFoundError { entity id }
  }
}
""" % {
        "field": camel(event),
        "until_var": ", $until: DateTime!" if suspending else "",
        "extra": ", until: $until" if suspending else "",
    }


def transition_variables(event: str, participant_id: int | str, clock) -> dict:
    variables = {"pid": str(participant_id), "reason": "conduct report #7"}
    if event == "suspend":
        variables["until"] = (clock.now() + timedelta(days=7)).isoformat()
    return variables


# (operation, query, variables, the data that comes back alongside the error)
GUARDED_OPERATIONS = [
    ("viewer", VIEWER, lambda w: {}, None),
    ("participant", PARTICIPANT_QUERY, lambda w: {"id": str(w.mentor.id)}, {"participant": None}),
    ("node", NODE_QUERY, lambda w: {"id": global_id(w.mentor.id)}, {"node": None}),
    ("participants", PARTICIPANTS_QUERY, lambda w: {}, None),
    ("directory", DIRECTORY_QUERY, lambda w: {"role": "MENTOR"}, None),
    (
        "registerParticipant",
        REGISTER,
        lambda w: {"role": "MENTOR", "name": "Nina New", "email": "nina@example.org"},
        None,
    ),
    ("updateParticipant", UPDATE, lambda w: {"id": str(w.mentor.id), "name": "Changed"}, None),
    (
        "issueNotice",
        transition_mutation("issue_notice"),
        lambda w: transition_variables("issue_notice", w.mentor.id, w.clock),
        None,
    ),
]
GUARDED_IDS = [op[0] for op in GUARDED_OPERATIONS]


async def assert_nothing_changed(world) -> None:
    assert await TransitionRecord.all().count() == 0
    assert await Participant.filter(organization_id=world.org_id).count() == 2
    rows = await Participant.filter(id__in=[world.mentor.id, world.protege.id]).order_by("id")
    assert [(r.display_name, r.standing, r.version) for r in rows] == [
        (MAYA[0], "good", 1),
        (PAT[0], "good", 1),
    ]


def assert_unauthenticated(body: dict, data) -> None:
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert "missing or invalid token" in body["errors"][0]["message"]
    assert "Authorization: Bearer <token>" in body["errors"][0]["message"]
    assert body["data"] == data


@pytest.mark.parametrize(("operation", "query", "variables", "data"), GUARDED_OPERATIONS, ids=GUARDED_IDS)
async def test_every_operation_without_a_token_is_refused_as_unauthenticated(
    gql, world, operation, query, variables, data
):
    body = await gql.execute(query, variables(world))
    assert_unauthenticated(body, data)
    await assert_nothing_changed(world)


@pytest.mark.parametrize("token", ["admin", "partner", "mentor_token", "protege_token"])
@pytest.mark.parametrize(("operation", "query", "variables", "data"), GUARDED_OPERATIONS, ids=GUARDED_IDS)
async def test_a_revoked_token_is_treated_like_no_token(gql, world, token, operation, query, variables, data):
    secret = getattr(world, token)
    token_row = await ApiToken.get(secret_hash=hash_secret(secret))
    assert await revoke_token(token_row.id, world.clock) is True
    body = await gql.execute(query, variables(world), token=secret)
    assert_unauthenticated(body, data)
    await assert_nothing_changed(world)


async def test_revoking_one_token_leaves_the_others_working(gql, world):
    token_row = await ApiToken.get(secret_hash=hash_secret(world.admin))
    assert await revoke_token(token_row.id, world.clock) is True
    assert error_codes(await gql.execute(VIEWER, token=world.admin)) == ["UNAUTHENTICATED"]
    assert (await gql.data(VIEWER, token=world.partner))["viewer"]["role"] == "PARTNER"
    other = await ApiToken.get(secret_hash=hash_secret(world.other_admin))
    assert (await gql.data(VIEWER, token=world.other_admin))["viewer"]["organizationId"] == str(other.organization_id)
    # Revoking twice is refused: the token is already revoked.
    assert await revoke_token(token_row.id, world.clock) is False


MALFORMED_HEADERS = {
    "secret-without-scheme": lambda w: w.admin,
    "basic-scheme": lambda w: f"Basic {w.admin}",
    "token-scheme": lambda w: f"Token {w.admin}",
    "scheme-without-secret": lambda w: "Bearer",
    "scheme-with-blank-secret": lambda w: "Bearer    ",
    "unknown-secret-with-the-prefix": lambda w: "Bearer stk_" + "x" * 43,
    "secret-without-its-prefix": lambda w: "Bearer " + w.admin.removeprefix("stk_"),
    "truncated-secret": lambda w: "Bearer " + w.admin[:-1],
    "secret-followed-by-junk": lambda w: f"Bearer {w.admin} extra",
    "scheme-glued-to-secret": lambda w: f"Bearer{w.admin}",
    "empty-header": lambda w: "",
}


@pytest.mark.parametrize("header", list(MALFORMED_HEADERS))
async def test_a_malformed_authorization_header_is_refused_as_unauthenticated(gql, world, header):
    for query, variables, data in [
        (VIEWER, {}, None),
        (transition_mutation("issue_notice"), transition_variables("issue_notice", world.mentor.id, world.clock), None),
    ]:
        response = await gql.http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": MALFORMED_HEADERS[header](world)},
        )
        assert response.status_code == 200, response.text
        assert_unauthenticated(response.json(), data)
    await assert_nothing_changed(world)


@pytest.mark.parametrize("header", ["bearer {}", "BEARER {}", "  Bearer   {}  "])
async def test_the_bearer_scheme_is_case_insensitive_and_tolerates_surrounding_spaces(gql, world, header):
    response = await gql.http.post(
        "/graphql", json={"query": VIEWER}, headers={"Authorization": header.format(world.admin)}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "data": {"viewer": {"role": "ADMIN", "organizationId": str(world.org_id), "participantId": None}}
    }


# --- registerParticipant: admins only, always into their own organization ------------------------


@pytest.mark.parametrize(
    ("token", "kind"), [("partner", "partner"), ("mentor_token", "participant"), ("protege_token", "participant")]
)
async def test_only_admins_may_register_participants_others_are_forbidden(gql, world, token, kind):
    body = await gql.execute(
        REGISTER, {"role": "PROTEGE", "name": "Nina New", "email": "nina@example.org"}, token=getattr(world, token)
    )
    assert error_codes(body) == ["FORBIDDEN"]
    assert body["errors"][0]["message"] == f"this needs an admin token; yours is a {kind} token"
    assert body["data"] is None
    await assert_nothing_changed(world)


async def test_an_admin_registers_a_participant_into_its_own_organization(gql, world):
    result = (
        await gql.data(
            REGISTER, {"role": "PROTEGE", "name": "Nina New", "email": "Nina@Example.org"}, token=world.admin
        )
    )["registerParticipant"]
    assert result["__typename"] == "ParticipantPayload"
    assert result["participant"]["displayName"] == "Nina New"
    assert result["participant"]["email"] == "nina@example.org"
    assert result["participant"]["organization"] == {"slug": "demo"}
    row = await Participant.get(display_name="Nina New")
    assert row.organization_id == world.org_id
    assert result["participant"]["id"] == global_id(row.id)


async def test_another_organizations_admin_registers_into_its_own_organization_not_demo(gql, world, clock):
    result = (
        await gql.data(
            REGISTER, {"role": "MENTOR", "name": "Olga Other", "email": "olga@example.org"}, token=world.other_admin
        )
    )["registerParticipant"]
    assert result["participant"]["organization"] == {"slug": "elsewhere"}
    row = await Participant.get(display_name="Olga Other")
    assert row.organization_id == (await get_or_create_organization("elsewhere", clock)).id
    assert await gql.data(PARTICIPANT_QUERY, {"id": str(row.id)}, token=world.admin) == {"participant": None}
    demo_list = await gql.data(PARTICIPANTS_QUERY, {}, token=world.partner)
    assert [e["node"]["displayName"] for e in demo_list["participants"]["edges"]] == [MAYA[0], PAT[0]]


# --- updateParticipant: admins, or the participant itself -----------------------------------------

# (token, target, allowed)
UPDATE_MATRIX = [
    ("admin", "mentor", True),
    ("admin", "protege", True),
    ("mentor_token", "mentor", True),
    ("protege_token", "protege", True),
    ("mentor_token", "protege", False),
    ("protege_token", "mentor", False),
    ("partner", "mentor", False),
    ("partner", "protege", False),
    ("other_admin", "mentor", False),
    ("other_admin", "protege", False),
]


@pytest.mark.parametrize(("token", "target", "allowed"), UPDATE_MATRIX)
async def test_update_participant_is_for_admins_and_the_participant_itself(gql, world, token, target, allowed):
    participant = getattr(world, target)
    result = (await gql.data(UPDATE, {"id": str(participant.id), "name": "Renamed"}, token=getattr(world, token)))[
        "updateParticipant"
    ]
    row = await Participant.get(id=participant.id)
    if allowed:
        assert result == {
            "__typename": "ParticipantPayload",
            "participant": {"displayName": "Renamed", "email": participant.email, "version": 2},
        }
        assert (row.display_name, row.version) == ("Renamed", 2)
    else:
        assert result == {
            "__typename": "NotFoundError",
            "entity": "Participant",
            "id": str(participant.id),
            "message": result["message"],
        }
        assert (row.display_name, row.version) == (participant.display_name, 1)


async def test_a_participant_may_update_itself_by_its_global_id(gql, world):
    result = (await gql.data(UPDATE, {"id": global_id(world.protege.id), "name": "Pat P."}, token=world.protege_token))[
        "updateParticipant"
    ]
    assert result["participant"] == {"displayName": "Pat P.", "email": PAT[1], "version": 2}


async def test_a_participant_cannot_update_another_by_its_global_id_either(gql, world):
    result = (
        await gql.data(UPDATE, {"id": global_id(world.mentor.id), "name": "Hijacked"}, token=world.protege_token)
    )["updateParticipant"]
    assert result["__typename"] == "NotFoundError"
    assert (await Participant.get(id=world.mentor.id)).display_name == MAYA[0]


# --- transition mutations: admins of the participant's organization only --------------------------

EVENTS = {event: machine.role for machine in MACHINES.values() for event in machine.event_ids()}


def target_of(world, event: str) -> Participant:
    return world.mentor if EVENTS[event] is Role.MENTOR else world.protege


def own_token_of(world, event: str) -> str:
    return world.mentor_token if EVENTS[event] is Role.MENTOR else world.protege_token


def other_participant_token_of(world, event: str) -> str:
    return world.protege_token if EVENTS[event] is Role.MENTOR else world.mentor_token


NON_ADMIN_TOKENS = {
    "partner": (lambda w, e: w.partner, "partner"),
    "the-participants-own-token": (own_token_of, "participant"),
    "another-participants-token": (other_participant_token_of, "participant"),
}


@pytest.mark.parametrize("event", list(EVENTS))
@pytest.mark.parametrize("who", list(NON_ADMIN_TOKENS))
async def test_transition_mutations_are_forbidden_to_non_admins_and_write_nothing(gql, world, who, event):
    token_of, kind = NON_ADMIN_TOKENS[who]
    body = await gql.execute(
        transition_mutation(event),
        transition_variables(event, target_of(world, event).id, world.clock),
        token=token_of(world, event),
    )
    assert error_codes(body) == ["FORBIDDEN"]
    assert body["errors"][0]["message"] == f"this needs an admin token; yours is a {kind} token"
    assert body["errors"][0]["path"] == [camel(event)]
    assert body["data"] is None
    await assert_nothing_changed(world)


@pytest.mark.parametrize("event", list(EVENTS))
async def test_transition_mutations_by_another_organizations_admin_are_not_found(gql, world, event):
    participant = target_of(world, event)
    result = (
        await gql.data(
            transition_mutation(event),
            transition_variables(event, participant.id, world.clock),
            token=world.other_admin,
        )
    )[camel(event)]
    assert result == {"__typename": "NotFoundError", "entity": "Participant", "id": str(participant.id)}
    await assert_nothing_changed(world)


async def test_transition_mutation_by_another_organizations_admin_with_a_global_id_is_not_found(gql, world):
    result = (
        await gql.data(
            transition_mutation("issue_notice"),
            transition_variables("issue_notice", global_id(world.mentor.id), world.clock),
            token=world.other_admin,
        )
    )["issueNotice"]
    assert result["__typename"] == "NotFoundError"
    await assert_nothing_changed(world)


async def test_the_organizations_admin_may_run_a_transition_and_it_is_logged(gql, world):
    result = (
        await gql.data(
            transition_mutation("issue_notice"),
            transition_variables("issue_notice", global_id(world.mentor.id), world.clock),
            token=world.admin,
        )
    )["issueNotice"]
    assert result == {
        "__typename": "TransitionPayload",
        "participant": {"version": 2, "standing": {"state": "FIRST_NOTICE"}},
        "transition": {"event": "ISSUE_NOTICE", "actor": {"kind": "ADMIN"}},
    }
    assert await TransitionRecord.all().count() == 1
    assert await TransitionRecord.filter(participant_id=world.mentor.id, event="issue_notice").count() == 1


async def test_a_partner_reads_standing_changes_but_never_the_email(gql, world):
    await gql.data(
        transition_mutation("send_reminder"),
        transition_variables("send_reminder", world.protege.id, world.clock),
        token=world.admin,
    )
    data = await gql.data(PARTICIPANT_QUERY, {"id": str(world.protege.id)}, token=world.partner)
    assert data["participant"]["standing"] == {"state": "REMINDER"}
    assert data["participant"]["email"] is None
