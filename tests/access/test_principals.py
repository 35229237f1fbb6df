"""Who a token acts as: admins and participants act; a partner reads and is never the actor of a change."""

from __future__ import annotations

import pytest

from domain.access.principals import PartnerCannotAct, Principal, TokenRole
from domain.kernel.actors import ActorKind


def test_admin_and_participant_tokens_act_as_themselves():
    assert Principal(7, TokenRole.ADMIN, 1).actor.kind is ActorKind.ADMIN
    participant = Principal(8, TokenRole.PARTICIPANT, 1, participant_id=42).actor
    assert (participant.kind, participant.id) == (ActorKind.PARTICIPANT, "participant:42")


def test_a_partner_token_is_never_the_actor_of_a_change():
    with pytest.raises(PartnerCannotAct):
        Principal(9, TokenRole.PARTNER, 1).actor  # noqa: B018 - the property is the behaviour under test


async def test_a_partner_cannot_send_a_standing_event_over_graphql(gql, world):
    body = await gql.execute(
        'mutation($id: ID!) { issueNotice(input: {participantId: $id, reason: "r"}) { __typename } }',
        {"id": str(world.mentor.id)},
        token=world.partner,
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
