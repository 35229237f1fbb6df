// The console's only way to the server: the public GraphQL API, with the admin's bearer token.
import { token } from "./session.js";

export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

export async function gql(query, variables = {}, { bearer } = {}) {
  const secret = bearer ?? token();
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  if (secret) headers.Authorization = `Bearer ${secret}`;
  let response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      credentials: "omit", // no cookie ever travels: the token in the header is the whole session
      cache: "no-store",
      headers,
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError("The server could not be reached. Is `standing serve` running?", "NETWORK");
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!body) throw new ApiError(`The server answered ${response.status} without a GraphQL result.`, "HTTP");
  if (body.errors?.length) {
    throw new ApiError(body.errors.map((e) => e.message).join("; "), body.errors[0].extensions?.code ?? "GRAPHQL");
  }
  return body.data;
}
