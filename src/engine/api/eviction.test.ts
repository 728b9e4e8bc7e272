/**
 * The Eviction API against PodDisruptionBudgets (pkg/registry/core/pod/storage/eviction.go and its
 * eviction_test.go cases): allowed, refused with 429, several budgets, unhealthy pods under each
 * unhealthyPodEvictionPolicy, pods that skip the check, dry runs.
 */
import { describe, expect, it } from 'vitest';
import { DisruptionController } from '../controllers/disruption';
import { TestSim } from '../controllers/testing/sim';
import { ApiError } from './errors';
import { EVICTION_MULTIPLE_PDBS, EVICTION_REFUSED, evictPod } from './eviction';
import type { Pod, PodDisruptionBudget } from './types';

type Spec = NonNullable<PodDisruptionBudget['spec']>;

function world(pods: { ready?: boolean; phase?: string }[], ...specs: Spec[]) {
  const sim = new TestSim();
  sim.add(new DisruptionController(sim));
  pods.forEach(({ ready = true, phase = 'Running' }, i) => sim.store.create('Pod', {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `web-${i + 1}`, namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'nginx' }], nodeName: 'node-1' },
    status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  }));
  specs.forEach((spec, i) => sim.store.create('PodDisruptionBudget', {
    apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: `pdb-${i + 1}`, namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
  }));
  sim.settle();
  const pod = (name: string): Pod | undefined => sim.store.get('Pod', 'default', name);
  const pdb = (name = 'pdb-1'): PodDisruptionBudget => sim.store.get('PodDisruptionBudget', 'default', name)!;
  const evict = (name: string, dryRun = false): ApiError | undefined => {
    try {
      evictPod(sim, 'default', name, { dryRun });
      return undefined;
    } catch (e) {
      if (e instanceof ApiError) return e;
      throw e;
    }
  };
  return { sim, pod, pdb, evict };
}

const deleting = (p: Pod | undefined) => !p || !!p.metadata?.deletionTimestamp;

describe('Eviction API and PodDisruptionBudgets', () => {
  it('allows an eviction the budget covers: takes one disruption and records the pod', () => {
    const w = world([{}, {}, {}], { minAvailable: 2 });
    expect(w.pdb().status!.disruptionsAllowed).toBe(1);
    expect(w.evict('web-1')).toBeUndefined();
    // Before the controller runs again: the API server's own write.
    const st = w.pdb().status!;
    expect(st.disruptionsAllowed).toBe(0);
    expect(st.disruptedPods).toEqual({ 'web-1': w.sim.clock.timestamp() });
    expect(st.conditions![0]).toMatchObject({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' });
    const p = w.pod('web-1')!;
    expect(p.metadata!.deletionTimestamp).toBeDefined();
    expect(p.status!.conditions).toContainEqual(expect.objectContaining({ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' }));
    w.sim.settle();
    // The controller drops the entry of a pod that is being deleted and recounts.
    expect(w.pdb().status).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 0 });
    expect(w.pdb().status!.disruptedPods).toBeUndefined();
  });

  it('refuses with 429 once the budget is spent, and changes nothing', () => {
    const w = world([{}, {}, {}], { minAvailable: 2 });
    w.evict('web-1');
    w.sim.settle();
    const before = w.pdb();
    const err = w.evict('web-2');
    expect(err?.reason).toBe('TooManyRequests');
    expect(err?.message).toBe(EVICTION_REFUSED);
    expect(err?.toKubectl()).toBe("Error from server (TooManyRequests): Cannot evict pod as it would violate the pod's disruption budget.");
    expect(err?.causes).toEqual(['The disruption budget pdb-1 needs 2 healthy pods and has 2 currently']);
    expect(deleting(w.pod('web-2'))).toBe(false);
    expect(w.pdb()).toBe(before);
  });

  it('refuses while the budget status lags its generation', () => {
    const w = world([{}, {}, {}], { maxUnavailable: 1 });
    const pdb = w.pdb();
    w.sim.store.update('PodDisruptionBudget', { ...pdb, spec: { ...pdb.spec, maxUnavailable: 2 } }); // generation 2, not yet observed
    const err = w.evict('web-1');
    expect(err?.reason).toBe('TooManyRequests');
    expect(err?.causes).toEqual(['The disruption budget pdb-1 is still being processed by the server.']);
    expect(deleting(w.pod('web-1'))).toBe(false);
  });

  it('answers 500 when two budgets cover the pod', () => {
    const w = world([{}, {}, {}], { minAvailable: 0 }, { maxUnavailable: 3 });
    const err = w.evict('web-1');
    expect(err?.message).toBe(EVICTION_MULTIPLE_PDBS);
    expect(err?.toKubectl()).toBe('Error from server: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    expect(deleting(w.pod('web-1'))).toBe(false);
  });

  // [case, pods, spec, pod to evict, evicted?, disruptionsAllowed after]
  const unhealthy: [string, { ready?: boolean; phase?: string }[], Spec, string, boolean, number][] = [
    ['IfHealthyBudget (default): an unready pod goes free while the budget is met', [{}, {}, { ready: false }], { minAvailable: 2 }, 'web-3', true, 0],
    ['IfHealthyBudget: an unready pod is guarded while the budget is not met', [{}, { ready: false }, { ready: false }], { minAvailable: 2 }, 'web-3', false, 0],
    ['IfHealthyBudget spelled out behaves as the default', [{}, { ready: false }, { ready: false }], { minAvailable: 2, unhealthyPodEvictionPolicy: 'IfHealthyBudget' }, 'web-3', false, 0],
    ['AlwaysAllow: an unready pod goes even when the budget is not met', [{}, { ready: false }, { ready: false }], { minAvailable: 2, unhealthyPodEvictionPolicy: 'AlwaysAllow' }, 'web-3', true, 0],
    ['AlwaysAllow does not free a ready pod', [{}, { ready: false }, { ready: false }], { minAvailable: 2, unhealthyPodEvictionPolicy: 'AlwaysAllow' }, 'web-1', false, 0],
    ['a Pending pod skips the budget', [{}, {}, { ready: false, phase: 'Pending' }], { minAvailable: 3 }, 'web-3', true, 0],
    ['a Succeeded pod skips the budget', [{}, {}, { ready: false, phase: 'Succeeded' }], { minAvailable: 3 }, 'web-3', true, 0],
    ['a ready pod of a healthy budget takes one disruption', [{}, {}, {}], { minAvailable: 1 }, 'web-2', true, 1],
    ['maxUnavailable over pods without a controller expects none and allows nothing', [{}, {}, {}], { maxUnavailable: '50%' }, 'web-2', false, 0],
  ];
  it.each(unhealthy)('%s', (_name, pods, spec, victim, evicted, allowedAfter) => {
    const w = world(pods, spec);
    const err = w.evict(victim);
    expect(err === undefined).toBe(evicted);
    if (!evicted) expect(err?.reason).toBe('TooManyRequests');
    expect(deleting(w.pod(victim))).toBe(evicted);
    expect(w.pdb().status!.disruptionsAllowed).toBe(allowedAfter);
  });

  it('a dry run checks the budget but writes nothing', () => {
    const w = world([{}, {}, {}], { minAvailable: 2 });
    const before = w.pdb();
    expect(w.evict('web-1', true)).toBeUndefined();
    expect(w.pdb()).toBe(before);
    expect(deleting(w.pod('web-1'))).toBe(false);
  });

  it('evicts freely without a budget, and an empty selector guards nothing', () => {
    const w = world([{}, {}], { minAvailable: 2, selector: {} });
    expect(w.evict('web-1')).toBeUndefined();
    expect(deleting(w.pod('web-1'))).toBe(true);
    expect(w.evict('nope')?.toKubectl()).toBe('Error from server (NotFound): pods "nope" not found');
  });
});
