// Starts GraphiQL the way Strawberry's page does, from the package's own copies (no CDN, no cookies).
"use strict";

const EXAMPLE_QUERY = `# Standing's GraphQL API.
#
# Most fields need a token. In Headers below, paste
#   {"Authorization": "Bearer stk_..."}
# standing token create --role admin --org demo
# prints one.
#
# Run: Ctrl-Enter. Complete: Ctrl-Space.

{
  viewer {
    role
    organizationId
  }
}
`;

const parameters = {};
for (const entry of window.location.search.slice(1).split("&")) {
  const eq = entry.indexOf("=");
  if (eq >= 0) {
    parameters[decodeURIComponent(entry.slice(0, eq))] = decodeURIComponent(entry.slice(eq + 1));
  }
}

function updateURL(data) {
  Object.assign(parameters, data);
  const search = Object.keys(parameters)
    .filter((key) => Boolean(parameters[key]))
    .map((key) => encodeURIComponent(key) + "=" + encodeURIComponent(parameters[key]))
    .join("&");
  history.replaceState(null, "", "?" + search);
}

const fetchURL = window.location.href.split("?")[0];
const socketURL = new URL(fetchURL);
socketURL.protocol = socketURL.protocol === "https:" ? "wss:" : "ws:";
socketURL.hash = "";

const fetcher = GraphiQL.createFetcher({ url: fetchURL, subscriptionUrl: socketURL.toString() });
const explorer = GraphiQLPluginExplorer.explorerPlugin();

function StandingGraphiQL() {
  const [query, setQuery] = React.useState(parameters.q || EXAMPLE_QUERY);
  const [variables, setVariables] = React.useState(parameters.variables);
  const [headers, setHeaders] = React.useState(parameters.headers);
  return React.createElement(GraphiQL, {
    fetcher,
    defaultEditorToolsVisibility: true,
    plugins: [explorer],
    query,
    variables,
    headers,
    onEditQuery: (value) => { setQuery(value); updateURL({ q: value }); },
    onEditVariables: (value) => { setVariables(value); updateURL({ variables: value }); },
    onEditHeaders: (value) => setHeaders(value),  // never in the URL: headers carry the token
    inputValueDeprecation: true,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
  });
}

ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(StandingGraphiQL));
