/**
 * The main-thread side of the worker protocol: starts the worker, waits for `ready`, sends
 * requests with ids and resolves their replies. Diffs go to `onDiff`.
 */
import {
  PROTOCOL_VERSION,
  type DiffMessage,
  type InspectMessage,
  type Request,
  type ResultMessage,
  type Scenario,
  type WorkerMessage,
} from './protocol';

/** A request without the envelope fields the client fills in. */
export type Command = Request extends infer R ? (R extends Request ? Omit<R, 'v' | 'id'> : never) : never;

export interface WorkerLike {
  postMessage(msg: unknown): void;
  addEventListener(type: 'message', fn: (e: MessageEvent) => void): void;
  terminate(): void;
}

export interface ClientOptions {
  scenario?: Scenario;
  seed?: number;
  paused?: boolean;
  /** For tests: a fake worker. */
  worker?: WorkerLike;
}

/**
 * @example
 * const client = new EngineClient({ scenario: 'default' }, (diff) => store.getState().applyDiff(diff));
 * await client.ready;
 * const { output } = await client.request({ type: 'exec', line: 'kubectl get pods' });
 */
export class EngineClient {
  readonly ready: Promise<void>;
  private readonly worker: WorkerLike;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (m: ResultMessage | InspectMessage) => void; reject: (e: Error) => void }>();

  constructor(opts: ClientOptions, onDiff: (diff: DiffMessage) => void) {
    if (opts.worker) this.worker = opts.worker;
    else {
      // Written inline so Vite recognises the pattern and bundles the worker.
      this.worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' });
    }
    let markReady!: () => void;
    this.ready = new Promise((r) => (markReady = r));
    this.worker.addEventListener('message', (e: MessageEvent<WorkerMessage>) => {
      const msg = e.data;
      if (!msg || msg.v !== PROTOCOL_VERSION) return;
      switch (msg.type) {
        case 'ready':
          markReady();
          return;
        case 'diff':
          onDiff(msg);
          return;
        case 'result':
        case 'inspected': {
          const w = this.waiting.get(msg.id);
          this.waiting.delete(msg.id);
          w?.resolve(msg);
          return;
        }
        case 'error': {
          const w = msg.id !== undefined ? this.waiting.get(msg.id) : undefined;
          if (w) {
            this.waiting.delete(msg.id!);
            w.reject(new Error(msg.message));
          } else console.error('engine worker:', msg.message);
          return;
        }
        default: {
          const never: never = msg;
          console.warn('unknown worker message', never);
        }
      }
    });
    // The handshake: the first message (a reset) builds the scenario; the worker answers `ready`.
    this.worker.postMessage({ v: PROTOCOL_VERSION, type: 'reset', id: 0, scenario: opts.scenario ?? 'default', seed: opts.seed ?? 1, playing: !opts.paused });
  }

  /** Send a command; resolves with the worker's reply. Waits for `ready` first. */
  async request<C extends Command>(cmd: C): Promise<C['type'] extends 'inspect' ? InspectMessage : ResultMessage> {
    await this.ready;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (m: ResultMessage | InspectMessage) => void, reject });
      this.worker.postMessage({ ...cmd, v: PROTOCOL_VERSION, id });
    });
  }

  terminate(): void {
    this.worker.terminate();
    for (const w of this.waiting.values()) w.reject(new Error('engine stopped'));
    this.waiting.clear();
  }
}
