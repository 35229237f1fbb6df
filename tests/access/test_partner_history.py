"""Partners read what happened and by which rule, never the free text an admin wrote: a reason holding an email
address reaches admins and the participant, and partners get the reason code."""

from __future__ import annotations

HISTORY = """query($id: ID!) { participant(id: $id) { standing { history { edges { node {
  event reason reasonCode evidence actor { kind } } } } } } }"""
NOTICE = """mutation($id: ID!) { issueNotice(input: {participantId: $id,
  reason: "Complaint from jane.doe@example.org about session 12", evidence: {complainant: "jane.doe@example.org"}})
  { __typename } }"""


async def test_partners_get_the_reason_code_and_never_the_admins_free_text(gql, world):
    await gql.data(NOTICE, {"id": str(world.mentor.id)}, token=world.admin)

    async def entry(token: str) -> dict:
        data = await gql.data(HISTORY, {"id": str(world.mentor.id)}, token=token)
        [edge] = data["participant"]["standing"]["history"]["edges"]
        return edge["node"]

    admin, own, partner = await entry(world.admin), await entry(world.mentor_token), await entry(world.partner)
    assert "jane.doe@example.org" in admin["reason"] and admin["evidence"] == {"complainant": "jane.doe@example.org"}
    assert "jane.doe@example.org" in own["reason"]
    assert partner["reason"] == partner["reasonCode"] == "admin.issue_notice" and partner["evidence"] == {}
    assert partner["event"] == "ISSUE_NOTICE" and partner["actor"]["kind"] == "ADMIN"
    assert "example.org" not in str(partner)
