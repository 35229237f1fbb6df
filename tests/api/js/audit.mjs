// Runs graphql-http's server audit (the GraphQL-over-HTTP spec's MUST and SHOULD checks) against a live
// `standing serve`, and prints one JSON object: {"ok": n, "total": n, "failures": [{id, name, status, reason}]}.
// Used by tests/api/test_graphql_over_http.py.
//
// Environment:
//   JS_MODULES  folder holding node_modules with graphql-http (e.g. var/graphql-http)
//   URL         http://127.0.0.1:PORT/graphql
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const require = createRequire(join(resolve(process.env.JS_MODULES), 'package.json'));
const { auditServer } = require('graphql-http');

const results = await auditServer({ url: process.env.URL });
const failures = results
  .filter((r) => r.status !== 'ok')
  .map((r) => ({ id: r.id, name: r.name, status: r.status, reason: r.reason }));
console.log(JSON.stringify({ ok: results.length - failures.length, total: results.length, failures }));
