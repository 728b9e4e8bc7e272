import { describe, expect, it } from 'vitest';
import type { Pod, ReplicaSet, Taint, Toleration } from '../api/types';
import { minTolerationTime, TaintEvictionController } from './taintEviction';
import { NodeLifecycleController } from './nodeLifecycle';
import { ReplicaSetController } from './replicaset';
import { FakeKubelets, FakeScheduler, TestSim, template } from './testing/sim';
import { isPodActive } from './controllerUtils';

const S = 1000;
const unreachable = (timeAdded?: string): Taint => ({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', ...(timeAdded ? { timeAdded } : {}) });
const defaultTolerations: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

function setup() {
  const sim = new TestSim();
  const tec = sim.add(new TaintEvictionController(sim));
  sim.addNode('node-1');
  sim.settle();
  return { sim, tec };
}

function bind(sim: TestSim, name: string, tolerations?: Toleration[]): Pod {
  return sim.api.create('Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'node-1', tolerations, containers: [{ name: 'c', image: 'nginx' }] } });
}

function taint(sim: TestSim, taints: Taint[]) {
  const n = sim.node('node-1');
  sim.store.update('Node', { ...n, spec: { ...n.spec, taints: taints.length ? taints : undefined } });
  sim.settle();
}

const pod = (sim: TestSim, name: string) => sim.store.get('Pod', 'default', name);

describe('getMinTolerationTime', () => {
  it.each([
    [[], 0],
    [[{ tolerationSeconds: 300 }, { tolerationSeconds: 60 }], 60_000],
    [[{}, { tolerationSeconds: 60 }], 60_000],
    [[{}], -1],
    [[{ tolerationSeconds: 0 }, {}], 0],
    [[{ tolerationSeconds: -5 }], 0],
  ] as [Toleration[], number][])('%j → %i', (tols, want) => {
    expect(minTolerationTime(tols)).toBe(want);
  });
});

describe('TaintEvictionController', () => {
  it('deletes a pod that does not tolerate a NoExecute taint at once, after marking it', () => {
    const { sim } = setup();
    bind(sim, 'web'); // admission gives it the default not-ready/unreachable tolerations, not this one
    taint(sim, [{ key: 'example.com/maintenance', effect: 'NoExecute', timeAdded: sim.clock.timestamp() }]);
    const p = pod(sim, 'web')!;
    expect(p.metadata!.deletionTimestamp).toBeDefined(); // graceful: Terminating, waits for its kubelet
    expect(p.status!.conditions!.find((c) => c.type === 'DisruptionTarget')).toEqual(
      { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: '2026-01-01T00:00:00Z' },
    );
    expect(sim.eventsWith('TaintManagerEviction')).toEqual(['Marking for deletion Pod default/web']);
  });

  it('deletes a tolerating pod when its tolerationSeconds run out (300s)', () => {
    const { sim, tec } = setup();
    bind(sim, 'web', defaultTolerations);
    sim.advance(7 * S);
    taint(sim, [unreachable(sim.clock.timestamp())]);
    expect(tec.scheduledEviction('default', 'web')).toBe(307 * S);
    sim.advance(300 * S - 1);
    expect(pod(sim, 'web')!.metadata!.deletionTimestamp).toBeUndefined();
    sim.advance(1);
    expect(pod(sim, 'web')!.metadata!.deletionTimestamp).toBeDefined();
    // It stays Terminating: no kubelet confirms, and the taint manager does not delete it twice.
    sim.advance(600 * S);
    expect(pod(sim, 'web')).toBeDefined();
    expect(sim.eventsWith('TaintManagerEviction')).toEqual(['Marking for deletion Pod default/web']);
  });

  it('uses the shortest matching toleration and ignores tolerations forever', () => {
    const { sim } = setup();
    bind(sim, 'short', [...defaultTolerations, { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }].reverse());
    bind(sim, 'forever', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }]);
    taint(sim, [unreachable()]);
    sim.advance(30 * S);
    expect(pod(sim, 'short')!.metadata!.deletionTimestamp).toBeDefined();
    sim.advance(3600 * S);
    expect(pod(sim, 'forever')!.metadata!.deletionTimestamp).toBeUndefined();
  });

  it('cancels the eviction when the taint goes away', () => {
    const { sim, tec } = setup();
    bind(sim, 'web', defaultTolerations);
    taint(sim, [unreachable()]);
    sim.advance(100 * S);
    taint(sim, []);
    expect(tec.scheduledEviction('default', 'web')).toBeUndefined();
    expect(sim.eventsWith('TaintManagerEviction')).toEqual(['Cancelling deletion of Pod default/web']);
    sim.advance(600 * S);
    expect(pod(sim, 'web')!.metadata!.deletionTimestamp).toBeUndefined();
  });

  it('counts a pod bound to an already tainted node from when it arrives', () => {
    const { sim } = setup();
    taint(sim, [unreachable()]);
    sim.advance(100 * S);
    bind(sim, 'late', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }]);
    sim.settle();
    sim.advance(60 * S - 1);
    expect(pod(sim, 'late')!.metadata!.deletionTimestamp).toBeUndefined();
    sim.advance(1);
    expect(pod(sim, 'late')!.metadata!.deletionTimestamp).toBeDefined();
  });

  it('a pod bound to an untainted node that is tainted in the same instant is still counted', () => {
    const { sim, tec } = setup();
    // No settle between: the bind and the taint reach the controller in the same pass.
    bind(sim, 'web', defaultTolerations);
    const n = sim.node('node-1');
    sim.store.update('Node', { ...n, spec: { ...n.spec, taints: [unreachable()] } });
    sim.settle();
    expect(tec.scheduledEviction('default', 'web')).toBe(sim.clock.now() + 300 * S);
  });

  it('forgets the pending eviction of a pod deleted while it waits (no cancel event: the pod is gone)', () => {
    const { sim, tec } = setup();
    bind(sim, 'web', defaultTolerations);
    sim.settle();
    taint(sim, [unreachable()]);
    expect(tec.scheduledEviction('default', 'web')).toBeDefined();
    sim.api.delete('Pod', 'default', 'web', { gracePeriodSeconds: 0, force: true });
    sim.settle();
    expect(pod(sim, 'web')).toBeUndefined();
    expect(tec.scheduledEviction('default', 'web')).toBeUndefined();
    // A new pod of the same name is not evicted on the old one's schedule.
    bind(sim, 'web', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }]);
    sim.advance(400 * S);
    expect(pod(sim, 'web')!.metadata!.deletionTimestamp).toBeUndefined();
    expect(sim.eventsWith('TaintManagerEviction')).toEqual([]);
  });

  it('end to end: a dead node\'s ReplicaSet pod is replaced about 50s + 300s later and stays Terminating', () => {
    const sim = new TestSim();
    sim.add(new ReplicaSetController(sim));
    sim.add(new NodeLifecycleController(sim));
    sim.add(new TaintEvictionController(sim));
    sim.add(new FakeScheduler(sim));
    sim.add(new FakeKubelets(sim));
    for (const n of ['node-1', 'node-2', 'node-3']) sim.addNode(n);
    const t = template('web');
    sim.api.create('ReplicaSet', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { ...t, spec: { ...t.spec, tolerations: defaultTolerations } } },
    } as ReplicaSet);
    sim.advance(1 * S);
    const victim = sim.store.podsOnNode('node-2')[0];
    expect(victim).toBeDefined();
    // The controller first saw the nodes (and their leases) on its tick at t=5s.
    sim.faults.setPower('node-2', 'Off'); // at t=1s: no renewal at t=10s
    sim.advance(58 * S); // t=59s
    const readyOf = () => sim.store.get('Pod', 'default', victim.metadata!.name!)!.status!.conditions!.find((c) => c.type === 'Ready')!.status;
    expect(readyOf()).toBe('True');
    sim.advance(1 * S); // t=60s: first tick past 5s + 50s → Unknown; NoExecute taint on the next tick (65s)
    expect(readyOf()).toBe('False');
    sim.advance(304 * S); // t=364s
    expect(sim.store.get('Pod', 'default', victim.metadata!.name!)!.metadata!.deletionTimestamp).toBeUndefined();
    sim.advance(1 * S); // t=365s = 65s + 300s
    const gone = sim.store.get('Pod', 'default', victim.metadata!.name!)!;
    expect(gone.metadata!.deletionTimestamp).toBeDefined();
    const active = sim.pods().filter(isPodActive);
    expect(active).toHaveLength(3);
    expect(active.every((p) => p.spec!.nodeName !== 'node-2')).toBe(true);
    sim.advance(600 * S);
    expect(sim.store.get('Pod', 'default', victim.metadata!.name!)).toBeDefined(); // Terminating while the node is gone
    sim.faults.setPower('node-2', 'On');
    sim.advance(20 * S);
    expect(sim.store.get('Pod', 'default', victim.metadata!.name!)).toBeUndefined(); // its kubelet finished the deletion
    expect(sim.node('node-2').spec?.taints).toBeUndefined();
  });
});

describe('scheduledEvictionsOn (what the canvas counts down)', () => {
  it('eviction = taint timeAdded + tolerationSeconds, per pod, soonest first; none for a pod being deleted', () => {
    const { sim, tec } = setup();
    bind(sim, 'slow', defaultTolerations);
    bind(sim, 'fast', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]);
    bind(sim, 'leaving', defaultTolerations);
    sim.settle();
    sim.advance(60 * S);
    // 2026-01-01T00:01:00Z is t = 60 s on the simulation's clock.
    taint(sim, [unreachable('2026-01-01T00:01:00Z')]);
    expect(tec.taintedNodeNames()).toEqual(['node-1']);
    expect(tec.scheduledEvictionsOn('node-1')).toEqual([
      { pod: 'default/fast', at: 90_000 },
      { pod: 'default/leaving', at: 360_000 },
      { pod: 'default/slow', at: 360_000 },
    ]);
    sim.api.delete('Pod', 'default', 'leaving');
    sim.settle();
    expect(tec.scheduledEvictionsOn('node-1').map((e) => e.pod)).toEqual(['default/fast', 'default/slow']);
    taint(sim, []);
    expect(tec.scheduledEvictionsOn('node-1')).toEqual([]);
  });
});
