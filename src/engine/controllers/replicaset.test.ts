import { describe, expect, it } from 'vitest';
import type { Pod, ReplicaSet } from '../api/types';
import { ReplicaSetController } from './replicaset';
import { FakeKubelets, FakeScheduler, TestSim, template } from './testing/sim';
import { isPodActive } from './controllerUtils';

function rs(name: string, replicas: number, extra: Partial<NonNullable<ReplicaSet['spec']>> = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: template(name), ...extra },
  };
}

function setup(opts: { kubelet?: boolean } = {}) {
  const sim = new TestSim();
  const ctrl = sim.add(new ReplicaSetController(sim));
  if (opts.kubelet !== false) {
    sim.add(new FakeScheduler(sim));
    sim.add(new FakeKubelets(sim));
    sim.addNode('node-1');
  }
  return { sim, ctrl };
}

const active = (sim: TestSim) => sim.pods().filter(isPodActive);

describe('ReplicaSetController', () => {
  it('creates pods named <rs>-<5 chars> from the template, owned by the ReplicaSet', () => {
    const { sim } = setup({ kubelet: false });
    const created = sim.api.create('ReplicaSet', rs('web', 3));
    sim.settle();
    const pods = sim.pods();
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata!.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata!.labels).toEqual({ app: 'web' });
      expect(p.metadata!.ownerReferences).toEqual([
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: created.metadata!.uid, controller: true, blockOwnerDeletion: true },
      ]);
    }
    expect(sim.eventsWith('SuccessfulCreate').sort()).toEqual(pods.map((p) => `Created pod: ${p.metadata!.name}`).sort());
    const status = sim.store.get('ReplicaSet', 'default', 'web')!.status!;
    expect(status).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 0, availableReplicas: 0, observedGeneration: 1 });
  });

  it('reports ready and available replicas once pods run', () => {
    const { sim } = setup();
    sim.api.create('ReplicaSet', rs('web', 2));
    sim.settle();
    expect(sim.store.get('ReplicaSet', 'default', 'web')!.status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2 });
  });

  it('counts a pod available only minReadySeconds after it became ready', () => {
    const { sim } = setup();
    sim.api.create('ReplicaSet', rs('web', 1, { minReadySeconds: 10 }));
    sim.settle();
    const status = () => sim.store.get('ReplicaSet', 'default', 'web')!.status!;
    expect(status()).toMatchObject({ readyReplicas: 1, availableReplicas: 0 });
    sim.advance(10_000);
    expect(status().availableReplicas).toBe(0); // strictly after lastTransitionTime + 10s
    sim.advance(1);
    expect(status().availableReplicas).toBe(1);
  });

  it('creates at most burstReplicas (500) pods per sync', () => {
    const { sim, ctrl } = setup({ kubelet: false });
    sim.api.create('ReplicaSet', rs('big', 1200));
    const counts: number[] = [];
    while (ctrl.hasWork()) {
      const before = sim.store.count('Pod');
      ctrl.runOnce();
      const made = sim.store.count('Pod') - before;
      if (made) counts.push(made);
    }
    expect(counts).toEqual([500, 500, 200]);
  });

  it('stops creating at the first failing slow-start batch and retries later', () => {
    const { sim } = setup({ kubelet: false });
    const realCreate = sim.api.create.bind(sim.api);
    let allowed = 5;
    sim.api.create = ((kind: never, obj: never) => {
      if (kind === 'Pod' && allowed-- <= 0) throw new Error('pods "x" is forbidden: exceeded quota');
      return realCreate(kind, obj);
    }) as typeof sim.api.create;
    sim.api.create('ReplicaSet', rs('web', 20));
    sim.settle();
    expect(sim.store.count('Pod')).toBe(5);
    expect(sim.eventsWith('FailedCreate')).toEqual(['Error creating: pods "x" is forbidden: exceeded quota']);
    expect(sim.store.get('ReplicaSet', 'default', 'web')!.status!.conditions?.[0]).toMatchObject({ type: 'ReplicaFailure', reason: 'FailedCreate' });
    allowed = 100;
    sim.advance(1000);
    expect(sim.store.count('Pod')).toBe(20);
    expect(sim.store.get('ReplicaSet', 'default', 'web')!.status!.conditions).toBeUndefined();
  });

  it('scales down by the deletion ranking: unscheduled and not-ready pods go first', () => {
    const { sim } = setup({ kubelet: false });
    sim.addNode('node-1');
    sim.api.create('ReplicaSet', rs('web', 4));
    sim.settle();
    const [a, b, c] = sim.pods();
    const now = sim.clock.timestamp();
    // a: running and ready; b: running not ready; c: bound and pending; d: unscheduled.
    sim.store.update('Pod', { ...a, spec: { ...a.spec!, nodeName: 'node-1' }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } });
    sim.store.update('Pod', { ...b, spec: { ...b.spec!, nodeName: 'node-1' }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } });
    sim.store.update('Pod', { ...c, spec: { ...c.spec!, nodeName: 'node-1' }, status: { phase: 'Pending' } });
    sim.settle();
    const scale = (n: number) => {
      const cur = sim.store.get('ReplicaSet', 'default', 'web')!;
      sim.api.update('ReplicaSet', { ...cur, spec: { ...cur.spec!, replicas: n } });
      sim.settle();
    };
    scale(3); // the unscheduled pod goes (removed at once: never bound)
    expect(active(sim).map((p) => p.metadata!.name).sort()).toEqual([a, b, c].map((p) => p.metadata!.name).sort());
    scale(2); // then the pending one
    expect(active(sim).map((p) => p.metadata!.name).sort()).toEqual([a, b].map((p) => p.metadata!.name).sort());
    scale(1); // then the not-ready one
    expect(active(sim).map((p) => p.metadata!.name)).toEqual([a.metadata!.name]);
    expect(sim.eventsWith('SuccessfulDelete')).toHaveLength(3);
  });

  it('counts terminating pods as gone and replaces them', () => {
    const { sim } = setup({ kubelet: false });
    sim.addNode('node-1');
    sim.api.create('ReplicaSet', rs('web', 1));
    sim.settle();
    const p = sim.pods()[0];
    sim.store.update('Pod', { ...p, spec: { ...p.spec!, nodeName: 'node-1' } });
    sim.api.delete('Pod', 'default', p.metadata!.name!); // graceful: stays, Terminating
    sim.settle();
    expect(sim.pods()).toHaveLength(2);
    expect(active(sim)).toHaveLength(1);
  });

  it('adopts matching orphans and releases pods whose labels stop matching', () => {
    const { sim } = setup({ kubelet: false });
    const orphan: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    sim.api.create('Pod', orphan);
    const owner = sim.api.create('ReplicaSet', rs('web', 2));
    sim.settle();
    expect(sim.pods()).toHaveLength(2);
    expect(sim.store.get('Pod', 'default', 'stray')!.metadata!.ownerReferences?.[0].uid).toBe(owner.metadata!.uid);
    const stray = sim.store.get('Pod', 'default', 'stray')!;
    sim.store.update('Pod', { ...stray, metadata: { ...stray.metadata, labels: { app: 'debug' } } });
    sim.settle();
    expect(sim.store.get('Pod', 'default', 'stray')!.metadata!.ownerReferences).toBeUndefined();
    expect(sim.pods()).toHaveLength(3);
  });

  it('adopts an orphan that appears, or starts matching, after the ReplicaSet synced: only in its namespace', () => {
    const { sim } = setup({ kubelet: false });
    sim.api.create('Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
    const owner = sim.api.create('ReplicaSet', rs('web', 2));
    sim.settle();
    expect(sim.pods()).toHaveLength(2);
    const orphan = (name: string, namespace: string, app: string): Pod => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace, labels: { app } },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    const ownerOf = (ns: string, name: string) => sim.store.get('Pod', ns, name)?.metadata?.ownerReferences?.[0]?.uid;
    // Same labels, other namespace: never this ReplicaSet's.
    sim.api.create('Pod', orphan('elsewhere', 'other', 'web'));
    // Not matching yet.
    sim.api.create('Pod', orphan('later', 'default', 'debug'));
    sim.settle();
    expect(ownerOf('other', 'elsewhere')).toBeUndefined();
    expect(ownerOf('default', 'later')).toBeUndefined();
    // An orphan created now is adopted through its own event (nothing changed the ReplicaSet).
    sim.api.create('Pod', orphan('stray', 'default', 'web'));
    sim.settle();
    expect(ownerOf('default', 'stray')).toBe(owner.metadata!.uid);
    // A relabelled orphan too.
    const later = sim.store.get('Pod', 'default', 'later')!;
    sim.store.update('Pod', { ...later, metadata: { ...later.metadata, labels: { app: 'web' } } });
    sim.settle();
    expect(ownerOf('default', 'later')).toBe(owner.metadata!.uid);
    // Adopted pods count: the ReplicaSet scaled back down to 2 active pods.
    expect(sim.pods().filter((p) => p.metadata!.namespace === 'default' && isPodActive(p) && !p.metadata!.deletionTimestamp)).toHaveLength(2);
    // A ReplicaSet created in the other namespace adopts the orphan there (the index follows ReplicaSet events).
    const there = sim.api.create('ReplicaSet', { ...rs('web', 1), metadata: { name: 'web', namespace: 'other' } });
    sim.settle();
    expect(ownerOf('other', 'elsewhere')).toBe(there.metadata!.uid);
    // Once the first ReplicaSet is gone, a new matching orphan in its namespace stays an orphan.
    sim.api.delete('ReplicaSet', 'default', 'web');
    sim.settle();
    sim.api.create('Pod', orphan('after', 'default', 'web'));
    sim.settle();
    expect(sim.store.get('ReplicaSet', 'default', 'web')).toBeUndefined();
    expect(ownerOf('default', 'after')).toBeUndefined();
  });

  it('leaves pods of other controllers alone', () => {
    const { sim } = setup({ kubelet: false });
    sim.api.create('ReplicaSet', rs('a', 1, { selector: { matchLabels: { app: 'x' } }, template: template('x') }));
    sim.settle();
    sim.api.create('ReplicaSet', rs('b', 1, { selector: { matchLabels: { app: 'x' } }, template: template('x') }));
    sim.settle();
    const owners = sim.pods().map((p) => p.metadata!.ownerReferences![0].name).sort();
    expect(owners).toEqual(['a', 'b']);
  });
});
