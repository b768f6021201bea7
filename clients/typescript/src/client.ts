// A small agent-relay client typed by the spec alone: `generated/relay.ts` is what
// openapi-typescript makes of the relay's OpenAPI document (scripts/check_spec.sh), and
// `tsc --noEmit` checks this file against it. Nothing here is hand-typed from the server.
import type { components, paths } from "../generated/relay.js";

type Schemas = components["schemas"];
type JsonBody<Op> = Op extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;
type JsonAnswer<Op, Status extends number> = Op extends {
  responses: { [S in Status]: { content: { "application/json": infer R } } };
}
  ? R
  : never;

export type SendBody = JsonBody<paths["/api/messages"]["post"]>;
export type ClaimBody = JsonBody<paths["/api/messages/{id}/claim"]["post"]>;
export type AckBody = JsonBody<paths["/api/messages/{id}/ack"]["post"]>;
export type InboxQuery = NonNullable<paths["/api/inbox/{agentId}"]["get"]["parameters"]["query"]>;
export type Message = Schemas["MessageOut"];
export type Ack = JsonAnswer<paths["/api/messages/{id}/ack"]["post"], 200>;
export type RelayEvent = Schemas["RelayEvent"];

export class RelayError extends Error {
  constructor(
    readonly status: number,
    readonly body: Schemas["ErrorBody"],
  ) {
    super(`${status}: ${body.error}`);
  }
}

export class RelayClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  /** POST /api/messages: 201 (or 200 when the idempotency key was seen before). */
  send(body: SendBody): Promise<JsonAnswer<paths["/api/messages"]["post"], 201>> {
    return this.call("POST", "/api/messages", body);
  }

  /** GET /api/inbox/{agentId}, optionally long-polling (`wait` seconds). */
  inbox(agentId: string, query: InboxQuery = {}): Promise<JsonAnswer<paths["/api/inbox/{agentId}"]["get"], 200>> {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) search.set(name, String(value));
    }
    const suffix = search.size ? `?${search}` : "";
    return this.call("GET", `/api/inbox/${encodeURIComponent(agentId)}${suffix}`);
  }

  claim(id: number, body: ClaimBody): Promise<JsonAnswer<paths["/api/messages/{id}/claim"]["post"], 200>> {
    return this.call("POST", `/api/messages/${id}/claim`, body);
  }

  ack(id: number, body: AckBody): Promise<Ack> {
    return this.call("POST", `/api/messages/${id}/ack`, body);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) headers["X-Agent-Relay-Token"] = this.token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const reply = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data: unknown = await reply.json();
    if (!reply.ok) throw new RelayError(reply.status, data as Schemas["ErrorBody"]);
    return data as T;
  }
}

/** A line for an event from GET /api/events: `event` narrows `data` to its schema. */
export function describe(event: RelayEvent): string {
  switch (event.event) {
    case "message.new":
      return `#${event.id} ${event.data.from} -> ${event.data.to}: ${event.data.body}`;
    case "message.deleted":
      return `#${event.id} message ${event.data.id} deleted`;
    case "task.updated":
      return `#${event.id} task ${event.data.id} is ${event.data.status}`;
    case "channel.activity":
      return `channel ${event.data.channelId} activity`; // ephemeral: no id
    default:
      return `#${event.id} ${event.event}`;
  }
}

/** One agent's loop: read the inbox, claim what is claimable, acknowledge it. */
export async function workOnce(relay: RelayClient, agentId: string): Promise<Message[]> {
  const done: Message[] = [];
  for (const message of await relay.inbox(agentId, { unread: true, wait: 5 })) {
    if (message.claimable) await relay.claim(message.id, { agentId, leaseMs: 60_000 });
    const ack: Ack = await relay.ack(message.id, { agentId });
    if (ack.ok) done.push(message);
  }
  return done;
}

// What the spec must say, checked at compile time:
// a message needs from, to and body; `kind` has a server-side default, so it may be left out.
export const minimal: SendBody = { from: "ci", to: "agent-b", body: "hello" };
export const typed: SendBody = { from: "ci", to: "agent-b", body: "hello", kind: "task" };
// @ts-expect-error `to` is required
export const noRecipient: SendBody = { from: "ci", body: "hello" };
// @ts-expect-error `kind` is one of the listed kinds
export const badKind: SendBody = { from: "ci", to: "agent-b", body: "hello", kind: "email" };
// @ts-expect-error an ephemeral event carries no id
export const ephemeralId = (event: Schemas["ChannelActivityEvent"]): number => event.id;
