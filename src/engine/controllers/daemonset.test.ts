import { describe, expect, it } from 'vitest';
import type { DaemonSet, Node } from '../api/types';
import { DaemonSetController, nodeShouldRunDaemonPod } from './daemonset';
import { FakeKubelets, FakeScheduler, TestSim, template } from './testing/sim';
import { isPodActive, isPodReady } from './controllerUtils';

function setup(readyDelay = 0) {
  const sim = new TestSim();
  sim.add(new DaemonSetController(sim));
  sim.add(new FakeScheduler(sim));
  const k = sim.add(new FakeKubelets(sim));
  k.readyDelay = readyDelay;
  sim.addNode('node-1');
  sim.addNode('node-2');
  const cp = sim.addNode('control-plane', { 'node-role.kubernetes.io/control-plane': '' });
  sim.store.update('Node', { ...cp, spec: { ...cp.spec, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } });
  return sim;
}

function ds(spec: Partial<NonNullable<DaemonSet['spec']>> = {}): DaemonSet {
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: template('agent', 'fluentd:1'), ...spec } } as DaemonSet;
}

const active = (sim: TestSim) => sim.pods().filter(isPodActive);
const nodesOf = (sim: TestSim) => active(sim).map((p) => p.spec!.nodeName).sort();
const setTaints = (sim: TestSim, name: string, taints: NonNullable<Node['spec']>['taints']) => {
  const n = sim.node(name);
  sim.store.update('Node', { ...n, spec: { ...n.spec, taints } });
  sim.settle();
};

describe('DaemonSetController', () => {
  it('runs one pod per eligible node, pinned by node affinity, with the daemon tolerations', () => {
    const sim = setup();
    sim.api.create('DaemonSet', ds());
    sim.settle();
    expect(nodesOf(sim)).toEqual(['node-1', 'node-2']); // the control plane's NoSchedule taint is not tolerated
    const pod = active(sim).find((p) => p.spec!.nodeName === 'node-1')!;
    expect(pod.metadata!.name).toMatch(/^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(pod.spec!.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms).toEqual([
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] },
    ]);
    const tolerations = pod.spec!.tolerations!.map((t) => `${t.key}:${t.effect}:${t.tolerationSeconds ?? ''}`);
    expect(tolerations).toEqual(expect.arrayContaining([
      'node.kubernetes.io/not-ready:NoExecute:',
      'node.kubernetes.io/unreachable:NoExecute:',
      'node.kubernetes.io/disk-pressure:NoSchedule:',
      'node.kubernetes.io/memory-pressure:NoSchedule:',
      'node.kubernetes.io/pid-pressure:NoSchedule:',
      'node.kubernetes.io/unschedulable:NoSchedule:',
    ]));
    expect(sim.store.get('DaemonSet', 'default', 'agent')!.status).toMatchObject({
      desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, numberAvailable: 2, updatedNumberScheduled: 2, numberMisscheduled: 0, numberUnavailable: 0,
    });
  });

  it('tolerating the control plane taint puts a pod there too; new nodes get one', () => {
    const sim = setup();
    sim.api.create('DaemonSet', ds({ template: { ...template('agent'), spec: { ...template('agent').spec, tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] } } }));
    sim.settle();
    expect(nodesOf(sim)).toEqual(['control-plane', 'node-1', 'node-2']);
    sim.addNode('node-3');
    sim.settle();
    expect(nodesOf(sim)).toEqual(['control-plane', 'node-1', 'node-2', 'node-3']);
  });

  it('follows nodeSelector, NoExecute taints (evict) and NoSchedule taints (keep, do not add)', () => {
    const sim = setup();
    sim.api.create('DaemonSet', ds({ template: { ...template('agent'), spec: { ...template('agent').spec, nodeSelector: { disk: 'ssd' } } } }));
    for (const n of ['node-1', 'node-2']) {
      const node = sim.node(n);
      sim.store.update('Node', { ...node, metadata: { ...node.metadata, labels: { ...node.metadata!.labels, disk: 'ssd' } } });
    }
    sim.settle();
    expect(nodesOf(sim)).toEqual(['node-1', 'node-2']);
    setTaints(sim, 'node-1', [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
    expect(nodesOf(sim)).toEqual(['node-1', 'node-2']);
    setTaints(sim, 'node-2', [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }]);
    expect(nodesOf(sim)).toEqual(['node-1']);
    expect(nodeShouldRunDaemonPod(sim.node('node-1'), sim.store.get('DaemonSet', 'default', 'agent')!)).toEqual({ shouldRun: false, shouldContinueRunning: true });
    const n1 = sim.node('node-1');
    sim.store.update('Node', { ...n1, metadata: { ...n1.metadata, labels: { ...n1.metadata!.labels, disk: 'hdd' } } });
    sim.settle();
    expect(nodesOf(sim)).toEqual([]);
  });

  it('counts a pod available minReadySeconds after it became ready', () => {
    const sim = setup();
    sim.api.create('DaemonSet', ds({ minReadySeconds: 20 }));
    sim.settle();
    const status = () => sim.store.get('DaemonSet', 'default', 'agent')!.status!;
    expect(status()).toMatchObject({ numberReady: 2, numberAvailable: 0, numberUnavailable: 2 });
    sim.advance(20_001);
    expect(status()).toMatchObject({ numberReady: 2, numberAvailable: 2, numberUnavailable: 0 });
  });

  it('replaces a failed daemon pod', () => {
    const sim = setup();
    sim.api.create('DaemonSet', ds());
    sim.settle();
    const p = active(sim).find((x) => x.spec!.nodeName === 'node-1')!;
    sim.store.update('Pod', { ...p, status: { ...p.status, phase: 'Failed' } });
    sim.settle();
    expect(sim.eventsWith('FailedDaemonPod')).toEqual([`Found failed daemon pod default/${p.metadata!.name} on node node-1, will try to kill it`]);
    expect(sim.store.get('Pod', 'default', p.metadata!.name!)).toBeUndefined();
    expect(nodesOf(sim)).toEqual(['node-1', 'node-2']);
  });

  it('rolls out a new template one node at a time (maxUnavailable 1)', () => {
    const sim = setup(5_000);
    sim.addNode('node-3');
    sim.api.create('DaemonSet', ds());
    sim.advance(10_000);
    const d = sim.store.get('DaemonSet', 'default', 'agent')!;
    sim.api.update('DaemonSet', { ...d, spec: { ...d.spec!, template: template('agent', 'fluentd:2') } });
    let worst = 0;
    for (let i = 0; i < 40; i++) {
      sim.advance(1_000);
      const readyNodes = new Set(active(sim).filter(isPodReady).map((p) => p.spec!.nodeName));
      worst = Math.max(worst, 3 - readyNodes.size);
    }
    expect(worst).toBe(1);
    expect(active(sim).map((p) => p.spec!.containers[0].image)).toEqual(['fluentd:2', 'fluentd:2', 'fluentd:2']);
    expect(sim.store.get('DaemonSet', 'default', 'agent')!.status).toMatchObject({ updatedNumberScheduled: 3, numberAvailable: 3 });
  });
});
