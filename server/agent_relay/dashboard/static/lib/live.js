// One shared EventSource on /api/events for the whole page. The relay sends an id with every
// event: the browser's own reconnect sends Last-Event-ID and gets every event it missed
// first. If the stream is closed for good (a 401, a 503 under load), we open a new one with
// `?after=<last id>`, which replays the same way.

// EventSource only hands out named events it was told about: every name the relay emits.
export const EVENT_NAMES = [
  "message.new", "message.claimed", "message.claim_released", "message.deleted", "message.completed",
  "message.dead_lettered", "message.redriven", "message.stuck", "message.read", "message.delivered",
  "agent.status", "task.created", "task.updated", "pair.updated", "channel.activity", "channel.event",
  "orchestrator.status", "orchestrator.removed", "activity.new", "connector.log", "connector.status",
  "message",
];

export class Live {
  constructor(getToken) {
    this.getToken = getToken;
    this.handlers = new Set();
    this.stateHandlers = new Set();
    this.state = "connecting";
    this.lastId = null;
    this.source = null;
    this.retryTimer = 0;
    this.failures = 0;
    this.received = 0;
  }

  start() {
    this.stop();
    const params = new URLSearchParams();
    const token = this.getToken();
    if (token) params.set("token", token);
    if (this.lastId != null) params.set("after", String(this.lastId));
    const qs = params.toString();
    const source = new EventSource(`/api/events${qs ? `?${qs}` : ""}`);
    this.source = source;
    this.setState("connecting");
    source.onopen = () => { this.failures = 0; this.setState("live"); };
    source.onerror = () => {
      if (source !== this.source) return;
      if (source.readyState === EventSource.CLOSED) {
        // Closed for good: reconnect ourselves, from the last event we saw.
        this.failures += 1;
        this.setState("offline");
        const delay = Math.min(15000, 1000 * 2 ** Math.min(this.failures - 1, 4));
        this.retryTimer = setTimeout(() => this.start(), delay);
      } else {
        this.setState("reconnecting"); // the browser retries with Last-Event-ID by itself
      }
    };
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (ev) => this.dispatch(name, ev));
    }
  }

  stop() {
    clearTimeout(this.retryTimer);
    if (this.source) { this.source.close(); this.source = null; }
  }

  dispatch(type, ev) {
    if (ev.lastEventId) {
      const id = Number(ev.lastEventId);
      if (Number.isFinite(id)) this.lastId = id;
    }
    let data = null;
    try { data = ev.data ? JSON.parse(ev.data) : null; } catch { data = ev.data; }
    this.received += 1;
    const event = { type, id: this.lastId, data };
    for (const { prefix, handler } of [...this.handlers]) {
      if (prefix === "*" || type.startsWith(prefix)) {
        try { handler(event); } catch (err) { console.error("live handler failed", err); }
      }
    }
  }

  // on("message.", fn) matches every message event; on("agent.status", fn) that one; "*" all.
  on(prefix, handler) {
    const entry = { prefix, handler };
    this.handlers.add(entry);
    return () => this.handlers.delete(entry);
  }

  onState(handler) {
    this.stateHandlers.add(handler);
    handler(this.state);
    return () => this.stateHandlers.delete(handler);
  }

  setState(state) {
    if (state === this.state) return;
    this.state = state;
    for (const handler of this.stateHandlers) handler(state);
  }
}
