// The queue: open cases and appeals, each with the deadline of its next stage, overdue first; the admins' nudges.
import { gql } from "../api.js";
import { h, link, message, replace } from "../dom.js";
import { label, relative, when } from "../format.js";
import { names, QUEUE } from "../queries.js";

const ALIASES_PER_REQUEST = 15;

async function displayNames(ids) {
  const found = new Map();
  const unique = [...new Set(ids.filter(Boolean).map(String))];
  for (let start = 0; start < unique.length; start += ALIASES_PER_REQUEST) {
    const chunk = unique.slice(start, start + ALIASES_PER_REQUEST);
    const data = await gql(names(chunk));
    chunk.forEach((id, i) => data[`p${i}`] && found.set(id, data[`p${i}`]));
  }
  return found;
}

export function queueItems({ cases, appeals }) {
  const items = [];
  for (const c of cases) {
    const pending = c.stages.filter((s) => !s.reached).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    if (pending.length === 0) continue; // past every stage: decided, closed or dismissed
    const next = pending[0];
    items.push({
      kind: "Case",
      title: `${c.reference} · ${label(c.category)}`,
      detail: `${c.codeSection}. ${c.assignee ? `Assigned to ${c.assignee}.` : "Not assigned."}`,
      stage: `${label(next.stage)} due`,
      state: label(c.state),
      dueAt: next.dueAt,
      nudged: pending.some((s) => s.nudged),
      participantId: c.subject.id,
      participantName: `${c.subject.displayName} (${label(c.subject.role).toLowerCase()})`,
    });
  }
  for (const a of appeals) {
    items.push({
      kind: "Appeal",
      title: `Appeal of “${label(a.step.event)}”`,
      detail: `${label(a.step.fromState)} → ${label(a.step.toState)}, filed ${when(a.filedAt)}.`,
      stage: "Decision due",
      state: label(a.state),
      dueAt: a.decideBy,
      nudged: false,
      participantId: a.participantId,
    });
  }
  // Earliest deadline first: whatever is overdue comes before everything still due.
  return items.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

export async function queuePage(main) {
  const data = await gql(QUEUE);
  const items = queueItems(data);
  const people = await displayNames([
    ...items.filter((i) => !i.participantName).map((i) => i.participantId),
    ...data.adminNudges.map((n) => n.participantId),
  ]);
  const now = Date.now();
  const nameOf = (id) => (people.get(String(id))?.displayName ?? `Participant ${id}`);
  const overdue = items.filter((i) => new Date(i.dueAt).getTime() < now).length;

  const rows = items.map((item) => {
    const late = new Date(item.dueAt).getTime() < now;
    return h(
      "tr",
      { class: late ? "overdue" : "", dataset: { kind: item.kind.toLowerCase() } },
      h("td", {}, h("span", { class: `pill ${late ? "bad" : "neutral"}` }, late ? "Overdue" : "Due"), " ",
        h("span", { title: when(item.dueAt) }, relative(item.dueAt, now)), h("div", { class: "small muted" }, when(item.dueAt))),
      h("td", {}, h("strong", {}, item.kind), h("div", {}, item.title), h("div", { class: "small muted" }, item.detail)),
      h("td", {}, link(`#/participant/${encodeURIComponent(item.participantId)}`, item.participantName ?? nameOf(item.participantId))),
      h("td", {}, item.stage, h("div", { class: "small muted" }, item.state), item.nudged ? h("div", { class: "pill warn" }, "Admins nudged") : null),
    );
  });

  const nudges = data.adminNudges.map((n) =>
    h(
      "li",
      { class: "nudge" },
      h("strong", {}, label(n.kind)), " — ", n.message,
      n.participantId ? [" · ", link(`#/participant/${encodeURIComponent(n.participantId)}`, nameOf(n.participantId))] : null,
      h("div", { class: "small muted" }, `Due ${when(n.dueAt)}, nudged ${relative(n.createdAt, now)}`),
    ),
  );

  replace(
    main,
    h("h1", {}, "Queue"),
    h("p", { class: "muted" }, `${items.length} open ${items.length === 1 ? "item" : "items"}`, overdue ? `, ${overdue} overdue` : "", ". Open cases and appeals, earliest deadline first."),
    items.length
      ? h("table", { class: "queue" },
          h("thead", {}, h("tr", {}, h("th", {}, "Deadline"), h("th", {}, "What"), h("th", {}, "Who"), h("th", {}, "Stage"))),
          h("tbody", {}, rows))
      : message("ok", "Nothing waits for a decision.", h("p", {}, "No open case or appeal in your organization.")),
    h("h2", {}, "Admins' nudges"),
    nudges.length ? h("ul", { class: "nudges" }, nudges) : h("p", { class: "muted" }, "No nudges."),
  );
}
