// Channels: chat bridges (channel agents), their bindings, and why an event goes where it
// goes (GET /api/channels, /api/channel-bindings, /api/channels/{id}/routes).
import {
  actionButton,
  apiWithHeaders,
  badge,
  errorText,
  filterInput,
  kv,
  masterDetail,
  refreshClocks,
  row,
  select,
  throttle,
  unmounter,
  when,
} from "../lib/views_util.js";

export const id = "channels";
export const title = "Channels";
export const key = "c";
export const order = 60;

const MODES = ["exclusive", "claimable", "broadcast"];

function targetText(t) {
  if (!t) return "—";
  if (typeof t === "string") return t;
  if (t.type === "agent") return t.id;
  if (t.type === "broadcast") return "broadcast";
  if (t.type === "capability") return `cap:${t.id}`;
  return `${t.type}:${t.id}`;
}

export function mount(root, ctx) {
  const h = ctx.h;
  const search = filterInput(ctx, "Filter channels");
  const recent = new Map(); // channelId -> [{at, text}] from channel.activity (never stored)
  let bindingCounts = new Map();
  const md = masterDetail(ctx, {
    viewId: id,
    key: (c) => c.id,
    filterInput: search,
    match: (c, q) => [c.id, c.name, c.type, c.transport, c.accountId, c.agentId].some((v) => v && v.toLowerCase().includes(q)),
    sort: (a, b) => a.name.localeCompare(b.name),
    empty: "No channels. A bridge registers a channel agent (kind \"channel\").",
    noSelection: "Select a channel to see its bindings and routes.",
    columns: [
      { label: "Channel", render: (c) => h("span", {}, h("strong", {}, c.name), " ", h("span", { class: "muted mono" }, c.id)) },
      { label: "Type", render: (c) => h("span", { class: "mono" }, c.type === c.transport ? c.type : `${c.type} / ${c.transport}`) },
      { label: "Status", render: (c) => h("span", {}, badge(ctx, c.status), " ", c.ready ? badge(ctx, "ready", "ok") : badge(ctx, "not ready", "muted")) },
      { label: "Direction", render: (c) => c.direction },
      { label: "Bindings", render: (c) => String(bindingCounts.get(c.id) ?? 0) },
    ],
    renderDetail,
  });
  root.append(
    h("div", { class: "toolbar" }, h("h2", {}, "Channels"), search, actionButton(ctx, "Refresh", load)),
    md.el,
  );

  async function load() {
    const [channels, bindings] = await Promise.all([
      ctx.api("GET", "/api/channels"),
      ctx.api("GET", "/api/channel-bindings", undefined, { query: { limit: 1000 } }).catch(() => []),
    ]);
    bindingCounts = new Map();
    for (const b of bindings) bindingCounts.set(b.channelId, (bindingCounts.get(b.channelId) || 0) + 1);
    md.setItems(channels);
  }

  /** The channel agent's session (bindings are guarded writes): read from its card. */
  async function session(c) {
    const agent = await ctx.api("GET", `/api/agents/${encodeURIComponent(c.agentId)}`);
    if (!agent.instanceId) throw new Error(`channel agent ${c.agentId} registered without a session (instanceId/epoch): its bridge must bind`);
    return { instanceId: agent.instanceId, epoch: agent.epoch };
  }

  async function renderDetail(c) {
    const bindings = await ctx.api("GET", "/api/channel-bindings", undefined, { query: { channelId: c.id, limit: 1000 } });
    if (bindingCounts.get(c.id) !== bindings.length) {
      bindingCounts.set(c.id, bindings.length);
      md.renderList();
    }
    const routeOut = h("div", { class: "dv-routes" });
    const conv = h("input", { type: "text", class: "dv-grow", placeholder: "conversation id (blank: channel default)", "aria-label": "conversation" });
    const explain = async () => {
      try {
        const r = await ctx.api("GET", `/api/channels/${encodeURIComponent(c.id)}/routes`, undefined, {
          query: { conversationId: conv.value.trim() || undefined },
        });
        routeOut.replaceChildren(routesView(r));
      } catch (err) {
        routeOut.replaceChildren(h("p", { class: "error-text" }, errorText(err)));
      }
    };
    conv.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") explain();
    });

    const target = h("input", { type: "text", placeholder: "label:x, tag:x, cap:x, broadcast or an agent id", "aria-label": "target" });
    const bconv = h("input", { type: "text", placeholder: "empty: the channel default", "aria-label": "binding conversation" });
    const mode = select(ctx, MODES, "exclusive", { "aria-label": "mode" });
    const prio = h("input", { type: "number", value: "0", step: "1", "aria-label": "priority" });
    const addForm = h(
      "div",
      { class: "form" },
      row(ctx, "Target", target),
      row(ctx, "Conversation", bconv),
      row(ctx, "Mode", mode, "exclusive: only the highest priority one; claimable: one claimable message; broadcast: all"),
      row(ctx, "Priority", prio),
      h(
        "div",
        { class: "full dv-actions" },
        actionButton(
          ctx,
          "Add binding",
          async () => {
            if (!target.value.trim()) throw new Error("target required");
            const body = { channelId: c.id, target: target.value.trim(), mode: mode.value, ...(await session(c)) };
            if (bconv.value.trim()) body.conversationId = bconv.value.trim();
            if (prio.value !== "") body.priority = Number(prio.value);
            await ctx.api("POST", "/api/channel-bindings", body);
            ctx.toast(`Bound ${c.name} → ${body.target}`, "ok");
            target.value = "";
            md.refreshDetail();
            md.renderList();
          },
          { kind: "primary" },
        ),
        h("span", { class: "muted" }, "uses the channel agent's session"),
      ),
    );

    const activity = recent.get(c.id) || [];
    activityLog = h("ul", { class: "dv-log", "aria-label": "channel activity" }, activity.map(activityItem));
    const activityEmpty = h("p", { class: "muted" }, "Typing, read and presence events appear here as they happen (not stored).");
    if (activity.length) activityEmpty.hidden = true;
    activityLog.dataset.channel = c.id;
    activityLog.emptyNote = activityEmpty;
    const node = h(
      "div",
      {},
      h("h2", {}, c.name, badge(ctx, c.status), c.ready ? badge(ctx, "ready", "ok") : null),
      kv(ctx, [
        ["Channel", h("span", { class: "mono" }, c.id)],
        ["Agent", h("a", { href: `#/agents/${encodeURIComponent(c.agentId)}` }, c.agentId)],
        ["Type", c.type],
        ["Transport", c.transport],
        ["Account", c.accountId],
        ["Direction", c.direction],
        ["Topic channels", c.topicChannels && c.topicChannels.length ? c.topicChannels.join(", ") : null],
      ]),
      h("h3", {}, `Bindings (${bindings.length})`),
      bindings.length
        ? h(
            "ul",
            { class: "dv-items", "aria-label": "bindings" },
            bindings.map((b) =>
              h(
                "li",
                { dataset: { binding: String(b.id) } },
                h(
                  "div",
                  { class: "line" },
                  h("span", { class: "mono" }, targetText(b.target)),
                  badge(ctx, b.mode, b.mode === "exclusive" ? "warn" : "muted"),
                  h("span", { class: "muted" }, `priority ${b.priority}`),
                  h("span", { class: "muted" }, b.conversationId ? `conversation ${b.conversationId}` : "channel default"),
                  h("span", { class: "grow" }),
                  actionButton(
                    ctx,
                    "Remove",
                    async () => {
                      const s = await session(c);
                      await apiWithHeaders("DELETE", `/api/channel-bindings/${b.id}`, {
                        "X-Agent-Instance-Id": s.instanceId,
                        "X-Agent-Epoch": String(s.epoch),
                      });
                      ctx.toast("Binding removed", "ok");
                      md.refreshDetail();
                    },
                    { kind: "danger small" },
                  ),
                ),
              ),
            ),
          )
        : h("p", { class: "muted" }, "No bindings: events to this channel are refused (409 channel has no binding)."),
      h("details", {}, h("summary", {}, "Add a binding"), addForm),
      h("h3", {}, "Route explanation"),
      h("div", { class: "dv-actions" }, conv, actionButton(ctx, "Explain", explain)),
      routeOut,
      h("h3", {}, "Live activity"),
      activityLog,
      activityEmpty,
    );
    explain();
    return node;
  }

  function routesView(r) {
    const parts = [];
    parts.push(
      h(
        "p",
        {},
        r.tier
          ? `Using the ${r.tier === "conversation" ? `bindings of conversation ${r.conversationId}` : "channel's default bindings"}.`
          : "No binding applies: an event would be refused (409 channel has no binding).",
      ),
    );
    if (r.candidates.length) {
      parts.push(
        h(
          "ul",
          { class: "dv-items", "aria-label": "route candidates" },
          r.candidates.map((c) =>
            h(
              "li",
              { class: c.chosen ? "chosen" : "" },
              h(
                "div",
                { class: "line" },
                c.chosen ? badge(ctx, "chosen", "ok") : badge(ctx, "skipped", "muted"),
                h("span", { class: "mono" }, c.to),
                h("span", { class: "muted" }, `${c.mode} · priority ${c.priority} · ${c.tier}`),
              ),
              h("div", { class: "why" }, c.reason),
            ),
          ),
        ),
      );
    }
    if (r.unreachable.length) {
      parts.push(
        h("p", { class: "muted" }, "Never chosen:"),
        h(
          "ul",
          { class: "dv-log" },
          r.unreachable.map((u) => h("li", {}, h("span", { class: "mono" }, targetText(u.binding.target)), ` (${u.tier}): ${u.reason}`)),
        ),
      );
    }
    return h("div", {}, parts);
  }

  let activityLog = null; // the selected channel's live activity list, updated in place

  function activityItem(a) {
    return h("li", {}, when(ctx, a.at), " ", a.text);
  }

  function describeActivity(a) {
    const p = a.payload || {};
    const what = p.event?.type || p.activity?.type || p.activity?.kind || "activity";
    const who = p.actor?.name || p.actor?.id || "";
    return `${what}${who ? ` · ${who}` : ""}${a.conversationId ? ` · ${a.conversationId}` : ""}`;
  }

  const reload = throttle(() => load().catch(() => {}), 1000);
  const offs = [
    ctx.on("agent.status", (ev) => {
      const a = ev.data || {};
      if (a.kind === "channel" || md.items.some((c) => c.agentId === a.id)) reload();
    }),
    ctx.on("channel.activity", (ev) => {
      const a = ev.data || {};
      const list = recent.get(a.channelId) || [];
      const item = { at: a.createdAt || Date.now(), text: describeActivity(a) };
      list.unshift(item);
      recent.set(a.channelId, list.slice(0, 50));
      // typing events come often: add a line to the open detail, don't draw it again
      if (activityLog && activityLog.isConnected && activityLog.dataset.channel === a.channelId) {
        activityLog.prepend(activityItem(item));
        while (activityLog.children.length > 50) activityLog.lastChild.remove();
        if (activityLog.emptyNote) activityLog.emptyNote.hidden = true;
      }
    }),
  ];
  const timer = setInterval(() => refreshClocks(ctx, root), 1000);
  load()
    .then(() => ctx.params && ctx.params[0] && md.select(ctx.params[0], { hash: false }))
    .catch((err) => ctx.toast(err.message, "error"));
  return unmounter(md, () => {
    offs.forEach((off) => off());
    reload.cancel();
    clearInterval(timer);
  });
}
