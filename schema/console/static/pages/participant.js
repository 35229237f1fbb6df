// One participant: standing and the steps open to an admin, the timeline, and the badge with its evidence.
import { gql } from "../api.js";
import { h, message, replace } from "../dom.js";
import { day, label, relative, when } from "../format.js";
import { PARTICIPANT } from "../queries.js";
import { actingPanel } from "./acting.js";

function actor(a) {
  return a.kind === "ADMIN" ? `an admin (${a.id})` : label(a.kind).toLowerCase();
}

export function timeline(participant, notices, cases) {
  const entries = [];
  for (const { node: t } of participant.standing.history.edges) {
    entries.push({
      at: t.occurredAt,
      kind: "transition",
      title: `${label(t.event)}: ${label(t.fromState)} → ${label(t.toState)}`,
      tags: [
        t.outcome === "HELD" ? ["warn", "Held"] : null,
        t.overrules ? ["neutral", `Overrules step ${t.overrules}`] : null,
        t.overruledBy ? ["neutral", `Overruled by step ${t.overruledBy}`] : null,
        t.appeal ? ["info", `Appeal ${label(t.appeal.state).toLowerCase()}`] : null,
      ],
      body: [h("p", {}, t.reason), h("p", { class: "small muted" }, `By ${actor(t.actor)} · ${t.reasonCode}`)],
    });
    if (t.appeal) {
      entries.push({
        at: t.appeal.filedAt,
        kind: "appeal",
        title: `Appeal of “${label(t.event)}” filed`,
        tags: [["info", label(t.appeal.state)]],
        body: [
          h("p", {}, t.appeal.statement),
          h("p", { class: "small muted" }, t.appeal.decidedAt ? `Decided ${when(t.appeal.decidedAt)}` : `Decide by ${when(t.appeal.decideBy)}`),
        ],
      });
    }
  }
  for (const n of notices) {
    entries.push({
      at: n.issuedAt,
      kind: "notice",
      title: `Notice: ${n.title}`,
      tags: [n.acknowledgedAt ? ["ok", "Acknowledged"] : ["warn", "Unread"]],
      body: [
        n.appealBy ? h("p", { class: "small muted" }, `May be appealed until ${when(n.appealBy)}`) : null,
        h("details", {}, h("summary", {}, "The notice as written"), h("pre", { class: "notice" }, n.body)),
      ],
    });
  }
  for (const c of cases) {
    entries.push({
      at: c.openedAt,
      kind: "case",
      title: `Case ${c.reference} opened: ${label(c.category)}`,
      tags: [["neutral", label(c.state)]],
      body: [h("p", { class: "small muted" }, c.codeSection)],
    });
  }
  return entries.sort((a, b) => b.at.localeCompare(a.at));
}

function timelineView(entries) {
  if (!entries.length) return h("p", { class: "muted" }, "Nothing has happened yet.");
  return h(
    "ol",
    { class: "timeline" },
    entries.map((e) =>
      h(
        "li",
        { class: `entry ${e.kind}`, dataset: { kind: e.kind } },
        h("div", { class: "when small muted" }, when(e.at)),
        h("div", {}, h("strong", {}, e.title), " ", e.tags.filter(Boolean).map(([kind, text]) => h("span", { class: `pill ${kind}` }, text))),
        e.body,
      ),
    ),
  );
}

function badgeView(badge) {
  if (!badge) return h("p", { class: "muted" }, "Not evaluated yet.");
  const criteria = badge.criteria.map((c) =>
    h(
      "tr",
      { class: c.met ? "met" : "unmet" },
      h("td", {}, h("span", { class: `pill ${c.met ? "ok" : "bad"}` }, c.met ? "Met" : "Unmet")),
      h("td", {}, c.description, c.note ? h("div", { class: "small muted" }, c.note) : null),
      h("td", {}, c.value === null ? "—" : String(Math.round(c.value * 1000) / 1000), " / ", String(c.threshold)),
      h("td", { class: "small muted" }, c.windowStart ? `${day(c.windowStart)} – ${day(c.windowEnd)}` : `until ${day(c.windowEnd)}`),
    ),
  );
  return [
    h("p", {}, h("span", { class: `pill badge-${badge.status.toLowerCase()}` }, label(badge.status)),
      badge.since ? ` since ${day(badge.since)}` : "", badge.cureBy ? ` · cure by ${when(badge.cureBy)}` : "",
      h("span", { class: "small muted" }, badge.policyVersion ? ` · policy ${badge.policyVersion}` : "")),
    criteria.length
      ? h("table", { class: "criteria" },
          h("thead", {}, h("tr", {}, h("th", {}, ""), h("th", {}, "Criterion"), h("th", {}, "Evidence / threshold"), h("th", {}, "Window"))),
          h("tbody", {}, criteria))
      : null,
    badge.advice.length
      ? [h("h3", {}, "Advice"), h("ul", { class: "advice" }, badge.advice.map((a) => h("li", {}, a.message, a.dueBy ? h("span", { class: "small muted" }, ` (by ${day(a.dueBy)})`) : null)))]
      : null,
  ];
}

export async function participantPage(main, id, { flash } = {}) {
  const data = await gql(PARTICIPANT, { id });
  const p = data.participant;
  if (!p) {
    replace(main, message("error", "No such participant in your organization.", h("p", {}, `Nobody has the id ${id}.`)));
    return;
  }
  const cases = data.cases.filter((c) => c.subject.id === p.id);
  const s = p.standing;
  const reload = (next) => participantPage(main, id, next);

  replace(
    main,
    flash ?? null,
    h("h1", {}, p.displayName, " ", h("span", { class: "muted small" }, `${label(p.role)} · id ${p.id} · version ${p.version}`)),
    h(
      "section",
      { class: "card standing" },
      h("h2", {}, "Standing"),
      h("p", { class: "state" }, h("span", { class: `pill big state-${s.state.toLowerCase()}`, id: "standing-state" }, label(s.state)),
        ` since ${when(s.since)} (${relative(s.since)})`),
      s.suspendedUntil ? h("p", {}, `Suspended until ${when(s.suspendedUntil)}.`) : null,
      h("p", { class: "small muted" }, p.profileVisible ? "Profile visible to the other role." : "Profile hidden from the other role's listings."),
      h("p", {}, "Steps open to an admin now: ", s.allowedEvents.length ? s.allowedEvents.map(label).join(", ") : "none"),
    ),
    actingPanel(p, { onDone: reload }),
    h("section", { class: "card" }, h("h2", {}, "Timeline"), h("p", { class: "small muted" }, "Transitions, notices, appeals and cases, newest first."), timelineView(timeline(p, data.notices, cases))),
    h("section", { class: "card" }, h("h2", {}, "Badge"), badgeView(p.badge)),
  );
}
