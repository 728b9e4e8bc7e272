/**
 * The disruption controller's arithmetic (pkg/controller/disruption: getExpectedPodCount,
 * countHealthyPods, updatePdbStatus, failSafe), as table tests after disruption_test.go, and its
 * bookkeeping of evictions (disruptedPods expire after DeletionTimeout).
 */
import { describe, expect, it } from 'vitest';
import type { DaemonSet, Deployment, Pod, PodDisruptionBudget, ReplicaSet } from '../api/types';
import { DELETION_TIMEOUT, DisruptionController, expectedPodCount } from './disruption';
import { TestSim } from './testing/sim';

type Spec = NonNullable<PodDisruptionBudget['spec']>;

/** A sim with only the disruption controller, and helpers to make controllers and pods by hand. */
function world() {
  const sim = new TestSim();
  sim.add(new DisruptionController(sim));
  const at = () => sim.clock.timestamp();
  const deployment = (name: string, replicas: number): Deployment => sim.store.create('Deployment', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  const replicaSet = (name: string, replicas: number, owner?: Deployment): ReplicaSet => sim.store.create('ReplicaSet', {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: {
      name, namespace: 'default',
      ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: owner.metadata!.name!, uid: owner.metadata!.uid!, controller: true }] } : {}),
    },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  let serial = 0;
  const pod = (owner: ReplicaSet | DaemonSet | undefined, ready = true, labels: Record<string, string> = { app: 'web' }): Pod => sim.store.create('Pod', {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: `web-${++serial}`, namespace: 'default', labels,
      ...(owner ? { ownerReferences: [{ apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata!.name!, uid: owner.metadata!.uid!, controller: true }] } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'nginx' }], nodeName: 'node-1' },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: at() }] },
  });
  const pdb = (spec: Spec, name = 'web-pdb'): PodDisruptionBudget => {
    sim.store.create('PodDisruptionBudget', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } });
    sim.settle();
    return sim.store.get('PodDisruptionBudget', 'default', name)!;
  };
  return { sim, deployment, replicaSet, pod, pdb };
}

describe('expected pods and desired healthy (getExpectedPodCount)', () => {
  // [name, spec, replicas of the owning Deployment, pods (ready), expectedPods, desiredHealthy, disruptionsAllowed]
  const cases: [string, Spec, number, number, number, number, number][] = [
    ['integer minAvailable counts the pods, not the scale', { minAvailable: 3 }, 5, 4, 4, 3, 1],
    ['integer minAvailable above the pods allows nothing', { minAvailable: 5 }, 5, 4, 4, 5, 0],
    ['minAvailable 0 allows every pod', { minAvailable: 0 }, 3, 3, 3, 0, 3],
    ['percentage minAvailable scales the controller, rounding up', { minAvailable: '28%' }, 7, 7, 7, 2, 5],
    ['minAvailable 50% of 3 rounds up to 2', { minAvailable: '50%' }, 3, 3, 3, 2, 1],
    ['minAvailable 100% allows nothing', { minAvailable: '100%' }, 3, 3, 3, 3, 0],
    ['integer maxUnavailable against the scale', { maxUnavailable: 1 }, 3, 3, 3, 2, 1],
    ['maxUnavailable 25% of 3 rounds up to 1', { maxUnavailable: '25%' }, 3, 3, 3, 2, 1],
    ['maxUnavailable 30% of 10 is 3', { maxUnavailable: '30%' }, 10, 10, 10, 7, 3],
    ['maxUnavailable above the scale floors desired at 0', { maxUnavailable: 5 }, 3, 3, 3, 0, 3],
    ['scale counts missing pods: 2 of 3 ready', { maxUnavailable: 1 }, 3, 2, 3, 2, 0],
    ['maxUnavailable 0 allows nothing', { maxUnavailable: 0 }, 3, 3, 3, 3, 0],
  ];
  it.each(cases)('%s', (_name, spec, replicas, pods, expectedPods, desiredHealthy, disruptionsAllowed) => {
    const w = world();
    const d = w.deployment('web', replicas);
    const rs = w.replicaSet('web-abc', replicas, d);
    for (let i = 0; i < pods; i++) w.pod(rs);
    const pdb = w.pdb(spec);
    expect(pdb.status).toMatchObject({ expectedPods, desiredHealthy, disruptionsAllowed, currentHealthy: pods, observedGeneration: 1 });
    expect(pdb.status!.conditions).toEqual([{
      type: 'DisruptionAllowed', status: disruptionsAllowed > 0 ? 'True' : 'False', reason: disruptionsAllowed > 0 ? 'SufficientPods' : 'InsufficientPods',
      message: '', observedGeneration: 1, lastTransitionTime: expect.any(String),
    }]);
  });

  it('counts a Deployment once across its ReplicaSets (a rollout in progress)', () => {
    const w = world();
    const d = w.deployment('web', 4);
    const old = w.replicaSet('web-old', 2, d);
    const cur = w.replicaSet('web-new', 2, d);
    for (const rs of [old, old, cur, cur]) w.pod(rs);
    expect(expectedPodCount(w.sim, { spec: { maxUnavailable: '50%' } }, w.sim.store.list('Pod', 'default'))).toEqual({ expectedCount: 4, desiredHealthy: 2, unmanaged: [] });
  });

  it('scales a lone ReplicaSet by its own replicas', () => {
    const w = world();
    const rs = w.replicaSet('solo', 4);
    w.pod(rs);
    expect(expectedPodCount(w.sim, { spec: { minAvailable: '50%' } }, w.sim.store.list('Pod', 'default')).expectedCount).toBe(4);
  });

  it('lists unmanaged pods, which count for nothing in a scaled budget', () => {
    const w = world();
    w.pod(undefined);
    w.pod(undefined);
    expect(expectedPodCount(w.sim, { spec: { maxUnavailable: 1 } }, w.sim.store.list('Pod', 'default'))).toEqual({ expectedCount: 0, desiredHealthy: 0, unmanaged: ['web-1', 'web-2'] });
    const pdb = w.pdb({ maxUnavailable: 1 });
    // expectedPods 0: nothing may be disrupted, whatever is healthy.
    expect(pdb.status).toMatchObject({ expectedPods: 0, currentHealthy: 2, disruptionsAllowed: 0 });
    const events = w.sim.store.list('Event', 'default').filter((e) => e.reason === 'UnmanagedPods');
    expect(events[0].message).toContain('Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}) were found to be unmanaged.');
  });

  it('fails safe when a controller has no scale (DaemonSet pods and maxUnavailable)', () => {
    const w = world();
    const ds: DaemonSet = w.sim.store.create('DaemonSet', {
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    w.pod(ds);
    const pdb = w.pdb({ maxUnavailable: 1 });
    expect(pdb.status?.disruptionsAllowed).toBe(0);
    // observedGeneration is not advanced: the Eviction API answers that the budget is still being processed.
    expect(pdb.status?.observedGeneration).toBeUndefined();
    expect(pdb.status?.conditions).toEqual([expect.objectContaining({ status: 'False', reason: 'SyncFailed', message: 'daemonsets.apps does not implement the scale subresource' })]);
    const ev = w.sim.store.list('Event', 'default').find((e) => e.reason === 'CalculateExpectedPodCountFailed');
    expect(ev?.message).toBe('Failed to calculate the number of expected pods: daemonsets.apps does not implement the scale subresource');
  });

  it('an integer minAvailable needs no controller at all', () => {
    const w = world();
    w.pod(undefined);
    w.pod(undefined, false);
    expect(w.pdb({ minAvailable: 1 }).status).toMatchObject({ expectedPods: 2, currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0 });
  });

  it('says so when the selector matches no pod', () => {
    const w = world();
    const pdb = w.pdb({ minAvailable: 1 });
    expect(pdb.status).toMatchObject({ expectedPods: 0, currentHealthy: 0, disruptionsAllowed: 0 });
    expect(w.sim.store.list('Event', 'default').map((e) => [e.reason, e.message, e.type])).toContainEqual(['NoPods', 'No matching pods found', 'Normal']);
  });
});

describe('healthy pods and disruptedPods (countHealthyPods, buildDisruptedPodMap)', () => {
  it('follows readiness and deletion of its pods', () => {
    const w = world();
    const d = w.deployment('web', 3);
    const rs = w.replicaSet('web-abc', 3, d);
    const pods = [w.pod(rs), w.pod(rs), w.pod(rs, false)];
    expect(w.pdb({ minAvailable: 1 }).status).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 1 });
    const live = w.sim.store.get('Pod', 'default', pods[0].metadata!.name!)!;
    w.sim.store.update('Pod', { ...live, metadata: { ...live.metadata, deletionTimestamp: w.sim.clock.timestamp() } });
    w.sim.settle();
    expect(w.sim.store.get('PodDisruptionBudget', 'default', 'web-pdb')!.status).toMatchObject({ currentHealthy: 1, disruptionsAllowed: 0 });
  });

  it('keeps an evicted pod out of currentHealthy for 2 minutes, then forgets it and says so', () => {
    const w = world();
    const d = w.deployment('web', 3);
    const rs = w.replicaSet('web-abc', 3, d);
    const [p1] = [w.pod(rs), w.pod(rs), w.pod(rs)];
    const pdb = w.pdb({ minAvailable: 1 });
    // An eviction approved by the API whose DELETE never happened.
    const evictedAt = w.sim.clock.timestamp();
    w.sim.api.updateStatus('PodDisruptionBudget', { ...pdb, status: { ...pdb.status!, disruptionsAllowed: 1, disruptedPods: { [p1.metadata!.name!]: evictedAt } } });
    w.sim.settle();
    const get = () => w.sim.store.get('PodDisruptionBudget', 'default', 'web-pdb')!;
    expect(get().status).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 1, disruptedPods: { 'web-1': evictedAt } });
    w.sim.clock.advanceBy(DELETION_TIMEOUT);
    expect(get().status?.disruptedPods).toEqual({ 'web-1': evictedAt });
    w.sim.clock.advanceBy(1);
    expect(get().status?.disruptedPods).toBeUndefined();
    expect(get().status).toMatchObject({ currentHealthy: 3, disruptionsAllowed: 2 });
    const ev = w.sim.store.list('Event', 'default').find((e) => e.reason === 'NotDeleted');
    expect(ev).toMatchObject({ type: 'Warning', involvedObject: { kind: 'Pod', name: 'web-1' }, message: "Pod was expected by PDB default/default to be deleted but it wasn't" });
  });

  it('reports a pod covered by two budgets', () => {
    const w = world();
    w.pdb({ minAvailable: 1 }, 'a-pdb');
    w.pdb({ maxUnavailable: 0 }, 'b-pdb');
    w.pod(undefined);
    w.sim.settle();
    const ev = w.sim.store.list('Event', 'default').find((e) => e.reason === 'MultiplePodDisruptionBudgets');
    expect(ev?.message).toBe('Pod "default"/"web-1" matches multiple PodDisruptionBudgets.  Chose "a-pdb" arbitrarily.');
  });

  it('recomputes when the spec changes (a new generation)', () => {
    const w = world();
    const d = w.deployment('web', 3);
    const rs = w.replicaSet('web-abc', 3, d);
    for (let i = 0; i < 3; i++) w.pod(rs);
    const pdb = w.pdb({ minAvailable: 1 });
    w.sim.api.update('PodDisruptionBudget', { ...pdb, spec: { ...pdb.spec, minAvailable: 3 } });
    w.sim.settle();
    const now = w.sim.store.get('PodDisruptionBudget', 'default', 'web-pdb')!;
    expect(now.metadata!.generation).toBe(2);
    expect(now.status).toMatchObject({ observedGeneration: 2, desiredHealthy: 3, disruptionsAllowed: 0 });
    expect(now.status!.conditions![0]).toMatchObject({ status: 'False', reason: 'InsufficientPods', observedGeneration: 2 });
  });
});
