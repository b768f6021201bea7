// Helpers shared by the tasks, pairs, channels, orchestrators, connectors and activity
// views. Only those views import this module; everything here builds on the view
// contract's ctx (ctx.h, ctx.api, ctx.toast, ctx.fmt) and never uses innerHTML.

const OK = new Set(["online", "active", "done", "delivered", "completed", "ok", "running", "enabled", "accepted"]);
const WARN = new Set(["idle", "busy", "pending", "claimed", "in_progress", "blocked", "open", "starting"]);
const ERR = new Set(["offline", "failed", "dead", "rejected", "expired", "critical", "error", "stopped"]);

/** The badge colour for a status word. */
export function tone(status) {
  const s = String(status ?? "").toLowerCase();
  if (OK.has(s)) return "ok";
  if (WARN.has(s)) return "warn";
  if (ERR.has(s)) return "err";
  return "muted";
}

/** `<span class="badge ok">online</span>`; kind overrides the tone from the word. */
export function badge(ctx, text, kind) {
  return ctx.h("span", { class: `badge ${kind || tone(text)}` }, String(text ?? "—"));
}

export const SEVERITY_TONE = { info: "muted", warning: "warn", critical: "err" };

/** A <dl class="kv"> from [label, value] rows; null/undefined values are skipped. */
export function kv(ctx, rows) {
  const items = [];
  for (const [label, value] of rows) {
    if (value === null || value === undefined || value === "") continue;
    items.push(ctx.h("dt", {}, label), ctx.h("dd", {}, value));
  }
  return ctx.h("dl", { class: "kv" }, items);
}

/** A time cell: "3m ago" with the exact time as a tooltip. */
export function when(ctx, ms) {
  if (!ms) return ctx.h("span", { class: "muted" }, "—");
  return ctx.h("time", { title: ctx.fmt.time(ms), dataset: { ts: String(ms) } }, ctx.fmt.ago(ms));
}

/** A lease countdown ("in 4m 10s" / "expired"), refreshed by refreshClocks(). */
export function countdown(ctx, ms, past = "expired") {
  if (!ms) return ctx.h("span", { class: "muted" }, "—");
  return ctx.h("span", { class: "mono countdown", dataset: { until: String(ms), past } }, countdownText(ctx, ms, past));
}

function countdownText(ctx, ms, past = "expired") {
  const left = ms - Date.now();
  return left > 0 ? `in ${ctx.fmt.duration(left)}` : past;
}

/** Refresh every relative time and countdown under root (call from a 1 s interval). */
export function refreshClocks(ctx, root) {
  for (const el of root.querySelectorAll("time[data-ts]")) {
    const text = ctx.fmt.ago(Number(el.dataset.ts));
    if (el.textContent !== text) el.textContent = text;
  }
  for (const el of root.querySelectorAll(".countdown[data-until]")) {
    const text = countdownText(ctx, Number(el.dataset.until), el.dataset.past);
    if (el.textContent !== text) el.textContent = text;
  }
}

/** The text of an error for a toast or an inline message. */
export function errorText(err) {
  if (!err) return "unknown error";
  return err.message || String(err);
}

/** A button that runs an async action: disabled while it runs, errors go to a toast. */
export function actionButton(ctx, label, run, { kind, title, testid } = {}) {
  const btn = ctx.h("button", { class: `btn${kind ? " " + kind : ""}`, type: "button" }, label);
  if (title) btn.title = title;
  if (testid) btn.dataset.testid = testid;
  btn.addEventListener("click", async (ev) => {
    ev.preventDefault();
    if (btn.disabled) return;
    btn.disabled = true;
    try {
      await run();
    } catch (err) {
      ctx.toast(errorText(err), "error");
    } finally {
      btn.disabled = false;
    }
  });
  return btn;
}

let fieldSeq = 0;

/** A labelled row for a `.form` grid: [label, input, hint?] as siblings (h flattens arrays). */
export function row(ctx, label, input, hint) {
  if (!input.id) input.id = `dv-field-${++fieldSeq}`;
  return [
    ctx.h("label", { for: input.id }, label),
    input,
    hint ? ctx.h("div", { class: "hint" }, hint) : null,
  ];
}

/** A <select> from options ([value, label] or plain values). */
export function select(ctx, options, value, attrs = {}) {
  const el = ctx.h(
    "select",
    attrs,
    options.map((o) => {
      const [v, label] = Array.isArray(o) ? o : [o, o];
      return ctx.h("option", { value: v }, label);
    }),
  );
  if (value !== undefined && value !== null) el.value = value;
  return el;
}

/** Calls fn at most once per `ms` (the last call wins) — for bursts of live events. */
export function throttle(fn, ms = 250) {
  let timer = null;
  let pending = false;
  const wrapped = () => {
    if (timer) {
      pending = true;
      return;
    }
    fn();
    timer = setTimeout(() => {
      timer = null;
      if (pending) {
        pending = false;
        wrapped();
      }
    }, ms);
  };
  wrapped.cancel = () => {
    clearTimeout(timer);
    timer = null;
    pending = false;
  };
  return wrapped;
}

/** Point the address bar at a detail (#/<view>/<id>) without remounting the view. */
export function setDetailHash(viewId, param) {
  const hash = param === null || param === undefined ? `#/${viewId}` : `#/${viewId}/${encodeURIComponent(param)}`;
  if (location.hash !== hash) history.replaceState(null, "", hash);
}

/** Activity icons are Tabler names (ti-*); the dashboard ships no icon font, so glyphs. */
const ICONS = {
  "ti-send": "✉",
  "ti-hand-grab": "⚑",
  "ti-refresh": "↻",
  "ti-power": "⊘",
  "ti-broom": "⌫",
  "ti-checklist": "☑",
  "ti-alert-triangle": "⚠",
  "ti-users": "⚭",
  "ti-server-2": "▤",
  "ti-plus": "+",
  "ti-plug": "⚡",
  "ti-plug-x": "⚡",
};
const KIND_ICONS = { message: "✉", task: "☑", pair: "⚭", state: "●", connector: "⚡", note: "✎" };

export function iconFor(item) {
  return ICONS[item.icon] || KIND_ICONS[item.kind] || "•";
}

/** These views' few extra rules, adopted once as a constructed stylesheet: the page's
 * CSP (style-src 'self') forbids <style> elements and style attributes, not the CSSOM.
 * They use the shell's colour variables, so light and dark both follow the theme. */
export function ensureStyle() {
  if (ensureStyle.done) return;
  ensureStyle.done = true;
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(VIEW_CSS);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  } catch (err) {
    console.warn("views_util: extra styles not applied", err);
  }
}

const VIEW_CSS = `
.dv-list { min-width: 0; }
.dv-detail h2 { margin: 0 0 8px; font-size: 16px; overflow-wrap: anywhere; display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.dv-detail h3 { margin: 16px 0 6px; font-size: 12px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.dv-actions { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 10px 0; }
.dv-actions textarea { flex: 1 1 100%; min-height: 56px; }
.dv-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 10px; margin-bottom: 12px; }
.dv-cards .card { margin: 0; padding: 10px 12px; }
.dv-cards .card h4 { margin: 0 0 6px; font-size: 13.5px; display: flex; justify-content: space-between; gap: 6px; align-items: center; }
.dv-counts { display: flex; flex-wrap: wrap; gap: 4px; margin-bottom: 4px; }
.dv-feed { list-style: none; margin: 0; padding: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; }
.dv-feed li { display: grid; grid-template-columns: 28px minmax(0, 1fr) auto; gap: 2px 10px; padding: 9px 12px; border-bottom: 1px solid var(--line); }
.dv-feed li:last-child { border-bottom: 0; }
.dv-feed, .dv-feed * { overflow-anchor: none; } /* the feed keeps its place itself, in every browser */
.dv-feed li.fresh { animation: dv-fresh 2s ease-out; }
.dv-feed .icon { grid-row: 1 / 4; font-size: 16px; text-align: center; line-height: 22px; width: 26px; height: 26px; border-radius: 50%; background: var(--panel-2); color: var(--muted); }
.dv-feed .title { font-weight: 600; overflow-wrap: anywhere; }
.dv-feed .at { color: var(--muted); font-size: 12px; white-space: nowrap; }
.dv-feed .body { grid-column: 2 / 4; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 6.2em; overflow: hidden; color: var(--muted); font-size: 13px; }
.dv-feed .meta { grid-column: 2 / 4; font-size: 12px; color: var(--faint); display: flex; flex-wrap: wrap; gap: 10px; }
@keyframes dv-fresh { from { background: var(--accent-soft); } to { background: transparent; } }
.dv-dirs { list-style: none; margin: 6px 0 0; padding: 0; max-height: 220px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; background: var(--panel-2); }
.dv-dirs li button { all: unset; display: block; width: 100%; box-sizing: border-box; padding: 4px 10px; cursor: pointer; font-family: var(--mono); font-size: 12.5px; }
.dv-dirs li button:hover, .dv-dirs li button:focus-visible { background: var(--selected); }
.dv-picker { grid-column: 1 / 3; }
.dv-picker .here { font-family: var(--mono); font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
.dv-form fieldset { grid-column: 1 / 3; border: 1px solid var(--line); border-radius: 6px; margin: 0; padding: 8px 10px; }
.dv-form fieldset > .form { margin-top: 4px; }
.dv-form legend { color: var(--muted); font-size: 12.5px; padding: 0 4px; }
.dv-form textarea { min-height: 60px; }
.dv-log { list-style: none; margin: 0; padding: 0; font-size: 12.5px; max-height: 200px; overflow: auto; }
.dv-log li { padding: 3px 0; border-bottom: 1px dashed var(--line); overflow-wrap: anywhere; }
.dv-msgs { list-style: none; margin: 0; padding: 0; }
.dv-msgs li { padding: 6px 0; border-bottom: 1px solid var(--line); }
.dv-msgs .who { font-weight: 600; margin-right: 8px; }
.dv-msgs .text { white-space: pre-wrap; overflow-wrap: anywhere; margin-top: 2px; }
.dv-chosen td { font-weight: 600; }
.dv-output { margin-top: 6px; }
.dv-form input[type="checkbox"], .form input[type="checkbox"] { width: auto; justify-self: start; }
.dv-items { list-style: none; margin: 0; padding: 0; border: 1px solid var(--line); border-radius: 8px; background: var(--panel); }
.dv-items > li { padding: 8px 10px; border-bottom: 1px solid var(--line); display: grid; gap: 3px; }
.dv-items > li:last-child { border-bottom: 0; }
.dv-items .line { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; min-width: 0; }
.dv-items .line .grow { flex: 0 0 0; margin-right: -6px; }
.dv-items .line .grow ~ * { margin-left: auto; }
.dv-items .line .grow ~ * ~ * { margin-left: 0; }
.dv-items .line .muted { font-size: 12.5px; }
.dv-items .sub { font-size: 12.5px; color: var(--muted); overflow-wrap: anywhere; }
.dv-items .why { font-size: 12.5px; overflow-wrap: anywhere; }
.dv-items li.chosen { box-shadow: inset 3px 0 0 var(--ok); }
.dv-grow { flex: 1 1 200px; min-width: 0; }
`;

/**
 * A list | detail split: the list is a ctx.table of items (filtered by a text input and
 * keep()), the detail a card showing the selected item. Live updates go through
 * upsert/remove; the list keeps its selection, and a detail the user is typing in is not
 * re-rendered under them (it refreshes when the focus leaves it).
 *
 * opts: viewId, columns, key(item), match(item, q), filterInput?, keep?(item),
 *       sort?(a, b), empty, noSelection, renderDetail(item) -> Node | Promise<Node>,
 *       sig?(item) -> what of an item the detail shows (default: all of it)
 */
export function masterDetail(ctx, opts) {
  ensureStyle();
  // data-keys-list: the shell's j/k/Enter act on this list, not on tables in the detail
  const listPane = ctx.h("div", { class: "dv-list", dataset: { keysList: "" } });
  const detailPane = ctx.h("div", { class: "detail card dv-detail" });
  const el = ctx.h("div", { class: "split" }, listPane, detailPane);
  let items = [];
  let visible = [];
  let selectedKey = null;
  let renderSeq = 0;
  let staleDetail = false;
  const live = new Map(); // key -> item (or null: removed) changed live since the last load

  const keyOf = (it) => String(opts.key(it));
  // what the detail shows of an item: it is drawn again only when this changes
  const sigOf = (it) => (it ? JSON.stringify(opts.sig ? opts.sig(it) : it) : "");
  const selectedItem = () => items.find((it) => keyOf(it) === selectedKey) || null;

  function renderList() {
    const q = opts.filterInput ? opts.filterInput.value.trim().toLowerCase() : "";
    visible = items.filter((it) => (!opts.keep || opts.keep(it)) && (!q || opts.match(it, q)));
    // keep the shell's j/k cursor on the same row across a re-render
    const cursor = listPane.querySelector("tbody tr.cursor");
    const cursorKey = cursor ? cursor.dataset.key : null;
    const table = ctx.table(opts.columns, visible, {
      onRowClick: (it) => select(keyOf(it)),
      empty: opts.empty || "Nothing here yet.",
      rowKey: keyOf,
      selected: selectedKey,
    });
    if (cursorKey !== null) {
      const again = [...table.querySelectorAll("tbody tr")].find((tr) => tr.dataset.key === cursorKey);
      if (again) again.classList.add("cursor");
    }
    listPane.replaceChildren(table);
  }

  async function renderDetail() {
    const seq = ++renderSeq;
    staleDetail = false;
    const item = selectedItem();
    if (!item) {
      detailPane.replaceChildren(ctx.h("div", { class: "empty" }, opts.noSelection || "Select a row (j/k, Enter)."));
      return;
    }
    try {
      const node = await opts.renderDetail(item);
      if (seq !== renderSeq) return;
      detailPane.replaceChildren(node);
    } catch (err) {
      if (seq !== renderSeq) return;
      detailPane.replaceChildren(ctx.h("div", { class: "empty error-text" }, errorText(err)));
    }
  }

  function userIsTyping() {
    const a = document.activeElement;
    return Boolean(a && detailPane.contains(a) && /^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName));
  }

  // A deferred redraw waits until the focus leaves the detail altogether: focus moving from
  // a field to a button of the same detail is a click in progress, and redrawing between
  // its mousedown and mouseup would swallow the click.
  // (Browsers that don't focus buttons on click are covered by waiting for the pointer.)
  let pressing = false;
  const redrawIfStale = () =>
    setTimeout(() => {
      if (staleDetail && !pressing && !userIsTyping()) renderDetail();
    }, 0);
  detailPane.addEventListener("pointerdown", () => {
    pressing = true;
    document.addEventListener(
      "pointerup",
      () => {
        pressing = false;
        redrawIfStale(); // after the click this press makes
      },
      { once: true, capture: true },
    );
  });
  detailPane.addEventListener("focusout", (ev) => {
    if (ev.relatedTarget && detailPane.contains(ev.relatedTarget)) return;
    redrawIfStale();
  });

  function select(key, { hash = true } = {}) {
    selectedKey = key === null || key === undefined ? null : String(key);
    for (const tr of listPane.querySelectorAll("tbody tr")) {
      tr.classList.toggle("selected", tr.dataset.key === selectedKey);
    }
    if (hash) setDetailHash(opts.viewId, selectedKey);
    renderDetail();
  }

  if (opts.filterInput) opts.filterInput.addEventListener("input", renderList);

  const api = {
    el,
    listPane,
    detailPane,
    get items() {
      return items;
    },
    selected: selectedItem,
    setItems(list) {
      const before = sigOf(selectedItem());
      // live changes since the last load win over a list fetched before they happened
      const fetched = new Map(list.map((it) => [keyOf(it), it]));
      for (const [k, it] of live) {
        if (it === null) fetched.delete(k);
        else if (!fetched.has(k) || (it.updatedAt || 0) > (fetched.get(k).updatedAt || 0)) fetched.set(k, it);
      }
      live.clear();
      items = [...fetched.values()];
      if (opts.sort) items.sort(opts.sort);
      renderList();
      if (selectedKey !== null && sigOf(selectedItem()) !== before) api.refreshDetail();
    },
    upsert(item) {
      const k = keyOf(item);
      const at = items.findIndex((it) => keyOf(it) === k);
      const before = at >= 0 ? sigOf(items[at]) : null;
      if (at >= 0) items[at] = { ...items[at], ...item };
      else items.unshift(item);
      live.set(k, at >= 0 ? items[at] : item);
      if (opts.sort) items.sort(opts.sort);
      renderList();
      if (at < 0) {
        const tr = [...listPane.querySelectorAll("tbody tr")].find((r) => r.dataset.key === k);
        if (tr) tr.classList.add("fresh");
      }
      if (k === selectedKey && sigOf(items.find((it) => keyOf(it) === k)) !== before) api.refreshDetail();
    },
    remove(key) {
      items = items.filter((it) => keyOf(it) !== String(key));
      live.set(String(key), null);
      renderList();
      if (String(key) === selectedKey) select(null);
    },
    refreshDetail() {
      if (userIsTyping()) staleDetail = true;
      else renderDetail();
    },
    renderList,
    select,
  };
  detailPane.replaceChildren(ctx.h("div", { class: "empty" }, opts.noSelection || "Select a row (j/k, Enter)."));
  return api;
}

/** The view's unmount function, with `update(params)` so the shell can point an open view
 * at another item (#/<view>/<id>) in place instead of mounting it again. */
export function unmounter(md, cleanup) {
  const unmount = () => cleanup();
  unmount.update = (params) => md.select(params && params[0] !== undefined ? params[0] : null, { hash: false });
  return unmount;
}

/**
 * A request with extra headers (ctx.api takes none): the channel-binding DELETE needs the
 * channel agent's session guard as X-Agent-Instance-Id / X-Agent-Epoch headers. Uses the
 * token the shell keeps in localStorage ("agentRelay.token"); errors carry the relay's text.
 */
export async function apiWithHeaders(method, path, headers) {
  let token = null;
  try {
    token = localStorage.getItem("agentRelay.token");
  } catch {
    /* private mode: open relays need none */
  }
  const all = { Accept: "application/json", ...headers };
  if (token) all["X-Agent-Relay-Token"] = token;
  const res = await fetch(path, { method, headers: all, cache: "no-store" });
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = text;
  }
  if (!res.ok) {
    const err = new Error((data && data.error) || `HTTP ${res.status}`);
    err.status = res.status;
    throw err;
  }
  return data;
}

/** A search input for a toolbar (the shell's "/" focuses it; j/k/Enter move over the list). */
export function filterInput(ctx, placeholder) {
  return ctx.h("input", { type: "search", placeholder: `${placeholder}  ( / )`, "aria-label": placeholder });
}
