// The dashboard shell: login, the hash router, navigation, the keyboard, connection state.
// Views are ES modules under views/ following one contract (id, title, key, order, mount);
// a view that fails to load is skipped, so the rest of the dashboard still works.
import { ApiError, makeApi } from "./lib/api.js";
import { confirm, dialog } from "./lib/dialog.js";
import { h, replace, table } from "./lib/dom.js";
import * as fmt from "./lib/fmt.js";
import { Live } from "./lib/live.js";
import { toast } from "./lib/toast.js";

const VIEW_NAMES = ["overview", "agents", "messages", "tasks", "pairs", "channels", "orchestrators", "connectors", "activity"];
const TOKEN_KEY = "agentRelay.token";
const THEME_KEY = "agentRelay.theme";

const state = {
  token: null,
  whoami: null,
  views: [],
  current: null, // {view, params, unmount, section}
  live: null,
  pendingG: 0,
};

// -- token ------------------------------------------------------------------------------------

function readStoredToken() {
  try { return localStorage.getItem(TOKEN_KEY); } catch { return null; }
}

function storeToken(token) {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch { /* private mode: the token lives for this page only */ }
}

// A `#token=...` fragment pre-fills the token (fragments never reach the server or its
// logs); it is taken out of the address bar at once.
function tokenFromFragment() {
  const match = /(?:^#|[#&/])token=([^&]*)/.exec(location.hash);
  if (!match) return null;
  const token = decodeURIComponent(match[1]);
  const rest = location.hash.replace(/[#&]?token=[^&]*/, "").replace(/^&/, "");
  history.replaceState(null, "", location.pathname + location.search + (rest && rest !== "#" ? `#${rest.replace(/^#/, "")}` : ""));
  return token;
}

const api = makeApi(() => state.token, () => {
  if (state.whoami) showLogin("The relay refused the saved token (401). Enter the admin token again.");
});

// -- theme ------------------------------------------------------------------------------------

function applyTheme(theme) {
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

function currentTheme() {
  const explicit = document.documentElement.dataset.theme;
  if (explicit) return explicit;
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

function toggleTheme() {
  const next = currentTheme() === "dark" ? "light" : "dark";
  try { localStorage.setItem(THEME_KEY, next); } catch { /* ignore */ }
  applyTheme(next);
}

// -- login --------------------------------------------------------------------------------------

const root = () => document.getElementById("root");

function showLogin(message) {
  teardown();
  state.whoami = null;
  const input = h("input", {
    type: "password", name: "token", placeholder: "AGENT_RELAY_TOKEN", autocomplete: "current-password",
    "aria-label": "Admin token", value: state.token || "",
  });
  const error = h("div", { class: "error-text", role: "alert" }, message || "");
  const submit = async (ev) => {
    ev.preventDefault();
    error.textContent = "";
    const token = input.value.trim();
    if (!token) { error.textContent = "token is required"; return; }
    state.token = token;
    const ok = await login();
    if (!ok) error.textContent = state.loginError || "login failed";
  };
  replace(root(), h("div", { class: "login" },
    h("form", { class: "card", onSubmit: submit },
      h("div", { class: "brand" }, h("img", { src: "/dashboard/favicon.svg", alt: "" }), "Agent Relay"),
      h("p", null, "This relay needs its admin token (AGENT_RELAY_TOKEN). It is kept in this browser's local storage until you log out."),
      input,
      h("div", { class: "row" }, h("button", { class: "btn primary", type: "submit" }, "Log in"), error),
    )));
  input.focus();
}

// Asks the relay who the token is. Admin (or an open relay) enters; anything else is refused.
async function login() {
  state.loginError = null;
  let who;
  try {
    who = await api("GET", "/api/whoami");
  } catch (err) {
    state.loginError = err instanceof ApiError && err.status === 401 ? "The relay did not accept that token." : err.message;
    return false;
  }
  if (who.role !== "admin" && who.role !== "open") {
    state.loginError = who.role === "agent"
      ? `That token is for agent ${who.agentId}: the dashboard needs the admin token.`
      : `That is an ${who.role} token: the dashboard needs the admin token.`;
    return false;
  }
  state.whoami = who;
  storeToken(who.role === "open" ? null : state.token);
  await startShell();
  return true;
}

function logout() {
  storeToken(null);
  state.token = null;
  showLogin("Logged out.");
}

// -- shell ----------------------------------------------------------------------------------

async function loadViews() {
  const loaded = await Promise.all(VIEW_NAMES.map(async (name) => {
    try {
      const mod = await import(`./views/${name}.js`);
      if (typeof mod.mount !== "function" || !mod.id) throw new Error("not a view module");
      return mod;
    } catch (err) {
      console.warn(`dashboard: view ${name} skipped:`, err);
      return null;
    }
  }));
  return loaded.filter(Boolean).sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
}

let connEl = null;
let navEl = null;
let mainEl = null;

function teardown() {
  if (state.current && state.current.unmount) {
    try { state.current.unmount(); } catch (err) { console.error(err); }
  }
  state.current = null;
  if (state.live) { state.live.stop(); state.live = null; }
  window.removeEventListener("hashchange", route);
}

const STATE_TEXT = { live: "live", connecting: "connecting…", reconnecting: "reconnecting…", offline: "offline, retrying…" };
const STATE_DOT = { live: "ok", connecting: "warn", reconnecting: "warn", offline: "err" };

async function startShell() {
  teardown();
  if (!state.views.length) state.views = await loadViews();
  connEl = h("span", { class: "conn", title: "Live events (SSE)", "data-state": "connecting" });
  const who = state.whoami.role === "open"
    ? h("span", { class: "badge warn", title: "No AGENT_RELAY_TOKEN: anyone on this machine may act" }, "open mode")
    : h("span", { class: "badge ok" }, "admin");
  navEl = h("nav", { class: "side", "aria-label": "Views" });
  mainEl = h("main", { id: "main" });
  replace(root(), h("div", { class: "app" },
    h("header", { class: "topbar" },
      h("a", { class: "brand", href: "#/" }, h("img", { src: "/dashboard/favicon.svg", alt: "" }), "Agent Relay"),
      h("span", { class: "spacer" }),
      connEl,
      who,
      h("button", { class: "btn ghost", type: "button", title: "Light / dark (t)", "aria-label": "Toggle theme", onClick: toggleTheme }, "◐"),
      h("button", { class: "btn ghost", type: "button", title: "Keyboard shortcuts (?)", onClick: showHelp }, "?"),
      state.whoami.role === "open" ? null : h("button", { class: "btn", type: "button", onClick: logout }, "Log out"),
    ),
    navEl,
    mainEl,
  ));
  for (const view of state.views) {
    navEl.append(h("a", { href: `#/${view.id}`, dataset: { view: view.id } },
      h("span", null, view.title || view.id), view.key ? h("kbd", null, `g ${view.key}`) : null));
  }
  navEl.append(h("div", { class: "foot" }, "Press ", h("kbd", null, "?"), " for shortcuts"));
  state.live = new Live(() => state.token);
  state.live.onState((s) => {
    connEl.dataset.state = s;
    replace(connEl, h("span", { class: ["dot", STATE_DOT[s]] }), STATE_TEXT[s] || s);
  });
  state.live.start();
  window.addEventListener("hashchange", route);
  route();
}

function parseHash() {
  const path = location.hash.replace(/^#\/?/, "");
  const parts = path.split("/").filter((p) => p !== "").map((p) => {
    try { return decodeURIComponent(p); } catch { return p; }
  });
  return parts;
}

function makeCtx(view, params) {
  return {
    api,
    on: (prefix, handler) => state.live.on(prefix, handler),
    h,
    dialog,
    confirm,
    toast,
    fmt,
    table,
    navigate,
    params,
    view: view.id,
    whoami: state.whoami,
    liveState: () => state.live.state,
  };
}

function navigate(hash) {
  const target = hash.startsWith("#") ? hash : `#${hash.startsWith("/") ? "" : "/"}${hash}`;
  if (location.hash === target) route();
  else location.hash = target;
}

function route() {
  if (!state.whoami || !mainEl) return;
  const parts = parseHash();
  let view = state.views.find((v) => v.id === parts[0]);
  if (!view) {
    view = state.views[0];
    if (!view) { replace(mainEl, h("div", { class: "empty" }, "No views could be loaded.")); return; }
    if (parts.length) history.replaceState(null, "", `#/${view.id}`);
  }
  const params = view.id === parts[0] ? parts.slice(1) : [];
  for (const link of navEl.querySelectorAll("a[data-view]")) link.classList.toggle("active", link.dataset.view === view.id);
  document.title = `${view.title || view.id} · Agent Relay`;
  // Same view, other params: a view that can follow params in place (unmount.update) does,
  // so its lists keep their scroll and nothing jumps; the others are mounted again.
  const cur = state.current;
  if (cur && cur.view === view && cur.unmount && typeof cur.unmount.update === "function") {
    cur.params = params;
    cur.ctx.params = params;
    try { cur.unmount.update(params); return; } catch (err) { console.error(err); }
  }
  if (cur && cur.unmount) {
    try { cur.unmount(); } catch (err) { console.error(err); }
  }
  const section = h("section", { class: `view view-${view.id}`, dataset: { view: view.id } });
  replace(mainEl, section);
  const ctx = makeCtx(view, params);
  let unmount = null;
  try {
    unmount = view.mount(section, ctx) || null;
  } catch (err) {
    console.error(err);
    replace(section, h("div", { class: "card error-text" }, `This view failed: ${err.message}`));
  }
  state.current = { view, params, unmount, section, ctx };
}

// -- keyboard -----------------------------------------------------------------------------

function typing(target) {
  return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

function rowsOfView() {
  const section = state.current && state.current.section;
  if (!section) return [];
  const body = section.querySelector("[data-keys-list] tbody, table.tbl tbody");
  return body ? [...body.querySelectorAll("tr")] : [];
}

function moveCursor(step) {
  const rows = rowsOfView();
  if (!rows.length) return;
  let index = rows.findIndex((r) => r.classList.contains("cursor"));
  if (index < 0) index = rows.findIndex((r) => r.classList.contains("selected"));
  const next = index < 0 ? (step > 0 ? 0 : rows.length - 1) : Math.max(0, Math.min(rows.length - 1, index + step));
  rows.forEach((r) => r.classList.remove("cursor"));
  rows[next].classList.add("cursor");
  rows[next].scrollIntoView({ block: "nearest" });
}

function showHelp() {
  const rows = [
    ["g then a key", "go to a view (shown in the sidebar)"],
    ["j / k", "next / previous row"],
    ["Enter", "open the row under the cursor"],
    ["/", "filter the list"],
    ["Esc", "close a dialog, leave a field"],
    ["t", "light / dark"],
    ["?", "this help"],
  ];
  const views = state.views.filter((v) => v.key).map((v) => [`g ${v.key}`, v.title || v.id]);
  dialog({
    title: "Keyboard shortcuts",
    body: h("div", { class: "help-grid" }, [...rows, ...views].map(([k, text]) => [h("span", null, h("kbd", null, k)), h("span", null, text)])),
    actions: [{ label: "Close" }],
  });
}

function onKey(ev) {
  if (!state.whoami || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (document.querySelector("dialog[open]")) return;
  if (ev.key === "Escape" && typing(ev.target)) { ev.target.blur(); return; }
  if (typing(ev.target)) return;
  if (state.pendingG && Date.now() - state.pendingG < 1500) {
    state.pendingG = 0;
    const view = state.views.find((v) => v.key === ev.key);
    if (view) { ev.preventDefault(); navigate(`#/${view.id}`); }
    return;
  }
  state.pendingG = 0;
  switch (ev.key) {
    case "g": state.pendingG = Date.now(); break;
    case "j": moveCursor(1); break;
    case "k": moveCursor(-1); break;
    case "Enter": {
      const row = rowsOfView().find((r) => r.classList.contains("cursor"));
      if (row) { ev.preventDefault(); row.click(); }
      break;
    }
    case "/": {
      const section = state.current && state.current.section;
      const filter = section && section.querySelector("[data-filter], input[type=search]");
      if (filter) { ev.preventDefault(); filter.focus(); filter.select(); }
      break;
    }
    case "t": toggleTheme(); break;
    case "?": showHelp(); break;
    default: return;
  }
}

// -- start ----------------------------------------------------------------------------------

async function main() {
  let theme = null;
  try { theme = localStorage.getItem(THEME_KEY); } catch { /* ignore */ }
  applyTheme(theme);
  document.addEventListener("keydown", onKey);
  state.token = tokenFromFragment() || readStoredToken();
  if (!(await login())) showLogin(state.token ? state.loginError : "");
}

main();
