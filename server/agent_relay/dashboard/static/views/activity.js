// Activity: the feed of what happened, for people — live over SSE (activity.new), with
// filters, older pages (before=<id>) and a note box (GET/POST /api/activity).
import { actionButton, badge, ensureStyle, iconFor, refreshClocks, select, throttle, when } from "../lib/views_util.js";

export const id = "activity";
export const title = "Activity";
export const key = "f";
export const order = 90;

const KINDS = ["message", "task", "pair", "state", "connector", "note"];
const PAGE = 100;

export function mount(root, ctx) {
  ensureStyle();
  const h = ctx.h;
  const kind = select(ctx, [["", "all kinds"], ...KINDS], ctx.params && ctx.params[0] ? ctx.params[0] : "", { "aria-label": "kind" });
  const agent = h("input", { type: "search", placeholder: "agent id  ( / )", "aria-label": "agent" });
  const feed = h("ul", { class: "dv-feed", "aria-live": "polite", "aria-label": "activity feed" });
  const more = h("div", { class: "dv-actions" });
  const counter = h("span", { class: "muted" });
  const note = h("input", { type: "text", maxlength: "300", placeholder: "Post a note to the feed…", "aria-label": "note" });
  let items = [];
  let exhausted = false;
  let paused = false;
  const pending = [];

  const pauseBtn = h("button", { class: "btn", type: "button", title: "Stop new entries from moving the feed" }, "Pause");
  pauseBtn.addEventListener("click", () => {
    paused = !paused;
    pauseBtn.textContent = paused ? "Resume" : "Pause";
    if (!paused) flush();
  });

  root.append(
    h(
      "div",
      { class: "toolbar" },
      h("h2", {}, "Activity"),
      kind,
      agent,
      pauseBtn,
      counter,
      h("span", { class: "spacer" }),
      note,
      actionButton(ctx, "Post", postNote),
    ),
    feed,
    more,
  );

  function matches(item) {
    if (kind.value && item.kind !== kind.value) return false;
    const a = agent.value.trim();
    if (a && item.agentId !== a) return false;
    return true;
  }

  /** #/<view>/<id> when the entry's metadata names the item (a task, pair, …), else #/<view>. */
  function deepLink(item) {
    const m = item.metadata || {};
    const param = { tasks: m.taskId, pairs: m.pairId, orchestrators: m.orchestratorId, connectors: m.connectorId }[item.view];
    return param !== undefined && param !== null ? `#/${item.view}/${encodeURIComponent(param)}` : `#/${item.view}`;
  }

  function entry(item, fresh) {
    const links = [];
    if (item.agentId) links.push(h("a", { href: `#/agents/${encodeURIComponent(item.agentId)}` }, item.agentId));
    if (item.messageId) links.push(h("a", { href: `#/messages/${item.messageId}` }, `message #${item.messageId}`));
    if (item.view && item.view !== "activity") {
      const target = deepLink(item);
      links.push(h("a", { href: target }, `→ ${target.slice(2).replace("/", " ")}`));
    }
    if (item.meta) links.push(h("span", {}, item.meta));
    return h(
      "li",
      { class: fresh ? "fresh" : "", dataset: { id: String(item.id), kind: item.kind } },
      h("span", { class: "icon", "aria-hidden": "true" }, iconFor(item)),
      h("span", { class: "title" }, item.title, " ", badge(ctx, item.kind, "muted")),
      h("span", { class: "at" }, when(ctx, item.createdAt)),
      item.body ? h("div", { class: "body" }, item.body) : null,
      links.length ? h("div", { class: "meta" }, links) : null,
    );
  }

  function renderAll() {
    const shown = items.filter(matches);
    feed.replaceChildren(...shown.map((it) => entry(it, false)));
    if (!shown.length) feed.append(h("li", { class: "empty" }, "Nothing yet. Messages, tasks, pairs and state changes show up here as they happen."));
    counter.textContent = `${shown.length} shown`;
    more.replaceChildren(
      exhausted
        ? h("span", { class: "muted" }, "That is the beginning of the feed.")
        : actionButton(ctx, "Load older", loadOlder),
    );
  }

  async function fetchPage(before) {
    const query = { limit: PAGE, before };
    if (kind.value) query.kind = kind.value;
    if (agent.value.trim()) query.agentId = agent.value.trim();
    const page = await ctx.api("GET", "/api/activity", undefined, { query });
    if (page.length < PAGE) exhausted = true;
    return page;
  }

  async function load() {
    exhausted = false;
    items = await fetchPage(undefined);
    renderAll();
  }

  async function loadOlder() {
    const oldest = items.length ? items[items.length - 1].id : undefined;
    const page = await fetchPage(oldest);
    const seen = new Set(items.map((i) => i.id));
    items.push(...page.filter((i) => !seen.has(i.id)));
    renderAll();
  }

  async function postNote() {
    const text = note.value.trim();
    if (!text) return;
    await ctx.api("POST", "/api/activity", { kind: "note", title: text, view: "activity", icon: "ti-note" });
    note.value = "";
  }
  note.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      ev.preventDefault();
      postNote().catch((err) => ctx.toast(err.message, "error"));
    }
  });

  /** Put live entries on top without moving what the reader is looking at. */
  function flush() {
    if (!pending.length) return;
    const scroller = root.closest("main") || document.scrollingElement;
    const atTop = scroller.scrollTop < 8;
    const before = feed.getBoundingClientRect().height;
    const fresh = pending.splice(0).sort((a, b) => a.id - b.id);
    const seen = new Set(items.map((i) => i.id));
    for (const item of fresh) {
      if (seen.has(item.id)) continue;
      items.unshift(item);
      if (!matches(item)) continue;
      const empty = feed.querySelector("li.empty");
      if (empty) empty.remove();
      feed.prepend(entry(item, true));
    }
    counter.textContent = `${items.filter(matches).length} shown`;
    if (!atTop) scroller.scrollTop += feed.getBoundingClientRect().height - before;
  }
  const flushSoon = throttle(flush, 200);

  kind.addEventListener("change", () => load().catch((err) => ctx.toast(err.message, "error")));
  agent.addEventListener("change", () => load().catch((err) => ctx.toast(err.message, "error")));

  const off = ctx.on("activity.new", (ev) => {
    if (!ev.data || !ev.data.id) return;
    pending.push(ev.data);
    if (!paused) flushSoon();
  });
  const timer = setInterval(() => refreshClocks(ctx, root), 1000);
  load().catch((err) => ctx.toast(err.message, "error"));
  const unmount = () => {
    off();
    flushSoon.cancel();
    clearInterval(timer);
  };
  unmount.update = (params) => {
    kind.value = params && params[0] && KINDS.includes(params[0]) ? params[0] : "";
    load().catch((err) => ctx.toast(err.message, "error"));
  };
  return unmount;
}
