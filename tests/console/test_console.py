"""The admin console in a real browser, on the demo organization served by `standing serve`: signing in, the
queue, a participant, acting (with a preview, a refusal and a stale version), and the organization page. Every
change is then read back through GraphQL, the only way the console talks to the server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from cli.demo import DEMO_NAME, DEMO_SLUG
from tests.console.conftest import Demo, cli, shot, sign_in

STANDING = """query($id: ID!) { participant(id: $id) { version standing { state suspendedUntil
  history(first: 1) { edges { node { event reason } } } } } notices(participantId: $id) { title } }"""
CLEAR = """mutation($id: ID!) { clearNotice(input: {participantId: $id, reason: "Resolved with the mentor"}) {
  __typename } }"""


def test_an_admin_signs_in_sees_the_queue_opens_a_participant_and_suspends_them_after_previewing_the_notice(
    demo: Demo, page
):
    requests: list[tuple[str, str]] = []
    page.on("request", lambda r: requests.append((r.method, urlsplit(r.url).path)))
    sign_in(page, demo)
    rows = page.locator("table.queue tbody tr")
    texts = rows.all_inner_texts()
    kinds = [rows.nth(i).get_attribute("data-kind") for i in range(rows.count())]
    # The demo's own open cases and appeal are there too (tests/cli/test_demo.py), earliest deadline first:
    # every overdue item before every item still due.
    late = ["Overdue" in t for t in texts]
    assert late == sorted(late, reverse=True) and sum(late) >= 2, texts  # the demo's overdue case, and ours
    assert kinds.count("case") >= 4 and kinds.count("appeal") >= 2, kinds
    overdue = next(i for i, t in enumerate(texts) if demo.overdue_case in t)
    fresh = next(i for i, t in enumerate(texts) if demo.fresh_case in t)
    appeal = next(i for i, t in enumerate(texts) if kinds[i] == "appeal" and demo.appellant.name in t)
    assert kinds[overdue] == "case" and late[overdue] and "Admins nudged" in texts[overdue]
    assert kinds[fresh] == "case" and not late[fresh] and "Admins nudged" not in texts[fresh]
    assert overdue < fresh < appeal
    nudges = page.locator("ul.nudges li").all_inner_texts()
    assert any(f"case {demo.overdue_case} was not triaged in time" in n for n in nudges)
    shot(page, "suspend", "1-queue")

    rows.nth(overdue).locator("a").click()
    page.wait_for_selector(f"main h1:has-text('{demo.to_suspend.name}')")
    assert page.inner_text("#standing-state") == "First notice"
    shot(page, "suspend", "2-participant")

    page.select_option("#event", "SUSPEND")
    page.fill("#reason", "A third missed session after the first notice")
    until = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    page.fill("#until", until)
    assert page.is_disabled("#confirm")  # nothing is taken unread
    page.click("#preview")
    notice = page.locator("#notice-preview article.notice")
    notice.wait_for()
    title = notice.locator("h4").inner_text()
    assert "suspended" in title.lower() and "A third missed session after the first notice" in notice.inner_text()
    shot(page, "suspend", "3-preview")
    page.click("#confirm")
    page.wait_for_selector(".message.ok:has-text('Done: Suspend.')")
    assert page.inner_text("#standing-state") == "Suspended"
    shot(page, "suspend", "4-done")

    after = demo.graphql(STANDING, {"id": demo.to_suspend.id})
    standing = after["participant"]["standing"]
    assert standing["state"] == "SUSPENDED" and standing["suspendedUntil"].startswith(until)
    last = standing["history"]["edges"][0]["node"]
    assert last == {"event": "SUSPEND", "reason": "A third missed session after the first notice"}
    assert after["notices"][0]["title"] == title  # the notice written is the notice previewed
    assert after["participant"]["version"] == demo.to_suspend.version + 1
    # The console spoke to the server through the public API only.
    assert {path for _, path in requests if not path.startswith("/console")} == {"/graphql"}


def test_a_stale_version_gets_a_clear_message_and_changes_nothing(demo: Demo, page):
    sign_in(page, demo)
    page.goto(f"{demo.base}/console#/participant/{demo.to_race.id}")
    page.wait_for_selector(f"main h1:has-text('{demo.to_race.name}')")
    # Another admin clears the notice while this one is deciding.
    assert demo.graphql(CLEAR, {"id": demo.to_race.id})["clearNotice"]["__typename"] == "TransitionPayload"
    page.select_option("#event", "SUSPEND")
    page.fill("#reason", "Missed the review meeting")
    page.click("#preview")
    page.locator("#notice-preview article.notice").wait_for()
    page.click("#confirm")
    stale = page.locator("#outcome .message.warn")
    stale.wait_for()
    text = stale.inner_text()
    assert "someone else acted first" in text and "Nothing was done" in text
    assert f"you saw version {demo.to_race.version}; it is now version {demo.to_race.version + 1}" in text
    shot(page, "stale", "1-refused")
    assert demo.graphql(STANDING, {"id": demo.to_race.id})["participant"]["standing"]["state"] == "GOOD"
    page.click("#reload")
    page.wait_for_selector("#standing-state:text-is('Good')")
    shot(page, "stale", "2-reloaded")


def test_a_refused_action_says_why_and_changes_nothing(demo: Demo, page):
    sign_in(page, demo)
    page.goto(f"{demo.base}/console#/participant/{demo.to_refuse.id}")
    page.wait_for_selector(f"main h1:has-text('{demo.to_refuse.name}')")
    page.select_option("#event", "SUSPEND")
    page.fill("#reason", "Repeated lateness")
    page.fill("#until", (datetime.now(UTC) + timedelta(days=800)).date().isoformat())  # past the year's cap
    page.click("#preview")
    page.locator("#notice-preview article.notice").wait_for()
    page.click("#confirm")
    refused = page.locator("#outcome .message.error")
    refused.wait_for()
    assert "Refused: nothing was changed." in refused.inner_text()
    assert "the suspension may last at most the policy's maximum" in refused.inner_text()
    shot(page, "refused", "1-refused")
    after = demo.graphql(STANDING, {"id": demo.to_refuse.id})["participant"]
    assert after["standing"]["state"] == "FIRST_NOTICE" and after["version"] == demo.to_refuse.version

    # A way back writes no notice: the preview says so, and the step can still be confirmed.
    page.select_option("#event", "CLEAR_NOTICE")
    page.fill("#reason", "Resolved in a call")
    page.click("#preview")
    page.wait_for_selector("#notice-preview .message.info:has-text('This step writes no notice.')")
    assert page.is_enabled("#confirm")


def test_only_an_admin_token_signs_in_and_the_session_lives_in_the_tab_alone(demo: Demo, page, browser):
    partner = (
        cli(["token", "create", "--role", "partner", "--org", DEMO_SLUG], demo.env).stdout.strip().splitlines()[-1]
    )
    page.goto(f"{demo.base}/console")
    page.fill("#token", partner)
    page.click("form.signin button[type=submit]")
    page.wait_for_selector(".message.error:has-text('This is not an admin token.')")
    page.fill("#token", "stk_not-a-token")
    page.click("form.signin button[type=submit]")
    page.wait_for_selector(".message.error:has-text('The server does not know this token')")
    shot(page, "signin", "1-refused")
    assert page.evaluate("sessionStorage.length") == 0

    sign_in(page, demo)
    assert page.evaluate("sessionStorage.getItem('standing.console.token')") == demo.admin
    assert page.context.cookies() == [] and page.evaluate("document.cookie") == ""
    # Nothing ambient: a request that does not send the header (as a forged cross-site one could not) is anonymous.
    anonymous = page.evaluate(
        """async () => (await (await fetch('/graphql', {method: 'POST', credentials: 'include',
             headers: {'Content-Type': 'application/json'}, body: JSON.stringify({query: '{ viewer { role } }'})})).json())"""
    )
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    other = browser.new_context().new_page()
    other.goto(f"{demo.base}/console#/queue")
    other.wait_for_selector("#token")  # another profile is not signed in
    other.context.close()
    page.click("#sign-out")
    page.wait_for_selector("#token")
    assert page.evaluate("sessionStorage.length") == 0
    headers = page.request.get(f"{demo.base}/console").headers
    assert "script-src 'self'" in headers["content-security-policy"] and headers["x-frame-options"] == "DENY"


def test_the_participant_page_shows_the_timeline_and_the_badge_with_its_evidence(demo: Demo, page):
    sign_in(page, demo)
    page.goto(f"{demo.base}/console#/participant/{demo.appellant.id}")
    page.wait_for_selector(f"main h1:has-text('{demo.appellant.name}')")
    entries = page.locator("ol.timeline li")
    kinds = [entries.nth(i).get_attribute("data-kind") for i in range(entries.count())]
    assert {"transition", "notice", "appeal", "case"} <= set(kinds)
    texts = entries.all_inner_texts()
    assert any("Issue notice: Good → First notice" in t and "Appeal open" in t for t in texts)
    assert any("Appeal of “Issue notice” filed" in t and "I sent word the day before" in t for t in texts)
    assert any(f"Case {demo.fresh_case} opened" in t for t in texts)
    assert any(t.startswith("Notice:") or "Notice: " in t for t in texts)
    times = page.locator("ol.timeline li .when").all_inner_texts()
    parsed = [datetime.strptime(t.removesuffix(" UTC"), "%d %b %Y, %H:%M") for t in times]
    assert parsed == sorted(parsed, reverse=True)  # newest first
    criteria = page.locator("table.criteria tbody tr")
    assert criteria.count() == 5 and page.locator("table.criteria .pill").count() == 5
    shot(page, "participant", "1-timeline")


def test_the_organization_page_counts_standings_and_badges_and_marks_the_overrides(demo: Demo, page):
    sign_in(page, demo)
    page.click("nav a:text-is('Organization')")
    page.wait_for_selector("h2:text-is('Badge policy in force')")
    overview = demo.graphql("{ organizationOverview { organization { name } standings { role state count } } }")
    assert page.inner_text("main h1").startswith(overview["organizationOverview"]["organization"]["name"])
    for tally in overview["organizationOverview"]["standings"]:
        section = page.locator(f"section[data-role='{tally['role'].lower()}']").first
        row = section.locator("table.counts").first.locator(f"tr[data-key='{tally['state']}']")
        assert row.locator("td").inner_text() == str(tally["count"]), tally
    overridden = page.locator("section.policy[data-role='protege'] tr.overridden")
    assert overridden.count() == 1 and "Attend at least 2 sessions" in overridden.inner_text()
    assert f"Set by {DEMO_NAME}" in overridden.inner_text()
    assert "Our cohort meets every other week" in page.inner_text("ul.changes")
    shot(page, "organization", "1-counts")
    # A count opens the list of the participants it counts.
    page.locator("section[data-role='mentor'] table.counts a:text-is('Suspended')").click()
    page.wait_for_selector("table.participants")
    assert page.locator("table.participants tbody tr").count() >= 1
    assert set(page.locator("table.participants tbody td:nth-child(3) .pill").all_inner_texts()) == {"Suspended"}
