"""The dashboard in a real browser (§17, issue 17 item 2): log in, see an agent register
live, send from the compose box and see it arrive, redrive a dead letter, mint and revoke a
token; a hostile message body stays text. Data is made over HTTP while the page is open."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.browser.conftest import ADMIN_TOKEN, login, shot


def uid(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


def register(admin: httpx.Client, agent_id: str, **extra: Any) -> dict:
    r = admin.post("/api/agents", json={"id": agent_id, "name": agent_id, "kind": "provider", **extra})
    assert r.status_code in (200, 201), r.text
    return r.json()


def test_login_asks_for_the_token_keeps_it_and_logs_out(page: Any) -> None:
    page.goto("/")
    page.wait_for_selector("form input[name=token]")
    page.fill("input[name=token]", "wrong-token")
    page.click("button[type=submit]")
    page.wait_for_selector("text=The relay did not accept that token.")
    assert page.locator(".app").count() == 0
    page.fill("input[name=token]", ADMIN_TOKEN)
    page.click("button[type=submit]")
    page.wait_for_selector(".app .badge:text('admin')")
    page.wait_for_selector(".conn[data-state=live]")  # the live stream is connected
    assert page.evaluate("localStorage.getItem('agentRelay.token')") == ADMIN_TOKEN
    page.reload()  # asked once: the stored token logs in again
    page.wait_for_selector(".app")
    page.click("button:text('Log out')")
    page.wait_for_selector("form input[name=token]")
    assert page.evaluate("localStorage.getItem('agentRelay.token')") is None


def test_a_token_fragment_logs_in_and_leaves_the_address_bar(page: Any) -> None:
    page.goto(f"/#token={ADMIN_TOKEN}")
    page.wait_for_selector(".app section[data-view=overview]")  # the landing view
    assert "token" not in page.evaluate("location.href")


def test_an_agent_registering_appears_live_and_its_status_follows(page: Any, admin: httpx.Client) -> None:
    login(page, "#/agents")
    page.wait_for_selector(".conn[data-state=live]")
    agent = uid("live")
    register(admin, agent, label="builder", tags=["py"], capabilities=["review"], status="online")
    row = page.locator(f"tr[data-key='{agent}']")
    row.wait_for()
    assert "builder" in row.inner_text() and "review" in row.inner_text()
    assert admin.post(f"/api/agents/{agent}/heartbeat", json={"status": "busy"}).status_code == 200
    page.wait_for_function(
        "id => document.querySelector(`tr[data-key='${id}']`)?.innerText.includes('busy')", arg=agent
    )
    row.click()  # the detail pane
    page.wait_for_selector(f".detail [data-agent='{agent}']")
    assert page.evaluate("location.hash") == f"#/agents/{agent}"


def test_compose_sends_as_operator_and_the_message_arrives(page: Any, admin: httpx.Client) -> None:
    worker = uid("worker")
    register(admin, worker)
    login(page, "#/messages")
    page.wait_for_selector(".conn[data-state=live]")
    body = f"hello from the dashboard {uuid.uuid4().hex[:8]}"
    compose = page.locator("form[data-compose]")
    compose.locator("input[name=to]").fill(worker)
    compose.locator("textarea[name=body]").fill(body)
    compose.locator("button[type=submit]").click()
    page.wait_for_selector(".toast:has-text('Sent')")
    page.locator("tbody tr", has_text=body).wait_for()  # back through the live stream
    inbox = admin.get(f"/api/inbox/{worker}").json()
    assert [(m["from"], m["body"]) for m in inbox] == [("operator", body)]
    operator = admin.get("/api/agents/operator").json()  # registered on first use
    assert operator["kind"] == "user"
    # Reply in the thread: open the message, answer it, the reply carries replyTo.
    page.locator("tbody tr", has_text=body).click()
    page.wait_for_selector(".detail [data-message]")
    page.fill(".detail textarea[name=reply]", "and a follow-up")
    page.click(".detail form button[type=submit]")
    page.locator("tbody tr", has_text="and a follow-up").wait_for()
    inbox = admin.get(f"/api/inbox/{worker}").json()
    assert inbox[-1]["body"] == "and a follow-up" and inbox[-1]["replyTo"] == inbox[0]["id"]


def test_a_dead_letter_is_listed_and_redriven(page: Any, admin: httpx.Client) -> None:
    holder = uid("holder")
    register(admin, holder)
    sent = admin.post(
        "/api/messages",
        json={
            "from": "operator-test",
            "to": holder,
            "body": "fragile job",
            "claimable": True,
            "maxDeliveries": 1,
        },
    ).json()
    login(page, "#/messages/dead")
    assert admin.post(f"/api/messages/{sent['id']}/claim", json={"agentId": holder}).status_code == 200
    assert admin.post(f"/api/messages/{sent['id']}/release", json={"agentId": holder}).status_code == 200
    row = page.locator(f"tr[data-key='{sent['id']}']")
    row.wait_for()  # it appears live (message.dead_lettered)
    assert "dead letter" in row.inner_text()
    row.locator("button:text('Redrive')").click()
    page.wait_for_selector(".toast:has-text('Redriven')")
    row.wait_for(state="detached")
    after = admin.get(f"/api/messages/{sent['id']}").json()
    assert after["deadLetteredAt"] is None and after["deliveryCount"] == 0
    assert sent["id"] not in [m["id"] for m in admin.get("/api/dead-letters").json()]


def test_a_token_is_shown_once_and_revoked(page: Any, admin: httpx.Client, relay: Any) -> None:
    agent = uid("tok")
    register(admin, agent)
    login(page, f"#/agents/{agent}")
    page.fill(".detail input[aria-label='Token label']", "ci box")
    page.click(".detail button:text('Create token')")
    secret = page.locator("dialog [data-secret]").inner_text().strip()
    assert secret.startswith("art_")
    who = httpx.get(f"{relay.url}/api/whoami", headers={"X-Agent-Relay-Token": secret}).json()
    assert who == {"role": "agent", "agentId": agent}
    page.click("dialog button:text('Done')")
    row = page.locator(".detail tbody tr", has_text="ci box")
    row.wait_for()
    assert secret not in page.locator("body").inner_text()  # never shown again
    row.locator("button:text('Revoke')").click()
    page.click("dialog button:text('Revoke')")
    page.wait_for_selector(".toast:has-text('Token revoked')")
    row.wait_for(state="detached")
    assert httpx.get(f"{relay.url}/api/whoami", headers={"X-Agent-Relay-Token": secret}).status_code == 401


def test_a_hostile_body_renders_as_text(page: Any, admin: httpx.Client) -> None:
    target = uid("victim")
    register(admin, target)
    hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    sent = admin.post(
        "/api/messages", json={"from": "mallory", "to": target, "body": hostile, "subject": "<b>hi</b>"}
    ).json()
    login(page, f"#/messages/{sent['id']}")
    body = page.locator(".detail pre[data-body]")
    body.wait_for()
    assert body.inner_text() == hostile
    page.locator(".thread .msg").first.wait_for()
    assert page.locator("main img").count() == 0 and page.locator("main b").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_screenshots_light_and_dark(page: Any, admin: httpx.Client) -> None:
    """The two main views in both themes, saved as artefacts (and looked at)."""
    for i, (status, label) in enumerate([("online", "reviewer"), ("busy", "builder"), ("idle", None)]):
        register(admin, f"shot-{i}", status=status, label=label, tags=["demo"], capabilities=["python"])
    first = admin.post(
        "/api/messages",
        json={
            "from": "shot-0",
            "to": "shot-1",
            "body": "Build #42 is green; please review.",
            "subject": "review",
        },
    ).json()
    admin.post(
        "/api/messages", json={"from": "shot-1", "to": "shot-0", "body": "On it.", "replyTo": first["id"]}
    )
    login(page, "#/agents")
    page.locator("tr[data-key='shot-1']").wait_for()
    for theme in ("light", "dark"):
        page.evaluate("t => { document.documentElement.dataset.theme = t }", theme)
        page.evaluate("h => { location.hash = h }", "#/agents/shot-1")
        page.wait_for_selector(".detail [data-agent='shot-1'] tbody, .detail [data-agent='shot-1'] .empty")
        path = shot(page, f"agents-{theme}")
        assert path.stat().st_size > 10_000
        page.evaluate("h => { location.hash = h }", f"#/messages/{first['id']}")
        page.wait_for_selector(".thread .msg")
        assert shot(page, f"messages-{theme}").stat().st_size > 10_000
        page.evaluate("h => { location.hash = h }", "#/overview")
        page.wait_for_selector("[data-card=health] .badge")
        page.locator(f"section[data-view=overview] tr[data-key='{first['id']}']").wait_for()
        assert shot(page, f"overview-{theme}").stat().st_size > 10_000
    bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert bg != "rgb(246, 247, 249)"  # the dark theme is applied, not the light one


def test_the_keyboard_moves_through_lists_and_views(page: Any, admin: httpx.Client) -> None:
    for name in ("kb-1", "kb-2"):
        register(admin, name)
        admin.post("/api/messages", json={"from": name, "to": "kb-1", "body": f"keyboard {name}"})
    login(page, "#/agents")
    page.locator("tr[data-key='kb-2']").wait_for()
    keys = page.locator("nav.side kbd").all_inner_texts()
    assert len(keys) == len(set(keys)), f"two views share a key: {keys}"
    page.keyboard.press("g")
    page.keyboard.press("m")
    page.wait_for_selector("section[data-view=messages] tbody tr")
    assert page.evaluate("location.hash") == "#/messages"
    page.keyboard.press("j")
    cursor = page.locator("tbody tr.cursor")
    assert cursor.count() == 1
    page.keyboard.press("Enter")
    page.wait_for_selector(".detail [data-message]")
    assert page.evaluate("location.hash").startswith("#/messages/")
    page.keyboard.press("Escape")
    page.wait_for_selector("form[data-compose]")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.dataset.filter") == ""  # the filter has focus
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    page.wait_for_selector("dialog[open]:has-text('Keyboard shortcuts')")
    page.keyboard.press("Escape")
    page.wait_for_selector("dialog[open]", state="detached")


def test_the_overview_shows_health_and_work_live(page: Any, admin: httpx.Client) -> None:
    login(page, "#/overview")
    page.wait_for_selector("[data-card=health] .badge:text('ok')")
    page.wait_for_selector(".conn[data-state=live]")
    who = uid("ov")
    register(admin, who)
    sent = admin.post("/api/messages", json={"from": who, "to": who, "body": "overview ping"}).json()
    page.locator(f"tr[data-key='{sent['id']}']").wait_for()  # the latest messages, live
    job = admin.post(
        "/api/messages",
        json={"from": who, "to": who, "body": "one try", "claimable": True, "maxDeliveries": 1},
    ).json()
    admin.post(f"/api/messages/{job['id']}/claim", json={"agentId": who})
    admin.post(f"/api/messages/{job['id']}/release", json={"agentId": who})
    dead = len(admin.get("/api/dead-letters").json())
    assert dead >= 1
    page.wait_for_function(
        "n => [...document.querySelectorAll('[data-card=work] .stat')].some("
        "s => s.innerText.includes('dead letters') && s.querySelector('.stat-n').innerText === String(n))",
        arg=dead,
    )
    page.click("[data-card=work] a.stat:has-text('dead letters')")
    page.locator(f"section[data-view=messages] tr[data-key='{job['id']}']").wait_for()


def test_the_compose_draft_survives_a_reload_and_is_dropped_on_send(page: Any, admin: httpx.Client) -> None:
    target = uid("draft")
    register(admin, target)
    login(page, "#/messages")
    compose = page.locator("form[data-compose]")
    compose.locator("input[name=to]").fill(target)
    compose.locator("textarea[name=body]").fill("half-written thought")
    page.wait_for_selector("[data-draft]:text('draft saved')")
    assert admin.get("/api/inbox/operator/draft").json()["body"] == "half-written thought"
    page.reload()
    page.wait_for_selector("[data-draft]:has-text('draft from')")
    assert compose.locator("textarea[name=body]").input_value() == "half-written thought"
    assert compose.locator("input[name=to]").input_value() == target
    compose.locator("button[type=submit]").click()
    page.wait_for_selector(".toast:has-text('Sent')")
    page.wait_for_function("() => document.querySelector('[data-draft]').innerText === ''")
    deleted = False
    for _ in range(50):  # the DELETE is fired after the send: wait for it, not a fixed sleep
        if admin.get("/api/inbox/operator/draft").status_code == 404:
            deleted = True
            break
        page.wait_for_timeout(100)
    assert deleted, "the draft was not deleted after sending"


def test_a_claim_shows_its_lease_counting_down_and_follows_live_changes(
    page: Any, admin: httpx.Client
) -> None:
    holder = uid("lease")
    register(admin, holder)
    job = admin.post(
        "/api/messages", json={"from": "ci", "to": holder, "body": "leased job", "claimable": True}
    ).json()
    login(page, f"#/agents/{holder}")
    page.click(".detail a:text('Messages')")  # the agent's messages: the filter is set
    page.wait_for_selector(f"section[data-view=messages] tr[data-key='{job['id']}']")
    assert page.locator("input[aria-label=Agent]").input_value() == holder
    page.click(f"tr[data-key='{job['id']}']")
    page.wait_for_selector(f".detail [data-message='{job['id']}']")
    assert (
        admin.post(
            f"/api/messages/{job['id']}/claim", json={"agentId": holder, "leaseMs": 120_000}
        ).status_code
        == 200
    )
    # The claim arrives live, in the list and the open message, and its lease counts down.
    countdown = page.locator(f"tr[data-key='{job['id']}'] .countdown")
    countdown.wait_for()
    first = countdown.inner_text()
    assert first.startswith(("1m", "2m")), first
    page.wait_for_function(
        "([id, was]) => { const el = document.querySelector(`tr[data-key='${id}'] .countdown`);"
        " return el && el.innerText !== was }",
        arg=[job["id"], first],
    )
    page.wait_for_selector(f".detail [data-message='{job['id']}'] .countdown")
    assert admin.post(f"/api/messages/{job['id']}/ack", json={"agentId": holder}).status_code == 200
    page.wait_for_selector(f"tr[data-key='{job['id']}'] .badge:has-text('done')")  # completed, live


def test_restart_sends_the_agent_an_urgent_control_message(page: Any, admin: httpx.Client) -> None:
    agent = uid("restart")
    register(admin, agent)
    login(page, f"#/agents/{agent}")
    page.click(".detail button:text('Restart')")
    page.click("dialog button:text('Restart')")
    page.wait_for_selector(".toast:has-text('Restart requested')")
    controls = admin.get("/api/messages", params={"to": agent, "kind": "control"}).json()
    assert len(controls) == 1
    assert controls[0]["from"] == "system"
    assert controls[0]["payload"]["agentControl"]["action"] == "restart"
    assert controls[0]["payload"]["agentControl"]["requestedBy"] == "dashboard"


def test_stuck_work_is_listed_live(page: Any, admin: httpx.Client) -> None:
    idle = uid("idle")
    register(admin, idle)
    sent = admin.post("/api/messages", json={"from": "ci", "to": idle, "body": "nobody reads me"}).json()
    login(page, "#/messages/stuck")
    page.wait_for_selector(".conn[data-state=live]")
    row = page.locator(f"tr[data-key='{sent['id']}']")
    for _ in range(60):  # the relay judges stuck work when it reaps; 1 s after the send at the earliest
        admin.post("/api/system/reap").raise_for_status()
        if sent["id"] in [m["id"] for m in admin.get("/api/messages", params={"stuck": "true"}).json()]:
            break
        page.wait_for_timeout(250)
    row.wait_for()  # listed through the message.stuck event, no reload
    assert "nobody reads me" in row.inner_text()
