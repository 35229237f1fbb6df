"""GraphiQL served from the package: `/graphql` opens in a browser without internet.

Strawberry's own page loads React and GraphiQL from a CDN; this one loads the same files, copied from their npm
packages with their licences into `static/` (see `static/README.md`), from `/graphiql/assets/`.
"""

from __future__ import annotations

from pathlib import Path

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

HERE = Path(__file__).parent
ASSETS_PATH = "/graphiql/assets"
PAGE = (HERE / "graphiql.html").read_text(encoding="utf-8")


def graphiql_page() -> str:
    """The IDE's HTML, pointing only at this server."""
    return PAGE


def graphiql_assets() -> Mount:
    return Mount(ASSETS_PATH, app=StaticFiles(directory=HERE / "static"), name="graphiql-assets")
