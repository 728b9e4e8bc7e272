import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../api/types';
import { NodeLifecycleController, TokenBucket } from './nodeLifecycle';
import { FakeKubelets, TestSim } from './testing/sim';

const S = 1000;

function setup(nodes: { name: string; zone?: string }[], opts: { kubelet?: boolean } = {}) {
  const sim = new TestSim();
  const nlc = sim.add(new NodeLifecycleController(sim));
  if (opts.kubelet !== false) sim.add(new FakeKubelets(sim));
  for (const n of nodes) sim.addNode(n.name, n.zone ? { 'topology.kubernetes.io/zone': n.zone } : {});
  sim.settle();
  return { sim, nlc };
}

const ready = (n: Node) => n.status!.conditions!.find((c) => c.type === 'Ready')!;
const taintsOf = (sim: TestSim, name: string) => (sim.node(name).spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
const noExecuteAt = (sim: TestSim, name: string) => sim.node(name).spec?.taints?.find((t) => t.effect === 'NoExecute')?.timeAdded;

function boundPod(sim: TestSim, name: string, node: string): Pod {
  const now = sim.clock.timestamp();
  const p = sim.api.create('Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx' }] } });
  return sim.store.update('Pod', { ...p, status: { phase: 'Running', conditions: [{ type: 'ContainersReady', status: 'True', lastTransitionTime: now }, { type: 'Ready', status: 'True', lastTransitionTime: now }] } });
}

describe('NodeLifecycleController', () => {
  it('registers nodes (RegisteredNode event)', () => {
    const { sim } = setup([{ name: 'node-1' }]);
    expect(sim.eventsWith('RegisteredNode')).toEqual(['Node node-1 event: Registered Node node-1 in Controller']);
  });

  it('turns a silent node Unknown on the first 5s tick more than 50s after its last observed renewal', () => {
    const { sim } = setup([{ name: 'node-1' }, { name: 'node-2' }]);
    boundPod(sim, 'web', 'node-2');
    sim.advance(95 * S); // leases renewed at 0, 10, …, 90
    sim.faults.setPower('node-2', 'Off');
    sim.advance(45 * S); // t = 140s: 50s after the renewal seen at 90s, not yet past it
    expect(ready(sim.node('node-2')).status).toBe('True');
    expect(sim.eventsWith('NodeNotReady')).toEqual([]);
    sim.advance(5 * S); // t = 145s
    const conds = sim.node('node-2').status!.conditions!;
    for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      expect(conds.find((c) => c.type === type)).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: '2026-01-01T00:02:25Z' });
    }
    expect(ready(sim.node('node-1')).status).toBe('True');
    expect(sim.eventsWith('NodeNotReady')).toEqual(['Node node-2 status is now: NodeNotReady', 'Node is not ready']);
    const pod = sim.store.get('Pod', 'default', 'web')!;
    expect(pod.status!.conditions!.find((c) => c.type === 'Ready')!.status).toBe('False');
    expect(pod.status!.phase).toBe('Running');
    // NoSchedule at once; NoExecute goes through the eviction queue on the next tick.
    expect(taintsOf(sim, 'node-2')).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    sim.advance(5 * S);
    expect(taintsOf(sim, 'node-2')).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    expect(noExecuteAt(sim, 'node-2')).toBe('2026-01-01T00:02:30Z');
  });

  it('removes the taints when the node is healthy again', () => {
    const { sim } = setup([{ name: 'node-1' }, { name: 'node-2' }]);
    sim.faults.setPower('node-2', 'Off');
    sim.advance(120 * S);
    expect(taintsOf(sim, 'node-2')).toHaveLength(2);
    sim.faults.setPower('node-2', 'On');
    sim.advance(15 * S);
    expect(ready(sim.node('node-2')).status).toBe('True');
    expect(taintsOf(sim, 'node-2')).toEqual([]);
  });

  it('gives a node that never posted status the startup grace from its creation', () => {
    const { sim } = setup([], { kubelet: false });
    sim.api.create('Node', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'silent' }, spec: {} });
    sim.advance(60 * S);
    expect(sim.node('silent').status?.conditions ?? []).toEqual([]);
    sim.advance(5 * S);
    expect(sim.node('silent').status!.conditions!.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['Ready', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.'],
      ['MemoryPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.'],
      ['DiskPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.'],
      ['PIDPressure', 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.'],
    ]);
  });

  it('adds NoExecute taints at 0.1 node/s per zone (one every 10s)', () => {
    const names = Array.from({ length: 10 }, (_, i) => `node-${i}`);
    const { sim } = setup(names.map((name) => ({ name })));
    for (const n of ['node-1', 'node-2', 'node-3']) sim.faults.setPower(n, 'Off');
    sim.advance(200 * S);
    const times = ['node-1', 'node-2', 'node-3'].map((n) => noExecuteAt(sim, n)).sort();
    // Powered off right after the renewal at t=0: Unknown at 55s, queued for tainting at 60s.
    expect(times).toEqual(['2026-01-01T00:01:00Z', '2026-01-01T00:01:10Z', '2026-01-01T00:01:20Z']);
  });

  it('rate-limits each zone on its own', () => {
    const { sim } = setup([
      { name: 'a-1', zone: 'a' }, { name: 'a-2', zone: 'a' }, { name: 'a-3', zone: 'a' },
      { name: 'b-1', zone: 'b' }, { name: 'b-2', zone: 'b' }, { name: 'b-3', zone: 'b' },
    ]);
    for (const n of ['a-1', 'b-1']) sim.faults.setPower(n, 'Off');
    sim.advance(100 * S);
    expect(noExecuteAt(sim, 'a-1')).toBe('2026-01-01T00:01:00Z');
    expect(noExecuteAt(sim, 'b-1')).toBe('2026-01-01T00:01:00Z');
  });

  it('stops evictions in a small zone in partial disruption (> 55% unhealthy)', () => {
    const names = Array.from({ length: 6 }, (_, i) => `node-${i}`);
    const { sim, nlc } = setup(names.map((name) => ({ name })));
    for (const n of names.slice(0, 4)) sim.faults.setPower(n, 'Off');
    sim.advance(300 * S);
    expect(nlc.zoneState('')).toBe('PartialDisruption');
    for (const n of names.slice(0, 4)) expect(taintsOf(sim, n)).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
  });

  it('stops all evictions when every zone is fully disrupted, and resumes when a node is back', () => {
    const { sim, nlc } = setup([{ name: 'node-1' }, { name: 'node-2' }]);
    sim.faults.setPower('node-1', 'Off');
    sim.faults.setPower('node-2', 'Off');
    sim.advance(300 * S);
    expect(nlc.zoneState('')).toBe('FullDisruption');
    expect(taintsOf(sim, 'node-1')).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    expect(taintsOf(sim, 'node-2')).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    sim.faults.setPower('node-1', 'On');
    sim.advance(120 * S);
    expect(nlc.zoneState('')).toBe('Normal');
    expect(taintsOf(sim, 'node-1')).toEqual([]);
    expect(taintsOf(sim, 'node-2')).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
  });

  it('a fully disrupted zone still evicts at the normal rate while another zone is healthy', () => {
    const { sim } = setup([{ name: 'a-1', zone: 'a' }, { name: 'a-2', zone: 'a' }, { name: 'b-1', zone: 'b' }]);
    sim.faults.setPower('a-1', 'Off');
    sim.faults.setPower('a-2', 'Off');
    sim.advance(200 * S);
    expect([noExecuteAt(sim, 'a-1'), noExecuteAt(sim, 'a-2')].sort()).toEqual(['2026-01-01T00:01:00Z', '2026-01-01T00:01:10Z']);
  });

  it('mirrors conditions and spec.unschedulable as NoSchedule taints', () => {
    const { sim } = setup([{ name: 'node-1' }]);
    const n = sim.node('node-1');
    sim.store.update('Node', {
      ...n,
      spec: { ...n.spec, unschedulable: true },
      status: { ...n.status, conditions: n.status!.conditions!.map((c) => (c.type === 'MemoryPressure' ? { ...c, status: 'True' } : c)) },
    });
    sim.settle();
    expect(taintsOf(sim, 'node-1').sort()).toEqual(['node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule']);
    const m = sim.node('node-1');
    sim.store.update('Node', { ...m, spec: { ...m.spec, unschedulable: false } });
    sim.settle();
    expect(taintsOf(sim, 'node-1')).toEqual(['node.kubernetes.io/memory-pressure:NoSchedule']);
  });

  it('marks a pod bound to a not-ready node not ready at once', () => {
    const { sim } = setup([{ name: 'node-1' }, { name: 'node-2' }]);
    sim.faults.setPower('node-2', 'Off');
    sim.advance(70 * S);
    expect(ready(sim.node('node-2')).status).toBe('Unknown');
    boundPod(sim, 'late', 'node-2');
    sim.settle();
    expect(sim.store.get('Pod', 'default', 'late')!.status!.conditions!.find((c) => c.type === 'Ready')!.status).toBe('False');
  });

  it('marks a pod bound to a node whose Ready turns False in the same instant (before the controller runs)', () => {
    // No kubelets: nothing but this controller changes the pods' Ready condition.
    const { sim } = setup([{ name: 'node-1' }, { name: 'node-2' }], { kubelet: false });
    const podReady = (name: string) => sim.store.get('Pod', 'default', name)!.status!.conditions!.find((c) => c.type === 'Ready')!.status;
    boundPod(sim, 'early', 'node-1');
    const n = sim.node('node-2');
    // Every node is Ready when the pod is bound; node-2's Ready turns False before the controller looks.
    boundPod(sim, 'late', 'node-2');
    sim.store.update('Node', { ...n, status: { ...n.status, conditions: n.status!.conditions!.map((c) => (c.type === 'Ready' ? { ...c, status: 'False' } : c)) } });
    sim.settle();
    expect(podReady('late')).toBe('False');
    expect(podReady('early')).toBe('True');
  });

  it('leaves pods bound to Ready nodes alone', () => {
    const { sim } = setup([{ name: 'node-1' }], { kubelet: false });
    boundPod(sim, 'web', 'node-1');
    sim.settle();
    expect(sim.store.get('Pod', 'default', 'web')!.status!.conditions!.find((c) => c.type === 'Ready')!.status).toBe('True');
  });
});

describe('TokenBucket', () => {
  it('starts full and refills at qps', () => {
    const b = new TokenBucket(0.1, 0);
    expect(b.tryAccept(0)).toBe(true);
    expect(b.tryAccept(9_999)).toBe(false);
    expect(b.nextTokenAt()).toBe(10_000);
    expect(b.tryAccept(10_000)).toBe(true);
    expect(new TokenBucket(0, 0).tryAccept(1e9)).toBe(false);
  });
});
