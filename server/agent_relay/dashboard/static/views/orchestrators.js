// Orchestrators: daemons that spawn and supervise agents in tmux; their managed agents,
// restart/shutdown, and a spawn dialog with a host directory picker
// (GET /api/orchestrators, POST …/{id}/spawn, …/{id}/actions, /api/agents/spawn,
// GET /api/host/directories).
import {
  actionButton,
  badge,
  errorText,
  filterInput,
  kv,
  masterDetail,
  refreshClocks,
  row,
  select,
  unmounter,
  when,
} from "../lib/views_util.js";

export const id = "orchestrators";
export const title = "Orchestrators";
export const key = "o";
export const order = 70;

const APPROVAL = [
  ["guarded", "guarded (asks before risky actions)"],
  ["read-only", "read-only"],
  ["open", "open (no approval prompts)"],
];

export function mount(root, ctx) {
  const h = ctx.h;
  const search = filterInput(ctx, "Filter orchestrators");
  const md = masterDetail(ctx, {
    viewId: id,
    key: (o) => o.id,
    filterInput: search,
    match: (o, q) =>
      [o.id, o.hostname, o.baseDir, ...(o.managedAgents || []).map((m) => m.agentId)].some((v) => v && v.toLowerCase().includes(q)),
    sort: (a, b) => (a.status === b.status ? a.id.localeCompare(b.id) : a.status === "online" ? -1 : 1),
    empty: "No orchestrators. Start one on a host with `relay orchestrator --id NAME --base-dir DIR`.",
    noSelection: "Select an orchestrator to see its agents and spawn new ones.",
    columns: [
      { label: "Orchestrator", render: (o) => h("span", {}, h("strong", {}, o.id), " ", h("span", { class: "muted" }, o.hostname)) },
      { label: "Status", render: (o) => badge(ctx, o.status) },
      { label: "Providers", render: (o) => o.providers.join(", ") },
      { label: "Agents", render: (o) => String((o.managedAgents || []).length) },
      { label: "Heartbeat", render: (o) => when(ctx, o.lastHeartbeat) },
      { label: "Base dir", render: (o) => h("span", { class: "mono clip", title: o.baseDir }, o.baseDir) },
    ],
    renderDetail,
  });
  root.append(
    h(
      "div",
      { class: "toolbar" },
      h("h2", {}, "Orchestrators"),
      search,
      h("span", { class: "spacer" }),
      actionButton(ctx, "Spawn agent…", () => openSpawn(null), {
        kind: "primary",
        title: "The relay picks an online orchestrator for the provider (or runs codex on its own host)",
      }),
      actionButton(ctx, "Refresh", load),
    ),
    md.el,
  );

  async function load() {
    md.setItems(await ctx.api("GET", "/api/orchestrators"));
  }

  async function agentAction(o, action, agentId) {
    const ok = await ctx.confirm({
      title: `${action === "restart" ? "Restart" : "Shut down"} ${agentId || "all agents"}?`,
      text: `Asks orchestrator ${o.id} to ${action} ${agentId || "its agents"}.`,
      label: action === "restart" ? "Restart" : "Shut down",
      kind: action === "restart" ? "primary" : "danger",
    });
    if (!ok) return;
    const body = { action };
    if (agentId) body.agentId = agentId;
    const res = await ctx.api("POST", `/api/orchestrators/${encodeURIComponent(o.id)}/actions`, body);
    ctx.toast(`${action} requested (message #${res.message.id})`, "ok");
  }

  async function remove(o) {
    const ok = await ctx.confirm({
      title: `Remove orchestrator ${o.id}?`,
      text: "Its record goes; a running daemon registers again on its next start.",
      label: "Remove",
      kind: "danger",
    });
    if (!ok) return;
    await ctx.api("DELETE", `/api/orchestrators/${encodeURIComponent(o.id)}`);
    md.remove(o.id);
    ctx.toast(`Orchestrator ${o.id} removed`, "ok");
  }

  function renderDetail(o) {
    const managed = o.managedAgents || [];
    return h(
      "div",
      {},
      h("h2", {}, o.id, badge(ctx, o.status)),
      kv(ctx, [
        ["Host", o.hostname],
        ["Base dir", h("span", { class: "mono" }, o.baseDir)],
        ["Providers", o.providers.join(", ")],
        ["Inbox agent", h("a", { href: `#/agents/${encodeURIComponent(o.agentId)}` }, o.agentId)],
        ["Heartbeat", when(ctx, o.lastHeartbeat)],
        ["Env keys", o.envKeys && o.envKeys.length ? h("span", { class: "mono" }, o.envKeys.join(" ")) : null],
        ["Registered", when(ctx, o.createdAt)],
      ]),
      h(
        "div",
        { class: "dv-actions" },
        actionButton(ctx, "Spawn here…", () => openSpawn(o), { kind: "primary" }),
        actionButton(ctx, "Restart all", () => agentAction(o, "restart", null)),
        actionButton(ctx, "Remove", () => remove(o), { kind: "danger" }),
      ),
      h("h3", {}, `Managed agents (${managed.length})`),
      managed.length
        ? h(
            "ul",
            { class: "dv-items", "aria-label": "managed agents" },
            managed.map((m) =>
              h(
                "li",
                { dataset: { agent: m.agentId } },
                h(
                  "div",
                  { class: "line" },
                  h("a", { href: `#/agents/${encodeURIComponent(m.agentId)}` }, h("strong", {}, m.agentId)),
                  m.label ? h("span", { class: "badge muted" }, m.label) : null,
                  h("span", {}, m.provider),
                  badge(ctx, m.approvalMode, m.approvalMode === "open" ? "warn" : "muted"),
                  m.pid ? h("span", { class: "muted mono" }, `pid ${m.pid}`) : badge(ctx, "starting", "warn"),
                  h("span", { class: "muted" }, "started ", when(ctx, m.startedAt)),
                  h("span", { class: "grow" }),
                  actionButton(ctx, "Restart", () => agentAction(o, "restart", m.agentId), { kind: "small" }),
                  actionButton(ctx, "Shut down", () => agentAction(o, "shutdown", m.agentId), { kind: "danger small" }),
                ),
                h("div", { class: "sub mono" }, `tmux ${m.tmuxSession} · ${m.cwd}`),
              ),
            ),
          )
        : h("p", { class: "muted" }, "No agents running under this orchestrator."),
      o.meta && Object.keys(o.meta).length ? [h("h3", {}, "Meta"), h("pre", { class: "pre" }, ctx.fmt.json(o.meta))] : null,
    );
  }

  /** The spawn dialog: on an orchestrator (o) or wherever the relay chooses (o null). */
  function openSpawn(o) {
    const providers = o ? o.providers : ["codex", "claude"];
    const provider = select(ctx, providers, providers[0], { "aria-label": "provider", name: "provider" });
    const approval = select(ctx, APPROVAL, "guarded", { "aria-label": "approval mode", name: "approvalMode" });
    const label = h("input", { type: "text", maxlength: "120", placeholder: "e.g. backend", name: "label" });
    const cwd = h("input", { type: "text", maxlength: "500", placeholder: "working directory", name: "cwd", value: o ? o.baseDir : "" });
    const prompt = o ? h("textarea", { maxlength: "4000", rows: "3", placeholder: "first instructions (optional)", name: "prompt" }) : null;
    const picker = directoryPicker(cwd);
    ctx.dialog({
      title: o ? `Spawn an agent on ${o.id}` : "Spawn an agent",
      body: h(
        "div",
        { class: "form dv-spawn" },
        row(ctx, "Provider", provider),
        row(ctx, "Approval", approval),
        row(ctx, "Label", label),
        row(ctx, "Directory", cwd, o ? `must be inside ${o.baseDir} on ${o.hostname}` : "on the host that runs the agent"),
        picker.el,
        prompt ? row(ctx, "Prompt", prompt) : null,
      ),
      actions: [
        { label: "Cancel" },
        {
          label: "Spawn",
          kind: "primary",
          onClick: async () => {
            const body = { provider: provider.value, approvalMode: approval.value };
            if (label.value.trim()) body.label = label.value.trim();
            if (cwd.value.trim()) body.cwd = cwd.value.trim();
            if (prompt && prompt.value.trim()) body.prompt = prompt.value.trim();
            const res = o
              ? await ctx.api("POST", `/api/orchestrators/${encodeURIComponent(o.id)}/spawn`, body)
              : await ctx.api("POST", "/api/agents/spawn", body);
            const where = res.orchestratorId ? `on ${res.orchestratorId}` : res.dryRun ? "(dry run)" : "on the relay host";
            ctx.toast(`Spawn of ${body.provider} requested ${where}`, "ok");
          },
        },
      ],
    });
    picker.open(cwd.value || null);
  }

  /** Browse the relay host's directories (confined to its root) and fill `input`. */
  function directoryPicker(input) {
    const here = h("div", { class: "here" });
    const list = h("ul", { class: "dv-dirs", "aria-label": "directories" });
    const error = h("div", { class: "error-text" });
    const el = h("div", { class: "dv-picker" }, here, list, error);
    async function open(path) {
      error.textContent = "";
      let res;
      try {
        res = await ctx.api("GET", "/api/host/directories", undefined, { query: { path: path || undefined } });
      } catch (err) {
        if (path) return open(null); // outside the root (or gone): start at the root
        error.textContent = `Directory browser unavailable: ${errorText(err)}`;
        list.replaceChildren();
        return;
      }
      input.value = res.path;
      here.replaceChildren(
        res.path === res.root ? "Directories in the root " : "Directories in ",
        h("span", { class: "mono" }, res.path === res.root ? res.root : res.path.slice(res.root.length).replace(/^\//, "")),
      );
      const entries = [];
      if (res.parent) entries.push({ name: "..", path: res.parent });
      for (const d of res.directories) entries.push(d);
      list.replaceChildren(
        ...entries.map((d) =>
          h(
            "li",
            {},
            h("button", { type: "button", onClick: () => open(d.path), title: d.path }, d.name === ".." ? "↑ .." : `${d.name}/`),
          ),
        ),
        ...(entries.length ? [] : [h("li", { class: "muted" }, "no sub-directories")]),
      );
    }
    return { el, open };
  }

  const offs = [
    ctx.on("orchestrator.status", (ev) => ev.data && ev.data.id && md.upsert(ev.data)),
    ctx.on("orchestrator.removed", (ev) => ev.data && md.remove(ev.data.id)),
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
