import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node, Pod } from '../engine/api/types';
import type { DiffMessage, DrawnObject } from '../worker/protocol';
import { compareNodeNames, createPlaygroundStore, formatClock, formatCountdown } from './store';

const node = (name: string, ready = 'True'): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: ready }] } });
const pod = (name: string, nodeName?: string, extra: Partial<Pod['metadata']> = {}, phase = 'Running'): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'rs-uid' }], ...extra },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '250m', memory: '64Mi' } } }] },
  status: { phase, conditions: [{ type: 'Ready', status: 'True' }] },
});
const up = (o: Node | Pod): DrawnObject => ({ kind: o.kind, key: o.metadata!.namespace ? `${o.metadata!.namespace}/${o.metadata!.name}` : o.metadata!.name!, object: o }) as DrawnObject;
const diff = (d: Partial<DiffMessage>): DiffMessage => ({ v: 1, type: 'diff', reset: false, now: 0, playing: true, speed: 1, upserted: [], removed: [], runtime: [], events: [], world: [], log: [], ...d });

describe('playground store', () => {
  it('replaces maps on change and keeps untouched per-node lists by identity', () => {
    const store = createPlaygroundStore();
    store.getState().applyDiff(diff({ reset: true, upserted: [up(node('node-1')), up(node('node-2')), up(pod('a', 'node-1')), up(pod('b', 'node-2'))] }));
    const s1 = store.getState();
    expect(s1.nodeNames).toEqual(['node-1', 'node-2']);
    expect(s1.podsByNode.get('node-1')).toEqual(['default/a']);
    expect(s1.usage.get('node-1')).toMatchObject({ cpuRequested: 250, cpuAllocatable: 4000, pods: 1 });
    store.getState().applyDiff(diff({ upserted: [up(pod('c', 'node-2'))] }));
    const s2 = store.getState();
    expect(s2.pods).not.toBe(s1.pods);
    expect(s1.pods.has('default/c')).toBe(false);
    expect(s2.podsByNode.get('node-1')).toBe(s1.podsByNode.get('node-1'));
    expect(s2.podsByNode.get('node-2')).toEqual(['default/b', 'default/c']);
    expect(s2.nodeNames).toBe(s1.nodeNames);
    expect(s2.usage.get('node-1')).toBe(s1.usage.get('node-1'));
  });

  it('announces node status changes in words', () => {
    const store = createPlaygroundStore();
    store.getState().applyDiff(diff({ reset: true, upserted: [up(node('node-2'))] }));
    store.getState().applyDiff(diff({ upserted: [up(node('node-2', 'Unknown'))] }));
    expect(store.getState().announcement).toContain('Node node-2 is NotReady');
  });

  it('links a replacement to its terminating predecessor of the same owner (a trail), and drops it when one goes', () => {
    const store = createPlaygroundStore();
    store.getState().applyDiff(diff({ reset: true, upserted: [up(node('node-1')), up(pod('old', 'node-1', { deletionTimestamp: '2026-01-01T00:05:00Z' }))] }));
    store.getState().applyDiff(diff({ now: 1000, upserted: [up(pod('new', undefined, {}, 'Pending'))] }));
    expect(store.getState().trails).toEqual([{ from: 'default/old', to: 'default/new', at: 1000 }]);
    store.getState().applyDiff(diff({ now: 2000, removed: [{ kind: 'Pod', key: 'default/old' }] }));
    expect(store.getState().trails).toEqual([]);
  });

  it('merges repeated events by key and keeps the newest last', () => {
    const store = createPlaygroundStore();
    const ev = (key: string, count: number) => ({ key, last: count, type: 'Normal' as const, reason: 'Pulled', object: 'pod/a', message: 'm', count });
    store.getState().applyDiff(diff({ reset: true, events: [ev('e1', 1), ev('e2', 1)] }));
    store.getState().applyDiff(diff({ events: [ev('e1', 2)] }));
    expect(store.getState().events.map((e) => [e.key, e.count])).toEqual([['e2', 1], ['e1', 2]]);
  });

  it('a reset drops everything it had', () => {
    const store = createPlaygroundStore();
    store.getState().applyDiff(diff({ reset: true, upserted: [up(node('node-1')), up(pod('a', 'node-1'))], log: [{ t: 0, line: 'x' }] }));
    store.getState().applyDiff(diff({ reset: true, upserted: [up(node('node-9'))] }));
    expect([...store.getState().pods.keys()]).toEqual([]);
    expect(store.getState().nodeNames).toEqual(['node-9']);
    expect(store.getState().log).toEqual([]);
  });
});

describe('formatting', () => {
  it.each([
    [0, '0s'],
    [59_999, '59s'],
    [330_000, '5m30s'],
    [3_723_000, '1h02m03s'],
  ])('formatClock(%i) = %s', (ms, text) => expect(formatClock(ms)).toBe(text));
  it.each([
    [12_000, '12s'],
    [288_000, '4:48'],
    [-5, '0s'],
  ])('formatCountdown(%i) = %s', (ms, text) => expect(formatCountdown(ms)).toBe(text));
  it('orders nodes naturally, control plane first', () => {
    expect(['node-10', 'node-2', 'control-plane', 'node-1'].sort(compareNodeNames)).toEqual(['control-plane', 'node-1', 'node-2', 'node-10']);
  });
});

describe('applyDiffs', () => {
  it('folds several diffs into one update with the same result as applying them one by one', () => {
    const a = createPlaygroundStore();
    const b = createPlaygroundStore();
    const diffs = [
      diff({ reset: true, upserted: [up(node('node-1')), up(pod('a', 'node-1'))] }),
      diff({ now: 1000, upserted: [up(pod('b', 'node-1'))] }),
      diff({ now: 2000, removed: [{ kind: 'Pod', key: 'default/a' }] }),
    ];
    for (const d of diffs) a.getState().applyDiff(d);
    let updates = 0;
    b.subscribe(() => updates++);
    b.getState().applyDiffs(diffs);
    expect(updates).toBe(1);
    expect([...b.getState().pods.keys()]).toEqual([...a.getState().pods.keys()]);
    expect(b.getState().podsByNode.get('node-1')).toEqual(['default/b']);
    expect(b.getState().now).toBe(2000);
  });
});

describe('pods per node, kept incrementally', () => {
  type Op = { t: 'pod'; name: string; node: string; uid: number } | { t: 'rmPod'; name: string } | { t: 'node'; name: string } | { t: 'rmNode'; name: string };
  const names = ['web-1', 'web-2', 'web-10', 'db-0', 'x'];
  const nodeNames = ['node-1', 'node-2', 'node-10'];
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ t: fc.constant('pod' as const), name: fc.constantFrom(...names), node: fc.constantFrom('', ...nodeNames, 'gone-node'), uid: fc.integer({ min: 0, max: 1 }) }),
    fc.record({ t: fc.constant('rmPod' as const), name: fc.constantFrom(...names) }),
    fc.record({ t: fc.constant('node' as const), name: fc.constantFrom(...nodeNames) }),
    fc.record({ t: fc.constant('rmNode' as const), name: fc.constantFrom(...nodeNames) }),
  );
  const toDiff = (o: Op, now: number): DiffMessage => {
    if (o.t === 'pod') return diff({ now, upserted: [up(pod(o.name, o.node || undefined, { uid: `${o.name}-${o.uid}` }))] });
    if (o.t === 'rmPod') return diff({ now, removed: [{ kind: 'Pod', key: `default/${o.name}` }] });
    if (o.t === 'node') return diff({ now, upserted: [up(node(o.name))] });
    return diff({ now, removed: [{ kind: 'Node', key: o.name }] });
  };
  const plain = (m: Map<string, unknown>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));

  it('after any diffs, equals grouping the same objects from scratch (lists, order, usage)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { maxLength: 12 }), (batches) => {
        const store = createPlaygroundStore();
        store.getState().applyDiff(diff({ reset: true, upserted: [up(node('node-1'))] }));
        batches.forEach((batch, i) => {
          // A batch updates its own copies in place, never the maps already published.
          const published = store.getState();
          const pods = [...published.pods];
          const nodes = [...published.nodes];
          store.getState().applyDiffs(batch.map((o) => toDiff(o, i)));
          expect([...published.pods]).toEqual(pods);
          expect([...published.nodes]).toEqual(nodes);
        });
        const s = store.getState();
        const fresh = createPlaygroundStore();
        fresh.getState().applyDiff(diff({ reset: true, upserted: [...[...s.nodes.values()].map(up), ...[...s.pods.values()].map(up)] }));
        expect(plain(s.podsByNode)).toEqual(plain(fresh.getState().podsByNode));
        expect(plain(s.nodePods)).toEqual(plain(fresh.getState().nodePods));
        for (const [name, keys] of s.podsByNode) expect(s.nodePods.get(name)?.map((p) => `default/${p.metadata?.name}`)).toEqual(keys);
        expect(plain(s.usage)).toEqual(plain(fresh.getState().usage));
      }),
      { numRuns: 300 },
    );
  });

  it('sorts naturally and rebuilds only the lists a diff touched', () => {
    const store = createPlaygroundStore();
    store.getState().applyDiff(diff({ reset: true, upserted: [up(node('node-1')), up(node('node-2')), up(pod('web-10', 'node-1')), up(pod('web-2', 'node-1')), up(pod('b', 'node-2'))] }));
    const s1 = store.getState();
    expect(s1.podsByNode.get('node-1')).toEqual(['default/web-2', 'default/web-10']);
    // web-2 moves from node-1 to node-2 (a new object under the same uid); the queue is untouched.
    store.getState().applyDiff(diff({ upserted: [up(pod('web-2', 'node-2'))] }));
    const s2 = store.getState();
    expect(s2.podsByNode.get('node-1')).toEqual(['default/web-10']);
    expect(s2.podsByNode.get('node-2')).toEqual(['default/b', 'default/web-2']);
    expect(s2.podsByNode.get('')).toBe(s1.podsByNode.get(''));
    // A status-only change keeps every list.
    store.getState().applyDiff(diff({ upserted: [up(pod('b', 'node-2', {}, 'Succeeded'))] }));
    const s3 = store.getState();
    expect(s3.podsByNode.get('node-2')).toBe(s2.podsByNode.get('node-2'));
    // …but that node's pod objects are new, and only that node's.
    expect(s3.nodePods.get('node-2')).not.toBe(s2.nodePods.get('node-2'));
    expect(s3.nodePods.get('node-2')?.[0].status?.phase).toBe('Succeeded');
    expect(s3.nodePods.get('node-1')).toBe(s2.nodePods.get('node-1'));
    expect(s3.usage.get('node-2')?.pods).toBe(1);
    expect(s3.usage.get('node-1')).toBe(s2.usage.get('node-1'));
  });
});
