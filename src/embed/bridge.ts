/**
 * The postMessage bridge between the embed and its host page: validates origin and source, runs
 * commands, replies with an explicit targetOrigin, and broadcasts ready/event/state/resize only to
 * the allowed origins.
 */
import { broadcastTargets, isAllowedOrigin } from './config';
import { envelope, parseHostMessage, type EmbedMessage } from './messages';

/** What the bridge needs from the page (a fake in tests). */
export interface BridgeWindow {
  parent: { postMessage(msg: unknown, targetOrigin: string): void } | null;
  addEventListener(type: 'message', fn: (e: MessageEvent) => void): void;
  removeEventListener(type: 'message', fn: (e: MessageEvent) => void): void;
}

export interface BridgeOptions {
  win: BridgeWindow;
  /** Allowed parent origins (see EmbedConfig.origins). */
  origins: readonly string[];
  /** This document's origin (`'null'` in a sandbox). */
  selfOrigin: string;
  /** Runs a console line (after the engine is ready). */
  exec(line: string, stdin?: string): Promise<{ output: string; exitCode: number }>;
}

/**
 * @example
 * const bridge = new EmbedBridge({ win: window, origins: config.origins, selfOrigin: origin, exec });
 * bridge.post({ type: 'ready', version: 1, scenario: 'default' });
 */
export class EmbedBridge {
  private readonly onMessage = (e: MessageEvent) => this.receive(e);
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: BridgeOptions) {
    opts.win.addEventListener('message', this.onMessage);
  }

  /** True when there is a host page to talk to (we are in a frame). */
  get embedded(): boolean {
    const p = this.opts.win.parent;
    return !!p && (p as unknown) !== this.opts.win;
  }

  /** Send an unsolicited message to every allowed origin. */
  post(msg: EmbedMessage): void {
    const parent = this.opts.win.parent;
    if (!parent || !this.embedded) return;
    for (const target of broadcastTargets(this.opts.origins, this.opts.selfOrigin)) parent.postMessage(envelope(msg), target);
  }

  dispose(): void {
    this.opts.win.removeEventListener('message', this.onMessage);
  }

  private receive(e: MessageEvent): void {
    const parent = this.opts.win.parent;
    // Only our host frame may drive us, and only from an allowed origin: anything else is ignored
    // without a reply (a reply would tell a probing page that we are here).
    if (!parent || !this.embedded || e.source !== parent) return;
    if (!isAllowedOrigin(e.origin, this.opts.origins, this.opts.selfOrigin)) return;
    const msg = parseHostMessage(e.data);
    if (msg === null) return;
    // 'null' (a sandboxed host) cannot be named as a targetOrigin; it was allowed explicitly ('*').
    const target = e.origin === 'null' ? '*' : e.origin;
    if ('error' in msg) {
      parent.postMessage(envelope({ type: 'error', id: msg.id, message: msg.error }), target);
      return;
    }
    // Commands run one after another, in the order they arrived.
    this.queue = this.queue.then(async () => {
      let r: { output: string; exitCode: number };
      try {
        r = await this.opts.exec(msg.line, msg.stdin);
      } catch (err) {
        r = { output: `error: ${(err as Error).message}\n`, exitCode: 1 };
      }
      parent.postMessage(envelope({ type: 'result', id: msg.id, output: r.output, exitCode: r.exitCode }), target);
    });
  }
}
