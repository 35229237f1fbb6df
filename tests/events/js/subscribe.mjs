// Subscribes to `standingChanged` with the `graphql-ws` JavaScript client, as a partner tool would,
// and prints each event as one JSON line. Used by tests/test_graphql_ws_js_client.py.
//
// Environment:
//   JS_MODULES  folder holding node_modules with graphql-ws and ws (e.g. var/js-client)
//   URL         ws://127.0.0.1:PORT/graphql
//   TOKEN       the bearer token, sent in connection_init as {authorization: "Bearer ..."}
//   COUNT       exit 0 after this many events
//   AFTER       the event cursor to resume from (default "0": replay everything, then live)
// Exit codes: 0 after COUNT events; 2 on a GraphQL or connection error (printed to stderr as JSON).
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const require = createRequire(join(resolve(process.env.JS_MODULES), 'package.json'));
const { createClient } = require('graphql-ws');
const WebSocket = require('ws');

const count = Number(process.env.COUNT || '1');
const query = `subscription($after: ID) {
  standingChanged(after: $after) {
    cursor type organizationId participantId machine event fromState toState reasonCode occurredAt
  }
}`;

const client = createClient({
  url: process.env.URL,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${process.env.TOKEN}` },
  retryAttempts: 0,
});

function describe(error) {
  if (error && typeof error === 'object' && 'code' in error && 'reason' in error) {
    return { close: error.code, reason: error.reason };  // a CloseEvent: the server closed the socket
  }
  if (Array.isArray(error)) return { graphql: error.map((e) => e.message) };
  return { error: String(error && error.message ? error.message : error) };
}

let received = 0;
try {
  await new Promise((done, fail) => {
    const unsubscribe = client.subscribe(
      { query, variables: { after: process.env.AFTER ?? '0' } },
      {
        next(result) {
          if (result.errors) {
            fail(result.errors);
            return;
          }
          process.stdout.write(JSON.stringify(result.data.standingChanged) + '\n');
          received += 1;
          if (received >= count) {
            unsubscribe();
            done();
          }
        },
        error: fail,
        complete() {
          if (received >= count) done();
          else fail(new Error(`the server completed the subscription after ${received} of ${count} events`));
        },
      },
    );
  });
} catch (error) {
  process.stderr.write(JSON.stringify(describe(error)) + '\n');
  await client.dispose();
  process.exit(2);
}
await client.dispose();
process.exit(0);
