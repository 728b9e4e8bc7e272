/**
 * The embed's postMessage API, version 1. Every message is `{source: 'pod-playground', v: 1, type,
 * …}`; a host tells ours apart from other widgets' by `source`.
 *
 * Host → embed:
 * - `command` `{id?, line, stdin?}`: any console line (`kubectl …`, `sim …`); answered by `result`.
 *
 * Embed → host:
 * - `ready` `{version, scenario}`: the engine is up; commands are accepted from now on (earlier ones
 *   are queued, not lost).
 * - `result` `{id, output, exitCode}`: the reply to a `command` (`id` echoed).
 * - `event` `{event: {type, reason, object, message, count, lastSeen}}`: a Kubernetes Event.
 * - `state` `{now, nodes: {name, status}[], pods: {total, byStatus}}`: a summary, on change.
 * - `resize` `{width, height}`: the content size, so the host can size the iframe.
 * - `error` `{id?, message}`: a message the embed could not understand.
 */
export const SOURCE = 'pod-playground';
export const API_VERSION = 1;

export interface CommandMessage {
  source: typeof SOURCE;
  v: 1;
  type: 'command';
  id?: string | number;
  line: string;
  stdin?: string;
}

export type HostMessage = CommandMessage;

export interface StateSummary {
  /** Virtual ms since the cluster started. */
  now: number;
  nodes: { name: string; status: string }[];
  pods: { total: number; byStatus: Record<string, number> };
}

export type EmbedMessage =
  | { type: 'ready'; version: number; scenario: string }
  | { type: 'result'; id?: string | number; output: string; exitCode: number }
  | { type: 'event'; event: { type: string; reason: string; object: string; message: string; count: number; lastSeen: number } }
  | { type: 'state'; state: StateSummary }
  | { type: 'resize'; width: number; height: number }
  | { type: 'error'; id?: string | number; message: string };

/** Wrap a payload in the envelope. */
export function envelope(msg: EmbedMessage): EmbedMessage & { source: typeof SOURCE; v: typeof API_VERSION } {
  return { source: SOURCE, v: API_VERSION, ...msg };
}

/**
 * Validate an incoming message. Returns the host message, `null` for messages that are not ours
 * (other widgets share the channel: ignore silently), or an error string for ours that are malformed.
 */
export function parseHostMessage(data: unknown): HostMessage | null | { error: string; id?: string | number } {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Record<string, unknown>;
  if (d.source !== SOURCE) return null;
  const id = typeof d.id === 'string' || typeof d.id === 'number' ? d.id : undefined;
  if (d.v !== API_VERSION) return { error: `unsupported API version ${JSON.stringify(d.v)}; this embed speaks v${API_VERSION}`, id };
  switch (d.type) {
    case 'command':
      if (typeof d.line !== 'string' || d.line.length > 10_000) return { error: 'command: "line" must be a string', id };
      if (d.stdin !== undefined && (typeof d.stdin !== 'string' || d.stdin.length > 1_000_000)) return { error: 'command: "stdin" must be a string', id };
      return { source: SOURCE, v: 1, type: 'command', id, line: d.line, ...(d.stdin !== undefined ? { stdin: d.stdin as string } : {}) };
    default:
      return { error: `unknown message type ${JSON.stringify(d.type)}`, id };
  }
}
