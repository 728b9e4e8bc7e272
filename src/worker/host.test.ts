import { describe, expect, it } from 'vitest';
import { EngineHost, SKIP_CAP_MS, STEP_MS } from './host';
import type { Command } from './client';
import { PROTOCOL_VERSION, type DiffMessage, type Request, type WorkerMessage } from './protocol';

/** A host on a fake real-time clock: frames run only when the test says so. */
function makeHost() {
  const sent: WorkerMessage[] = [];
  let real = 0;
  let frame: (() => void) | undefined;
  const host = new EngineHost({
    post: (m) => sent.push(structuredClone(m)),
    realNow: () => real,
    nextFrame: (fn) => {
      frame = fn;
      return () => (frame = undefined);
    },
  });
  const send = (r: Command & { id?: number }) => host.handle({ v: PROTOCOL_VERSION, id: 1, ...r } as Request);
  const runFrame = (ms: number) => {
    real += ms;
    const f = frame;
    frame = undefined;
    f?.();
  };
  const diffs = () => sent.filter((m): m is DiffMessage => m.type === 'diff');
  return { host, sent, send, runFrame, diffs };
}

describe('EngineHost', () => {
  it('answers ready after the first reset, then sends a full snapshot', () => {
    const h = makeHost();
    h.send({ type: 'reset', scenario: 'empty', playing: false });
    expect(h.sent[0]).toEqual({ v: 1, type: 'ready', seed: 1 });
    const first = h.diffs()[0];
    expect(first.reset).toBe(true);
    const nodes = first.upserted.filter((u) => u.kind === 'Node').map((u) => u.key);
    expect(nodes).toEqual(expect.arrayContaining(['control-plane', 'node-1', 'node-2', 'node-3']));
    expect(first.world.map((w) => w.node).sort()).toEqual(['control-plane', 'node-1', 'node-2', 'node-3']);
  });

  it("sends a cut-off node's NotReady deadline from the engine, and the node turns NotReady then", () => {
    const h = makeHost();
    h.send({ type: 'reset', scenario: 'empty', playing: false });
    h.send({ type: 'exec', line: 'sim advance 23s' });
    h.send({ type: 'exec', line: 'sim kill-node node-2' });
    h.send({ type: 'exec', line: 'sim advance 10s' });
    const deadlines = h.diffs().flatMap((d) => d.world.filter((w) => w.node === 'node-2').map((w) => w.state.notReadyAt)).filter((t) => t !== undefined);
    const at = deadlines.at(-1)!;
    expect(at).toBeGreaterThan(33_000);
    h.send({ type: 'exec', line: `sim advance ${(at - 33_000) / 1000 - 1}s` });
    expect(h.host['cluster'].store.get('Node', undefined, 'node-2')!.status!.conditions!.find((c) => c.type === 'Ready')!.status).toBe('True');
    h.send({ type: 'exec', line: 'sim advance 1s' });
    expect(h.host['cluster'].store.get('Node', undefined, 'node-2')!.status!.conditions!.find((c) => c.type === 'Ready')!.status).toBe('Unknown');
  });

  it("sends the taint-eviction controller's pending evictions of a lost node's pods, and drops them once they fire", () => {
    const h = makeHost();
    h.send({ type: 'reset', scenario: 'default', playing: false });
    h.send({ type: 'exec', line: 'sim advance 30s' });
    h.send({ type: 'exec', line: 'sim kill-node node-2' });
    h.send({ type: 'exec', line: 'sim advance 2m' });
    const cluster = h.host['cluster'];
    const onNode2 = cluster.store.podsOnNode('node-2').map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`).sort();
    expect(onNode2.length).toBeGreaterThan(0);
    const lastWorld = () => h.diffs().flatMap((d) => d.world.filter((w) => w.node === 'node-2')).at(-1)!.state;
    const evictions = lastWorld().evictions!;
    expect(evictions.map((e) => e.pod).sort()).toEqual(onNode2);
    const taint = cluster.store.get('Node', undefined, 'node-2')!.spec!.taints!.find((t) => t.effect === 'NoExecute')!;
    for (const e of evictions) expect(e.at).toBe(Date.parse(taint.timeAdded!) - Date.UTC(2026, 0, 1) + 300_000);
    // A pod deleted by hand is going anyway: its countdown goes, though nothing about the node changed.
    h.send({ type: 'exec', line: `kubectl delete pod ${onNode2[0].split('/')[1]} --wait=false` });
    expect(lastWorld().evictions!.map((e) => e.pod).sort()).toEqual(onNode2.slice(1));
    h.send({ type: 'exec', line: 'sim advance 5m' });
    expect(lastWorld().evictions).toBeUndefined();
  });

  it('refuses another protocol version', () => {
    const h = makeHost();
    h.host.handle({ v: 2, type: 'play', id: 7 } as unknown as Request);
    expect(h.sent).toEqual([{ v: 1, type: 'error', id: 7, message: 'unsupported protocol version 2' }]);
  });

  it('echoes the request id and logs exec lines at their virtual time', () => {
    const h = makeHost();
    h.send({ type: 'reset', scenario: 'empty', playing: false });
    h.send({ id: 42, type: 'exec', line: 'sim kill-node node-2' });
    const result = h.sent.find((m) => m.type === 'result');
    expect(result).toMatchObject({ type: 'result', id: 42, exitCode: 0 });
    const last = h.diffs().at(-1)!;
    expect(last.log).toEqual([{ t: 0, line: 'sim kill-node node-2' }]);
    expect(last.world).toContainEqual({ node: 'node-2', state: expect.objectContaining({ power: 'Off', partitioned: false }) });
  });

  it('advances virtual time by speed × real time while playing, not while paused', () => {
    const h = makeHost();
    h.send({ type: 'reset', scenario: 'empty', playing: true });
    h.send({ type: 'setSpeed', speed: 60 });
    h.runFrame(100);
    expect(h.host.now()).toBe(6_000);
    h.send({ type: 'pause' });
    h.runFrame(100);
    expect(h.host.now()).toBe(6_000);
    h.send({ type: 'step' });
    expect(h.host.now()).toBe(6_000 + STEP_MS);
  });

  it('caps one frame at 250 ms of real time (a background tab does not leap ahead)', () => {
    const h = makeHost();
    h.send({ type: 'reset', scenario: 'empty', playing: true });
    h.send({ type: 'setSpeed', speed: 10 });
    h.runFrame(60_000);
    expect(h.host.now()).toBe(2_500);
  });

  it('sends nothing when nothing changed within the same second', () => {
    const h = makeHost();
    h.send({ type: 'reset', scenario: 'empty', playing: false });
    const before = h.sent.length;
    h.host.flush();
    h.host.flush();
    expect(h.sent.length).toBe(before);
  });

  it('a diff after a change carries only what changed, not the whole cluster', () => {
    const h = makeHost();
    h.send({ type: 'reset', scenario: 'empty', playing: false });
    h.send({ type: 'exec', line: 'sim add-node node-9' });
    const d = h.diffs().at(-1)!;
    expect(d.reset).toBe(false);
    expect(d.upserted.filter((u) => u.kind === 'Node').map((u) => u.key)).toContain('node-9');
    expect(d.upserted.map((u) => u.key)).not.toContain('node-1');
  });

  it('skipToNextChange never moves more than the cap', () => {
    const h = makeHost();
    h.send({ type: 'reset', scenario: 'empty', playing: false });
    h.send({ type: 'skipToNextChange' });
    expect(h.host.now()).toBeGreaterThan(0);
    expect(h.host.now()).toBeLessThanOrEqual(SKIP_CAP_MS);
  });

  it('seeking back replays the log: the same commands at the same times rebuild the past', () => {
    const h = makeHost();
    h.send({ type: 'reset', scenario: 'empty', playing: false });
    h.send({ type: 'seek', t: 5_000 });
    h.send({ type: 'exec', line: 'sim add-node node-9' });
    h.send({ type: 'seek', t: 20_000 });
    h.send({ type: 'exec', line: 'sim kill-node node-1' });
    h.send({ type: 'seek', t: 10_000 });
    expect(h.host.now()).toBe(10_000);
    const d = h.diffs().at(-1)!;
    expect(d.reset).toBe(true);
    expect(d.upserted.map((u) => u.key)).toContain('node-9');
    expect(d.log.map((l) => l.line)).toEqual(['sim add-node node-9']);
    expect(d.world.find((w) => w.node === 'node-1')?.state.power).toBe('On');
  });

  it('follows `sim cluster`, which replaces the cluster, with a fresh snapshot', () => {
    const h = makeHost();
    h.send({ type: 'reset', scenario: 'empty', playing: false });
    h.send({ type: 'exec', line: 'sim cluster --nodes 1' });
    const d = h.diffs().at(-1)!;
    expect(d.reset).toBe(true);
    expect(d.upserted.filter((u) => u.kind === 'Node').map((u) => u.key).sort()).toEqual(['control-plane', 'node-1']);
  });

  it('apply returns per-line errors and a result', () => {
    const h = makeHost();
    h.send({ type: 'reset', scenario: 'empty', playing: false });
    h.send({ id: 9, type: 'apply', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n' });
    const r = h.sent.find((m) => m.type === 'result' && m.id === 9);
    expect(r).toMatchObject({ type: 'result', id: 9 });
    expect(Array.isArray((r as { errors?: unknown }).errors)).toBe(true);
  });
});
