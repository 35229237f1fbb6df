// The admin's session lives in this tab's sessionStorage: it is sent only as an Authorization header, never as a
// cookie, so no other site can make the browser use it (docs/decisions.md, "The admin console").
const TOKEN = "standing.console.token";
const ORGANIZATION = "standing.console.organization";

export function token() {
  return sessionStorage.getItem(TOKEN);
}

export function organizationName() {
  return sessionStorage.getItem(ORGANIZATION) ?? "";
}

export function signIn(secret, organization) {
  sessionStorage.setItem(TOKEN, secret);
  sessionStorage.setItem(ORGANIZATION, organization);
}

export function signOut() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(ORGANIZATION);
}
