"""The `graphql-ws` JavaScript client subscribes to `standingChanged` on a real `standing serve`.

Partner tools are often written in JavaScript, so the subscription is checked with the reference
client of the graphql-transport-ws protocol, run by Node (tests/events/js/subscribe.mjs). `graphql-ws`, `ws`
and `graphql` are installed once with npm into the ignored `var/js-client`. Without node or npm the
test is skipped, except with CI=true, where it fails.
"""

from __future__ import annotations

import fcntl
import json
import os
import queue
import shutil
import subprocess
import threading

import pytest

from tests.support.live import ROOT, cli, graphql, serve

IN_CI = os.environ.get("CI", "").lower() == "true"
MODULES = ROOT / "var" / "js-client"
SCRIPT = ROOT / "tests" / "events" / "js" / "subscribe.mjs"
PACKAGES = ["graphql-ws@6", "ws@8", "graphql@16"]

REGISTER = """mutation { registerParticipant(input: {role: PROTEGE, displayName: "Pat", email: "pat@example.org"}) {
  ... on ParticipantPayload { participant { id } } } }"""
EVENT = """mutation($id: ID!) { %s(input: {participantId: $id, reason: "js client test"}) { __typename } }"""


def _unavailable(message: str) -> None:
    if IN_CI:
        pytest.fail(f"CI must run the graphql-ws client test: {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def js_client() -> str:
    """node, with graphql-ws and ws installed in var/js-client (once; a lock keeps parallel runs apart)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        _unavailable("node and npm are needed to run the graphql-ws JavaScript client")
    MODULES.mkdir(parents=True, exist_ok=True)
    with open(MODULES / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        installed = all((MODULES / "node_modules" / name / "package.json").exists() for name in ("graphql-ws", "ws"))
        if not installed:
            try:
                result = subprocess.run(
                    [npm, "install", "--no-audit", "--no-fund", "--no-save", "--prefix", str(MODULES), *PACKAGES],
                    capture_output=True,
                    text=True,
                    timeout=300,
                    cwd=MODULES,
                )
            except subprocess.TimeoutExpired:
                _unavailable("npm install of graphql-ws and ws timed out")
            if result.returncode != 0:
                _unavailable(f"npm install of graphql-ws and ws failed:\n{result.stderr[-2000:]}")
    return node  # type: ignore[return-value]


class NodeSubscriber:
    """tests/events/js/subscribe.mjs in its own process; its JSON lines are read on a thread, with timeouts."""

    def __init__(self, node: str, base: str, token: str, count: int, after: str = "0") -> None:
        env = {
            **os.environ,
            "JS_MODULES": str(MODULES),
            "URL": base.replace("http", "ws", 1) + "/graphql",
            "TOKEN": token,
            "COUNT": str(count),
            "AFTER": after,
        }
        self.process = subprocess.Popen(
            [node, str(SCRIPT)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def take(self, count: int, timeout: float = 20) -> list[dict]:
        events = []
        for _ in range(count):
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                self.stop()
                pytest.fail(f"the graphql-ws client received {len(events)} of {count} events in {timeout} s")
            if line is None:
                pytest.fail(f"the graphql-ws client exited after {len(events)} events: {self.finish()}")
            events.append(json.loads(line))
        return events

    def finish(self, timeout: float = 20) -> tuple[int, str]:
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
        stderr = self.process.stderr.read() if self.process.stderr else ""
        return self.process.returncode, stderr

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def _token(env: dict[str, str], role: str) -> str:
    result = cli(["token", "create", "--role", role, "--org", "demo"], env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_graphql_ws_client_replays_from_its_cursor_then_streams_live_events(js_client, database_url):
    with serve(database_url) as (base, env):
        admin, partner = _token(env, "admin"), _token(env, "partner")
        pid = graphql(base, admin, REGISTER)["registerParticipant"]["participant"]["id"]
        graphql(base, admin, EVENT % "sendReminder", {"id": pid})
        graphql(base, admin, EVENT % "approveReschedule", {"id": pid})
        subscriber = NodeSubscriber(js_client, base, partner, count=3, after="0")
        try:
            replayed = subscriber.take(2)  # the replay is done, so the subscription is live
            graphql(base, admin, EVENT % "issueWarning", {"id": pid})
            [live] = subscriber.take(1)
            code, stderr = subscriber.finish()
        finally:
            subscriber.stop()
    assert code == 0, stderr
    events = replayed + [live]
    assert [(e["event"], e["fromState"], e["toState"]) for e in events] == [
        ("SEND_REMINDER", "GOOD", "REMINDER"),
        ("APPROVE_RESCHEDULE", "REMINDER", "GOOD"),
        ("ISSUE_WARNING", "GOOD", "WARNING"),
    ]
    assert {e["type"] for e in events} == {"standing.changed"}
    assert {e["reasonCode"] for e in events} == {
        "admin.send_reminder",
        "admin.approve_reschedule",
        "admin.issue_warning",
    }
    cursors = [int(e["cursor"]) for e in events]
    assert cursors == sorted(set(cursors))
    assert "example.org" not in json.dumps(events)


def test_the_graphql_ws_client_resumes_after_a_cursor_and_is_refused_a_bad_token(js_client, database_url):
    with serve(database_url) as (base, env):
        admin, partner = _token(env, "admin"), _token(env, "partner")
        pid = graphql(base, admin, REGISTER)["registerParticipant"]["participant"]["id"]
        graphql(base, admin, EVENT % "sendReminder", {"id": pid})
        replaying = NodeSubscriber(js_client, base, partner, count=1)
        [first] = replaying.take(1)
        assert replaying.finish()[0] == 0
        graphql(base, admin, EVENT % "approveReschedule", {"id": pid})
        resumed = NodeSubscriber(js_client, base, partner, count=1, after=first["cursor"])
        [missed] = resumed.take(1)
        assert resumed.finish()[0] == 0
        refused = NodeSubscriber(js_client, base, "not-a-token", count=1)
        code, stderr = refused.finish()
    assert (first["event"], missed["event"]) == ("SEND_REMINDER", "APPROVE_RESCHEDULE")
    assert int(missed["cursor"]) > int(first["cursor"])
    assert code == 2 and json.loads(stderr.strip().splitlines()[-1])["close"] == 4403, stderr
