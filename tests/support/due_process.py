"""GraphQL for notices, appeals and locks, shared by the due-process tests."""

from __future__ import annotations

PARTS = "parts { facts codeSection consequence support remedy appeal }"
NOTICES = (
    "query($p: ID) { notices(participantId: $p) { id templateKey templateVersion title body appealBy transitionId "
    "appealId acknowledgedAt " + PARTS + " } }"
)
PREVIEW = (
    "query($input: PreviewNoticeInput!) { previewNotice(input: $input) { __typename "
    "... on NoticePreview { templateKey templateVersion title body appealBy " + PARTS + " } "
    "... on UserError { message } } }"
)
ACKNOWLEDGE = """mutation($id: ID!) { acknowledgeNotice(noticeId: $id) { __typename
  ... on Notice { acknowledgedAt } ... on UserError { message } } }"""
SET_TEMPLATES = """mutation($input: NoticeTemplatesInput!) { setNoticeTemplates(input: $input) { __typename
  ... on NoticeSettingsPayload { supportContact versions } ... on InvalidInputError { field message } } }"""

APPEAL_FIELDS = "id state statement decideBy decidedBy resultId version"
APPEAL = (
    "mutation($input: AppealSanctionInput!) { appealSanction(input: $input) { __typename "
    "... on AppealPayload { appeal { " + APPEAL_FIELDS + " } } ... on UserError { message } } }"
)
WITHDRAW = (
    "mutation($id: ID!) { withdrawAppeal(appealId: $id) { __typename "
    "... on AppealPayload { appeal { state } } ... on UserError { message } } }"
)
DECIDE_APPEAL = (
    "mutation($input: DecideAppealInput!) { decideAppeal(input: $input) { __typename "
    "... on AppealDecisionPayload { appeal { " + APPEAL_FIELDS + " } steps { id event toState overrules } } "
    "... on AppealStepNotAllowedError { state allowedEvents reasons } "
    "... on UserError { message } } }"
)
APPEAL_BY_ID = "query($id: ID!) { appeal(id: $id) { " + APPEAL_FIELDS + " allowedEvents } }"
HISTORY = """query($id: ID!) { participant(id: $id) { standing { state history(first: 50) { edges { node {
  id event fromState toState outcome overrules overruledBy appealableUntil reason actor { kind id }
  appeal { id state } } } } } } }"""

LOCK = """mutation($input: LockStandingInput!) { lockStanding(input: $input) { __typename
  ... on StandingLockPayload { lock { id until } } ... on UserError { message } } }"""
UNLOCK = """mutation($input: UnlockStandingInput!) { unlockStanding(input: $input) { __typename
  ... on StandingLockPayload { lock { id endedAt } } ... on UserError { message } } }"""


def history_nodes(body: dict) -> list[dict]:
    """A `HISTORY` answer's log rows, newest first."""
    return [edge["node"] for edge in body["participant"]["standing"]["history"]["edges"]]
