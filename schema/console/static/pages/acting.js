// Acting on a participant: choose a step, give the reason, read the notice it would write, then confirm.
// The step is sent with the version the admin saw, so a change made meanwhile is refused, not overwritten.
import { gql } from "../api.js";
import { h, message, replace } from "../dom.js";
import { label, inputTypeOf, mutationOf, when } from "../format.js";
import { PREVIEW, transition } from "../queries.js";

const DAY = 86400000;
const NEEDS_UNTIL = new Set(["SUSPEND"]); // SuspendInput.until: DateTime! (schema.graphql)

function dateInput(daysAhead) {
  return new Date(Date.now() + daysAhead * DAY).toISOString().slice(0, 10);
}

export function actingPanel(participant, { onDone }) {
  const events = participant.standing.allowedEvents;
  if (!events.length) {
    return h("section", { class: "card acting" }, h("h2", {}, "Act"),
      h("p", { class: "muted" }, `No step is open to an admin from ${label(participant.standing.state).toLowerCase()}.`));
  }
  const eventSelect = h("select", { id: "event", name: "event" }, events.map((e) => h("option", { value: e }, label(e))));
  const reason = h("textarea", { id: "reason", name: "reason", rows: 3, placeholder: "What happened, in words the participant will read" });
  const until = h("input", { id: "until", name: "until", type: "date", value: dateInput(30) });
  const untilRow = h("div", { class: "field", hidden: true }, h("label", { for: "until" }, "Suspended until (00:00 UTC)"), until);
  const previewButton = h("button", { type: "button", id: "preview", class: "secondary" }, "Preview the notice");
  const confirmButton = h("button", { type: "button", id: "confirm", class: "primary", disabled: true }, "Confirm");
  const preview = h("div", { class: "preview", id: "notice-preview", "aria-live": "polite" });
  const outcome = h("div", { class: "outcome", id: "outcome", "aria-live": "assertive" });
  let previewed = null; // the inputs the shown preview was made from: confirming needs a preview of these

  function inputs() {
    const event = eventSelect.value;
    const values = { participantId: participant.id, event, reason: reason.value.trim() };
    if (NEEDS_UNTIL.has(event)) values.until = until.value ? `${until.value}T00:00:00+00:00` : null;
    return values;
  }

  function invalidate() {
    previewed = null;
    confirmButton.disabled = true;
    confirmButton.textContent = "Confirm";
    replace(preview);
    untilRow.hidden = !NEEDS_UNTIL.has(eventSelect.value);
  }

  async function showPreview() {
    replace(outcome);
    const values = inputs();
    previewButton.disabled = true;
    try {
      const { previewNotice: result } = await gql(PREVIEW, { input: values });
      if (result.__typename === "NoticePreview") {
        replace(preview, h("h3", {}, "The notice ", participant.displayName, " will receive"),
          h("p", { class: "small muted" }, `${result.templateKey} · template ${result.templateVersion}`,
            result.appealBy ? ` · may be appealed until ${when(result.appealBy)}` : ""),
          h("article", { class: "notice" }, h("h4", {}, result.title), h("pre", {}, result.body)));
      } else if (result.__typename === "InvalidInputError" && result.field === "event") {
        replace(preview, message("info", "This step writes no notice.", h("p", {}, result.message)));
      } else {
        replace(preview, message("error", "Refused.", h("p", {}, result.message)));
        return;
      }
      previewed = JSON.stringify(values);
      confirmButton.disabled = false;
      confirmButton.textContent = `Confirm: ${label(values.event)}`;
    } catch (error) {
      replace(preview, message("error", "The preview failed.", h("p", {}, error.message)));
    } finally {
      previewButton.disabled = false;
    }
  }

  async function confirm() {
    const values = inputs();
    if (JSON.stringify(values) !== previewed) return invalidate();
    confirmButton.disabled = true;
    const { event, ...rest } = values;
    const input = { ...rest, expectedVersion: participant.version };
    let result;
    try {
      result = (await gql(transition(mutationOf(event), inputTypeOf(event)), { input }))[mutationOf(event)];
    } catch (error) {
      replace(outcome, message("error", "The step failed.", h("p", {}, error.message)));
      confirmButton.disabled = false;
      return;
    }
    if (result.__typename === "TransitionPayload") {
      const t = result.transition;
      await onDone({
        flash: message("ok", `Done: ${label(t.event)}.`,
          h("p", {}, `${participant.displayName} moved from ${label(t.fromState).toLowerCase()} to ${label(t.toState).toLowerCase()}.`)),
      });
      return;
    }
    switch (result.__typename) {
      case "StaleVersionError":
        replace(outcome, message("warn", "Not changed: someone else acted first.",
          h("p", {}, `${participant.displayName} changed after you opened this page (you saw version ${result.expectedVersion}; it is now version ${result.actualVersion}). Nothing was done. Reload to see what changed, then decide again.`),
          h("button", { type: "button", id: "reload", onClick: () => onDone({}) }, "Reload")));
        break;
      case "TransitionNotAllowedError":
        replace(outcome, message("error", `Refused: ${label(result.event)} is not allowed from ${label(result.state).toLowerCase()}.`,
          h("p", {}, result.message),
          result.reasons.length ? h("ul", {}, result.reasons.map((r) => h("li", {}, r))) : null,
          h("p", { class: "small" }, `Allowed now: ${result.allowedEvents.map(label).join(", ") || "none"}.`)));
        break;
      default:
        replace(outcome, message("error", "Refused: nothing was changed.", h("p", {}, result.message)));
    }
    confirmButton.disabled = false;
  }

  for (const control of [eventSelect, reason, until]) control.addEventListener("input", invalidate);
  eventSelect.addEventListener("change", invalidate);
  previewButton.addEventListener("click", showPreview);
  confirmButton.addEventListener("click", confirm);
  untilRow.hidden = !NEEDS_UNTIL.has(eventSelect.value);

  return h(
    "section",
    { class: "card acting" },
    h("h2", {}, "Act"),
    h("div", { class: "field" }, h("label", { for: "event" }, "Step"), eventSelect),
    h("div", { class: "field" }, h("label", { for: "reason" }, "Reason"), reason),
    untilRow,
    h("div", { class: "buttons" }, previewButton, confirmButton),
    preview,
    outcome,
  );
}
