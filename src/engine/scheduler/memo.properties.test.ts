import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster';
import type { Node, Pod } from '../api/types';
import { makePod } from './testing';
import { DEFAULT_TOTALS_CAPACITY, NAME as SPREAD_NAME, type PodTopologySpread } from './plugins/podTopologySpread';

/**
 * The scheduler's speed-ups (filter verdicts and node-local scores memoised per pod shape in shape
 * views, PodTopologySpread's per-node tables, incremental totals and early PreScore exit) must not change
 * a single decision: the same operations on a cluster with `memoize = false`, which recomputes
 * everything every cycle, give the same placements and the same explained scores.
 */

type Op =
  | { op: 'pods'; count: number; cpu: number; app: number; spread: 0 | 1 | 2 | 3; selector: boolean; tolerate: boolean }
  | { op: 'delete'; index: number }
  | { op: 'node'; cpu: number; zone: number; taint: boolean }
  | { op: 'relabel'; index: number; zone: number; rack: number }
  | { op: 'cordon'; index: number }
  | { op: 'deleteNode'; index: number }
  | { op: 'service'; app: number }
  | { op: 'advance'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('pods' as const),
      count: fc.integer({ min: 1, max: 6 }),
      cpu: fc.integer({ min: 0, max: 1500 }),
      app: fc.nat(2),
      spread: fc.constantFrom(0 as const, 0 as const, 1 as const, 2 as const, 3 as const),
      selector: fc.boolean(),
      tolerate: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), index: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('node' as const), cpu: fc.integer({ min: 1, max: 4 }), zone: fc.nat(3), taint: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('relabel' as const), index: fc.nat(), zone: fc.nat(3), rack: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cordon' as const), index: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('deleteNode' as const), index: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('service' as const), app: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 20_000 }) }) },
);

/** The same operations with four pod sizes only: few shapes, each coming back often (views reused across changes). */
const CPU_SIZES = [0, 300, 700, 1200];
const fewShapesOpArb: fc.Arbitrary<Op> = opArb.map((o) => (o.op === 'pods' ? { ...o, cpu: CPU_SIZES[o.cpu % CPU_SIZES.length] } : o));

/**
 * Spread constraints per `spread`: none, zone (ScheduleAnyway), hostname (DoNotSchedule), rack
 * (ScheduleAnyway): a key whose change, unlike a zone's, does not rebuild the scheduler's node list.
 */
const SPREAD: Record<1 | 2 | 3, { topologyKey: string; whenUnsatisfiable: 'ScheduleAnyway' | 'DoNotSchedule' }> = {
  1: { topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
  2: { topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' },
  3: { topologyKey: 'example.com/rack', whenUnsatisfiable: 'ScheduleAnyway' },
};

/** Rack 2 (and up) means "no rack label". */
const rackLabels = (rack: number): Record<string, string> => (rack < 2 ? { 'example.com/rack': `rack-${rack}` } : {});

/** Zone 3 means "no zone label" (nodes may lack the key). */
const zoneLabels = (zone: number): Record<string, string> => (zone < 3 ? { 'topology.kubernetes.io/zone': `zone-${zone}` } : {});

function apply(c: Cluster, o: Op, serial: { pod: number; node: number; svc: number }): void {
  switch (o.op) {
    case 'pods':
      for (let i = 0; i < o.count; i++) {
        let b = o.cpu > 0 ? makePod(`p-${serial.pod++}`).requests({ cpu: `${o.cpu}m`, memory: '64Mi' }) : makePod(`p-${serial.pod++}`).noRequests();
        if (o.selector) b = b.nodeSelector({ tier: 'a' });
        if (o.tolerate) b = b.tolerations({ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' });
        const built = b.build();
        const spec = built.spec!;
        const pod: Pod = {
          ...built,
          metadata: { ...built.metadata, uid: undefined, labels: { app: `app-${o.app}` } },
          spec:
            o.spread === 0
              ? spec
              : {
                  ...spec,
                  topologySpreadConstraints: [
                    {
                      maxSkew: 1,
                      ...SPREAD[o.spread],
                      labelSelector: { matchLabels: { app: `app-${o.app}` } },
                    },
                  ],
                },
        };
        c.api.create('Pod', pod);
      }
      break;
    case 'delete': {
      const pods = c.store.list('Pod');
      if (pods.length) c.api.delete('Pod', 'default', pods[o.index % pods.length].metadata!.name!, { force: true, gracePeriodSeconds: 0 });
      break;
    }
    case 'node': {
      const name = `node-${serial.node++}`;
      c.addNode(name, { cpu: String(o.cpu), memory: '4Gi', maxPods: 8, labels: { ...zoneLabels(o.zone), ...rackLabels(o.zone % 3), ...(o.cpu % 2 ? { tier: 'a' } : {}) } });
      if (o.taint) {
        const n = c.store.get('Node', undefined, name)!;
        c.api.update('Node', { ...n, spec: { ...n.spec, taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] } });
      }
      break;
    }
    case 'relabel': {
      const list = c.store.list('Node');
      const n = list[o.index % list.length] as Node;
      const labels = { ...n.metadata!.labels };
      delete labels['topology.kubernetes.io/zone'];
      delete labels['example.com/rack'];
      c.api.update('Node', { ...n, metadata: { ...n.metadata, labels: { ...labels, ...zoneLabels(o.zone), ...rackLabels(o.rack) } } });
      break;
    }
    case 'cordon': {
      const list = c.store.list('Node');
      const n = list[o.index % list.length] as Node;
      c.api.update('Node', { ...n, spec: { ...n.spec, unschedulable: !n.spec?.unschedulable } });
      break;
    }
    case 'deleteNode': {
      const list = c.store.list('Node');
      if (list.length > 1) c.api.delete('Node', undefined, list[o.index % list.length].metadata!.name!);
      break;
    }
    case 'service':
      c.api.create('Service', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `svc-${serial.svc++}`, namespace: 'default' },
        spec: { selector: { app: `app-${o.app}` }, ports: [{ port: 80 }] },
      });
      break;
    case 'advance':
      c.advance(o.ms);
      break;
  }
}

/** Each pod's node, and the scheduler's last explained decision about it (scores included). */
function decisions(c: Cluster): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of c.store.values('Pod')) {
    const name = p.metadata!.name!;
    const e = c.scheduler.explain('default', name);
    out[name] = {
      node: p.spec?.nodeName ?? null,
      result: e?.result,
      message: e?.message,
      evaluated: e?.evaluatedNodes,
      nodes: e?.nodes.map((n) => [n.node, n.total ?? null, n.scores?.map((s) => [s.plugin, s.raw, s.normalized]) ?? null, typeof n.filter === 'string' ? n.filter : n.filter.reasons]),
    };
  }
  return out;
}

function spreadPlugin(c: Cluster): PodTopologySpread {
  return c.scheduler.framework.plugins.find((p) => p.name === SPREAD_NAME) as PodTopologySpread;
}

/** Run `ops` on a memoising cluster (tuned by `tune`) and on one recomputing everything; compare after each. */
function sameAsRecomputing(seed: number, ops: Op[], tune?: (c: Cluster) => void): void {
  const fast = new Cluster({ seed, recordEvents: false });
  const slow = new Cluster({ seed, recordEvents: false });
  slow.scheduler.memoize = false;
  tune?.(fast);
  const serials = [
    { pod: 0, node: 1, svc: 0 },
    { pod: 0, node: 1, svc: 0 },
  ];
  [fast, slow].forEach((c, i) => {
    apply(c, { op: 'node', cpu: 2, zone: 0, taint: false }, serials[i]);
    apply(c, { op: 'node', cpu: 3, zone: 1, taint: false }, serials[i]);
  });
  for (const o of ops) {
    apply(fast, o, serials[0]);
    apply(slow, o, serials[1]);
    fast.settle();
    slow.settle();
    expect(decisions(fast)).toEqual(decisions(slow));
  }
}

describe('Scheduler memoisation (fast-check)', () => {
  it('gives the same placements and explained scores as recomputing everything every cycle', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(opArb, { minLength: 1, maxLength: 30 }), (seed, ops) => sameAsRecomputing(seed, ops)),
      { numRuns: 40 },
    );
  });

  it('stays the same when shape views are evicted and recycled and readers fall off the change log', () => {
    // One, two or the default 16 views for a few recurring pod shapes (and more with node selectors, tolerations
    // and spread constraints), and a change log a few entries long: views are recycled for other
    // shapes, fall behind the log's start, and see node lists rebuilt by node additions, deletions
    // and zone changes between pods.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fewShapesOpArb, { minLength: 1, maxLength: 30 }),
        fc.constantFrom(1, 2, 16),
        fc.integer({ min: 1, max: 6 }),
        (seed, ops, views, logLimit) =>
          sameAsRecomputing(seed, ops, (c) => {
            c.scheduler.framework.shapeViews.capacity = views;
            c.scheduler.cache.changeLogLimit = logLimit;
            // One or two totals for up to three apps' default selectors: totals are dropped and recounted.
            spreadPlugin(c).totalsCapacity = views === 16 ? DEFAULT_TOTALS_CAPACITY : views;
          }),
      ),
      { numRuns: 40 },
    );
  });

  it('keeps PodTopologySpread totals bounded over many default selectors (rollouts), deciding as before', () => {
    // Each app is a new default selector (a Service selecting it), as each rollout's pod-template-hash is:
    // more than the bound, then the first apps again (their totals dropped, recounted from scratch).
    const apps = DEFAULT_TOTALS_CAPACITY + 8;
    // Room for every pod (8 per node).
    const ops: Op[] = Array.from({ length: 10 }, (_, i): Op => ({ op: 'node', cpu: 4, zone: i % 3, taint: false }));
    for (let app = 0; app < apps; app++) ops.push({ op: 'service', app }, { op: 'pods', count: 1, cpu: 0, app, spread: 0, selector: false, tolerate: false });
    for (let app = 0; app < 4; app++) ops.push({ op: 'delete', index: app * 7 }, { op: 'pods', count: 2, cpu: 0, app, spread: 0, selector: false, tolerate: false });
    let fast: Cluster | undefined;
    sameAsRecomputing(7, ops, (c) => {
      fast = c;
      c.scheduler.cache.changeLogLimit = 3;
    });
    expect(spreadPlugin(fast!).totalsSize).toBe(DEFAULT_TOTALS_CAPACITY);
  });

  it('starts a topology column afresh once nodes were relabelled with far more values than nodes, deciding as before', () => {
    const build = (memoize: boolean): Cluster => {
      const c = new Cluster({ seed: 3, recordEvents: false });
      c.scheduler.memoize = memoize;
      for (let i = 0; i < 3; i++) c.addNode(`node-${i}`, { labels: rackLabels(i % 2) });
      return c;
    };
    const fast = build(true);
    const slow = build(false);
    const rounds = 100;
    for (let r = 0; r < rounds; r++) {
      for (const c of [fast, slow]) {
        // A rack value never seen before on one node (a rack label change keeps the scheduler's node list).
        const n = c.store.get('Node', undefined, `node-${r % 3}`)!;
        c.api.update('Node', { ...n, metadata: { ...n.metadata, labels: { ...n.metadata!.labels, 'example.com/rack': `rack-r${r}` } } });
        apply(c, { op: 'pods', count: 1, cpu: 0, app: r % 2, spread: 3, selector: false, tolerate: false }, { pod: r, node: 0, svc: 0 });
        c.settle();
      }
      expect(decisions(fast)).toEqual(decisions(slow));
    }
    // 100 values seen on 3 nodes: the interning was started afresh on the way (bound: 2 × nodes + 64).
    const column = spreadPlugin(fast)['columns'].get('example.com/rack')!;
    expect(column.ids.size).toBeLessThanOrEqual(2 * 3 + 64 + 3);
  });
});
