// DOM helpers. Text always goes in as text nodes: never innerHTML with data (message
// bodies, labels and names come from agents and may be hostile).

function append(el, children) {
  for (const child of children) {
    if (child == null || child === false || child === true) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

// h(tag, attrs, ...children): attrs take class (string or array), dataset (object),
// on<Event> handlers (functions only), value/checked/disabled/selected as properties, and
// any other attribute as a string. `style` is refused: the page's CSP forbids inline styles.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value == null || value === false) continue;
      if (key === "class") el.className = Array.isArray(value) ? value.filter(Boolean).join(" ") : value;
      else if (key === "dataset") Object.assign(el.dataset, value);
      else if (key.startsWith("on")) {
        if (typeof value === "function") el.addEventListener(key.slice(2).toLowerCase(), value);
      } else if (key === "value" || key === "checked" || key === "disabled" || key === "selected") el[key] = value;
      else if (key === "style") continue;
      else el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

// table(columns, rows, {onRowClick, empty, rowKey, selected, rowClass}) -> Element.
// columns: [{label, render(row) -> node|string, class?}]. Rows are keyboard reachable: the
// shell moves a cursor with j/k and Enter clicks the row.
export function table(columns, rows, opts = {}) {
  const { onRowClick, empty = "Nothing here yet.", rowKey, selected, rowClass } = opts;
  if (!rows || rows.length === 0) {
    return h("div", { class: "tbl-wrap" }, h("div", { class: "empty" }, empty));
  }
  const head = h("thead", null, h("tr", null, columns.map((c) => h("th", { class: c.class }, c.label))));
  const body = h("tbody");
  for (const row of rows) {
    const key = rowKey ? String(rowKey(row)) : undefined;
    const tr = h("tr", {
      class: [onRowClick && "clickable", key !== undefined && key === selected && "selected", rowClass && rowClass(row)],
      dataset: key !== undefined ? { key } : undefined,
      onClick: onRowClick ? (ev) => { if (!ev.target.closest("button, a, input, select")) onRowClick(row, ev); } : null,
    });
    for (const c of columns) {
      let cell;
      try { cell = c.render(row); } catch (err) { cell = "—"; console.error(err); }
      tr.append(h("td", { class: c.class }, cell));
    }
    body.append(tr);
  }
  return h("div", { class: "tbl-wrap" }, h("table", { class: "tbl" }, head, body));
}

export function badge(text, kind) {
  return h("span", { class: ["badge", kind] }, text);
}

const STATUS_KIND = {
  online: "ok", idle: "muted", busy: "warn", offline: "err", ready: "ok",
  open: "warn", claimed: "warn", in_progress: "warn", blocked: "err", done: "ok", failed: "err", canceled: "muted",
  pending: "muted", delivered: "", read: "", completed: "ok", running: "ok", stopped: "muted",
};

export function statusBadge(status) {
  return badge(status || "unknown", STATUS_KIND[status] ?? "muted");
}

export function debounce(fn, ms = 150) {
  let timer = 0;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

// Coalesces many calls into one per animation frame: live updates redraw once per burst.
export function perFrame(fn) {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; fn(); });
  };
}
