"""GraphiQL opens at /graphql in Chromium with every request to anything but the server refused: its React,
GraphiQL and explorer bundles come from the package (schema/graphiql/static/)."""

from __future__ import annotations

import hashlib
from base64 import b64encode
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from schema.graphiql import HERE, graphiql_page
from tests.console.conftest import shot
from tests.support.live import serve


@pytest.fixture(scope="module")
def server(demo_database: str) -> Iterator[str]:
    with serve(demo_database) as (base, _):
        yield base


def test_graphiql_renders_and_runs_a_query_with_no_network_but_the_server(server: str, page):
    origin = urlsplit(server).netloc
    refused: list[str] = []

    def only_the_server(route) -> None:
        if urlsplit(route.request.url).netloc == origin:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort("internetdisconnected")

    page.route("**/*", only_the_server)
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type == "error" else None)
    page.goto(f"{server}/graphql")
    page.wait_for_selector(".graphiql-query-editor .CodeMirror")
    assert "Loading" not in page.inner_text("#graphiql")
    page.click(".graphiql-execute-button")
    result = page.locator(".result-window")
    result.locator("text=missing or invalid token").wait_for()  # the query reached the server and came back
    shot(page, "graphiql", "1-offline")
    assert refused == [], f"GraphiQL tried to reach the internet: {refused}"
    assert console == []


def test_every_asset_the_page_loads_is_in_the_package_with_the_hash_the_page_names():
    html = graphiql_page()
    assert "unpkg.com" not in html and "https://" not in html
    for line in html.splitlines():
        if 'href="/graphiql/assets/' in line or 'src="/graphiql/assets/' in line:
            name = line.split("/graphiql/assets/")[1].split('"')[0]
            assert (HERE / "static" / name).is_file(), name
    for name, digest in _integrity(html).items():
        data = (HERE / "static" / name).read_bytes()
        assert digest == "sha384-" + b64encode(hashlib.sha384(data).digest()).decode(), name
    for licence in ("LICENSE-react.txt", "LICENSE-graphiql.txt", "LICENSE-graphiql-explorer.txt"):
        assert "MIT License" in (HERE / "static" / licence).read_text()
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert '"schema.graphiql" = ["graphiql.html", "static/*"]' in pyproject


def _integrity(html: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for chunk in html.split("/graphiql/assets/")[1:]:
        name = chunk.split('"')[0]
        if 'integrity="' in chunk.split(">")[0]:
            found[name] = chunk.split('integrity="')[1].split('"')[0]
    return found
