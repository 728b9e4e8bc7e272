import { describe, expect, it } from 'vitest';
import type { Deployment, Pod } from '../api/types';
import { DeploymentController } from './deployment';
import { GarbageCollector } from './garbageCollector';
import { ReplicaSetController } from './replicaset';
import { FakeKubelets, FakeScheduler, TestSim, template } from './testing/sim';

function setup(opts: { kubelet?: boolean } = {}) {
  const sim = new TestSim();
  sim.add(new ReplicaSetController(sim));
  sim.add(new DeploymentController(sim));
  sim.add(new GarbageCollector(sim));
  sim.add(new FakeScheduler(sim));
  const kubelets = opts.kubelet === false ? undefined : sim.add(new FakeKubelets(sim));
  sim.addNode('node-1');
  sim.api.create('Deployment', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template('web') },
  } as Deployment);
  sim.settle();
  return { sim, kubelets };
}

function pod(name: string, ownerReferences: Pod['metadata'] extends infer M ? (M extends { ownerReferences?: infer R } ? R : never) : never): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ownerReferences }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
}

describe('GarbageCollector', () => {
  it('background: deleting a Deployment deletes its ReplicaSet, then its pods gracefully', () => {
    const { sim } = setup({ kubelet: false });
    expect(sim.store.count('ReplicaSet')).toBe(1);
    expect(sim.pods()).toHaveLength(2);
    sim.api.delete('Deployment', 'default', 'web');
    sim.settle();
    expect(sim.store.count('ReplicaSet')).toBe(0);
    // Bound pods get a deletionTimestamp and wait for their kubelet (none here): Terminating.
    expect(sim.pods()).toHaveLength(2);
    expect(sim.pods().every((p) => p.metadata!.deletionTimestamp)).toBe(true);
  });

  it('background with a kubelet: everything is gone', () => {
    const { sim } = setup();
    sim.api.delete('Deployment', 'default', 'web');
    sim.settle();
    expect(sim.store.count('Deployment') + sim.store.count('ReplicaSet') + sim.store.count('Pod')).toBe(0);
  });

  it('orphan: dependents lose their owner reference and stay', () => {
    const { sim } = setup();
    const rs = sim.store.list('ReplicaSet')[0];
    const names = sim.pods().map((p) => p.metadata!.name);
    sim.api.delete('ReplicaSet', 'default', rs.metadata!.name!, { propagationPolicy: 'Orphan' });
    sim.settle();
    // The Deployment creates a fresh ReplicaSet (same name: same template hash), which adopts the
    // orphaned pods instead of creating new ones.
    expect(sim.store.get('ReplicaSet', 'default', rs.metadata!.name!)!.metadata!.uid).not.toBe(rs.metadata!.uid);
    const pods = sim.pods();
    expect(pods.map((p) => p.metadata!.name)).toEqual(names);
    expect(pods.every((p) => p.metadata!.ownerReferences?.[0].uid !== rs.metadata!.uid)).toBe(true);
  });

  it('foreground: the owner stays until blocking dependents are gone', () => {
    const { sim } = setup({ kubelet: false });
    sim.api.delete('Deployment', 'default', 'web', { propagationPolicy: 'Foreground' });
    sim.settle();
    const d = sim.store.get('Deployment', 'default', 'web')!;
    expect(d.metadata!.deletionTimestamp).toBeDefined();
    expect(d.metadata!.finalizers).toEqual(['foregroundDeletion']);
    const rs = sim.store.list('ReplicaSet')[0];
    expect(rs.metadata!.finalizers).toEqual(['foregroundDeletion']);
    expect(sim.pods().every((p) => p.metadata!.deletionTimestamp)).toBe(true);
    // The kubelet finishes the pods' termination: then the ReplicaSet, then the Deployment, go.
    for (const p of sim.pods()) sim.store.remove('Pod', 'default', p.metadata!.name!);
    sim.settle();
    expect(sim.store.count('ReplicaSet')).toBe(0);
    expect(sim.store.count('Deployment')).toBe(0);
  });

  it('deletes a dependent whose owner uid does not exist, and only drops dangling references when another owner is alive', () => {
    const { sim } = setup({ kubelet: false });
    const rs = sim.store.list('ReplicaSet')[0];
    const ghost = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'ghost', uid: 'no-such-uid' };
    sim.api.create('Pod', pod('lost', [ghost]));
    sim.api.create('Pod', pod('shared', [ghost, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata!.name!, uid: rs.metadata!.uid! }]));
    sim.settle();
    expect(sim.store.get('Pod', 'default', 'lost')).toBeUndefined(); // unbound: removed at once
    expect(sim.store.get('Pod', 'default', 'shared')!.metadata!.ownerReferences!.map((r) => r.name)).toEqual([rs.metadata!.name]);
  });
});
