// Signing in: the admin pastes a token; the console asks the API who it belongs to and keeps it in this tab only.
import { ApiError, gql } from "../api.js";
import { h, message, replace } from "../dom.js";
import { label } from "../format.js";
import { ORGANIZATION_NAME, SIGN_IN } from "../queries.js";
import { signIn } from "../session.js";

export function signInPage(main, { notice, onSignedIn }) {
  const input = h("input", {
    id: "token", name: "token", type: "password", autocomplete: "off", spellcheck: "false",
    placeholder: "stk_…", required: true,
  });
  const feedback = h("div", { class: "feedback", "aria-live": "polite" }, notice ? message("warn", notice) : null);
  const button = h("button", { type: "submit", class: "primary" }, "Sign in");
  const form = h(
    "form",
    { class: "card signin", onSubmit: (event) => submit(event) },
    h("h1", {}, "Standing console"),
    h("p", { class: "muted" }, "For program admins. Sign in with your admin token (", h("code", {}, "standing token create --role admin --org SLUG"), ")."),
    h("label", { for: "token" }, "Admin token"),
    input,
    button,
    feedback,
    h("p", { class: "small muted" }, "The token stays in this browser tab only, and is forgotten when you close it or sign out."),
  );

  async function submit(event) {
    event.preventDefault();
    const secret = input.value.trim();
    button.disabled = true;
    replace(feedback, h("p", { class: "muted" }, "Checking the token…"));
    try {
      const { viewer } = await gql(SIGN_IN, {}, { bearer: secret });
      if (viewer.role !== "ADMIN") {
        replace(feedback, message("error", "This is not an admin token.",
          h("p", {}, `It is a ${label(viewer.role).toLowerCase()} token. The console is for program admins: sign in with an admin token.`)));
        return;
      }
      const { organizationOverview } = await gql(ORGANIZATION_NAME, {}, { bearer: secret });
      signIn(secret, organizationOverview.organization.name);
      onSignedIn();
    } catch (error) {
      const text = error instanceof ApiError && error.code === "UNAUTHENTICATED"
        ? "The server does not know this token: it may be mistyped or revoked."
        : error.message;
      replace(feedback, message("error", "Could not sign in.", h("p", {}, text)));
    } finally {
      button.disabled = false;
    }
  }

  replace(main, form);
  input.focus();
}
