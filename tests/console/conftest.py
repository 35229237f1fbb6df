"""The console's end-to-end harness: `standing demo` on a fresh database, a few cases and an appeal filed through the
API at past times, a real `standing serve`, and Debian's Chromium driven by Playwright.

Chromium is /usr/bin/chromium (`.ci/run` installs it); nothing here downloads a browser. Without it the tests are
skipped, except with CI=true, where they fail. Screenshots go to var/test-artifacts/console/<backend>/.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from cli.demo import DEMO_SLUG
from domain.access.principals import TokenRole
from domain.infra import db
from domain.infra.config import Settings
from domain.kernel.clock import FixedClock, SystemClock
from schema.app import create_app
from tests.support.databases import BACKEND, truncate_all
from tests.support.live import ROOT, cli, graphql, serve
from tests.support.world import GraphQLClient, issue

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() == "true"
ARTIFACTS = ROOT / "var" / "test-artifacts" / "console" / BACKEND
DEMO_SIZE = ["--mentors", "12", "--proteges", "13"]  # the smallest demo that tells every story


def launch(playwright):
    if not CHROMIUM.exists():
        message = f"the browser tests need Debian's Chromium at {CHROMIUM} (apt-get install -y chromium)"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@pytest.fixture(scope="module")
def browser(request):
    """One Chromium per test module. The live fixtures a module needs are set up before it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser profile per test: nothing kept from another test's session."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    shot(tab, request.node.name, "last")
    context.close()
    assert errors == [], f"the page raised: {errors}"


def shot(tab, test: str, step: str) -> Path:
    """A screenshot kept as a test artifact, named after the test and the step."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', test)}-{step}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


@dataclass
class Person:
    id: str
    name: str
    version: int


@dataclass
class Demo:
    """The demo organization served live, and who the tests act on."""

    base: str
    env: dict[str, str]
    admin: str  # the admin token `standing demo` printed
    overdue_case: str  # the reference of a case opened five days ago: two stages missed
    fresh_case: str  # the reference of a case opened an hour ago
    to_suspend: Person  # a mentor with a first notice, subject of the overdue case
    to_refuse: Person  # another mentor with a first notice
    to_race: Person  # a third one, changed behind the console's back
    appellant: Person  # a mentor who got a notice two days ago and appealed it

    def graphql(self, query: str, variables: dict | None = None, token: str | None = None) -> dict:
        return graphql(self.base, token or self.admin, query, variables)


@pytest.fixture(scope="module")
def demo_database(migrated_database: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database of this module's own: a copy of the migrated template, or the session's PostgreSQL one emptied."""
    if BACKEND == "postgres":
        asyncio.run(truncate_all(migrated_database))
        return migrated_database
    target = tmp_path_factory.mktemp("console") / "standing.sqlite3"
    shutil.copy(migrated_database, target)
    return f"sqlite://{target}"


MENTORS = """query($standing: StandingState!) { participants(role: MENTOR, standing: $standing, first: 10) {
  edges { node { id displayName version } } } }"""
REPORT = """mutation($subject: ID!, $description: String!) { reportConcern(input: {subjectId: $subject,
  category: RELIABILITY_AND_ATTENDANCE, codeSection: "Mentor Code 3", description: $description}) {
  __typename ... on ReportReceipt { caseReference } ... on UserError { message } } }"""
NOTICE = """mutation($id: ID!) { issueNotice(input: {participantId: $id, reason: "Missed a session without notice"}) {
  __typename ... on TransitionPayload { transition { id } } ... on UserError { message } } }"""
APPEAL = """mutation($step: ID!) { appealSanction(input: {transitionId: $step,
  statement: "I sent word the day before; the message is in the platform."}) {
  __typename ... on AppealPayload { appeal { id } } ... on UserError { message } } }"""
OVERRIDES = """mutation { setBadgeOverrides(overrides: {protege: {session_attendance: {threshold: 2}}},
  reason: "Our cohort meets every other week") { __typename ... on UserError { message } } }"""


async def _arrange(url: str, admin: str) -> dict:
    """Cases, an appeal and a badge override, made through the public API with a clock set in the past, as
    admins and a participant would have made them then."""
    await db.connect(url)
    try:
        now = SystemClock().now()
        clock = FixedClock(now - timedelta(days=5))
        app = create_app(Settings(database_url=url), clock=clock, manage_database=False)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://standing.test") as http:
            api = GraphQLClient(http)

            def people(data: dict) -> list[Person]:
                nodes = [e["node"] for e in data["participants"]["edges"]]
                return [Person(n["id"], n["displayName"], n["version"]) for n in nodes]

            noticed = people(await api.data(MENTORS, {"standing": "FIRST_NOTICE"}, token=admin))
            good = people(await api.data(MENTORS, {"standing": "GOOD"}, token=admin))
            assert len(noticed) >= 3 and good, "the demo tells these mentor stories"
            overdue = await api.data(
                REPORT, {"subject": noticed[0].id, "description": "No-show again, no word sent"}, token=admin
            )
            clock.set(now - timedelta(days=2))
            step = (await api.data(NOTICE, {"id": good[0].id}, token=admin))["issueNotice"]
            appellant_token = await issue(DEMO_SLUG, TokenRole.PARTICIPANT, clock, int(_database_id(good[0].id)))
            appeal = await api.data(APPEAL, {"step": step["transition"]["id"]}, token=appellant_token)
            assert appeal["appealSanction"]["__typename"] == "AppealPayload", appeal
            clock.set(now - timedelta(hours=1))
            fresh = await api.data(
                REPORT, {"subject": good[0].id, "description": "Rescheduled twice at an hour's notice"}, token=admin
            )
            assert (await api.data(OVERRIDES, token=admin))["setBadgeOverrides"][
                "__typename"
            ] == "BadgeOverridesPayload"
            appellant = people(await api.data(MENTORS, {"standing": "FIRST_NOTICE"}, token=admin))
            return {
                "overdue_case": overdue["reportConcern"]["caseReference"],
                "fresh_case": fresh["reportConcern"]["caseReference"],
                "to_suspend": noticed[0],
                "to_refuse": noticed[1],
                "to_race": noticed[2],
                "appellant": next(p for p in appellant if p.id == good[0].id),
            }
    finally:
        await db.disconnect()


def _database_id(global_id: str) -> str:
    import base64

    return base64.b64decode(global_id).decode().split(":", 1)[1]


@pytest.fixture(scope="module")
def demo(demo_database: str) -> Iterator[Demo]:
    """`standing demo`, then the arranged cases, then `standing sweep` (the missed stages nudge the admins), then
    `standing serve`: the way an operator would bring the demo up, on a database of this module's own."""
    env = {**os.environ, "STANDING_DATABASE_URL": demo_database}
    env.pop("STANDING_REDIS_URL", None)
    made = cli(["demo", *DEMO_SIZE], env)
    assert made.returncode == 0, made.stderr
    admin = made.stdout.strip().splitlines()[-1]
    arranged = asyncio.run(_arrange(demo_database, admin))
    swept = cli(["sweep"], env)
    assert swept.returncode == 0, swept.stderr
    with serve(demo_database) as (base, served_env):
        yield Demo(base=base, env=served_env, admin=admin, **arranged)


def sign_in(tab, demo: Demo, token: str | None = None) -> None:
    tab.goto(f"{demo.base}/console")
    tab.fill("#token", token or demo.admin)
    tab.click("form.signin button[type=submit]")
    tab.wait_for_selector("main h1:text-is('Queue')")
