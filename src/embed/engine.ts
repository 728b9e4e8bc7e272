/**
 * Starting the engine for an embed. Normally it runs in a Web Worker. Inside
 * `<iframe sandbox="allow-scripts">` the document has an opaque origin ("null") and the browser
 * refuses to start a worker from our server's URL, so there the engine runs on the main thread
 * behind the same message protocol: slower for huge clusters, identical behaviour.
 */
import { EngineClient, type WorkerLike } from '../worker/client';
import type { DiffMessage, Request, Scenario, WorkerMessage } from '../worker/protocol';

export interface StartOptions {
  scenario: Scenario;
  seed: number;
  paused: boolean;
}

/** An EngineClient in a worker when the page may start one, else in this thread. */
export function startEngine(opts: StartOptions, onDiff: (d: DiffMessage) => void): { client: EngineClient; inPage: boolean } {
  if (globalThis.origin !== 'null' && typeof Worker !== 'undefined') {
    try {
      // Written inline so Vite sees `new Worker(new URL(…, import.meta.url))` and bundles the worker.
      const worker = new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' });
      return { client: new EngineClient({ ...opts, worker }, onDiff), inPage: false };
    } catch {
      // SecurityError (opaque origin, CSP): fall through to the in-page engine.
    }
  }
  return { client: new EngineClient({ ...opts, worker: inPageWorker() }, onDiff), inPage: true };
}

/**
 * A WorkerLike that runs {@link EngineHost} in this thread. Messages cross asynchronously in both
 * directions (as they would across a worker), and the engine code loads lazily, so embeds that do
 * get a worker never download it twice.
 */
export function inPageWorker(): WorkerLike {
  const listeners: ((e: MessageEvent) => void)[] = [];
  let terminated = false;
  const deliver = (msg: WorkerMessage) => {
    setTimeout(() => {
      if (!terminated) for (const l of listeners) l({ data: msg } as MessageEvent);
    }, 0);
  };
  const host = import('../worker/host').then(
    ({ EngineHost }) =>
      new EngineHost({
        post: deliver,
        realNow: () => performance.now(),
        nextFrame: (fn) => {
          const h = requestAnimationFrame(() => fn());
          return () => cancelAnimationFrame(h);
        },
      }),
  );
  return {
    postMessage(msg: unknown) {
      void host.then((h) => {
        if (!terminated) h.handle(msg as Request);
      });
    },
    addEventListener(_type: 'message', fn: (e: MessageEvent) => void) {
      listeners.push(fn);
    },
    terminate() {
      terminated = true;
    },
  };
}
