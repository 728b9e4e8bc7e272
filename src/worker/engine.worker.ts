/// <reference lib="webworker" />
/**
 * Web Worker entry: one engine per worker, driven by {@link EngineHost}. The UI's first message is
 * a `reset` naming the scenario; the host answers `ready` and then streams diffs.
 */
import { EngineHost } from './host';
import type { Request } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

/**
 * Frames: a 16 ms timer. (A dedicated worker's requestAnimationFrame is not driven everywhere,
 * e.g. in a hidden or headless page, and the UI batches renders to its own frames anyway.)
 */
const nextFrame = (fn: () => void): (() => void) => {
  const h = setTimeout(fn, 16);
  return () => clearTimeout(h);
};

const host = new EngineHost({
  post: (msg) => scope.postMessage(msg),
  realNow: () => performance.now(),
  nextFrame,
});
scope.onmessage = (e: MessageEvent<Request>) => host.handle(e.data);
