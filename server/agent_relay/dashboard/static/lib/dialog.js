// Modal dialogs on the native <dialog> element: focus stays inside, Esc closes.
// dialog({title, body, actions: [{label, kind?, onClick}]}) -> {el, close}.
// An action's onClick(ctx) may return a promise; the dialog closes when it settles unless
// it returns false; an error it throws is shown in the dialog, which stays open.
import { h } from "./dom.js";

export function dialog({ title, body, actions = [], onClose } = {}) {
  const error = h("div", { class: "dlg-error", role: "alert" });
  const buttons = [];
  const el = h("dialog", { class: "dlg" },
    h("header", null, title || ""),
    h("div", { class: "dlg-body" }, body, error),
  );
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    if (el.open) el.close();
    el.remove();
    if (onClose) onClose();
  };
  const all = actions.length ? actions : [{ label: "Close" }];
  for (const action of all) {
    const btn = h("button", { class: ["btn", action.kind], type: "button" }, action.label);
    btn.addEventListener("click", async () => {
      error.textContent = "";
      if (!action.onClick) return close();
      buttons.forEach((b) => { b.disabled = true; });
      try {
        const result = await action.onClick({ close, el });
        if (result !== false) close();
      } catch (err) {
        error.textContent = err && err.message ? err.message : String(err);
      } finally {
        buttons.forEach((b) => { b.disabled = false; });
      }
    });
    buttons.push(btn);
  }
  el.append(h("footer", null, buttons));
  el.addEventListener("close", close);
  el.addEventListener("cancel", (ev) => { ev.preventDefault(); close(); });
  document.body.append(el);
  el.showModal();
  const first = el.querySelector("input, select, textarea") || buttons[buttons.length - 1];
  if (first) first.focus();
  return { el, close };
}

export function confirm({ title, text, label = "Confirm", kind = "primary" }) {
  return new Promise((resolve) => {
    let answered = false;
    dialog({
      title,
      body: h("p", null, text),
      actions: [
        { label: "Cancel", onClick: () => { answered = true; resolve(false); } },
        { label, kind, onClick: () => { answered = true; resolve(true); } },
      ],
      onClose: () => { if (!answered) resolve(false); },
    });
  });
}
