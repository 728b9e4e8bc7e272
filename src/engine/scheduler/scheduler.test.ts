import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster';
import type { Pod } from '../api/types';
import { makePod } from './testing';
import { defaultProfile } from './registry';
import { numFeasibleNodesToFind, Scheduler } from './scheduler';

function newCluster(seed = 1): Cluster {
  return new Cluster({ seed });
}

function events(c: Cluster, reason: string) {
  return c.store.list('Event').filter((e) => e.reason === reason);
}

function podScheduled(p: Pod | undefined) {
  return p?.status?.conditions?.find((c) => c.type === 'PodScheduled');
}

describe('Scheduler: binding and events', () => {
  it('binds a pod, sets PodScheduled=True and records Scheduled', () => {
    const c = newCluster();
    c.addNode('node-1');
    c.api.create('Pod', makePod('web').requests({ cpu: '100m' }).build());
    c.settle();
    const pod = c.store.get('Pod', 'default', 'web')!;
    expect(pod.spec?.nodeName).toBe('node-1');
    expect(podScheduled(pod)).toMatchObject({ type: 'PodScheduled', status: 'True' });
    const [ev] = events(c, 'Scheduled');
    expect(ev.message).toBe('Successfully assigned default/web to node-1');
    expect(ev.type).toBe('Normal');
    expect(ev.source?.component).toBe('default-scheduler');
    expect(ev.involvedObject.name).toBe('web');
  });

  it('writes the real FailedScheduling message and the PodScheduled=False condition', () => {
    const c = newCluster();
    c.addNode('control-plane', { controlPlane: true });
    c.addNode('node-1', { cpu: '1' });
    c.addNode('node-2', { cpu: '1' });
    c.api.create('Pod', makePod('big').requests({ cpu: '2' }).build());
    c.settle();
    const message =
      '0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. ' +
      'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..';
    const [ev] = events(c, 'FailedScheduling');
    expect(ev.message).toBe(message);
    expect(ev.type).toBe('Warning');
    expect(ev.source?.component).toBe('default-scheduler');
    const pod = c.store.get('Pod', 'default', 'big')!;
    expect(pod.spec?.nodeName).toBeUndefined();
    expect(podScheduled(pod)).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
  });

  it('says "Preemption is not helpful" for every node when all rejections are unresolvable', () => {
    const c = newCluster();
    c.addNode('node-1', { labels: { disk: 'hdd' } });
    c.addNode('node-2', { labels: { disk: 'hdd' } });
    c.api.create('Pod', makePod('ssd').requests({ cpu: '100m' }).nodeSelector({ disk: 'ssd' }).build());
    c.settle();
    expect(events(c, 'FailedScheduling')[0].message).toBe(
      "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling..",
    );
  });

  it('reports what is still missing after evicting every lower-priority pod', () => {
    const c = newCluster();
    c.addNode('node-1', { cpu: '1' });
    c.api.create('Pod', makePod('low').requests({ cpu: '500m' }).priority(0).build());
    c.settle();
    c.api.create('Pod', makePod('high').requests({ cpu: '2' }).priorityClass('system-cluster-critical').build());
    c.settle();
    expect(events(c, 'FailedScheduling')[0].message).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu..',
    );
  });

  it('says so when preemptionPolicy is Never', () => {
    const c = newCluster();
    c.addNode('node-1', { cpu: '1' });
    const pod = makePod('p').requests({ cpu: '2' }).build();
    c.api.create('Pod', { ...pod, spec: { ...pod.spec!, preemptionPolicy: 'Never' } });
    c.settle();
    expect(events(c, 'FailedScheduling')[0].message).toBe('0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..');
  });

  it('reports "no nodes available" in an empty cluster', () => {
    const c = newCluster();
    c.api.create('Pod', makePod('p').noRequests().build());
    c.settle();
    expect(events(c, 'FailedScheduling')[0].message).toBe('no nodes available to schedule pods');
  });

  it('leaves pods of another scheduler and already bound pods alone', () => {
    const c = newCluster();
    c.addNode('node-1');
    c.addNode('node-2');
    c.api.create('Pod', makePod('other').noRequests().schedulerName('my-scheduler').build());
    c.api.create('Pod', makePod('bound').noRequests().on('node-2').build());
    c.settle();
    expect(c.store.get('Pod', 'default', 'other')?.spec?.nodeName).toBeUndefined();
    expect(c.scheduler.explain('default', 'other')).toBeUndefined();
    expect(c.scheduler.explain('default', 'bound')).toBeUndefined();
    expect(c.store.get('Pod', 'default', 'bound')?.spec?.nodeName).toBe('node-2');
    expect(events(c, 'FailedScheduling')).toHaveLength(0);
    expect(events(c, 'Scheduled')).toHaveLength(0);
  });

  it('keeps pods off cordoned and tainted nodes and honours preferred node affinity', () => {
    const c = newCluster();
    c.addNode('cordoned');
    c.addNode('tainted');
    c.addNode('plain');
    c.addNode('preferred', { labels: { disk: 'ssd' } });
    const cordoned = c.store.get('Node', undefined, 'cordoned')!;
    c.api.updateStatus('Node', { ...cordoned, spec: { ...cordoned.spec, unschedulable: true } });
    const tainted = c.store.get('Node', undefined, 'tainted')!;
    c.api.updateStatus('Node', { ...tainted, spec: { ...tainted.spec, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } });
    for (let i = 0; i < 5; i++) {
      c.api.create(
        'Pod',
        makePod(`web-${i}`)
          .requests({ cpu: '100m', memory: '64Mi' })
          .nodeAffinity({ preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }] })
          .build(),
      );
    }
    c.settle();
    for (let i = 0; i < 5; i++) expect(c.store.get('Pod', 'default', `web-${i}`)?.spec?.nodeName).toBe('preferred');
    const why = c.scheduler.explain('default', 'web-0')!;
    expect(why.nodes[0]).toMatchObject({ node: 'preferred', chosen: true });
    const byName = Object.fromEntries(why.nodes.map((n) => [n.node, n]));
    expect(byName.cordoned.filter).toEqual({ plugin: 'NodeUnschedulable', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were unschedulable'] });
    expect(byName.tainted.filter).toMatchObject({ plugin: 'TaintToleration', reasons: ['node(s) had untolerated taint(s)'] });
    const affinity = byName.preferred.scores!.find((s) => s.plugin === 'NodeAffinity')!;
    expect(affinity).toEqual({ plugin: 'NodeAffinity', raw: 50, normalized: 100, weight: 2, weighted: 200 });
    expect(byName.plain.scores!.find((s) => s.plugin === 'NodeAffinity')?.normalized).toBe(0);
    expect(byName.preferred.total).toBe(byName.preferred.scores!.reduce((a, s) => a + s.weighted, 0));
  });
});

describe('Scheduler: topology spread', () => {
  it('spreads pods with a hard zone constraint evenly across zones', () => {
    const c = newCluster();
    c.addNode('a1', { labels: { 'topology.kubernetes.io/zone': 'a' }, cpu: '8' });
    c.addNode('a2', { labels: { 'topology.kubernetes.io/zone': 'a' }, cpu: '8' });
    c.addNode('b1', { labels: { 'topology.kubernetes.io/zone': 'b' }, cpu: '1' });
    for (let i = 0; i < 6; i++) {
      const p = makePod(`web-${i}`).requests({ cpu: '100m' }).build();
      c.api.create('Pod', {
        ...p,
        metadata: { ...p.metadata, labels: { app: 'web' } },
        spec: {
          ...p.spec!,
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
        },
      });
      c.settle();
    }
    const zoneOf = (n: string | undefined) => (n === 'b1' ? 'b' : 'a');
    const counts = { a: 0, b: 0 };
    for (const p of c.store.list('Pod')) counts[zoneOf(p.spec!.nodeName)]++;
    expect(counts).toEqual({ a: 3, b: 3 });
  });
});

describe('Scheduler: queue and retries', () => {
  it('holds a pod with scheduling gates (SchedulingGated) until the gates are removed', () => {
    const c = newCluster();
    c.addNode('node-1');
    const p = makePod('gated').requests({ cpu: '100m' }).build();
    c.api.create('Pod', { ...p, spec: { ...p.spec!, schedulingGates: [{ name: 'example.com/quota' }] } });
    c.advance(60_000);
    let pod = c.store.get('Pod', 'default', 'gated')!;
    expect(pod.spec?.nodeName).toBeUndefined();
    expect(podScheduled(pod)).toMatchObject({ status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' });
    expect(events(c, 'FailedScheduling')).toHaveLength(0);
    c.api.updateStatus('Pod', { ...pod, spec: { ...pod.spec!, schedulingGates: [] } });
    c.settle();
    pod = c.store.get('Pod', 'default', 'gated')!;
    expect(pod.spec?.nodeName).toBe('node-1');
    expect(podScheduled(pod)).toMatchObject({ status: 'True' });
  });


  it('retries an unschedulable pod when a node is added, after its 1s backoff', () => {
    const c = newCluster();
    c.addNode('node-1', { cpu: '1' });
    c.api.create('Pod', makePod('big').requests({ cpu: '2' }).build());
    c.settle();
    c.advance(500);
    c.addNode('node-2', { cpu: '4' });
    c.advance(499); // t = 999
    expect(c.store.get('Pod', 'default', 'big')?.spec?.nodeName).toBeUndefined();
    c.advance(1); // t = 1000: backoff (1s from the failure at t = 0) over
    expect(c.store.get('Pod', 'default', 'big')?.spec?.nodeName).toBe('node-2');
    expect(c.scheduler.explain('default', 'big')).toMatchObject({ time: 1000, attempt: 2, result: 'Scheduled' });
  });

  it('doubles the backoff with each failed attempt', () => {
    const c = newCluster();
    c.addNode('node-1', { cpu: '1' });
    c.api.create('Pod', makePod('big').requests({ cpu: '2' }).build());
    c.settle();
    const attempts: number[] = [];
    // A node change every 100ms that concerns NodeResourcesFit (allocatable) but never helps.
    for (let t = 100; t <= 16_000; t += 100) {
      c.advance(100);
      const n = c.store.get('Node', undefined, 'node-1')!;
      const alloc = { ...n.status!.allocatable, memory: `${8000 + t}Mi` };
      c.api.updateStatus('Node', { ...n, status: { ...n.status, allocatable: alloc } });
      c.settle();
      const why = c.scheduler.explain('default', 'big')!;
      if (why.attempt > attempts.length) attempts.push(why.time);
    }
    // Attempts at 0, then each backoff (1s, 2s, 4s, 8s) counted from the previous failure, the
    // first event after it having moved the pod to the backoff queue.
    expect(attempts).toEqual([0, 1000, 3000, 7000, 15000]);
  });

  it('retries a pod left unschedulable without events after 5 minutes (on the 30s flush)', () => {
    const c = newCluster();
    c.addNode('node-1', { cpu: '1' });
    c.api.create('Pod', makePod('big').requests({ cpu: '2' }).build());
    c.settle();
    c.advance(329_000);
    expect(events(c, 'FailedScheduling')[0].count).toBe(1);
    c.advance(1_000);
    expect(events(c, 'FailedScheduling')[0].count).toBe(2);
    expect(c.scheduler.explain('default', 'big')?.time).toBe(330_000);
  });

  it('retries when an assigned pod is deleted and frees room', () => {
    const c = newCluster();
    c.addNode('node-1', { cpu: '1' });
    c.api.create('Pod', makePod('a').requests({ cpu: '800m' }).build());
    c.settle();
    c.api.create('Pod', makePod('b').requests({ cpu: '800m' }).build());
    c.settle();
    expect(c.store.get('Pod', 'default', 'b')?.spec?.nodeName).toBeUndefined();
    c.api.delete('Pod', 'default', 'a', { force: true, gracePeriodSeconds: 0 });
    c.advance(1000);
    expect(c.store.get('Pod', 'default', 'b')?.spec?.nodeName).toBe('node-1');
  });

  it('forgets a pending pod that is deleted', () => {
    const c = newCluster();
    c.addNode('node-1', { cpu: '1' });
    c.api.create('Pod', makePod('big').requests({ cpu: '2' }).build());
    c.settle();
    c.api.delete('Pod', 'default', 'big');
    c.advance(400_000);
    expect(c.scheduler.queue.sizes()).toEqual({ active: 0, backoff: 0, unschedulable: 0, inFlight: 0 });
  });
});

describe('percentageOfNodesToScore', () => {
  // Mirrors TestNumFeasibleNodesToFind in pkg/scheduler/schedule_one_test.go.
  it.each([
    { pct: 0, nodes: 10, want: 10 },
    { pct: 40, nodes: 10, want: 10 },
    { pct: 0, nodes: 1000, want: 420 },
    { pct: 40, nodes: 1000, want: 400 },
    { pct: 0, nodes: 6000, want: 300 },
    { pct: 40, nodes: 6000, want: 2400 },
    { pct: 0, nodes: 100, want: 100 },
    { pct: 0, nodes: 200, want: 100 },
    { pct: 0, nodes: 5000, want: 500 },
    { pct: 1, nodes: 1000, want: 100 },
  ])('$pct% of $nodes nodes → $want', ({ pct, nodes, want }) => {
    expect(numFeasibleNodesToFind(pct, nodes)).toBe(want);
  });

  it('evaluates only enough nodes and rotates the starting node between pods', () => {
    const c = newCluster();
    for (let i = 1; i <= 200; i++) c.api.create('Node', nodeObject(`node-${i}`));
    c.api.create('Pod', makePod('a').requests({ cpu: '10m' }).build());
    c.api.create('Pod', makePod('b').requests({ cpu: '10m' }).build());
    c.settle();
    const a = c.scheduler.explain('default', 'a')!;
    const b = c.scheduler.explain('default', 'b')!;
    expect(a.evaluatedNodes).toBe(100);
    expect(b.evaluatedNodes).toBe(100);
    const seenA = new Set(a.nodes.map((n) => n.node));
    const seenB = new Set(b.nodes.map((n) => n.node));
    expect(seenA.size).toBe(100);
    expect([...seenB].filter((n) => seenA.has(n))).toEqual([]);
  });

  it('wraps the starting node when nodes were removed since the last pod', () => {
    const c = newCluster();
    for (let i = 1; i <= 200; i++) c.api.create('Node', nodeObject(`node-${i}`));
    c.api.create('Pod', makePod('a').requests({ cpu: '10m' }).build());
    c.settle();
    // The next walk would start at the 101st node; only 60 remain.
    for (let i = 61; i <= 200; i++) c.api.delete('Node', undefined, `node-${i}`);
    c.api.create('Pod', makePod('b').requests({ cpu: '10m' }).build());
    c.settle();
    const b = c.scheduler.explain('default', 'b')!;
    expect(b.result).toBe('Scheduled');
    expect(b.evaluatedNodes).toBe(60);
  });
});

function nodeObject(name: string, cpu = '4', memory = '8Gi', pods = '110', labels: Record<string, string> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    spec: {},
    status: { capacity: { cpu, memory, pods }, allocatable: { cpu, memory, pods } },
  } as const satisfies import('../api/types').Node;
}

describe('Scheduler: determinism and ties', () => {
  function placements(seed: number): string[] {
    const c = newCluster(seed);
    for (let i = 1; i <= 12; i++) c.api.create('Node', nodeObject(`node-${i}`, i % 3 === 0 ? '8' : '4'));
    for (let i = 0; i < 60; i++) c.api.create('Pod', makePod(`p-${i}`).requests({ cpu: `${100 + (i % 5) * 100}m`, memory: '256Mi' }).build());
    c.settle();
    return c.store.list('Pod').map((p) => `${p.metadata!.name}@${p.spec!.nodeName}`);
  }

  it('places pods identically for the same seed', () => {
    expect(placements(7)).toEqual(placements(7));
  });

  it('breaks ties between identical nodes with the seeded PRNG', () => {
    const first = new Set<string>();
    for (let seed = 1; seed <= 12; seed++) {
      const c = newCluster(seed);
      for (let i = 1; i <= 5; i++) c.api.create('Node', nodeObject(`node-${i}`));
      c.api.create('Pod', makePod('p').requests({ cpu: '100m' }).build());
      c.settle();
      first.add(c.store.get('Pod', 'default', 'p')!.spec!.nodeName!);
    }
    expect(first.size).toBeGreaterThan(1);
  });
});

describe('Scheduler.explain', () => {
  it('explains a Pending pod: every node, its rejecting plugin and the preemption verdict', () => {
    const c = newCluster();
    c.addNode('control-plane', { controlPlane: true });
    c.addNode('node-1', { cpu: '1' });
    c.api.create('Pod', makePod('big').requests({ cpu: '2' }).build());
    c.settle();
    const why = c.scheduler.explain('default', 'big')!;
    expect(why).toMatchObject({ pod: 'default/big', result: 'Unschedulable', numAllNodes: 2, evaluatedNodes: 2, feasibleNodes: 0, attempt: 1 });
    expect(why.message).toMatch(/^0\/2 nodes are available: 1 Insufficient cpu, 1 node\(s\) had untolerated taint\(s\)\./);
    expect(why.nodes).toEqual([
      { node: 'control-plane', filter: { plugin: 'TaintToleration', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint(s)'] } },
      { node: 'node-1', filter: { plugin: 'NodeResourcesFit', code: 'Unschedulable', reasons: ['Insufficient cpu'] } },
    ]);
    expect(why.preemption).toEqual([
      { node: 'control-plane', reasons: ['Preemption is not helpful for scheduling'] },
      { node: 'node-1', reasons: ['No preemption victims found for incoming pod'] },
    ]);
  });

  it('remembers a bounded number of decisions, forgetting the oldest', () => {
    const c = newCluster();
    c.addNode('node-1');
    const tiny = new Scheduler(c, { explainCapacity: 2, profile: { ...defaultProfile(), schedulerName: 'tiny' } });
    for (const name of ['a', 'b', 'c']) c.api.create('Pod', makePod(name).requests({ cpu: '10m' }).schedulerName('tiny').build());
    c.settle(); // the default scheduler ignores them
    expect(c.store.get('Pod', 'default', 'a')?.spec?.nodeName).toBeUndefined();
    while (tiny.hasWork()) tiny.runOnce();
    expect(c.store.get('Pod', 'default', 'a')?.spec?.nodeName).toBe('node-1');
    expect(tiny.explain('default', 'a')).toBeUndefined();
    expect(tiny.explain('default', 'b')?.node).toBe('node-1');
    expect(tiny.explain('default', 'c')?.node).toBe('node-1');
  });

  it('counts a pod decided again as the newest decision when forgetting', () => {
    const c = newCluster();
    c.api.create('Node', nodeObject('small', '1'));
    const tiny = new Scheduler(c, { explainCapacity: 2, profile: { ...defaultProfile(), schedulerName: 'tiny' } });
    const drain = () => {
      while (tiny.hasWork()) tiny.runOnce();
    };
    c.api.create('Pod', makePod('a').requests({ cpu: '2' }).schedulerName('tiny').build());
    drain();
    expect(tiny.explain('default', 'a')?.result).toBe('Unschedulable');
    c.api.create('Pod', makePod('b').requests({ cpu: '10m' }).schedulerName('tiny').build());
    drain();
    // A bigger node lets `a` fit: after its backoff it is decided again, after `b`.
    c.api.create('Node', nodeObject('big', '8'));
    c.advance(2000);
    drain();
    expect(tiny.explain('default', 'a')).toMatchObject({ result: 'Scheduled', node: 'big', attempt: 2 });
    c.api.create('Pod', makePod('c').requests({ cpu: '10m' }).schedulerName('tiny').build());
    drain();
    // Three pods, room for two: `b` is the oldest now, not `a`.
    expect(tiny.explain('default', 'b')).toBeUndefined();
    expect(tiny.explain('default', 'a')?.node).toBe('big');
    expect(tiny.explain('default', 'c')?.result).toBe('Scheduled');
  });

  it('keeps exactly the newest decisions over a long run', () => {
    const c = newCluster();
    c.api.create('Node', nodeObject('node-1', '64', '64Gi', '5000'));
    const tiny = new Scheduler(c, { explainCapacity: 3, profile: { ...defaultProfile(), schedulerName: 'tiny' } });
    for (let i = 0; i < 2500; i++) c.api.create('Pod', makePod(`p-${i}`).requests({ cpu: '10m' }).schedulerName('tiny').build());
    while (tiny.hasWork()) tiny.runOnce();
    const remembered = Array.from({ length: 2500 }, (_, i) => `p-${i}`).filter((n) => tiny.explain('default', n));
    expect(remembered).toEqual(['p-2497', 'p-2498', 'p-2499']);
  });
});
