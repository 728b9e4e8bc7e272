import { useEffect, useState, type ReactNode } from 'react';
import { useDisposeOnUnmount } from './useDisposeOnUnmount';
import { EngineClient } from '../worker/client';
import type { DiffMessage, Scenario } from '../worker/protocol';
import { PlaygroundContext, type PlaygroundHandle } from './context';
import { createPlaygroundStore } from './store';

export interface PlaygroundProviderProps {
  scenario?: Scenario;
  seed?: number;
  /** Start paused (time still moves on Step / Skip). */
  paused?: boolean;
  /** Initial speed (1, 10, 60). */
  speed?: number;
  children: ReactNode;
}

/**
 * Owns one playground: a store and an engine worker, created once per mount (useState
 * initializer) and stopped on unmount. Everything inside reads them from context.
 *
 * @example
 * <PlaygroundProvider scenario="default"><App /></PlaygroundProvider>
 */
export function PlaygroundProvider({ scenario = 'default', seed = 1, paused = false, speed, children }: PlaygroundProviderProps) {
  const [handle] = useState<PlaygroundHandle & { client: EngineClient; diffBytes: () => number }>(() => {
    const store = createPlaygroundStore();
    // Diffs are applied once per animation frame on this side too: if the page falls behind, the
    // queued diffs fold into one store update (one React render) instead of one render each.
    let queue: DiffMessage[] = [];
    let scheduled = false;
    let diffBytes = 0;
    const measure = import.meta.env.DEV || (globalThis as { __ppMeasure?: boolean }).__ppMeasure;
    const drain = () => {
      scheduled = false;
      const batch = queue;
      queue = [];
      if (batch.length) store.getState().applyDiffs(batch);
    };
    const client = new EngineClient({ scenario, seed, paused }, (diff) => {
      queue.push(diff);
      // Measured outside the store: a store update per message would render per message.
      if (measure) diffBytes += JSON.stringify(diff).length;
      if (scheduled) return;
      scheduled = true;
      // A hidden tab gets no frames: a timer keeps the queue from growing without bound.
      if (document.visibilityState === 'hidden') setTimeout(drain, 250);
      else requestAnimationFrame(drain);
    });
    if (speed && speed !== 1) void client.request({ type: 'setSpeed', speed });
    return {
      store,
      client,
      diffBytes: () => diffBytes,
      actions: {
        exec: async (line, stdin) => {
          const r = await client.request({ type: 'exec', line, ...(stdin !== undefined ? { stdin } : {}) });
          return { output: r.output, exitCode: r.exitCode };
        },
        apply: async (text) => {
          const r = await client.request({ type: 'apply', text });
          return { output: r.output, exitCode: r.exitCode, errors: r.errors ?? [] };
        },
        inspect: (kind, namespace, name) => client.request({ type: 'inspect', kind, name, ...(namespace ? { namespace } : {}) }),
        send: (cmd) => client.request(cmd) as ReturnType<PlaygroundHandle['actions']['send']>,
      },
    };
  });
  useDisposeOnUnmount(() => handle.client.terminate());
  useEffect(() => {
    // Test and benchmark hook: this playground's store and its console, from the page.
    (globalThis as { __podPlayground?: unknown }).__podPlayground = { store: handle.store, exec: handle.actions.exec, diffBytes: handle.diffBytes };
  }, [handle]);
  return (
    // Animations are CSS (styles.css), each with a prefers-reduced-motion rule.
    <PlaygroundContext.Provider value={handle}>{children}</PlaygroundContext.Provider>
  );
}
