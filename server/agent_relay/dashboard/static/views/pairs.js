// Pairs: two agents working together on a topic (GET/POST /api/pairs, actions, messages).
import {
  actionButton,
  badge,
  countdown,
  filterInput,
  kv,
  masterDetail,
  refreshClocks,
  row,
  select,
  unmounter,
  when,
} from "../lib/views_util.js";

export const id = "pairs";
export const title = "Pairs";
export const key = "p";
export const order = 50;

const STATUSES = ["pending", "active", "ended", "rejected", "expired"];

export function mount(root, ctx) {
  const h = ctx.h;
  const statusFilter = select(ctx, [["", "all statuses"], ...STATUSES], "", { "aria-label": "status" });
  const search = filterInput(ctx, "Filter pairs");
  const md = masterDetail(ctx, {
    viewId: id,
    key: (p) => p.id,
    filterInput: search,
    keep: (p) => !statusFilter.value || p.status === statusFilter.value,
    match: (p, q) => [p.from, p.to, p.topic, String(p.id)].some((v) => v && v.toLowerCase().includes(q)),
    sort: (a, b) => b.id - a.id,
    empty: "No pairs yet. An agent invites another with POST /api/pairs.",
    noSelection: "Select a pair to see its conversation.",
    columns: [
      { label: "#", render: (p) => h("span", { class: "mono" }, String(p.id)) },
      { label: "Agents", render: (p) => h("span", {}, p.from, h("span", { class: "muted" }, " ⇄ "), p.to) },
      { label: "Topic", render: (p) => p.topic || h("span", { class: "muted" }, "—") },
      { label: "Status", render: (p) => badge(ctx, p.status) },
      { label: "Updated", render: (p) => when(ctx, p.updatedAt) },
    ],
    renderDetail,
  });
  root.append(
    h(
      "div",
      { class: "toolbar" },
      h("h2", {}, "Pairs"),
      statusFilter,
      search,
      actionButton(ctx, "New pair…", openCreate, { kind: "primary" }),
      actionButton(ctx, "Refresh", load),
    ),
    md.el,
  );
  statusFilter.addEventListener("change", md.renderList);

  async function load() {
    md.setItems(await ctx.api("GET", "/api/pairs", undefined, { query: { limit: 500 } }));
  }

  async function agentIds() {
    const agents = await ctx.api("GET", "/api/agents").catch(() => []);
    return agents.filter((a) => a.kind !== "system").map((a) => a.id);
  }

  async function openCreate() {
    const ids = await agentIds();
    const list = h("datalist", { id: "dv-pair-agents" }, ids.map((a) => h("option", { value: a })));
    const from = h("input", { type: "text", list: "dv-pair-agents", required: "", "aria-label": "from" });
    const to = h("input", { type: "text", list: "dv-pair-agents", required: "", "aria-label": "to" });
    const topic = h("input", { type: "text", maxlength: "500", "aria-label": "topic" });
    const ttl = h("input", { type: "number", min: "1", placeholder: "default", "aria-label": "ttl minutes" });
    ctx.dialog({
      title: "Invite a pair",
      body: h(
        "div",
        { class: "form" },
        list,
        row(ctx, "From", from, "the inviting agent"),
        row(ctx, "To", to, "the invited agent: only it can accept"),
        row(ctx, "Topic", topic),
        row(ctx, "Expires after (min)", ttl),
      ),
      actions: [
        { label: "Cancel" },
        {
          label: "Invite",
          kind: "primary",
          onClick: async () => {
            const body = { from: from.value.trim(), to: to.value.trim() };
            if (topic.value.trim()) body.topic = topic.value.trim();
            if (ttl.value) body.ttlMs = Math.round(Number(ttl.value) * 60_000);
            const pair = await ctx.api("POST", "/api/pairs", body); // an error stays in the dialog
            md.upsert(pair);
            md.select(pair.id);
            ctx.toast(`Pair #${pair.id} invited`, "ok");
          },
        },
      ],
    });
  }

  async function act(p, action, agentId) {
    const pair = await ctx.api("POST", `/api/pairs/${p.id}/actions`, { action, agentId });
    md.upsert(pair);
    ctx.toast(`Pair #${p.id}: ${pair.status}`, "ok");
  }

  async function renderDetail(p) {
    const messages = await ctx
      .api("GET", "/api/messages", undefined, { query: { kind: "pair", limit: 500 } })
      .then((ms) => ms.filter((m) => m.payload && m.payload.pairId === p.id).sort((a, b) => a.id - b.id))
      .catch(() => []);
    const actions = h("div", { class: "dv-actions" });
    if (p.status === "pending") {
      actions.append(
        actionButton(ctx, `Accept as ${p.to}`, () => act(p, "accept", p.to), { kind: "primary" }),
        actionButton(ctx, `Reject as ${p.to}`, () => act(p, "reject", p.to), { kind: "danger" }),
      );
    }
    if (p.status === "pending" || p.status === "active") {
      actions.append(actionButton(ctx, `End as ${p.from}`, () => act(p, "end", p.from)));
    }
    let compose = null;
    if (p.status === "active") {
      const as = select(ctx, p.agentIds, p.from, { "aria-label": "send as" });
      const body = h("textarea", { rows: "2", placeholder: "Message to the other member", "aria-label": "pair message" });
      compose = h(
        "div",
        { class: "dv-actions" },
        as,
        body,
        actionButton(
          ctx,
          "Send",
          async () => {
            if (!body.value.trim()) return;
            await ctx.api("POST", `/api/pairs/${p.id}/messages`, { from: as.value, body: body.value });
            body.value = "";
            md.refreshDetail();
          },
          { kind: "primary" },
        ),
      );
    }
    return h(
      "div",
      {},
      h("h2", {}, `${p.from} ⇄ ${p.to}`),
      kv(ctx, [
        ["Status", badge(ctx, p.status)],
        ["Pair", h("span", { class: "mono" }, `#${p.id}`)],
        ["Topic", p.topic || null],
        ["Invite expires", p.status === "pending" && p.expiresAt ? countdown(ctx, p.expiresAt) : null],
        ["Accepted", p.acceptedAt ? when(ctx, p.acceptedAt) : null],
        ["Ended", p.endedAt ? h("span", {}, when(ctx, p.endedAt), p.endedBy ? ` by ${p.endedBy}` : "") : null],
        ["Created", when(ctx, p.createdAt)],
      ]),
      actions,
      h("h3", {}, "Conversation"),
      messages.length
        ? h(
            "ul",
            { class: "dv-msgs" },
            messages.map((m) =>
              h(
                "li",
                {},
                h("span", { class: "who" }, m.from),
                when(ctx, m.createdAt),
                " ",
                h("a", { href: `#/messages/${m.id}`, class: "muted mono" }, `#${m.id}`),
                h("div", { class: "text" }, m.body),
              ),
            ),
          )
        : h("p", { class: "muted" }, "No messages in this pair yet."),
      compose,
    );
  }

  const offs = [
    ctx.on("pair.updated", (ev) => ev.data && md.upsert(ev.data)),
    ctx.on("message.new", (ev) => {
      const m = ev.data;
      const sel = md.selected();
      if (sel && m && m.kind === "pair" && m.payload && m.payload.pairId === sel.id) md.refreshDetail();
    }),
  ];
  const timer = setInterval(() => refreshClocks(ctx, root), 1000);
  load()
    .then(() => ctx.params && ctx.params[0] && md.select(ctx.params[0], { hash: false }))
    .catch((err) => ctx.toast(err.message, "error"));
  return unmounter(md, () => {
    offs.forEach((off) => off());
    clearInterval(timer);
  });
}
