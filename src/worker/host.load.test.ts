import { describe, expect, it } from 'vitest';
import { EngineHost } from './host';
import type { Command } from './client';
import { LOAD_LIMITS, PROTOCOL_VERSION, type DiffMessage, type ErrorMessage, type Request, type ResultMessage, type WorkerMessage } from './protocol';

/** A host on a fake real-time clock: frames run only when the test says so. */
function makeHost() {
  const sent: WorkerMessage[] = [];
  const host = new EngineHost({ post: (m) => sent.push(structuredClone(m)), realNow: () => 0, nextFrame: () => () => {} });
  let id = 1;
  const send = (r: Command) => {
    const req = { v: PROTOCOL_VERSION, id: id++, ...r } as Request;
    host.handle(req);
    return sent.filter((m): m is ResultMessage | ErrorMessage => (m.type === 'result' || m.type === 'error') && m.id === req.id).at(-1);
  };
  const lastDiff = () => sent.filter((m): m is DiffMessage => m.type === 'diff').at(-1)!;
  /** What a person sees: pods with phase and node, nodes with status, at which time. */
  const view = () => ({
    now: host.now(),
    pods: host.session.exec('kubectl get pods -o wide').output,
    nodes: host.session.exec('kubectl get nodes').output,
  });
  return { host, sent, send, lastDiff, view };
}

/** A session as a person drives it: scale, wait, kill a node, wait. */
function recordSession() {
  const a = makeHost();
  a.send({ type: 'reset', scenario: 'default', seed: 7, playing: false });
  a.send({ type: 'exec', line: 'kubectl scale deployment web --replicas=5' });
  a.send({ type: 'step' });
  a.send({ type: 'exec', line: 'sim advance 20s' });
  a.send({ type: 'exec', line: 'sim kill-node node-2' });
  a.send({ type: 'seek', t: 100_500 });
  return { a, log: a.host['log'].slice(), t: a.host.now() };
}

describe('EngineHost load (share links)', () => {
  it('rebuilds the same cluster at the same time, paused, from scenario + seed + log', () => {
    const { a, log, t } = recordSession();
    expect(log.map((e) => e.line)).toEqual(['kubectl scale deployment web --replicas=5', 'sim advance 20s', 'sim kill-node node-2']);
    const b = makeHost();
    b.send({ type: 'reset', scenario: 'default', playing: true });
    const r = b.send({ type: 'load', scenario: 'default', seed: 7, log, t });
    expect(r).toMatchObject({ type: 'result', exitCode: 0, output: 'replayed 3 commands to 00:01:40\n' });
    expect(b.view()).toEqual(a.view());
    expect(b.view().nodes).toMatch(/node-2\s+NotReady/); // cut off 80 s ago: past the 40 s grace period
    const diff = b.lastDiff();
    expect(diff).toMatchObject({ reset: true, playing: false, now: t });
    expect(diff.log.map((e) => e.line)).toEqual(log.map((e) => e.line));
  });

  it('works as the first message too (before any reset)', () => {
    const { a, log, t } = recordSession();
    const b = makeHost();
    expect(b.send({ type: 'load', scenario: 'default', seed: 7, log, t })).toMatchObject({ type: 'result', exitCode: 0 });
    expect(b.view()).toEqual(a.view());
  });

  it('replays identically twice (determinism)', () => {
    const { log, t } = recordSession();
    const [b, c] = [makeHost(), makeHost()];
    b.send({ type: 'load', scenario: 'default', seed: 7, log, t });
    c.send({ type: 'load', scenario: 'default', seed: 7, log, t });
    expect(JSON.stringify(b.lastDiff().upserted)).toBe(JSON.stringify(c.lastDiff().upserted));
  });

  const bad: [string, Partial<{ scenario: string; seed: number; log: unknown; t: number }>, RegExp][] = [
    ['an unknown scenario', { scenario: 'prod' }, /unknown scenario "prod"/],
    ['a fractional seed', { seed: 1.5 }, /seed must be a whole number/],
    ['a time beyond the limit', { t: LOAD_LIMITS.maxT + 1 }, /time must be between/],
    ['a negative time', { t: -1 }, /time must be between/],
    ['a log that is not a list', { log: 'kubectl get pods' }, /not a list/],
    ['too many commands', { log: Array.from({ length: LOAD_LIMITS.entries + 1 }, () => ({ t: 0, line: 'kubectl get pods' })) }, /at most 500/],
    ['an entry without a line', { log: [{ t: 0 }] }, /command 1 has no command line/],
    ['an entry after the shared time', { log: [{ t: 5_000, line: 'sim kill-node node-1' }], t: 1_000 }, /command 1 .* outside/],
    ['entries out of order', { log: [{ t: 0, line: 'sim advance 30s' }, { t: 5_000, line: 'sim kill-node node-1' }], t: 60_000 }, /command 2 \("sim kill-node node-1"\) was logged at 00:00:05, but the replay had already reached 00:00:30/],
    ['a replay that runs past the shared time', { log: [{ t: 0, line: 'sim advance 1m' }], t: 10_000 }, /reached 00:01:00, past the shared time 00:00:10/],
  ];
  it.each(bad)('refuses %s with a clear error and leaves the starting cluster, paused', (_name, patch, message) => {
    const h = makeHost();
    h.send({ type: 'reset', scenario: 'default', playing: true });
    h.send({ type: 'exec', line: 'sim kill-node node-1' });
    const r = h.send({ type: 'load', scenario: 'default', seed: 3, log: [], t: 0, ...patch } as Command);
    expect(r?.type).toBe('error');
    expect((r as ErrorMessage).message).toMatch(message);
    // The starting cluster: four Ready nodes, the six `web` pods, no log, time 0, paused.
    expect(h.host.now()).toBe(0);
    expect(h.host.session.exec('kubectl get nodes').output).not.toMatch(/NotReady/);
    expect(h.host.session.exec('kubectl get pods').output.trim().split('\n')).toHaveLength(7);
    expect(h.lastDiff()).toMatchObject({ reset: true, playing: false, log: [] });
    // It keeps working afterwards.
    expect(h.send({ type: 'exec', line: 'kubectl get nodes' })).toMatchObject({ type: 'result', exitCode: 0 });
  });
});
