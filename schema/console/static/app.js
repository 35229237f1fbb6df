// The console's entry point: the session, the bar at the top, and a page for each address after the #.
import { ApiError } from "./api.js";
import { h, link, message, replace } from "./dom.js";
import { organizationPage } from "./pages/organization.js";
import { participantPage } from "./pages/participant.js";
import { participantsPage } from "./pages/participants.js";
import { queuePage } from "./pages/queue.js";
import { signInPage } from "./pages/signin.js";
import { organizationName, signOut, token } from "./session.js";

const ROUTES = [
  [/^#\/queue$/, (main) => queuePage(main)],
  [/^#\/participants(?:\?(.*))?$/, (main, query) => participantsPage(main, query ?? "")],
  [/^#\/participant\/([^/?]+)$/, (main, id) => participantPage(main, decodeURIComponent(id))],
  [/^#\/organization$/, (main) => organizationPage(main)],
];

function bar(current) {
  const item = (href, text) => h("a", { href, class: current.startsWith(href) ? "active" : "" }, text);
  return [
    h("span", { class: "brand" }, "Standing", h("span", { class: "org" }, organizationName())),
    h("nav", {}, item("#/queue", "Queue"), item("#/participants", "Participants"), item("#/organization", "Organization")),
    h("button", { type: "button", id: "sign-out", class: "link", onClick: () => { signOut(); location.hash = "#/queue"; render(); } }, "Sign out"),
  ];
}

async function render(notice) {
  const main = document.getElementById("main");
  const header = document.getElementById("bar");
  if (!token()) {
    header.hidden = true;
    signInPage(main, { notice, onSignedIn: () => { if (location.hash === "#/queue") render(); else location.hash = "#/queue"; } });
    return;
  }
  const hash = location.hash && location.hash !== "#" ? location.hash : "#/queue";
  header.hidden = false;
  replace(header, bar(hash));
  const route = ROUTES.find(([pattern]) => pattern.test(hash));
  if (!route) {
    replace(main, message("error", "No such page.", h("p", {}, link("#/queue", "Back to the queue"))));
    return;
  }
  replace(main, h("p", { class: "loading" }, "Loading…"));
  try {
    await route[1](main, ...hash.match(route[0]).slice(1));
  } catch (error) {
    if (error instanceof ApiError && error.code === "UNAUTHENTICATED") {
      signOut();
      render("Your token no longer works (revoked, or the database changed): sign in again.");
      return;
    }
    replace(main, message("error", "This page could not be loaded.", h("p", {}, error.message)));
  }
}

window.addEventListener("hashchange", () => render());
render();
