// Formatting: times are milliseconds since the epoch (the relay's wire convention).

const pad = (n) => String(n).padStart(2, "0");

export function time(ms) {
  if (ms == null || ms === "") return "—";
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return "—";
  const now = new Date();
  const hms = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  if (d.toDateString() === now.toDateString()) return hms;
  const month = d.toLocaleString("en", { month: "short" });
  const year = d.getFullYear() === now.getFullYear() ? "" : ` ${d.getFullYear()}`;
  return `${month} ${d.getDate()}${year} ${hms}`;
}

export function duration(ms) {
  if (ms == null || Number.isNaN(ms)) return "—";
  const neg = ms < 0;
  let s = Math.floor(Math.abs(ms) / 1000);
  let out;
  if (s < 60) out = `${s}s`;
  else if (s < 3600) out = `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  else if (s < 86400) out = `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  else { const days = Math.floor(s / 86400); s %= 86400; out = `${days}d ${Math.floor(s / 3600)}h`; }
  return neg ? `-${out}` : out;
}

export function ago(ms) {
  if (ms == null || ms === "") return "never";
  const diff = Date.now() - ms;
  if (diff < 0) return `in ${duration(-diff)}`;
  if (diff < 5000) return "just now";
  return `${duration(diff).split(" ")[0]} ago`;
}

export function json(value) {
  if (value === undefined) return "";
  try { return JSON.stringify(value, null, 2); } catch { return String(value); }
}

export function count(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
