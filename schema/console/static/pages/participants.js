// Finding a participant: by role and standing state, or by id.
import { gql } from "../api.js";
import { h, link, replace } from "../dom.js";
import { day, label } from "../format.js";
import { PARTICIPANTS, STATES } from "../queries.js";

function select(name, choices, chosen) {
  return h(
    "select",
    { id: name, name },
    h("option", { value: "" }, "Any"),
    choices.map((value) => h("option", { value, selected: value === chosen }, label(value))),
  );
}

export async function participantsPage(main, query = "") {
  const params = new URLSearchParams(query);
  const role = params.get("role") || null;
  const standing = params.get("standing") || null;
  const [{ organizationOverview }, { participants }] = await Promise.all([
    gql(STATES),
    gql(PARTICIPANTS, { role, standing, after: params.get("after") || null }),
  ]);
  const states = [...new Set(organizationOverview.standings.filter((s) => !role || s.role === role).map((s) => s.state))];
  const roleSelect = select("role", ["MENTOR", "PROTEGE"], role);
  const stateSelect = select("standing", states, standing);
  const byId = h("input", { id: "participant-id", name: "id", placeholder: "Participant id", size: 14 });

  const filter = h(
    "form",
    {
      class: "filters",
      onSubmit: (event) => {
        event.preventDefault();
        const next = new URLSearchParams();
        if (roleSelect.value) next.set("role", roleSelect.value);
        if (stateSelect.value) next.set("standing", stateSelect.value);
        location.hash = `#/participants?${next}`;
      },
    },
    h("label", { for: "role" }, "Role"), roleSelect,
    h("label", { for: "standing" }, "Standing"), stateSelect,
    h("button", { type: "submit" }, "List"),
  );
  const open = h(
    "form",
    {
      class: "filters",
      onSubmit: (event) => {
        event.preventDefault();
        if (byId.value.trim()) location.hash = `#/participant/${encodeURIComponent(byId.value.trim())}`;
      },
    },
    h("label", { for: "participant-id" }, "Open by id"), byId, h("button", { type: "submit" }, "Open"),
  );

  const rows = participants.edges.map(({ node }) =>
    h(
      "tr",
      {},
      h("td", {}, link(`#/participant/${encodeURIComponent(node.id)}`, node.displayName)),
      h("td", {}, label(node.role)),
      h("td", {}, h("span", { class: `pill state-${node.standing.state.toLowerCase()}` }, label(node.standing.state)),
        h("span", { class: "small muted" }, ` since ${day(node.standing.since)}`)),
      h("td", {}, label(node.badge?.status ?? "NONE")),
    ),
  );
  const more = participants.pageInfo.hasNextPage
    ? link(`#/participants?${new URLSearchParams({ ...(role ? { role } : {}), ...(standing ? { standing } : {}), after: participants.pageInfo.endCursor })}`, "Next page →")
    : null;

  replace(
    main,
    h("h1", {}, "Participants"),
    h("div", { class: "toolbar" }, filter, open),
    rows.length
      ? h("table", { class: "participants" },
          h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Role"), h("th", {}, "Standing"), h("th", {}, "Badge"))),
          h("tbody", {}, rows))
      : h("p", { class: "muted" }, "Nobody matches."),
    more,
  );
}
