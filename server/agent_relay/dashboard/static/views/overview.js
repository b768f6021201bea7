// Overview: the relay's health and the work in flight at a glance; everything links on.
export const id = "overview";
export const title = "Overview";
export const key = "h"; // home ("o" is the orchestrators view)
export const order = 5;

const RECENT = 10;

export function mount(root, ctx) {
  const { h, api, fmt } = ctx;
  const health = h("div", { class: "card", dataset: { card: "health" } });
  const agentsCard = h("div", { class: "card", dataset: { card: "agents" } });
  const workCard = h("div", { class: "card", dataset: { card: "work" } });
  const trafficCard = h("div", { class: "card", dataset: { card: "traffic" } });
  const recentBox = h("div", { "data-keys-list": "" });
  root.append(
    h("div", { class: "toolbar" }, h("h2", null, "Overview"), h("span", { class: "spacer" }),
      h("a", { class: "btn", href: "#/messages" }, "Compose a message")),
    h("div", { class: "grid overview" }, health, agentsCard, workCard, trafficCard),
    h("h3", null, "Latest messages"),
    recentBox,
  );

  let agents = new Map();
  let recent = [];
  const eventTimes = []; // live events seen in the last minute
  const big = (n, label, href, kind) => h(href ? "a" : "div", { class: ["stat", kind], href }, h("div", { class: "stat-n" }, n == null ? "—" : String(n)), h("div", { class: "stat-l" }, label));

  async function loadHealth() {
    let out;
    try { out = await api("GET", "/api/health"); } catch (err) {
      health.replaceChildren(h("h2", null, "Relay"), h("div", { class: "error-text" }, err.message));
      return;
    }
    health.replaceChildren(
      h("div", { class: "card-head" }, h("h2", null, "Relay"), h("span", { class: "spacer" }),
        h("span", { class: ["badge", out.ok ? "ok" : "err"] }, out.status)),
      h("dl", { class: "kv" },
        [h("dt", null, "Version"), h("dd", null, out.version)],
        [h("dt", null, "Up"), h("dd", null, fmt.duration(out.uptimeMs))],
        [h("dt", null, "Database"), h("dd", null, `${out.database?.kind ?? "?"} · ${out.database?.ok ? "reachable" : "unreachable"}`)],
        [h("dt", null, "Writer"), h("dd", null, out.writer?.ok ? "ok" : `failing: ${out.writer?.error ?? "?"}`)],
        [h("dt", null, "Live streams"), h("dd", null, String(out.subscribers ?? "—"))],
      ));
  }

  function renderAgents() {
    const list = [...agents.values()];
    const by = (s) => list.filter((a) => a.status === s).length;
    agentsCard.replaceChildren(
      h("div", { class: "card-head" }, h("h2", null, "Agents"), h("span", { class: "spacer" }), h("a", { href: "#/agents" }, "all →")),
      h("div", { class: "stats" }, big(by("online") + by("busy"), "up (online or busy)", "#/agents", "ok"), big(by("busy"), "busy", "#/agents", "warn"),
        big(by("idle"), "idle", "#/agents"), big(by("offline"), "offline", "#/agents", by("offline") ? "err" : "")),
    );
  }

  async function loadAgents() {
    try {
      agents = new Map((await api("GET", "/api/agents")).map((a) => [a.id, a]));
    } catch { /* keep */ }
    renderAgents();
  }

  async function loadWork() {
    const [dead, stuck, stats] = await Promise.all([
      api("GET", "/api/dead-letters", undefined, { query: { limit: 1000 } }).catch(() => null),
      api("GET", "/api/messages", undefined, { query: { stuck: true, limit: 1000 } }).catch(() => null),
      api("GET", "/api/dashboard/agent-stats").catch(() => null),
    ]);
    const sum = (field) => (stats ? Object.values(stats).reduce((n, s) => n + (s[field] || 0), 0) : null);
    workCard.replaceChildren(
      h("div", { class: "card-head" }, h("h2", null, "Work")),
      h("div", { class: "stats" },
        big(sum("openClaims"), "claims held", "#/messages", "warn"),
        big(sum("unread"), "unread", "#/agents"),
        big(dead ? dead.length : null, "dead letters", "#/messages/dead", dead && dead.length ? "err" : ""),
        big(stuck ? stuck.length : null, "stuck", "#/messages/stuck", stuck && stuck.length ? "warn" : "")),
    );
  }

  function renderTraffic() {
    const cutoff = Date.now() - 60_000;
    while (eventTimes.length && eventTimes[0] < cutoff) eventTimes.shift();
    trafficCard.replaceChildren(
      h("div", { class: "card-head" }, h("h2", null, "Live"), h("span", { class: "spacer" }), h("a", { href: "#/activity" }, "activity →")),
      h("div", { class: "stats" }, big(eventTimes.length, "events, last minute"), big(recent.length ? fmt.ago(recent[0].createdAt) : "—", "last message")),
    );
  }

  const columns = [
    { label: "#", class: "mono num", render: (m) => String(m.id) },
    { label: "Time", class: "nowrap", render: (m) => fmt.time(m.createdAt) },
    { label: "From → to", render: (m) => h("span", { class: "mono" }, m.from, h("span", { class: "faint" }, " → "), m.to) },
    { label: "Kind", render: (m) => h("span", { class: "badge muted" }, m.kind) },
    { label: "Message", class: "wide", render: (m) => h("span", { class: "clip msg-preview" }, `${m.subject ? `${m.subject} — ` : ""}${m.body ?? ""}`.replace(/\s+/g, " ").slice(0, 240)) },
  ];
  function renderRecent() {
    recentBox.replaceChildren(ctx.table(columns, recent, {
      rowKey: (m) => m.id, empty: "No messages yet: they appear here as they are sent.",
      onRowClick: (m) => ctx.navigate(`#/messages/${m.id}`),
    }));
  }
  async function loadRecent() {
    try { recent = await api("GET", "/api/messages", undefined, { query: { limit: RECENT } }); } catch { recent = []; }
    renderRecent();
    renderTraffic();
  }

  let workTimer = 0;
  const workSoon = () => { if (!workTimer) workTimer = setTimeout(() => { workTimer = 0; loadWork(); }, 3000); };
  const offAll = ctx.on("*", ({ type, data }) => {
    eventTimes.push(Date.now());
    if (type === "agent.status" && data && data.id) {
      if (data.deleted) agents.delete(data.id); else agents.set(data.id, { ...(agents.get(data.id) || {}), ...data });
      renderAgents();
    } else if (type === "message.new" && data && data.id) {
      recent = [data, ...recent.filter((m) => m.id !== data.id)].slice(0, RECENT);
      renderRecent();
    }
    if (type.startsWith("message.")) workSoon();
    renderTraffic();
  });
  const tick = setInterval(() => { renderTraffic(); loadHealth(); }, 10_000);

  loadHealth();
  loadAgents();
  loadWork();
  loadRecent();
  renderAgents();
  renderTraffic();
  return () => { offAll(); clearInterval(tick); clearTimeout(workTimer); };
}
