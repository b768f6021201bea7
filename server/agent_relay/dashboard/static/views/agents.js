// Agents: who is there, in what state, with how much work; restart/shutdown; tokens.
export const id = "agents";
export const title = "Agents";
export const key = "a";
export const order = 10;

const UNREAD_CAP = 100; // the relay counts unread messages up to this many per agent
const STATUS_DOT = { online: "ok", busy: "warn", idle: "", offline: "err" };

export function mount(root, ctx) {
  const { h, api, fmt } = ctx;
  const agents = new Map(); // id -> card
  let stats = {}; // id -> {unread, openClaims}
  let managers = {}; // agent id -> orchestrator id
  let selected = ctx.params[0] || null;
  let filter = "";
  let statusFilter = "";
  let kindFilter = "";
  let loaded = false;
  let loadError = null;
  let detailToken = 0;

  const count = h("span", { class: "badge muted" }, "…");
  const search = h("input", {
    type: "search", placeholder: "Filter: id, name, label, tag, capability", "data-filter": "",
    "aria-label": "Filter agents", onInput: (e) => { filter = e.target.value.trim().toLowerCase(); redraw(); },
  });
  const statusSelect = h("select", { "aria-label": "Status", onChange: (e) => { statusFilter = e.target.value; redraw(); } },
    h("option", { value: "" }, "any status"), ["online", "idle", "busy", "offline"].map((s) => h("option", { value: s }, s)));
  const kindSelect = h("select", { "aria-label": "Kind", onChange: (e) => { kindFilter = e.target.value; redraw(); } },
    h("option", { value: "" }, "any kind"), ["provider", "channel", "orchestrator", "system", "user", "human"].map((s) => h("option", { value: s }, s)));
  const listBox = h("div", { "data-keys-list": "" });
  const detail = h("div", { class: "detail" });
  root.append(
    h("div", { class: "toolbar" }, h("h2", null, "Agents"), count, h("span", { class: "spacer" }), search, statusSelect, kindSelect),
    h("div", { class: "split" }, listBox, detail),
  );

  function visible() {
    return [...agents.values()]
      .filter((a) => !statusFilter || a.status === statusFilter)
      .filter((a) => !kindFilter || a.kind === kindFilter)
      .filter((a) => !filter || [a.id, a.name, a.label, ...(a.tags || []), ...(a.capabilities || [])]
        .some((v) => v && String(v).toLowerCase().includes(filter)))
      .sort((a, b) => rank(a) - rank(b) || String(a.id).localeCompare(String(b.id)));
  }
  const rank = (a) => ({ busy: 0, online: 1, idle: 2, offline: 3 })[a.status] ?? 4;

  const columns = [
    { label: "Status", class: "nowrap", render: (a) => h("span", { class: "row nowrap" }, h("span", { class: ["dot", STATUS_DOT[a.status]] }), a.status, a.ready === false ? ctx.h("span", { class: "badge muted", title: "not ready" }, "not ready") : null) },
    { label: "Agent", render: (a) => h("div", null, h("div", { class: "mono" }, a.id), a.name && a.name !== a.id ? h("div", { class: "muted" }, a.name) : null) },
    { label: "Kind", render: (a) => a.kind },
    { label: "Label", render: (a) => a.label || h("span", { class: "faint" }, "—") },
    { label: "Tags · capabilities", render: (a) => [...(a.tags || []).map((t) => h("span", { class: "badge muted", title: "tag" }, t)), ...(a.capabilities || []).map((t) => h("span", { class: "badge", title: "capability" }, t))] },
    { label: "Last seen", class: "nowrap", render: (a) => h("span", { title: fmt.time(a.lastSeen) }, fmt.ago(a.lastSeen)) },
    { label: "Claims", class: "num", render: (a) => num(stats[a.id]?.openClaims, "warn") },
    { label: "Unread", class: "num", render: (a) => num(stats[a.id]?.unread, "", UNREAD_CAP) },
  ];
  const num = (n, kind, cap) => (n == null ? h("span", { class: "faint" }, "—") : n === 0 ? h("span", { class: "faint" }, "0") : h("span", { class: ["badge", kind] }, cap && n >= cap ? `${cap}+` : String(n)));

  function redraw() {
    const rows = visible();
    count.textContent = loaded ? `${rows.length}${rows.length !== agents.size ? ` of ${agents.size}` : ""}` : "…";
    const cursor = listBox.querySelector("tr.cursor")?.dataset.key;
    const empty = loadError ? `Could not load agents: ${loadError}` : !loaded ? "Loading…"
      : agents.size ? "No agent matches the filter." : "No agent has registered yet. Agents appear here live as they register.";
    listBox.replaceChildren(ctx.table(columns, rows, {
      rowKey: (a) => a.id, selected, empty,
      onRowClick: (a) => ctx.navigate(`#/agents/${encodeURIComponent(a.id)}`),
    }));
    if (cursor) listBox.querySelector(`tr[data-key="${CSS.escape(cursor)}"]`)?.classList.add("cursor");
  }

  async function loadAgents() {
    try {
      const list = await api("GET", "/api/agents");
      agents.clear();
      for (const a of list) agents.set(a.id, a);
      loaded = true;
      loadError = null;
    } catch (err) {
      loadError = err.message;
    }
    redraw();
    if (!detail.contains(document.activeElement)) renderDetail();
  }

  async function loadStats() {
    try {
      stats = await api("GET", "/api/dashboard/agent-stats");
      redraw();
    } catch { /* the counts stay as they were */ }
  }

  async function loadManagers() {
    try {
      const orchestrators = await api("GET", "/api/orchestrators");
      const found = {};
      for (const o of orchestrators || []) for (const m of o.managedAgents || []) found[m.agentId] = o.id;
      managers = found;
    } catch { managers = {}; }
  }

  // -- detail ---------------------------------------------------------------------------
  function renderDetail() {
    const token = ++detailToken;
    if (!selected) {
      detail.replaceChildren(h("div", { class: "card empty" }, "Select an agent (click, or j/k and Enter) to see its card, actions and tokens."));
      return;
    }
    const a = agents.get(selected);
    if (!a) {
      detail.replaceChildren(h("div", { class: "card empty" }, loaded ? `No agent ${selected}.` : "Loading…"));
      return;
    }
    const manager = managers[a.id];
    const tokensBox = h("div", null, h("div", { class: "muted" }, "Loading tokens…"));
    // Redrawing the same agent's card (its counts arrived, it changed) keeps what was typed.
    const typed = detail.querySelector(`[data-agent="${CSS.escape(a.id)}"] input[aria-label='Token label']`)?.value || "";
    const labelInput = h("input", { type: "text", placeholder: "label (optional)", "aria-label": "Token label", maxlength: 200, value: typed });
    detail.replaceChildren(
      h("div", { class: "card", dataset: { agent: a.id } },
        h("div", { class: "card-head" },
          h("span", { class: ["dot", STATUS_DOT[a.status]] }),
          h("h2", { class: "mono" }, a.id),
          ctx.h("span", { class: "badge muted" }, a.kind),
          h("span", { class: "spacer" }),
          h("button", { class: "btn small ghost", type: "button", title: "Close (Esc)", onClick: () => ctx.navigate("#/agents") }, "✕"),
        ),
        h("div", { class: "row" },
          h("button", { class: "btn", type: "button", onClick: () => action(a, "restart") }, "Restart"),
          h("button", { class: "btn", type: "button", onClick: () => action(a, "shutdown") }, "Shut down"),
          h("a", { class: "btn", href: `#/messages/to/${encodeURIComponent(a.id)}` }, "Messages"),
          h("span", { class: "spacer" }),
          h("button", { class: "btn danger", type: "button", onClick: () => remove(a) }, "Delete"),
        ),
        h("div", { class: "muted faint" }, manager
          ? `Managed by orchestrator ${manager}: restart and shut down go to the agent as urgent control messages its orchestrator acts on.`
          : "Restart and shut down send the agent an urgent control message (for agents an orchestrator manages)."),
        h("h3", null, "Card"),
        h("dl", { class: "kv" },
          kv("Name", a.name),
          kv("Status", [ctx.h("span", { class: "badge" }, a.status), a.ready ? " ready" : " not ready"]),
          kv("Label", a.label || "—"),
          kv("Tags", (a.tags || []).length ? a.tags.map((t) => h("span", { class: "badge muted" }, t)) : "—"),
          kv("Capabilities", (a.capabilities || []).length ? a.capabilities.map((t) => h("span", { class: "badge" }, t)) : "—"),
          kv("Last seen", `${fmt.ago(a.lastSeen)} (${fmt.time(a.lastSeen)})`),
          kv("Registered", fmt.time(a.createdAt)),
          kv("Session", h("span", { class: "mono" }, `${a.instanceId || "—"} · epoch ${a.epoch ?? "—"}`)),
          kv("Open claims", String(stats[a.id]?.openClaims ?? "—")),
          kv("Unread", stats[a.id] ? (stats[a.id].unread >= UNREAD_CAP ? `${UNREAD_CAP}+` : String(stats[a.id].unread)) : "—"),
        ),
        a.meta && Object.keys(a.meta).length ? [h("h3", null, "Meta"), h("pre", { class: "pre" }, fmt.json(a.meta))] : null,
        h("h3", null, "Tokens"),
        tokensBox,
        h("form", { class: "row", onSubmit: (e) => { e.preventDefault(); createToken(a, labelInput); } },
          labelInput, h("button", { class: "btn primary", type: "submit" }, "Create token")),
      ),
    );
    loadTokens(a.id, tokensBox, token);
  }
  const kv = (k, v) => [h("dt", null, k), h("dd", null, v ?? "—")];
  const cardKey = (a) => (a ? JSON.stringify({ ...a, lastSeen: 0 }) : "");

  async function loadTokens(agentId, box, token) {
    let tokens;
    try {
      tokens = await api("GET", `/api/agents/${encodeURIComponent(agentId)}/tokens`);
    } catch (err) {
      if (token === detailToken) box.replaceChildren(h("div", { class: "error-text" }, err.message));
      return;
    }
    if (token !== detailToken) return;
    box.replaceChildren(ctx.table([
      { label: "Label", render: (t) => t.label || h("span", { class: "faint" }, "—") },
      { label: "Id", class: "mono", render: (t) => String(t.id) },
      { label: "Created", class: "nowrap", render: (t) => fmt.time(t.createdAt) },
      { label: "Last used", class: "nowrap", render: (t) => (t.lastUsedAt ? fmt.ago(t.lastUsedAt) : "never") },
      { label: "", render: (t) => h("button", { class: "btn small danger", type: "button", onClick: () => revoke(agentId, t) }, "Revoke") },
    ], tokens, { empty: "No tokens. An agent token lets a process act as this agent only." }));
  }

  async function createToken(a, input) {
    try {
      const body = input.value.trim() ? { label: input.value.trim() } : {};
      const issued = await api("POST", `/api/agents/${encodeURIComponent(a.id)}/tokens`, body);
      input.value = "";
      ctx.dialog({
        title: `Token for ${a.id}`,
        body: h("div", { class: "stack" },
          h("p", null, "Copy it now: the relay stores only its hash and will not show it again."),
          h("div", { class: "secret", dataset: { secret: "" } }, issued.token),
          h("p", { class: "muted" }, "Give it to the agent as AGENT_RELAY_TOKEN. It acts as this agent only."),
        ),
        actions: [
          { label: "Copy", onClick: async () => { await navigator.clipboard?.writeText(issued.token); ctx.toast("Copied", "ok"); return false; } },
          { label: "Done", kind: "primary" },
        ],
      });
      renderDetail();
    } catch (err) {
      ctx.toast(`Could not create the token: ${err.message}`, "error");
    }
  }

  async function revoke(agentId, t) {
    if (!(await ctx.confirm({ title: "Revoke token", text: `Revoke ${t.label ? `"${t.label}"` : `token ${t.id}`} of ${agentId}? Processes using it get 401 from now on.`, label: "Revoke", kind: "danger" }))) return;
    try {
      await api("DELETE", `/api/agents/${encodeURIComponent(agentId)}/tokens/${encodeURIComponent(t.id)}`);
      ctx.toast("Token revoked", "ok");
      renderDetail();
    } catch (err) {
      ctx.toast(`Could not revoke: ${err.message}`, "error");
    }
  }

  async function action(a, name) {
    const verb = name === "restart" ? "Restart" : "Shut down";
    if (!(await ctx.confirm({ title: `${verb} ${a.id}?`, text: `Sends ${a.id} an urgent control message (${name}).`, label: verb, kind: name === "shutdown" ? "danger" : "primary" }))) return;
    try {
      const out = await api("POST", `/api/agents/${encodeURIComponent(a.id)}/actions`, { action: name });
      ctx.toast(`${verb} requested${out && out.message ? ` (message ${out.message.id ?? ""})` : ""}`, "ok");
    } catch (err) {
      ctx.toast(`${verb} failed: ${err.message}`, "error");
    }
  }

  async function remove(a) {
    if (!(await ctx.confirm({ title: `Delete ${a.id}?`, text: "Removes the agent's card and revokes its tokens. A running agent that registers again comes back.", label: "Delete", kind: "danger" }))) return;
    try {
      await api("DELETE", `/api/agents/${encodeURIComponent(a.id)}`);
      agents.delete(a.id);
      ctx.navigate("#/agents");
      ctx.toast(`Deleted ${a.id}`, "ok");
    } catch (err) {
      ctx.toast(`Delete failed: ${err.message}`, "error");
    }
  }

  // -- live -----------------------------------------------------------------------------
  let statsTimer = 0;
  const refreshStatsSoon = () => { if (!statsTimer) statsTimer = setTimeout(() => { statsTimer = 0; loadStats(); }, 3000); };  // at most one count every 3 s
  const offAgent = ctx.on("agent.status", ({ data }) => {
    if (!data || !data.id) return;
    const before = agents.get(data.id);
    if (data.deleted) agents.delete(data.id);
    else agents.set(data.id, { ...(before || {}), ...data });
    redraw();
    // A heartbeat only moves lastSeen: the open card is redrawn when something else changed
    // (and never under the cursor of someone typing in it).
    const after = agents.get(data.id);
    if (data.id === selected && cardKey(before) !== cardKey(after) && !detail.contains(document.activeElement)) renderDetail();
  });
  const offMessages = ctx.on("message.", refreshStatsSoon);
  const offOrch = ctx.on("orchestrator.", () => loadManagers());
  const tick = setInterval(redraw, 5000); // "last seen" stays true

  const onEsc = (e) => { if (e.key === "Escape" && selected && !document.querySelector("dialog[open]") && !/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName)) ctx.navigate("#/agents"); };
  document.addEventListener("keydown", onEsc);

  redraw();
  renderDetail();
  loadAgents();
  Promise.all([loadManagers(), loadStats()]).then(() => {
    redraw();
    if (!detail.contains(document.activeElement)) renderDetail();
  });

  const unmount = () => {
    offAgent(); offMessages(); offOrch();
    clearInterval(tick);
    clearTimeout(statsTimer);
    document.removeEventListener("keydown", onEsc);
  };
  unmount.update = (params) => {
    selected = params[0] || null;
    redraw();
    renderDetail();
  };
  return unmount;
}
