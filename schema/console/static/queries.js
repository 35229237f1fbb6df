// Every GraphQL document the console sends: the public API, as any client would call it (schema.graphql).

export const SIGN_IN = `query SignIn { viewer { role organizationId } }`;

export const ORGANIZATION_NAME = `query OrganizationName { organizationOverview { organization { name slug } } }`;

export const QUEUE = `query Queue {
  cases(first: 100) {
    id reference state category codeSection assignee openedAt
    subject { id displayName role }
    stages { stage dueAt nudged reached }
  }
  appeals(state: OPEN, first: 100) {
    id participantId state filedAt decideBy statement
    step { id event fromState toState occurredAt }
  }
  adminNudges(first: 20) { id kind caseReference participantId message dueAt createdAt }
}`;

// Names for a few participant ids at once: one alias each (a request allows 15 aliases).
export function names(ids) {
  const fields = ids.map((id, i) => `p${i}: participant(id: ${JSON.stringify(String(id))}) { id displayName role }`);
  return `query Names { ${fields.join(" ")} }`;
}

export const STATES = `query States { organizationOverview { standings { role state count } } }`;

export const PARTICIPANTS = `query Participants($role: Role, $standing: StandingState, $after: String) {
  participants(role: $role, standing: $standing, first: 50, after: $after) {
    edges { node { id displayName role standing { state since } badge { status } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const PARTICIPANT = `query Participant($id: ID!) {
  participant(id: $id) {
    id displayName role version profileVisible
    standing {
      state since suspendedUntil allowedEvents
      history(first: 50) {
        edges { node {
          id event fromState toState reason reasonCode occurredAt outcome overrules overruledBy appealableUntil
          actor { kind id }
          appeal { id state filedAt decideBy decidedAt statement }
        } }
      }
    }
    badge {
      status since cureBy policyVersion
      criteria { key description met value threshold windowStart windowEnd note }
      advice { criterion message dueBy }
    }
  }
  notices(participantId: $id) { id title templateKey issuedAt acknowledgedAt appealBy transitionId appealId body }
  cases(first: 100) { id reference state category codeSection openedAt subject { id } }
}`;

export const PREVIEW = `query Preview($input: PreviewNoticeInput!) {
  previewNotice(input: $input) {
    __typename
    ... on NoticePreview { title body appealBy templateKey templateVersion }
    ... on InvalidInputError { message field }
    ... on NotFoundError { message }
  }
}`;

export function transition(mutation, inputType) {
  return `mutation Act($input: ${inputType}!) {
  ${mutation}(input: $input) {
    __typename
    ... on TransitionPayload { participant { id version standing { state } } transition { id event fromState toState } }
    ... on StaleVersionError { message expectedVersion actualVersion }
    ... on TransitionNotAllowedError { message state event allowedEvents reasons }
    ... on InvalidInputError { message field }
    ... on NotFoundError { message }
  }
}`;
}

export const ORGANIZATION = `query Organization {
  organizationOverview {
    organization { id slug name }
    standings { role state count }
    badges { role status count }
  }
  badgePolicies { role version criteria { key description measure threshold windowDays source overridden } }
  badgePolicyChanges(first: 5) { id reason occurredAt actor { kind id } }
}`;
