// Connectors: installable bridge processes — their process, lifecycle actions and a config
// form built from the manifest's configSchema (secret fields are write-only)
// (GET /api/connectors, POST …/{id}/actions, GET/PUT …/{id}/config).
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

export const id = "connectors";
export const title = "Connectors";
export const key = "x";
export const order = 80;

const ACTIONS = ["install", "enable", "start", "restart", "status", "doctor", "stop", "disable", "uninstall"];
const DANGER = new Set(["stop", "disable", "uninstall"]);
const MASK = "********";

/** The actions a connector offers: enable/disable always, stop/restart/status with start. */
function actionsOf(c) {
  const cmds = (c.manifest && c.manifest.commands) || {};
  return ACTIONS.filter(
    (a) => a === "enable" || a === "disable" || a in cmds || (["stop", "restart", "status"].includes(a) && "start" in cmds),
  );
}

export function mount(root, ctx) {
  const h = ctx.h;
  const search = filterInput(ctx, "Filter connectors");
  const lastResult = new Map(); // id -> the last action result seen in this page
  const md = masterDetail(ctx, {
    viewId: id,
    key: (c) => c.id,
    filterInput: search,
    match: (c, q) => [c.id, c.name, c.description, c.channelType].some((v) => v && v.toLowerCase().includes(q)),
    sort: (a, b) => a.name.localeCompare(b.name),
    empty: "No connectors. Register one with POST /api/connectors (see docs/connectors.md).",
    noSelection: "Select a connector to run actions and edit its config.",
    columns: [
      { label: "Connector", render: (c) => h("span", {}, h("strong", {}, c.name), " ", h("span", { class: "muted mono" }, `${c.id} ${c.version}`)) },
      { label: "Channel", render: (c) => c.channelType || "—" },
      { label: "Enabled", render: (c) => (c.enabled ? badge(ctx, "enabled", "ok") : badge(ctx, "disabled", "muted")) },
      { label: "Process", render: (c) => processBadge(c) },
      {
        label: "Last action",
        render: (c) =>
          c.lastAction
            ? h("span", {}, badge(ctx, c.lastAction.action, c.lastAction.ok ? "ok" : "err"), " ", when(ctx, c.lastAction.at))
            : "—",
      },
    ],
    renderDetail,
    // uptime ticks on every poll: redraw the detail only for what matters
    sig: (c) => [c.enabled, c.running, c.updatedAt, c.process?.pid, c.process?.restarts, c.process?.nextRestartAt, c.process?.lastExit, c.lastAction?.at],
  });
  root.append(
    h("div", { class: "toolbar" }, h("h2", {}, "Connectors"), search, actionButton(ctx, "Refresh", load)),
    md.el,
  );

  function processBadge(c) {
    const p = c.process || {};
    if (p.running) return h("span", {}, badge(ctx, "running", "ok"), p.pid ? h("span", { class: "muted mono" }, ` pid ${p.pid}`) : null);
    if (p.supervised && p.nextRestartAt) return badge(ctx, "restarting", "warn");
    if (p.lastExit) return badge(ctx, `exited ${p.lastExit.code ?? ""}`.trim(), "err");
    return badge(ctx, "stopped", "muted");
  }

  async function load() {
    md.setItems(await ctx.api("GET", "/api/connectors", undefined, { query: { limit: 1000 } }));
  }

  async function run(c, action) {
    let result;
    try {
      result = await ctx.api("POST", `/api/connectors/${encodeURIComponent(c.id)}/actions`, { action });
    } catch (err) {
      // a failing command is a 502 whose body is the result itself; ctx.api keeps only the
      // message, so fetch the connector again for lastAction
      const fresh = await ctx.api("GET", `/api/connectors/${encodeURIComponent(c.id)}`).catch(() => null);
      const last = fresh && fresh.lastAction && fresh.lastAction.action === action ? fresh.lastAction : null;
      if (last) {
        lastResult.set(c.id, last);
        md.upsert(fresh);
        md.refreshDetail();
      }
      const why = err.status === 502 && last ? (last.timedOut ? "timed out" : `exit ${last.exitCode}`) : errorText(err);
      ctx.toast(`${c.name}: ${action} failed (${why})`, "error");
      return;
    }
    lastResult.set(c.id, result);
    ctx.toast(`${c.name}: ${action} ok (${result.durationMs} ms)`, "ok");
    md.upsert(await ctx.api("GET", `/api/connectors/${encodeURIComponent(c.id)}`));
  }

  async function renderDetail(c) {
    const [config, fresh] = await Promise.all([
      ctx.api("GET", `/api/connectors/${encodeURIComponent(c.id)}/config`),
      Promise.resolve(c),
    ]);
    const p = fresh.process || {};
    const result = lastResult.get(c.id) || c.lastAction;
    const schema = c.manifest && c.manifest.configSchema;
    return h(
      "div",
      {},
      h("h2", {}, c.name, h("span", { class: "muted mono" }, c.version), c.enabled ? badge(ctx, "enabled", "ok") : badge(ctx, "disabled", "muted"), processBadge(c)),
      c.description ? h("p", { class: "muted" }, c.description) : null,
      kv(ctx, [
        ["Id", h("span", { class: "mono" }, c.id)],
        ["Channel type", c.channelType || null],
        ["Supervised", p.supervised ? "yes" : "no"],
        ["Started", p.startedAt ? when(ctx, p.startedAt) : null],
        ["Uptime", p.running && p.uptimeMs ? ctx.fmt.duration(p.uptimeMs) : null],
        ["Restarts", p.restarts ? String(p.restarts) : null],
        ["Next restart", p.nextRestartAt ? when(ctx, p.nextRestartAt) : null],
        ["Last exit", p.lastExit ? h("span", { class: "mono" }, ctx.fmt.json(p.lastExit)) : null],
        ["Registered", when(ctx, c.createdAt)],
      ]),
      h("h3", {}, "Actions"),
      h(
        "div",
        { class: "dv-actions" },
        actionsOf(c).map((a) =>
          actionButton(ctx, a, () => run(c, a), { kind: DANGER.has(a) ? "danger" : a === "start" ? "primary" : "", testid: `action-${a}` }),
        ),
      ),
      result ? resultView(result) : null,
      h("h3", {}, "Config"),
      schema && schema.type !== undefined && schema.type !== "object" && !schema.properties
        ? rawConfigEditor(c, config)
        : schema
          ? schemaForm(c, schema, config)
          : rawConfigEditor(c, config),
      h("details", {}, h("summary", {}, "Manifest"), h("pre", { class: "pre" }, ctx.fmt.json(c.manifest))),
      c.state && Object.keys(c.state).length ? h("details", {}, h("summary", {}, "State"), h("pre", { class: "pre" }, ctx.fmt.json(c.state))) : null,
    );
  }

  function resultView(r) {
    return h(
      "div",
      { class: "dv-output" },
      h(
        "div",
        { class: "row" },
        badge(ctx, r.ok ? "ok" : r.timedOut ? "timed out" : "failed", r.ok ? "ok" : "err"),
        h("span", { class: "mono" }, r.action),
        r.exitCode !== null && r.exitCode !== undefined ? h("span", { class: "muted" }, `exit ${r.exitCode}`) : null,
        h("span", { class: "muted" }, `${r.durationMs} ms`),
        r.at ? when(ctx, r.at) : null,
      ),
      r.output ? h("pre", { class: "pre", "aria-label": "action output" }, r.output) : h("p", { class: "muted" }, "(no output)"),
    );
  }

  // -- the config form -------------------------------------------------------------------

  /** Builds inputs for an object schema; returns {el, read() -> value}. */
  function objectFields(schema, value, path) {
    const props = schema.properties || {};
    const required = new Set(schema.required || []);
    const readers = [];
    const rows = [];
    for (const [name, sub] of Object.entries(props)) {
      const label = `${sub.title || name}${required.has(name) ? " *" : ""}`;
      const current = value && typeof value === "object" ? value[name] : undefined;
      const field = fieldFor(sub || {}, current, [...path, name]);
      readers.push([name, field.read]);
      if (field.block) rows.push(h("fieldset", {}, h("legend", {}, label), field.el, sub.description ? h("div", { class: "hint" }, sub.description) : null));
      else rows.push(row(ctx, label, field.el, field.hint || sub.description));
    }
    const extra = value && typeof value === "object" ? Object.keys(value).filter((k) => !(k in props)) : [];
    return {
      el: h("div", { class: "form" }, rows),
      read: () => {
        const out = {};
        for (const k of extra) out[k] = value[k]; // keys the schema doesn't name are kept
        for (const [name, read] of readers) {
          const v = read();
          if (v !== undefined) out[name] = v;
        }
        return out;
      },
    };
  }

  function typeOf(schema) {
    const t = Array.isArray(schema.type) ? schema.type.find((x) => x !== "null") : schema.type;
    if (t) return t;
    if (schema.enum) return "enum";
    if (schema.properties) return "object";
    return "json";
  }

  function fieldFor(schema, current, path) {
    const name = path.join(".");
    if (schema.secret === true) {
      // write-only: never shown; blank keeps what is stored (the mask goes back)
      const stored = current === MASK;
      const input = h("input", {
        type: "password",
        name,
        autocomplete: "new-password",
        placeholder: stored ? "•••••••• stored — type to replace" : "not set",
        dataset: { secret: "true" },
      });
      return {
        el: input,
        hint: `${schema.description ? schema.description + " · " : ""}secret: write-only, never read back`,
        read: () => (input.value !== "" ? input.value : stored ? MASK : undefined),
      };
    }
    const kind = schema.enum ? "enum" : typeOf(schema);
    if (kind === "enum") {
      const opts = [["", "—"], ...schema.enum.map((v) => [JSON.stringify(v), String(v)])];
      const sel = select(ctx, opts, current === undefined ? (schema.default !== undefined ? JSON.stringify(schema.default) : "") : JSON.stringify(current), { name });
      return { el: sel, read: () => (sel.value === "" ? undefined : JSON.parse(sel.value)) };
    }
    if (kind === "boolean") {
      const box = h("input", { type: "checkbox", name, checked: current === undefined ? Boolean(schema.default) : Boolean(current) });
      return { el: box, read: () => box.checked };
    }
    if (kind === "integer" || kind === "number") {
      const input = h("input", {
        type: "number",
        name,
        step: kind === "integer" ? "1" : "any",
        value: current === undefined || current === null ? "" : String(current),
        placeholder: schema.default !== undefined ? `default ${schema.default}` : "",
      });
      if (schema.minimum !== undefined) input.min = String(schema.minimum);
      if (schema.maximum !== undefined) input.max = String(schema.maximum);
      return { el: input, read: () => (input.value === "" ? undefined : Number(input.value)) };
    }
    if (kind === "string") {
      const long = schema.format === "textarea" || (schema.maxLength || 0) > 300;
      const input = long
        ? h("textarea", { name, rows: "3", value: current ?? "" })
        : h("input", { type: schema.format === "uri" ? "url" : "text", name, value: current ?? "" });
      if (!long && schema.default !== undefined) input.placeholder = `default ${schema.default}`;
      return { el: input, read: () => (input.value === "" ? undefined : input.value) };
    }
    if (kind === "object" && schema.properties) {
      const inner = objectFields(schema, current, path);
      return { el: inner.el, block: true, read: inner.read };
    }
    // arrays and anything else: JSON
    const area = h("textarea", { name, rows: "3", value: current === undefined ? "" : JSON.stringify(current, null, 2) });
    return {
      el: area,
      hint: "JSON",
      read: () => {
        if (area.value.trim() === "") return undefined;
        try {
          return JSON.parse(area.value);
        } catch {
          throw new Error(`${name} is not valid JSON`);
        }
      },
    };
  }

  function schemaForm(c, schema, config) {
    const fields = objectFields(schema, config, []);
    const status = h("span", { class: "muted" });
    return h(
      "div",
      { class: "dv-form", dataset: { testid: "config-form" } },
      fields.el,
      h(
        "div",
        { class: "dv-actions" },
        actionButton(
          ctx,
          "Save config",
          async () => {
            const saved = await ctx.api("PUT", `/api/connectors/${encodeURIComponent(c.id)}/config`, fields.read());
            ctx.toast(`${c.name}: config saved`, "ok");
            status.textContent = `saved ${ctx.fmt.time(Date.now())}`;
            void saved;
            md.refreshDetail();
          },
          { kind: "primary" },
        ),
        status,
      ),
    );
  }

  function rawConfigEditor(c, config) {
    const area = h("textarea", { rows: "8", "aria-label": "config JSON", value: JSON.stringify(config, null, 2) });
    return h(
      "div",
      { class: "dv-form" },
      h("p", { class: "muted" }, "This connector has no configSchema: edit the config as JSON (\"********\" keeps a stored secret)."),
      area,
      h(
        "div",
        { class: "dv-actions" },
        actionButton(
          ctx,
          "Save config",
          async () => {
            let value;
            try {
              value = JSON.parse(area.value);
            } catch {
              throw new Error("config is not valid JSON");
            }
            await ctx.api("PUT", `/api/connectors/${encodeURIComponent(c.id)}/config`, value);
            ctx.toast(`${c.name}: config saved`, "ok");
            md.refreshDetail();
          },
          { kind: "primary" },
        ),
      ),
    );
  }

  // Connectors have no live events of their own (an action records an activity entry):
  // refresh on those, and poll the process state every 5 s while the view is open.
  const offs = [
    ctx.on("activity.new", (ev) => {
      if (ev.data && ev.data.kind === "connector") load().catch(() => {});
    }),
  ];
  let tick = 0;
  const timer = setInterval(() => {
    refreshClocks(ctx, root);
    if (++tick % 5 === 0 && document.visibilityState === "visible") load().catch(() => {});
  }, 1000);
  load()
    .then(() => ctx.params && ctx.params[0] && md.select(ctx.params[0], { hash: false }))
    .catch((err) => ctx.toast(err.message, "error"));
  return unmounter(md, () => {
    offs.forEach((off) => off());
    clearInterval(timer);
  });
}
