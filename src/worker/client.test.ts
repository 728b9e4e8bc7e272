import { describe, expect, it } from 'vitest';
import { EngineClient, type WorkerLike } from './client';
import { EngineHost } from './host';
import type { DiffMessage, Request, WorkerMessage } from './protocol';

/** The real host behind a fake worker: messages are structured-cloned and delivered asynchronously. */
function inProcessWorker(): WorkerLike & { sent: Request[] } {
  const listeners: ((e: MessageEvent) => void)[] = [];
  const sent: Request[] = [];
  const host = new EngineHost({
    post: (m: WorkerMessage) => queueMicrotask(() => listeners.forEach((l) => l({ data: structuredClone(m) } as MessageEvent))),
    realNow: () => 0,
    nextFrame: () => () => undefined,
  });
  return {
    sent,
    postMessage: (m) => {
      sent.push(m as Request);
      host.handle(structuredClone(m) as Request);
    },
    addEventListener: (_t, fn) => listeners.push(fn),
    terminate: () => undefined,
  };
}

describe('EngineClient ↔ EngineHost', () => {
  it('starts with a reset handshake, waits for ready, and resolves replies by id', async () => {
    const worker = inProcessWorker();
    const diffs: DiffMessage[] = [];
    const client = new EngineClient({ scenario: 'empty', paused: true, worker }, (d) => diffs.push(d));
    expect(worker.sent[0]).toMatchObject({ v: 1, type: 'reset', scenario: 'empty', playing: false });
    await client.ready;
    const [a, b] = await Promise.all([client.request({ type: 'exec', line: 'kubectl get nodes' }), client.request({ type: 'exec', line: 'sim nonsense' })]);
    expect(a.exitCode).toBe(0);
    expect(a.output).toMatch(/^NAME\s+STATUS/);
    expect(b.exitCode).toBe(1);
    expect(b.output).toContain('unknown command "sim nonsense"');
    expect(diffs[0].reset).toBe(true);
  });

  it('rejects a request the worker refuses', async () => {
    const worker = inProcessWorker();
    const client = new EngineClient({ scenario: 'empty', paused: true, worker }, () => undefined);
    await expect(client.request({ type: 'setSpeed', speed: -1 })).rejects.toThrow(/speed must be between/);
  });
});
