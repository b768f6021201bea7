// Small notices in the corner: toast(text, kind) with kind "ok" | "error".
import { h } from "./dom.js";

let box = null;

export function toast(text, kind) {
  if (!box || !box.isConnected) {
    box = h("div", { class: "toasts", role: "status", "aria-live": "polite" });
    document.body.append(box);
  }
  const el = h("div", { class: ["toast", kind], dataset: { kind: kind || "info" } }, String(text));
  box.append(el);
  setTimeout(() => el.remove(), kind === "error" ? 8000 : 4000);
  return el;
}
