"""The dashboard's tasks, pairs, channels, orchestrators, connectors and activity views in a
real browser (§17, issue 17 items 1 and 2). Each test makes real data over HTTP (some while the
page is open, to see it arrive live), checks the view shows it, and works its main action
through the page, then checks the result over the API."""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.conftest import ADMIN_TOKEN, login, shot
from tests.support import ServerProcess, wipe

INTEGRATION = "ci"
INTEGRATION_TOKEN = "browser-ci-token"
GUARD = {"X-Agent-Instance-Id": "bridge-1", "X-Agent-Epoch": "1"}


class Receiver:
    """A task callback receiver on loopback: records every POST it gets."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        received = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                received.append(json.loads(self.rfile.read(length) or b"{}"))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    try:
        yield r
    finally:
        r.close()


@pytest.fixture(scope="module")
def host_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("host-root")
    for d in ("alpha/src", "beta"):
        (root / d).mkdir(parents=True)
    return root.resolve()


@pytest.fixture(scope="module")
def relay(
    database: str, tmp_path_factory: pytest.TempPathFactory, host_root: Path, receiver: Receiver
) -> Iterator[ServerProcess]:
    """conftest's relay plus what these views need: an integration token, a host root for
    the directory picker, callbacks allowed to reach the loopback receiver, and a fast
    first callback retry."""
    wipe(database)
    server = ServerProcess(
        database,
        tmp_path_factory.mktemp("browser-views-relay"),
        env={
            "AGENT_RELAY_TOKEN": ADMIN_TOKEN,
            "AGENT_RELAY_INTEGRATION_TOKENS": f"{INTEGRATION}={INTEGRATION_TOKEN}",
            "AGENT_RELAY_HOST_ROOT": str(host_root),
            "AGENT_RELAY_OUTBOUND_ALLOW": "127.0.0.1",
            "AGENT_RELAY_CALLBACK_POLL_INTERVAL_MS": "100",
        },
    ).start()
    try:
        yield server
    finally:
        server.stop()


def uid(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


def ok(response: httpx.Response) -> Any:
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


def register(admin: httpx.Client, agent_id: str, **extra: Any) -> dict:
    return ok(admin.post("/api/agents", json={"id": agent_id, "name": agent_id, "kind": "provider", **extra}))


def integration_event(relay: ServerProcess, **body: Any) -> dict:
    with httpx.Client(base_url=relay.url, headers={"X-Agent-Relay-Token": INTEGRATION_TOKEN}) as c:
        return ok(c.post("/api/integrations/events", json=body))


def wait_for(page: Any, js: str, arg: Any = None) -> None:
    page.wait_for_function(js, arg=arg)


# -- tasks ---------------------------------------------------------------------------------


def test_tasks_show_callback_deliveries_and_a_status_change_reaches_the_callback(
    page: Any, admin: httpx.Client, relay: ServerProcess, receiver: Receiver
) -> None:
    login(page, "#/tasks")
    page.wait_for_selector(".conn[data-state=live]")
    hostile = '<img src=x onerror="window.__xss = 1">'
    task = integration_event(
        relay,
        externalId=uid("build"),
        title="CI failed on main",
        severity="critical",
        target="label:backend",
        body=f"test_login fails {hostile}",
        callbackUrl=receiver.url,
    )
    row = page.locator(f"section[data-view=tasks] .dv-list tr[data-key='{task['id']}']")
    row.wait_for()  # arrived live (task.created)
    assert "CI failed on main" in row.inner_text() and "critical" in row.inner_text()
    page.locator(".dv-cards .card", has_text=INTEGRATION).wait_for()  # the integration's counts
    row.click()
    detail = page.locator(".detail")
    detail.locator("pre", has_text=hostile).wait_for()  # a hostile body stays text
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("location.hash") == f"#/tasks/{task['id']}"
    # the task.created callback is delivered to the receiver and shown (polled while in flight)
    detail.locator("[data-delivery]", has_text="task.created").locator(
        ".badge", has_text="delivered"
    ).wait_for()

    register(admin, "fixer", label="backend")
    detail.locator("input[aria-label=agent]").fill("fixer")
    detail.locator("button", has_text="Claim as agent").click()
    row.locator("td", has_text="fixer").wait_for()
    assert ok(admin.get(f"/api/tasks/{task['id']}"))["claimedBy"] == "fixer"
    detail.locator("dd .countdown").wait_for()  # the lease, counting down

    detail.locator("select[aria-label='new status']").select_option("done")
    detail.locator("input[aria-label=note]").fill("fixed in 3f2a1c")
    detail.locator("button", has_text="Set status").click()
    page.wait_for_selector(".toast:has-text('is done')")
    got = ok(admin.get(f"/api/tasks/{task['id']}"))
    assert (got["status"], got["note"]) == ("done", "fixed in 3f2a1c")
    row.locator(".badge", has_text="done").wait_for()
    detail.locator("text=final").wait_for()  # no status form for a final task
    # two status changes (claimed, done): two task.updated deliveries, both delivered
    wait_for(
        page,
        """() => [...document.querySelectorAll('.detail [data-delivery]')]
            .filter(li => li.textContent.includes('task.updated') && li.querySelector('.badge.ok')).length === 2""",
    )
    statuses = [b.get("status") for b in receiver.bodies if b.get("externalId") == task["externalId"]]
    assert sorted(statuses) == ["claimed", "done", "open"]


# -- pairs ---------------------------------------------------------------------------------


def test_a_pair_invite_appears_live_is_accepted_and_its_members_talk(page: Any, admin: httpx.Client) -> None:
    a, b = uid("alice"), uid("bob")
    register(admin, a)
    register(admin, b)
    login(page, "#/pairs")
    page.wait_for_selector(".conn[data-state=live]")
    pair = ok(admin.post("/api/pairs", json={"from": a, "to": b, "topic": "refactor auth"}))
    row = page.locator(f"section[data-view=pairs] tr[data-key='{pair['id']}']")
    row.wait_for()  # pair.updated, live
    assert "pending" in row.inner_text() and "refactor auth" in row.inner_text()
    row.click()
    page.locator(".detail button", has_text=f"Accept as {b}").click()
    row.locator(".badge", has_text="active").wait_for()
    assert ok(admin.get(f"/api/pairs/{pair['id']}"))["status"] == "active"

    detail = page.locator(".detail")
    detail.locator("select[aria-label='send as']").select_option(a)
    detail.locator("textarea[aria-label='pair message']").fill("start with the token parser")
    detail.locator("button", has_text="Send").click()
    detail.locator(".dv-msgs li", has_text="start with the token parser").wait_for()
    inbox = ok(admin.get(f"/api/inbox/{b}"))
    assert any(m["body"] == "start with the token parser" and m["kind"] == "pair" for m in inbox)

    detail.locator("button", has_text=f"End as {a}").click()
    row.locator(".badge", has_text="ended").wait_for()
    assert ok(admin.get(f"/api/pairs/{pair['id']}"))["status"] == "ended"

    # invite from the page: a refusal (an agent pairing with itself) shows in the dialog
    page.locator("section[data-view=pairs] .toolbar button", has_text="New pair").click()
    dlg = page.locator("dialog.dlg[open]")
    dlg.locator("input[aria-label=from]").fill(b)
    dlg.locator("input[aria-label=to]").fill(b)
    dlg.locator("input[aria-label=topic]").fill("docs")
    dlg.locator("footer button", has_text="Invite").click()
    dlg.locator(".dlg-error").filter(has_text="from and to must be different agents").wait_for()
    dlg.locator("input[aria-label=to]").fill(a)
    dlg.locator("footer button", has_text="Invite").click()
    page.wait_for_selector("dialog.dlg[open]", state="detached")
    invited = ok(admin.get("/api/pairs", params={"agentId": b, "status": "pending"}))
    assert [(p["from"], p["to"], p["topic"]) for p in invited] == [(b, a, "docs")]
    page.locator(".detail h2", has_text=f"{b} ⇄ {a}").wait_for()  # selected at once


# -- channels ------------------------------------------------------------------------------


def test_channel_bindings_route_explanation_and_live_activity(page: Any, admin: httpx.Client) -> None:
    channel = f"slack:{uuid.uuid4().hex[:6]}"
    helper, lead = uid("helper"), uid("lead")
    register(admin, helper, label="support")
    register(admin, lead)
    ok(
        admin.post(
            "/api/agents",
            json={
                "id": channel,
                "name": "Slack bridge",
                "kind": "channel",
                "meta": {"channelType": "slack"},
                "instanceId": "bridge-1",
                "epoch": 1,
            },
        )
    )
    bind = {"channelId": channel, "target": "label:support", "mode": "claimable"}
    ok(admin.post("/api/channel-bindings", json=bind, headers=GUARD))
    ok(
        admin.post(
            "/api/channel-bindings",
            json={"channelId": channel, "target": lead, "conversationId": "C42", "priority": 2},
            headers=GUARD,
        )
    )
    login(page, f"#/channels/{channel}")
    detail = page.locator(".detail")
    detail.locator("h2", has_text="Slack bridge").wait_for()
    bindings = detail.locator("ul[aria-label=bindings] > li")
    bindings.first.wait_for()
    assert bindings.count() == 2
    # the default route: the claimable binding, with the reason
    detail.locator("ul[aria-label='route candidates'] li.chosen", has_text="label:support").wait_for()
    detail.locator("input[aria-label=conversation]").fill("C42")
    detail.locator("button", has_text="Explain").click()
    chosen = detail.locator("ul[aria-label='route candidates'] li.chosen")
    chosen.filter(has_text=lead).wait_for()
    assert "conversation" in chosen.inner_text()

    # add a binding through the form (the page uses the channel agent's session)
    detail.locator("summary", has_text="Add a binding").click()
    detail.locator("input[aria-label=target]").fill("broadcast")
    detail.locator("select[aria-label=mode]").select_option("broadcast")
    detail.locator("button", has_text="Add binding").click()
    page.wait_for_selector(".toast:has-text('Bound')")
    listed = ok(admin.get("/api/channel-bindings", params={"channelId": channel}))
    assert any(b["target"]["type"] == "broadcast" and b["mode"] == "broadcast" for b in listed)
    bindings.nth(2).wait_for()

    # remove the conversation binding
    detail.locator("ul[aria-label=bindings] > li", has_text=lead).locator("button", has_text="Remove").click()
    page.wait_for_selector(".toast:has-text('Binding removed')")
    listed = ok(admin.get("/api/channel-bindings", params={"channelId": channel}))
    assert len(listed) == 2 and all(b.get("conversationId") != "C42" for b in listed)

    # typing is never stored: it shows up live only
    typing = {
        "schema": "agent-relay.channel.v1",
        "channel": {"provider": "slack", "accountId": channel.split(":")[1], "agentId": channel},
        "direction": "inbound",
        "conversation": {"id": "C42", "type": "channel"},
        "actor": {"id": "U1", "name": "Dana", "kind": "user"},
        "event": {"type": "typing.started"},
        "activity": {"type": "typing"},
    }
    ok(admin.post(f"/api/channels/{channel}/activities", json=typing, headers=GUARD))
    detail.locator(".dv-log li", has_text="typing.started · Dana").wait_for()


# -- orchestrators -------------------------------------------------------------------------


def test_orchestrator_managed_agents_and_the_spawn_dialog_with_directory_picker(
    page: Any, admin: httpx.Client, host_root: Path
) -> None:
    orch = uid("laptop")
    ok(
        admin.post(
            "/api/orchestrators", json={"id": orch, "hostname": "laptop.local", "baseDir": str(host_root)}
        )
    )
    managed = {
        "agentId": uid("claude"),
        "provider": "claude",
        "tmuxSession": "relay-claude-1",
        "cwd": str(host_root / "beta"),
        "label": "backend",
        "approvalMode": "guarded",
        "pid": 4242,
        "startedAt": 1_700_000_000_000,
    }
    ok(admin.patch(f"/api/orchestrators/{orch}/agents", json={"agents": [managed]}))
    login(page, f"#/orchestrators/{orch}")
    detail = page.locator(".detail")
    item = detail.locator(f"[data-agent='{managed['agentId']}']")
    item.wait_for()
    assert "backend" in item.inner_text() and "pid 4242" in item.inner_text()

    # restart one managed agent (after a confirmation)
    item.locator("button", has_text="Restart").click()
    page.locator("dialog.dlg[open] button", has_text="Restart").click()
    page.wait_for_selector(".toast:has-text('restart requested')")

    # the spawn dialog: browse to alpha/ and spawn there
    detail.locator("button", has_text="Spawn here").click()
    dlg = page.locator("dialog.dlg[open]")
    dlg.locator("ul[aria-label=directories] button", has_text="alpha/").click()
    wait_for(page, "() => document.querySelector('dialog[open] input[name=cwd]').value.endsWith('/alpha')")
    dlg.locator("ul[aria-label=directories] button", has_text="src/").wait_for()  # inside alpha now
    dlg.locator("select[name=provider]").select_option("claude")
    dlg.locator("input[name=label]").fill("reviewer")
    dlg.locator("textarea[name=prompt]").fill("review the open PRs")
    shot(page, "views-spawn-dialog")
    dlg.locator("footer button", has_text="Spawn").click()
    page.wait_for_selector(".toast:has-text('Spawn of claude requested')")
    controls = ok(admin.get("/api/messages", params={"to": f"orchestrator:{orch}", "kind": "control"}))
    spawn = [
        m["payload"]["orchestratorControl"]
        for m in controls
        if m["payload"].get("orchestratorControl", {}).get("action") == "spawn"
    ]
    assert spawn and spawn[0]["cwd"] == str(host_root / "alpha") and spawn[0]["label"] == "reviewer"
    restart = [m["payload"] for m in controls if "spawn" not in json.dumps(m["payload"])]
    assert restart and managed["agentId"] in json.dumps(restart)

    # "Spawn agent…" lets the relay pick an online orchestrator for the provider
    page.locator("section[data-view=orchestrators] .toolbar button", has_text="Spawn agent").click()
    dlg = page.locator("dialog.dlg[open]")
    dlg.locator("ul[aria-label=directories] button", has_text="beta/").click()
    wait_for(page, "() => document.querySelector('dialog[open] input[name=cwd]').value.endsWith('/beta')")
    dlg.locator("select[name=provider]").select_option("claude")
    dlg.locator("footer button", has_text="Spawn").click()
    page.wait_for_selector(".toast:has-text('Spawn of claude requested on')")

    # the orchestrator goes live: removal shows without a reload
    ok(admin.delete(f"/api/orchestrators/{orch}"))
    page.locator(f"section[data-view=orchestrators] tr[data-key='{orch}']").wait_for(state="detached")


# -- connectors ----------------------------------------------------------------------------

SECRET = "sk-original-secret"
# The doctor command reads the config file the relay writes for it and says whether the
# secret is still the original (by its hash: the manifest itself is shown in the page).
CHECK_CONFIG = (
    "import hashlib, json, os; c = json.load(open(os.environ['AGENT_RELAY_CONNECTOR_CONFIG']));"
    " h = hashlib.sha256(str(c.get('apiKey')).encode()).hexdigest();"
    f" print('port', c.get('port'), 'key', 'kept' if h == '{hashlib.sha256(SECRET.encode()).hexdigest()}' else 'changed')"
)


def test_connector_actions_and_a_config_form_from_its_schema_with_write_only_secrets(
    page: Any, admin: httpx.Client
) -> None:
    cid = f"echo-{uuid.uuid4().hex[:6]}"
    manifest = {
        "id": cid,
        "name": "Echo bridge",
        "version": "1.0.0",
        "description": "Says hello",
        "channelType": "echo",
        "commands": {
            "doctor": ["{python}", "-c", CHECK_CONFIG],
            "install": ["{python}", "-c", "import sys; print('install went wrong'); sys.exit(3)"],
        },
        "configSchema": {
            "type": "object",
            "required": ["port"],
            "properties": {
                "port": {"type": "integer", "description": "listen port"},
                "mode": {"enum": ["fast", "safe"]},
                "verbose": {"type": "boolean"},
                "apiKey": {"type": "string", "secret": True, "description": "the upstream API key"},
            },
        },
    }
    ok(admin.post("/api/connectors", json={"manifest": manifest, "config": {"port": 8787, "apiKey": SECRET}}))
    login(page, f"#/connectors/{cid}")
    form = page.locator(".detail [data-testid=config-form]")
    form.locator("input[name=port]").wait_for()
    assert form.locator("input[name=port]").input_value() == "8787"
    assert form.locator("select[name=mode] option").all_inner_texts() == ["—", "fast", "safe"]
    secret = form.locator("input[name=apiKey]")
    assert secret.get_attribute("type") == "password" and secret.input_value() == ""
    assert "stored" in (secret.get_attribute("placeholder") or "")
    assert SECRET not in page.content()  # never read back

    # save a changed port, the secret left blank: the stored secret is kept
    form.locator("input[name=port]").fill("9000")
    form.locator("select[name=mode]").select_option(label="safe")
    form.locator("input[name=verbose]").check()
    form.locator("button", has_text="Save config").click()
    page.wait_for_selector(".toast:has-text('config saved')")
    config = ok(admin.get(f"/api/connectors/{cid}/config"))
    assert config == {"port": 9000, "mode": "safe", "verbose": True, "apiKey": "********"}
    page.locator(".detail [data-testid=action-doctor]").click()
    page.locator(".detail pre[aria-label='action output']", has_text="port 9000 key kept").wait_for()

    # a new secret replaces the old one
    page.locator(".detail [data-testid=config-form] input[name=apiKey]").fill("sk-new")
    page.locator(".detail [data-testid=config-form] button", has_text="Save config").click()
    page.wait_for_selector(".toast:has-text('config saved') >> nth=1")
    page.locator(".detail [data-testid=action-doctor]").click()
    page.locator(".detail pre[aria-label='action output']", has_text="key changed").wait_for()

    # a failing command: a 502 whose output is still shown
    page.locator(".detail [data-testid=action-install]").click()
    page.wait_for_selector(".toast:has-text('install failed (exit 3)')")
    page.locator(".detail pre[aria-label='action output']", has_text="install went wrong").wait_for()
    row = page.locator(f"section[data-view=connectors] tr[data-key='{cid}']")
    row.locator(".badge", has_text="install").wait_for()


# -- activity ------------------------------------------------------------------------------


def test_the_activity_feed_updates_live_filters_and_takes_notes(page: Any, admin: httpx.Client) -> None:
    a, b = uid("act-a"), uid("act-b")
    register(admin, a)
    register(admin, b)
    login(page, "#/activity")
    page.wait_for_selector(".conn[data-state=live]")
    feed = page.locator("ul[aria-label='activity feed']")
    feed.locator("li").first.wait_for()
    body = f"ping {uuid.uuid4().hex[:8]} <b>bold?</b>"
    msg = ok(admin.post("/api/messages", json={"from": a, "to": b, "body": body}))
    entry = feed.locator("li[data-id]", has_text=body)
    entry.wait_for()  # activity.new, live, at the top
    assert feed.locator("li").first.inner_text() == entry.inner_text()
    assert entry.locator(f"a[href='#/messages/{msg['id']}']").count() == 1
    assert feed.locator("b").count() == 0  # the body is text

    # entries link to what they are about: a pair invite opens that pair
    pair = ok(admin.post("/api/pairs", json={"from": a, "to": b, "topic": "linked"}))
    feed.locator("li", has_text="Pair invite").locator(f"a[href='#/pairs/{pair['id']}']").click()
    page.locator(".detail h2", has_text=f"{a} ⇄ {b}").wait_for()
    page.go_back()
    feed.locator("li").first.wait_for()

    page.locator("input[aria-label=note]").fill("Deployed v1.2.3")
    page.locator("button", has_text="Post").click()
    feed.locator("li", has_text="Deployed v1.2.3").wait_for()
    notes = ok(admin.get("/api/activity", params={"kind": "note"}))
    assert any(n["title"] == "Deployed v1.2.3" for n in notes)

    page.locator("select[aria-label=kind]").select_option("note")
    wait_for(
        page,
        "() => [...document.querySelectorAll('ul.dv-feed li[data-kind]')].every(li => li.dataset.kind === 'note')",
    )
    assert feed.locator("li[data-kind=note]", has_text="Deployed v1.2.3").count() == 1
    ok(admin.post("/api/messages", json={"from": a, "to": b, "body": "not a note"}))
    ok(admin.post("/api/activity", json={"kind": "note", "title": "second note"}))
    feed.locator("li", has_text="second note").wait_for()  # live entries respect the filter
    assert feed.locator("li", has_text="not a note").count() == 0


# -- how it looks ----------------------------------------------------------------------------


def test_screenshots_of_every_view_light_and_dark(
    page: Any, admin: httpx.Client, relay: ServerProcess, host_root: Path
) -> None:
    """Each view with data, in both themes, saved as artefacts (and looked at)."""
    a, b = uid("ana"), uid("ben")
    register(admin, a, label="backend")
    register(admin, b, label="backend")
    task = integration_event(
        relay, externalId=uid("deploy"), title="Deploy stuck", severity="warning", target="label:backend"
    )
    pair = ok(admin.post("/api/pairs", json={"from": a, "to": b, "topic": "auth"}))
    channel = f"slack:{uuid.uuid4().hex[:6]}"
    ok(
        admin.post(
            "/api/agents",
            json={"id": channel, "name": "Slack", "kind": "channel", "instanceId": "bridge-1", "epoch": 1},
        )
    )
    ok(
        admin.post(
            "/api/channel-bindings", json={"channelId": channel, "target": "label:backend"}, headers=GUARD
        )
    )
    orch = uid("host")
    ok(admin.post("/api/orchestrators", json={"id": orch, "hostname": "build-1", "baseDir": str(host_root)}))
    cid = f"hook-{uuid.uuid4().hex[:6]}"
    ok(
        admin.post(
            "/api/connectors",
            json={
                "id": cid,
                "name": "Webhook",
                "version": "0.1.0",
                "description": "Signed webhooks in",
                "commands": {"doctor": ["{python}", "-c", "print('ok')"]},
                "configSchema": {
                    "type": "object",
                    "properties": {
                        "listenPort": {"type": "integer"},
                        "secret": {"type": "string", "secret": True},
                    },
                },
            },
        )
    )
    views = [
        ("tasks", str(task["id"])),
        ("pairs", str(pair["id"])),
        ("channels", channel),
        ("orchestrators", orch),
        ("connectors", cid),
        ("activity", None),
    ]
    login(page, "#/tasks")
    for theme in ("light", "dark"):
        page.evaluate("t => { document.documentElement.dataset.theme = t }", theme)
        for view, param in views:
            page.evaluate("h => { location.hash = h }", f"#/{view}/{param}" if param else f"#/{view}")
            section = page.locator(f"section[data-view={view}]")
            if param:
                section.locator(f".dv-list tr.selected[data-key='{param}']").wait_for()
                section.locator(".detail h2").wait_for()
            else:
                section.locator("ul.dv-feed li[data-id]").first.wait_for()
            assert shot(page, f"views-{view}-{theme}").stat().st_size > 10_000
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(246, 247, 249)"
    # the views' own stylesheet is applied under the page's CSP (no inline <style>)
    assert page.evaluate("document.adoptedStyleSheets.length") >= 1


def test_keyboard_j_k_enter_and_slash_work_in_these_views(page: Any, admin: httpx.Client) -> None:
    a, b, c = uid("kb-a"), uid("kb-b"), uid("kb-c")
    for agent in (a, b, c):
        register(admin, agent)
    first = ok(admin.post("/api/pairs", json={"from": a, "to": b, "topic": "first topic"}))
    second = ok(admin.post("/api/pairs", json={"from": a, "to": c, "topic": "second topic"}))
    login(page, "#/pairs")
    rows = page.locator("section[data-view=pairs] .dv-list tbody tr")
    page.locator(f"section[data-view=pairs] tr[data-key='{first['id']}']").wait_for()
    keys = rows.evaluate_all("rs => rs.map(r => r.dataset.key)")
    assert keys.index(str(second["id"])) < keys.index(str(first["id"]))  # newest first
    page.locator("body").click(position={"x": 5, "y": 5})  # focus on the page, not a field
    for _ in range(keys.index(str(first["id"])) + 1):
        page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.locator(".detail h2", has_text=f"{a} ⇄ {b}").wait_for()
    assert page.evaluate("location.hash") == f"#/pairs/{first['id']}"
    page.keyboard.press("k")
    page.keyboard.press("Enter")
    page.locator(".detail h2", has_text=f"{a} ⇄ {c}").wait_for()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.type") == "search"
    page.keyboard.type("first topic")
    page.wait_for_function(
        "() => document.querySelectorAll('section[data-view=pairs] .dv-list tbody tr').length === 1"
    )
    assert rows.first.get_attribute("data-key") == str(first["id"])
    # g then a view key moves to another of these views
    page.keyboard.press("Escape")
    page.keyboard.press("g")
    page.keyboard.press("f")
    page.wait_for_selector("section[data-view=activity]")


def test_live_entries_do_not_move_what_the_reader_is_looking_at(page: Any, admin: httpx.Client) -> None:
    """No layout jumps: scrolled down the activity feed, a new entry goes on top without
    moving the entries on screen; at the top, it simply appears first."""
    for i in range(40):
        ok(admin.post("/api/activity", json={"kind": "note", "title": f"filler {i}", "body": "x\ny"}))
    login(page, "#/activity")
    page.wait_for_selector(".conn[data-state=live]")
    page.locator("ul.dv-feed li", has_text="filler 39").wait_for()
    page.evaluate("() => { document.querySelector('main').scrollTop = 600 }")
    anchor = page.locator("ul.dv-feed li", has_text="filler 25")
    before = anchor.evaluate("el => el.getBoundingClientRect().top")
    ok(
        admin.post(
            "/api/activity", json={"kind": "note", "title": "arrived while scrolled", "body": "a\nb\nc"}
        )
    )
    page.locator("ul.dv-feed li", has_text="arrived while scrolled").wait_for(state="attached")
    after = anchor.evaluate("el => el.getBoundingClientRect().top")
    assert abs(after - before) <= 2, (before, after)
    assert page.evaluate("document.querySelector('main').scrollTop") > 600
