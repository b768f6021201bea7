// Tasks: what integrations asked for, who holds it, and the callback deliveries that
// report status changes back (GET /api/tasks, /api/tasks/{id}/deliveries, /api/integrations).
import {
  actionButton,
  badge,
  countdown,
  filterInput,
  kv,
  masterDetail,
  refreshClocks,
  select,
  SEVERITY_TONE,
  throttle,
  unmounter,
  when,
} from "../lib/views_util.js";

export const id = "tasks";
export const title = "Tasks";
export const key = "t";
export const order = 40;

const STATUSES = ["open", "claimed", "in_progress", "blocked", "done", "failed", "canceled"];
const FINAL = new Set(["done", "failed", "canceled"]);

export function mount(root, ctx) {
  const h = ctx.h;
  const statusFilter = select(ctx, [["", "all statuses"], ...STATUSES], "", { "aria-label": "status" });
  const sourceFilter = select(ctx, [["", "all sources"]], "", { "aria-label": "source" });
  const search = filterInput(ctx, "Filter tasks");
  const integrations = h("div", { class: "dv-cards", "aria-label": "integrations" });
  const md = masterDetail(ctx, {
    viewId: id,
    key: (t) => t.id,
    filterInput: search,
    keep: (t) => (!statusFilter.value || t.status === statusFilter.value) && (!sourceFilter.value || t.source === sourceFilter.value),
    match: (t, q) => [t.title, t.target, t.claimedBy, t.source, t.externalId, String(t.id)].some((v) => v && String(v).toLowerCase().includes(q)),
    sort: (a, b) => b.id - a.id,
    empty: "No tasks. Integrations create them with POST /api/integrations/events.",
    noSelection: "Select a task to see its callback deliveries.",
    columns: [
      { label: "#", render: (t) => h("span", { class: "mono" }, String(t.id)) },
      { label: "Severity", render: (t) => badge(ctx, t.severity, SEVERITY_TONE[t.severity]) },
      { label: "Title", render: (t) => t.title },
      { label: "Status", render: (t) => badge(ctx, t.status) },
      { label: "Target", render: (t) => h("span", { class: "mono" }, t.target || "—") },
      { label: "Held by", render: (t) => t.claimedBy || "—" },
      { label: "Updated", render: (t) => when(ctx, t.updatedAt) },
    ],
    renderDetail,
  });

  root.append(
    h(
      "div",
      { class: "toolbar" },
      h("h2", {}, "Tasks"),
      statusFilter,
      sourceFilter,
      search,
      actionButton(ctx, "Refresh", load),
    ),
    integrations,
    md.el,
  );
  statusFilter.addEventListener("change", md.renderList);
  sourceFilter.addEventListener("change", md.renderList);

  async function load() {
    const [tasks, ints] = await Promise.all([
      ctx.api("GET", "/api/tasks", undefined, { query: { limit: 500 } }),
      ctx.api("GET", "/api/integrations").catch(() => []),
    ]);
    renderIntegrations(ints);
    md.setItems(tasks);
  }

  function renderIntegrations(ints) {
    const sources = new Set(ints.map((i) => i.name));
    for (const t of md.items) sources.add(t.source);
    const current = sourceFilter.value;
    sourceFilter.replaceChildren(
      h("option", { value: "" }, "all sources"),
      ...[...sources].sort().map((s) => h("option", { value: s }, s)),
    );
    sourceFilter.value = current;
    integrations.replaceChildren(
      ...ints.map((i) =>
        h(
          "div",
          { class: "card" },
          h("h4", {}, h("span", {}, i.name), i.configured ? badge(ctx, "token set", "ok") : badge(ctx, "no token", "muted")),
          h(
            "div",
            { class: "dv-counts" },
            h("span", { class: "badge muted" }, ctx.fmt.count ? ctx.fmt.count(i.total, "task") : `${i.total} tasks`),
            Object.entries(i.counts || {})
              .filter(([, n]) => n > 0)
              .map(([s, n]) => badge(ctx, `${s} ${n}`, undefined)),
          ),
          i.lastEventAt
            ? h("div", { class: "muted" }, "last event ", when(ctx, i.lastEventAt), i.lastExternalId ? ` · ${i.lastExternalId}` : "")
            : null,
        ),
      ),
    );
  }

  async function renderDetail(task) {
    const t = task;
    const deliveries = await ctx.api("GET", `/api/tasks/${t.id}/deliveries`).catch((err) => err);
    const note = h("input", { type: "text", placeholder: "note (optional)", maxlength: "2000", "aria-label": "note" });
    const next = select(
      ctx,
      STATUSES.filter((s) => s !== t.status && s !== "claimed"),
      FINAL.has(t.status) ? undefined : "done",
      { "aria-label": "new status" },
    );
    const agent = h("input", { type: "text", placeholder: "as agent (optional)", "aria-label": "agent", value: t.claimedBy || "" });
    const actions = FINAL.has(t.status)
      ? h("p", { class: "muted" }, `This task is ${t.status}: final.`)
      : h(
          "div",
          { class: "dv-actions" },
          next,
          agent,
          note,
          actionButton(
            ctx,
            "Set status",
            async () => {
              const body = { status: next.value };
              if (note.value.trim()) body.note = note.value.trim();
              if (agent.value.trim()) body.agentId = agent.value.trim();
              const updated = await ctx.api("POST", `/api/tasks/${t.id}/status`, body);
              ctx.toast(`Task #${t.id} is ${updated.status}`, "ok");
              md.upsert(updated);
            },
            { kind: "primary" },
          ),
          actionButton(
            ctx,
            "Claim as agent",
            async () => {
              if (!agent.value.trim()) throw new Error("agent required: who should hold this task?");
              const updated = await ctx.api("POST", `/api/tasks/${t.id}/claim`, { agentId: agent.value.trim() });
              ctx.toast(`Task #${t.id} held by ${updated.claimedBy}`, "ok");
              md.upsert(updated);
            },
            { title: "Hand the task to an agent (its lease starts now)" },
          ),
        );
    return h(
      "div",
      {},
      h("h2", {}, badge(ctx, t.severity, SEVERITY_TONE[t.severity]), " ", t.title),
      kv(ctx, [
        ["Status", badge(ctx, t.status)],
        ["Task", h("span", { class: "mono" }, `#${t.id}`)],
        ["Source", h("span", { class: "mono" }, `${t.source} / ${t.externalId}`)],
        ["Target", t.target ? h("span", { class: "mono" }, t.target) : null],
        ["Held by", t.claimedBy || null],
        ["Lease", t.claimedBy && t.claimExpiresAt ? countdown(ctx, t.claimExpiresAt) : null],
        ["Message", t.messageId ? h("a", { href: `#/messages/${t.messageId}` }, `#${t.messageId}`) : null],
        ["Callback", t.callbackUrl ? h("span", { class: "mono" }, t.callbackUrl) : null],
        ["Note", t.note || null],
        ["Created", when(ctx, t.createdAt)],
        ["Updated", when(ctx, t.updatedAt)],
      ]),
      t.body ? h("pre", { class: "pre" }, t.body) : null,
      actions,
      h("h3", {}, "Callback deliveries"),
      deliveriesView(deliveries, t),
      t.meta && Object.keys(t.meta).length ? [h("h3", {}, "Meta"), h("pre", { class: "pre" }, ctx.fmt.json(t.meta))] : null,
    );
  }

  function deliveriesView(deliveries, t) {
    inFlight = Array.isArray(deliveries) && deliveries.some((d) => d.status === "pending");
    if (deliveries instanceof Error) return h("p", { class: "error-text" }, deliveries.message);
    if (!deliveries.length) {
      return h("p", { class: "muted" }, t.callbackUrl ? "No status change reported yet." : "This task has no callback URL.");
    }
    return h(
      "ul",
      { class: "dv-items", "aria-label": "callback deliveries" },
      deliveries.map((d) =>
        h(
          "li",
          { dataset: { delivery: String(d.id) } },
          h(
            "div",
            { class: "line" },
            h("span", { class: "mono" }, d.event),
            badge(ctx, d.status),
            h("span", { class: "muted" }, `${d.attemptCount} attempt${d.attemptCount === 1 ? "" : "s"}`),
            d.lastStatusCode ? h("span", { class: "mono" }, `HTTP ${d.lastStatusCode}`) : null,
            h("span", { class: "grow" }),
            d.status === "delivered"
              ? h("span", { class: "muted" }, "delivered ", when(ctx, d.deliveredAt))
              : d.status === "pending" && d.nextAttemptAt
                ? h("span", { class: "muted" }, "next try ", countdown(ctx, d.nextAttemptAt, "now"))
                : null,
          ),
          d.lastError ? h("div", { class: "sub error-text" }, d.lastError) : null,
          d.attempts && d.attempts.length
            ? h(
                "details",
                {
                  open: openLogs.has(d.id),
                  onToggle: (ev) => (ev.target.open ? openLogs.add(d.id) : openLogs.delete(d.id)),
                },
                h("summary", { class: "sub" }, "attempt log"),
                h(
                  "ul",
                  { class: "dv-log" },
                  d.attempts.map((a) =>
                    h(
                      "li",
                      {},
                      `#${a.attempt} `,
                      when(ctx, a.startedAt),
                      ` · ${a.statusCode ? "HTTP " + a.statusCode : a.error || "—"}`,
                      a.durationMs !== null && a.durationMs !== undefined ? ` · ${a.durationMs} ms` : "",
                    ),
                  ),
                ),
              )
            : null,
        ),
      ),
    );
  }

  const reloadIntegrations = throttle(() => {
    ctx.api("GET", "/api/integrations").then(renderIntegrations, () => {});
  }, 2000);
  const offs = [
    ctx.on("task.", (ev) => {
      if (ev.data && ev.data.id) md.upsert(ev.data);
      reloadIntegrations();
    }),
  ];
  // Callback attempts have no live event: while the selected task has deliveries in
  // flight, look again every few seconds. Clocks (ages, leases) tick every second.
  let tick = 0;
  let inFlight = false;
  const openLogs = new Set(); // attempt logs the user opened stay open across refreshes
  const timer = setInterval(() => {
    refreshClocks(ctx, root);
    tick += 1;
    const t = md.selected();
    if (t && t.callbackUrl && inFlight && tick % 3 === 0) md.refreshDetail();
  }, 1000);

  load()
    .then(() => {
      if (ctx.params && ctx.params[0]) md.select(ctx.params[0], { hash: false });
    })
    .catch((err) => ctx.toast(err.message, "error"));

  return unmounter(md, () => {
    offs.forEach((off) => off());
    reloadIntegrations.cancel();
    clearInterval(timer);
  });
}
