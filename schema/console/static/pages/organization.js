// The organization: counts by standing state and badge status, and the badge policy in force with its overrides.
import { gql } from "../api.js";
import { h, link, replace } from "../dom.js";
import { label, when } from "../format.js";
import { ORGANIZATION } from "../queries.js";

const ROLES = ["MENTOR", "PROTEGE"];

function counts(title, rows, keyOf, hrefOf) {
  return h(
    "table",
    { class: "counts" },
    h("caption", {}, title),
    h("tbody", {}, rows.map((r) => h("tr", { dataset: { key: keyOf(r) } }, h("th", {}, hrefOf ? link(hrefOf(r), label(keyOf(r))) : label(keyOf(r))), h("td", { class: "number" }, String(r.count))))),
  );
}

function threshold(c) {
  const value = c.measure === "rate" ? `${Math.round(c.threshold * 1000) / 10}%` : String(c.threshold);
  return c.windowDays ? `${value} over ${c.windowDays} days` : value;
}

export async function organizationPage(main) {
  const data = await gql(ORGANIZATION);
  const { organization, standings, badges } = data.organizationOverview;
  const total = (role) => standings.filter((s) => s.role === role).reduce((sum, s) => sum + s.count, 0);

  const roles = ROLES.map((role) =>
    h(
      "section",
      { class: "card", dataset: { role: role.toLowerCase() } },
      h("h2", {}, `${label(role)}s`, h("span", { class: "muted small" }, ` · ${total(role)} in all`)),
      h(
        "div",
        { class: "columns" },
        counts("Standing", standings.filter((s) => s.role === role), (s) => s.state,
          (s) => `#/participants?${new URLSearchParams({ role, standing: s.state })}`),
        counts("Badge", badges.filter((b) => b.role === role), (b) => b.status),
      ),
    ),
  );

  const policies = data.badgePolicies.map((policy) =>
    h(
      "section",
      { class: "card policy", dataset: { role: policy.role.toLowerCase() } },
      h("h2", {}, `${label(policy.role)} badge policy`, h("span", { class: "muted small" }, ` · ${policy.version}`)),
      h(
        "table",
        { class: "criteria" },
        h("thead", {}, h("tr", {}, h("th", {}, "Criterion"), h("th", {}, "Threshold"), h("th", {}, "Source"))),
        h(
          "tbody",
          {},
          policy.criteria.map((c) =>
            h(
              "tr",
              { class: c.overridden ? "overridden" : "" },
              h("td", {}, c.description, c.overridden ? [" ", h("span", { class: "pill warn" }, `Set by ${organization.name}`)] : null),
              h("td", {}, threshold(c)),
              h("td", { class: "small muted" }, c.source),
            ),
          ),
        ),
      ),
    ),
  );

  const changes = data.badgePolicyChanges.map((c) =>
    h("li", {}, h("strong", {}, when(c.occurredAt)), ` — ${c.reason} `, h("span", { class: "small muted" }, `(${label(c.actor.kind).toLowerCase()} ${c.actor.id})`)),
  );

  replace(
    main,
    h("h1", {}, organization.name, " ", h("span", { class: "muted small" }, organization.slug)),
    h("div", { class: "grid" }, roles),
    h("h2", {}, "Badge policy in force"),
    h("p", { class: "muted" }, "The Code of Conduct's criteria, with your organization's overrides marked."),
    h("div", { class: "grid" }, policies),
    h("h2", {}, "Recent policy changes"),
    changes.length ? h("ul", { class: "changes" }, changes) : h("p", { class: "muted" }, "None: the Code's values apply."),
  );
}
