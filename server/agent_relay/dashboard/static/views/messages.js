// Messages: the live stream with filters, a message's thread and delivery ledger, claims
// with lease countdowns, dead letters (redrive), stuck work, and a compose box that sends as
// the `operator` agent (registered on first use). Bodies are hostile: text nodes only.
export const id = "messages";
export const title = "Messages";
export const key = "m";
export const order = 20;

const OPERATOR = "operator";
const KINDS = ["chat", "task", "control", "system", "pair", "channel.event"];
const STREAM_LIMIT = 200;

export function mount(root, ctx) {
  const { h, api, fmt } = ctx;
  const byId = new Map(); // id -> message, for the current tab
  let order = []; // ids, newest first
  let tab = "stream"; // stream | dead | stuck
  let selected = null;
  let filters = { agent: "", to: "", kind: "" };
  let loading = false;
  let loadError = null;
  let agentIds = [];
  let detailSeq = 0;
  let operatorReady = false;

  // -- layout --------------------------------------------------------------------------
  const tabsEl = h("nav", { class: "tabs", "aria-label": "Message lists" });
  const agentInput = h("input", { type: "search", placeholder: "agent (from or to)", "data-filter": "", "aria-label": "Agent", list: "msg-agents" });
  const toInput = h("input", { type: "search", placeholder: "address: id, label:x, tag:x, broadcast", "aria-label": "Address" });
  const kindSelect = h("select", { "aria-label": "Kind" }, h("option", { value: "" }, "any kind"), KINDS.map((k) => h("option", { value: k }, k)));
  const agentList = h("datalist", { id: "msg-agents" });
  const filtersEl = h("div", { class: "row" }, agentInput, toInput, kindSelect, agentList);
  const listBox = h("div", { class: "tbl-scroll", "data-keys-list": "" });
  const detail = h("div", { class: "detail" });
  root.append(
    h("div", { class: "toolbar" }, h("h2", null, "Messages"), h("span", { class: "spacer" }), filtersEl,
      h("button", { class: "btn primary", type: "button", title: "Compose (c)", onClick: () => openCompose() }, "Compose")),
    tabsEl,
    h("div", { class: "split" }, listBox, detail),
  );
  const applyFilters = debounce(() => {
    filters = { agent: agentInput.value.trim(), to: toInput.value.trim(), kind: kindSelect.value };
    load();
  }, 250);
  agentInput.addEventListener("input", applyFilters);
  toInput.addEventListener("input", applyFilters);
  kindSelect.addEventListener("change", applyFilters);

  function renderTabs() {
    const link = (name, label) => h("a", { href: name === "stream" ? "#/messages" : `#/messages/${name}`, class: tab === name ? "active" : null, dataset: { tab: name } }, label);
    tabsEl.replaceChildren(link("stream", "Stream"), link("dead", "Dead letters"), link("stuck", "Stuck work"));
    filtersEl.hidden = tab !== "stream";
  }

  // -- routing: #/messages, #/messages/<id>, #/messages/dead[/<id>], #/messages/stuck[/<id>], #/messages/to/<agent>
  function applyParams(params) {
    let newTab = "stream";
    let rest = params;
    if (params[0] === "dead" || params[0] === "stuck") { newTab = params[0]; rest = params.slice(1); }
    if (rest[0] === "to" && rest[1]) {
      agentInput.value = rest[1];
      filters = { ...filters, agent: rest[1] };
      rest = [];
      history.replaceState(null, "", "#/messages");
      if (newTab === tab) load();
    }
    selected = rest[0] && /^\d+$/.test(rest[0]) ? Number(rest[0]) : null;
    const changed = newTab !== tab;
    tab = newTab;
    renderTabs();
    if (changed) load(); else redraw();
    renderDetail();
  }

  // -- loading -------------------------------------------------------------------------
  async function load() {
    const seq = ++loadSeq;
    loading = true;
    redraw();
    try {
      let items;
      if (tab === "dead") items = await api("GET", "/api/dead-letters", undefined, { query: { limit: STREAM_LIMIT } });
      else if (tab === "stuck") items = await api("GET", "/api/messages", undefined, { query: { stuck: true, limit: STREAM_LIMIT } });
      else if (filters.agent) {
        const common = { to: filters.to || undefined, kind: filters.kind || undefined, limit: STREAM_LIMIT };
        const [sent, received] = await Promise.all([
          api("GET", "/api/messages", undefined, { query: { ...common, from: filters.agent } }),
          filters.to ? [] : api("GET", "/api/messages", undefined, { query: { ...common, to: filters.agent } }),
        ]);
        const merged = new Map([...sent, ...received].map((m) => [m.id, m]));
        items = [...merged.values()].filter(matches);
      } else {
        items = await api("GET", "/api/messages", undefined, { query: { to: filters.to || undefined, kind: filters.kind || undefined, limit: STREAM_LIMIT } });
      }
      if (seq !== loadSeq) return;
      byId.clear();
      for (const m of items) byId.set(m.id, m);
      order = [...byId.keys()].sort((a, b) => b - a).slice(0, STREAM_LIMIT);
      loadError = null;
    } catch (err) {
      if (seq !== loadSeq) return;
      loadError = err.message;
    }
    loading = false;
    redraw();
  }
  let loadSeq = 0;

  function matches(m) {
    if (tab !== "stream") return false;
    if (filters.kind && m.kind !== filters.kind) return false;
    if (filters.to && m.to !== filters.to) return false;
    if (filters.agent && m.from !== filters.agent && m.to !== filters.agent) return false;
    return true;
  }

  async function loadAgents() {
    try {
      const list = await api("GET", "/api/agents");
      agentIds = list.map((a) => a.id).sort();
      agentList.replaceChildren(...agentIds.map((a) => h("option", { value: a })));
    } catch { /* the datalist stays empty */ }
  }

  // -- list ----------------------------------------------------------------------------
  function stateOf(m) {
    const now = Date.now();
    if (m.deadLetteredAt) return h("span", { class: "badge err" }, "dead letter");
    if (m.completedAt) return h("span", { class: "badge ok", title: `completed by ${m.completedBy}` }, `done · ${m.completedBy}`);
    if (m.claimedBy && (m.claimExpiresAt == null || m.claimExpiresAt > now)) {
      return h("span", { class: "badge warn" }, `claimed · ${m.claimedBy} · `, countdown(m.claimExpiresAt));
    }
    if (m.hiddenUntil && m.hiddenUntil > now) return h("span", { class: "badge muted" }, "delayed ", countdown(m.hiddenUntil));
    if (m.claimable) return h("span", { class: "badge" }, `claimable ${m.deliveryCount ?? 0}/${m.maxDeliveries ?? "∞"}`);
    return null;
  }
  const countdown = (at) => (at == null ? "no expiry" : h("span", { class: "countdown", dataset: { until: String(at) } }, fmt.duration(at - Date.now())));

  const preview = (m) => {
    const text = `${m.subject ? `${m.subject} — ` : ""}${m.body ?? ""}`.replace(/\s+/g, " ");
    return h("span", { class: "clip msg-preview", title: text.slice(0, 400) }, text.slice(0, 240));
  };

  const columns = [
    { label: "#", class: "mono num", render: (m) => String(m.id) },
    { label: "Time", class: "nowrap", render: (m) => h("span", { title: fmt.time(m.createdAt) }, fmt.time(m.createdAt)) },
    { label: "From → to", render: (m) => h("span", { class: "mono" }, m.from, h("span", { class: "faint" }, " → "), m.to) },
    { label: "Kind", render: (m) => h("span", { class: "badge muted" }, m.kind) },
    { label: "Message", class: "wide", render: (m) => h("div", null, preview(m), m.replyTo ? h("span", { class: "faint" }, `↳ reply to #${m.replyTo}`) : null) },
    { label: "State", class: "state", render: (m) => [stateOf(m), tab === "dead" ? h("button", { class: "btn small primary", type: "button", onClick: () => redrive(m) }, "Redrive") : null] },
  ];

  function redraw() {
    const cursor = listBox.querySelector("tr.cursor")?.dataset.key;
    const rows = order.map((i) => byId.get(i)).filter(Boolean);
    const empty = loadError ? `Could not load: ${loadError}` : loading && !rows.length ? "Loading…"
      : tab === "dead" ? "No dead letters. A claimable message lands here when its deliveries run out."
      : tab === "stuck" ? "Nothing stuck: every direct or claimable message was picked up in time."
      : filters.agent || filters.to || filters.kind ? "No message matches the filters." : "No messages yet. New ones appear here live.";
    listBox.replaceChildren(ctx.table(columns, rows, {
      rowKey: (m) => m.id, selected: selected == null ? undefined : String(selected), empty,
      rowClass: (m) => (fresh.has(m.id) ? "fresh" : null),
      onRowClick: (m) => ctx.navigate(`#/messages/${tab === "stream" ? "" : `${tab}/`}${m.id}`),
    }));
    fresh.clear();
    if (cursor) listBox.querySelector(`tr[data-key="${CSS.escape(cursor)}"]`)?.classList.add("cursor");
  }
  const fresh = new Set();

  // -- detail --------------------------------------------------------------------------
  async function renderDetail() {
    const seq = ++detailSeq;
    if (selected == null) { detail.replaceChildren(composeCard()); return; }
    // Re-reading the message on display (a live change) keeps it in place until the new
    // state is in: no flash of "Loading…", no scroll jump.
    if (detail.querySelector("[data-message]")?.dataset.message !== String(selected)) {
      detail.replaceChildren(h("div", { class: "card empty" }, "Loading…"));
    }
    let m;
    try {
      m = await api("GET", `/api/messages/${selected}`);
    } catch (err) {
      if (seq === detailSeq) detail.replaceChildren(h("div", { class: "card" }, h("div", { class: "error-text" }, `Message #${selected}: ${err.message}`)));
      return;
    }
    if (seq !== detailSeq) return;
    const keep = (sel) => [...(detail.querySelector(`[data-message="${m.id}"] ${sel}`)?.childNodes || [])];
    const ledgerBox = h("div", { "data-ledger": "" }, ...(keep("[data-ledger]").length ? keep("[data-ledger]") : [h("div", { class: "muted" }, "Loading…")]));
    const threadBox = h("div", { class: "thread" }, ...(keep(".thread").length ? keep(".thread") : [h("div", { class: "muted" }, "Loading…")]));
    const scrollTop = detail.scrollTop;
    detail.replaceChildren(h("div", { class: "card", dataset: { message: String(m.id) } },
      h("div", { class: "card-head" },
        h("h2", null, `#${m.id}`), h("span", { class: "badge muted" }, m.kind), stateOf(m),
        h("span", { class: "spacer" }),
        m.deadLetteredAt ? h("button", { class: "btn primary small", type: "button", onClick: () => redrive(m) }, "Redrive") : null,
        h("button", { class: "btn danger small", type: "button", onClick: () => removeMessage(m) }, "Delete"),
        h("button", { class: "btn small ghost", type: "button", title: "Close", onClick: () => ctx.navigate(tab === "stream" ? "#/messages" : `#/messages/${tab}`) }, "✕"),
      ),
      h("dl", { class: "kv" },
        kv("From", h("a", { class: "mono", href: `#/agents/${encodeURIComponent(m.from)}` }, m.from)),
        kv("To", h("span", { class: "mono" }, m.to)),
        kv("Sent", `${fmt.time(m.createdAt)} (${fmt.ago(m.createdAt)})`),
        m.subject ? kv("Subject", m.subject) : null,
        m.replyTo ? kv("Reply to", h("a", { href: `#/messages/${m.replyTo}` }, `#${m.replyTo}`)) : null,
        m.claimable ? kv("Deliveries", `${m.deliveryCount ?? 0} of ${m.maxDeliveries ?? "∞"}`) : null,
        m.claimedBy ? kv("Claim", [h("span", { class: "mono" }, m.claimedBy), " · lease ", countdown(m.claimExpiresAt)]) : null,
        m.completedAt ? kv("Completed", `${fmt.time(m.completedAt)} by ${m.completedBy}`) : null,
        m.deadLetteredAt ? kv("Dead-lettered", fmt.time(m.deadLetteredAt)) : null,
        m.hiddenUntil ? kv("Hidden until", fmt.time(m.hiddenUntil)) : null,
        m.channel ? kv("Channel", m.channel) : null,
      ),
      h("h3", null, "Body"),
      h("pre", { class: "pre msg-body", dataset: { body: "" } }, m.body ?? ""),
      m.payload && Object.keys(m.payload).length ? [h("h3", null, "Payload"), h("pre", { class: "pre" }, fmt.json(m.payload))] : null,
      m.meta && Object.keys(m.meta).length ? [h("h3", null, "Meta"), h("pre", { class: "pre" }, fmt.json(m.meta))] : null,
      h("h3", null, "Delivery ledger"), ledgerBox,
      h("h3", null, "Thread"), threadBox,
      h("h3", null, "Reply"), replyForm(m),
    ));
    detail.scrollTop = scrollTop;
    loadLedger(m, ledgerBox, seq);
    loadThread(m, threadBox, seq);
  }
  const kv = (k, v) => [h("dt", null, k), h("dd", null, v)];

  async function loadLedger(m, box, seq) {
    try {
      const rows = await api("GET", `/api/messages/${m.id}/deliveries`);
      if (seq !== detailSeq) return;
      const step = (at) => (at ? h("span", { title: fmt.time(at) }, fmt.time(at)) : h("span", { class: "faint" }, "—"));
      box.replaceChildren(ctx.table([
        { label: "Agent", class: "mono", render: (r) => r.agentId },
        { label: "State", render: (r) => h("span", { class: ["badge", { pending: "muted", completed: "ok", claimed: "warn" }[r.state]] }, r.state) },
        { label: "Delivered", class: "nowrap", render: (r) => step(r.deliveredAt) },
        { label: "Read", class: "nowrap", render: (r) => step(r.readAt) },
        { label: "Claimed", class: "nowrap", render: (r) => step(r.claimedAt) },
        { label: "Completed", class: "nowrap", render: (r) => step(r.completedAt) },
        ...(rows.some((r) => r.wokenAt) ? [{ label: "Woken", class: "nowrap", render: (r) => step(r.wokenAt) }] : []),
      ], rows, { empty: "No agent has this message yet (a group address reaches agents as they read)." }));
    } catch (err) {
      if (seq === detailSeq) box.replaceChildren(h("div", { class: "error-text" }, err.message));
    }
  }

  async function loadThread(m, box, seq) {
    // Up the replyTo chain (at most 25 hops), then the replies to this message we know of.
    const chain = [m];
    let cur = m;
    try {
      while (cur.replyTo && chain.length < 25) {
        cur = byId.get(cur.replyTo) || (await api("GET", `/api/messages/${cur.replyTo}`));
        chain.unshift(cur);
      }
    } catch { /* a deleted or hidden parent ends the chain */ }
    let replies = [];
    try {
      const recent = await api("GET", "/api/messages", undefined, { query: { after: m.id, limit: 500 } });
      replies = recent.filter((r) => r.replyTo === m.id).sort((a, b) => a.id - b.id);
    } catch { /* only the chain then */ }
    if (seq !== detailSeq) return;
    const item = (x) => h("div", { class: ["msg", x.id === m.id && "current"] },
      h("div", { class: "meta" }, h("a", { href: `#/messages/${x.id}` }, `#${x.id}`), ` ${x.from} → ${x.to} · ${fmt.time(x.createdAt)}`),
      h("div", { class: "msg-body" }, x.subject ? h("strong", null, `${x.subject}: `) : null, x.body ?? ""));
    box.replaceChildren(...chain.map(item), ...replies.map(item));
    if (chain.length === 1 && !replies.length) box.append(h("div", { class: "faint" }, "No other message in this thread."));
  }

  // -- sending -------------------------------------------------------------------------
  async function ensureOperator() {
    if (operatorReady) return;
    try {
      await api("GET", `/api/agents/${OPERATOR}`);
    } catch (err) {
      if (err.status !== 404) throw err;
      await api("POST", "/api/agents", { id: OPERATOR, name: "Operator (dashboard)", kind: "user", status: "online", tags: ["human"] });
    }
    operatorReady = true;
  }

  async function send(body) {
    await ensureOperator();
    const sent = await api("POST", "/api/messages", { from: OPERATOR, ...body });
    ctx.toast(`Sent #${sent.id} to ${sent.to}`, "ok");
    return sent;
  }

  function composeCard() {
    const to = h("input", { type: "text", name: "to", required: true, placeholder: "agent id, label:x, tag:x, cap:x, broadcast", list: "msg-agents", value: filters.agent || "" });
    const kind = h("select", { name: "kind" }, KINDS.map((k) => h("option", { value: k }, k)));
    const subject = h("input", { type: "text", name: "subject", placeholder: "optional" });
    const body = h("textarea", { name: "body", required: true, placeholder: "Message (plain text)", rows: 5 });
    const claimable = h("input", { type: "checkbox", name: "claimable" });
    const maxDeliveries = h("input", { type: "number", name: "maxDeliveries", min: 1, max: 1000, placeholder: "default" });
    const error = h("div", { class: "error-text", role: "alert" });
    const form = h("form", { class: "card compose", dataset: { compose: "" }, onSubmit: async (e) => {
      e.preventDefault();
      error.textContent = "";
      const payload = { to: to.value.trim(), body: body.value, kind: kind.value };
      if (subject.value.trim()) payload.subject = subject.value.trim();
      if (claimable.checked) {
        payload.claimable = true;
        if (maxDeliveries.value) payload.maxDeliveries = Number(maxDeliveries.value);
      }
      try {
        await send(payload);
        body.value = "";
        subject.value = "";
        clearTimeout(draftTimer);
        api("DELETE", `/api/inbox/${OPERATOR}/draft`).catch(() => {}); // sent: nothing to keep
        draftNote.textContent = "";
      } catch (err) { error.textContent = err.message; }
    } },
      h("div", { class: "card-head" }, h("h2", null, "Compose"), h("span", { class: "spacer" }), h("span", { class: "muted" }, "as "), h("span", { class: "badge" }, OPERATOR)),
      h("div", { class: "form" },
        h("label", null, "To"), to,
        h("label", null, "Kind"), kind,
        h("label", null, "Subject"), subject,
        h("label", null, "Body"), body,
        h("label", null, "Claimable"), h("div", { class: "row" }, claimable, h("span", { class: "muted" }, "one agent claims it · max deliveries"), maxDeliveries),
      ),
      h("div", { class: "row" }, h("button", { class: "btn primary", type: "submit" }, "Send"), h("span", { class: "faint" }, "Ctrl+Enter sends"), error),
    );
    body.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) form.requestSubmit(); });
    // The draft is kept on the relay (the operator's inbox draft), so it survives a reload
    // or another browser: saved a moment after typing stops, restored here, deleted on send.
    let draftTimer = 0;
    const draftNote = h("span", { class: "faint", dataset: { draft: "" } });
    form.querySelector(".row:last-child").append(draftNote);
    const saveDraft = () => {
      clearTimeout(draftTimer);
      draftTimer = setTimeout(async () => {
        if (!to.value && !subject.value && !body.value) return;
        try {
          await api("PUT", `/api/inbox/${OPERATOR}/draft`, { to: to.value || null, subject: subject.value || null, body: body.value, kind: kind.value });
          draftNote.textContent = "draft saved";
        } catch { draftNote.textContent = "draft not saved"; }
      }, 600);
    };
    for (const field of [to, subject, body, kind]) field.addEventListener("input", saveDraft);
    api("GET", `/api/inbox/${OPERATOR}/draft`).then((d) => {
      if (!d || body.value || subject.value) return;
      if (d.to && !to.value) to.value = d.to;
      if (d.subject) subject.value = d.subject;
      if (d.kind && KINDS.includes(d.kind)) kind.value = d.kind;
      body.value = d.body || "";
      draftNote.textContent = `draft from ${fmt.ago(d.updatedAt)}`;
    }).catch(() => { /* 404: no draft */ });
    return h("div", null, form, h("div", { class: "card muted" }, "Select a message to see its body, delivery ledger and thread, and to reply. ", h("kbd", null, "j"), " ", h("kbd", null, "k"), " move, ", h("kbd", null, "Enter"), " opens."));
  }

  function replyForm(m) {
    const target = m.from === OPERATOR ? m.to : m.from;
    const body = h("textarea", { name: "reply", placeholder: `Reply to ${target} as ${OPERATOR}`, rows: 3 });
    const error = h("div", { class: "error-text", role: "alert" });
    const form = h("form", { class: "stack", onSubmit: async (e) => {
      e.preventDefault();
      error.textContent = "";
      if (!body.value.trim()) { error.textContent = "body is required"; return; }
      try {
        await send({ to: target, body: body.value, replyTo: m.id, kind: "chat", subject: m.subject ? (m.subject.startsWith("Re: ") ? m.subject : `Re: ${m.subject}`).slice(0, 200) : undefined });
        body.value = "";
        const seq = detailSeq;
        const box = detail.querySelector(".thread");
        if (box) setTimeout(() => loadThread(m, box, seq), 300);
      } catch (err) { error.textContent = err.message; }
    } }, body, h("div", { class: "row" }, h("button", { class: "btn primary", type: "submit" }, `Reply to ${target}`), error));
    body.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) form.requestSubmit(); });
    return form;
  }

  function openCompose() {
    ctx.navigate("#/messages");
    setTimeout(() => detail.querySelector("[data-compose] input[name=to]")?.focus(), 0);
  }

  async function redrive(m) {
    try {
      await api("POST", `/api/messages/${m.id}/redrive`);
      ctx.toast(`Redriven #${m.id}: claimable again`, "ok");
      if (tab === "dead") { byId.delete(m.id); order = order.filter((i) => i !== m.id); redraw(); }
      if (selected === m.id) renderDetail();
    } catch (err) {
      ctx.toast(`Redrive failed: ${err.message}`, "error");
    }
  }

  async function removeMessage(m) {
    if (!(await ctx.confirm({ title: `Delete message #${m.id}?`, text: "It leaves every inbox and cannot be restored.", label: "Delete", kind: "danger" }))) return;
    try {
      await api("DELETE", `/api/messages/${m.id}`);
      ctx.toast(`Deleted #${m.id}`, "ok");
      ctx.navigate(tab === "stream" ? "#/messages" : `#/messages/${tab}`);
    } catch (err) {
      ctx.toast(`Delete failed: ${err.message}`, "error");
    }
  }

  // -- live ----------------------------------------------------------------------------
  const refetch = new Set();
  const flushRefetch = debounce(async () => {
    const ids = [...refetch];
    refetch.clear();
    await Promise.all(ids.map(async (mid) => {
      try { byId.set(mid, await api("GET", `/api/messages/${mid}`)); } catch (err) { if (err.status === 404) { byId.delete(mid); order = order.filter((i) => i !== mid); } }
    }));
    redraw();
  }, 200);
  const reloadSoon = debounce(load, 400);

  const off = ctx.on("message.", ({ type, data }) => {
    const mid = data && (typeof data.id === "number" ? data.id : data.messageId);
    if (type === "message.new" && data && tab === "stream") {
      if (!matches(data) || byId.has(data.id)) return;
      const scroller = listBox;
      const before = scroller.scrollHeight;
      byId.set(data.id, data);
      order.unshift(data.id);
      if (order.length > STREAM_LIMIT) byId.delete(order.pop());
      fresh.add(data.id);
      redraw();
      if (scroller.scrollTop > 0) scroller.scrollTop += scroller.scrollHeight - before; // no jump while reading
    } else if (type === "message.dead_lettered" && tab === "dead") reloadSoon();
    else if (type === "message.stuck" && tab === "stuck") reloadSoon();
    else if (type === "message.redriven" && tab === "dead") reloadSoon();
    else if (type === "message.deleted" && mid != null) { byId.delete(mid); order = order.filter((i) => i !== mid); redraw(); }
    else if (mid != null && byId.has(mid)) { refetch.add(mid); flushRefetch(); }
    if (mid != null && mid === selected && type !== "message.new" && !detail.contains(document.activeElement)) renderDetail();
  });
  const offAgents = ctx.on("agent.status", debounce(loadAgents, 1000));

  // Lease countdowns tick in place, without a redraw.
  const ticker = setInterval(() => {
    for (const el of root.querySelectorAll(".countdown[data-until]")) {
      const left = Number(el.dataset.until) - Date.now();
      el.textContent = left > 0 ? fmt.duration(left) : "expired";
    }
  }, 1000);

  const onKey = (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || document.querySelector("dialog[open]")) return;
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName)) return;
    if (e.key === "c") { e.preventDefault(); openCompose(); }
    else if (e.key === "Escape" && selected != null) ctx.navigate(tab === "stream" ? "#/messages" : `#/messages/${tab}`);
  };
  document.addEventListener("keydown", onKey);

  loadAgents();
  tab = null;
  applyParams(ctx.params);

  const unmount = () => { off(); offAgents(); clearInterval(ticker); document.removeEventListener("keydown", onKey); };
  unmount.update = applyParams;
  return unmount;
}

function debounce(fn, ms) {
  let timer = 0;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}
