import { describe, expect, it } from 'vitest';
import type { Deployment, ReplicaSet } from '../api/types';
import { DeploymentController } from './deployment';
import { ReplicaSetController } from './replicaset';
import { FakeKubelets, FakeScheduler, TestSim, template } from './testing/sim';
import { maxUnavailable, resolveFenceposts } from './deploymentUtil';
import { formatRolloutHistory, rolloutHistory, rolloutRestart, rolloutSetPaused, rolloutStatus, rolloutUndo } from './rollout';
import { isPodActive, isPodReady } from './controllerUtils';

function deployment(name: string, replicas: number, spec: Partial<NonNullable<Deployment['spec']>> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: template(name), ...spec },
  };
}

function setup(readyDelay = 0) {
  const sim = new TestSim();
  sim.add(new ReplicaSetController(sim));
  sim.add(new DeploymentController(sim));
  sim.add(new FakeScheduler(sim));
  const kubelets = sim.add(new FakeKubelets(sim));
  kubelets.readyDelay = readyDelay;
  sim.addNode('node-1');
  sim.addNode('node-2');
  return { sim, kubelets };
}

const get = (sim: TestSim, name = 'web') => sim.store.get('Deployment', 'default', name)!;
const rsList = (sim: TestSim) => sim.store.list('ReplicaSet', 'default');
const setImage = (sim: TestSim, image: string, name = 'web') => {
  const d = get(sim, name);
  const t = d.spec!.template!;
  sim.api.update('Deployment', { ...d, spec: { ...d.spec!, template: { ...t, spec: { ...t.spec!, containers: [{ ...t.spec!.containers[0], image }] } } } });
};
const scale = (sim: TestSim, replicas: number, name = 'web') => {
  const d = get(sim, name);
  sim.api.update('Deployment', { ...d, spec: { ...d.spec!, replicas } });
};
const byImage = (sim: TestSim, image: string) => rsList(sim).find((rs) => rs.spec!.template!.spec!.containers[0].image === image)!;

describe('resolveFenceposts / MaxUnavailable (deployment_util_test.go)', () => {
  it.each([
    ['25%', '25%', 4, 1, 1],
    ['25%', '25%', 10, 3, 2],
    ['25%', '25%', 1, 1, 0],
    [0, 0, 3, 0, 1],
    [0, '25%', 1, 0, 1],
    ['50%', '50%', 3, 2, 1],
    [2, '0%', 10, 2, 0],
    ['0%', '0%', 0, 0, 1],
  ] as const)('surge %s unavailable %s of %i → %i, %i', (s, u, desired, surge, unavailable) => {
    expect(resolveFenceposts(s, u, desired)).toEqual({ surge, unavailable });
  });
  it('caps maxUnavailable at replicas and is 0 for Recreate', () => {
    expect(maxUnavailable(deployment('d', 3, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 5 } } }))).toBe(3);
    expect(maxUnavailable(deployment('d', 3, { strategy: { type: 'Recreate' } }))).toBe(0);
    expect(maxUnavailable(deployment('d', 0))).toBe(0);
  });
});

describe('DeploymentController', () => {
  it('creates <deployment>-<pod-template-hash> with revision annotations and rolls out', () => {
    const { sim } = setup();
    sim.api.create('Deployment', deployment('web', 3));
    sim.settle();
    const [rs] = rsList(sim);
    const hash = rs.metadata!.labels!['pod-template-hash'];
    expect(rs.metadata!.name).toBe(`web-${hash}`);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs.spec!.selector!.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.spec!.template!.metadata!.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.metadata!.annotations).toMatchObject({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    expect(sim.pods().every((p) => p.metadata!.name!.startsWith(`web-${hash}-`))).toBe(true);
    expect(sim.eventsWith('ScalingReplicaSet')).toEqual([`Scaled up replica set web-${hash} from 0 to 3`]);
    const d = get(sim);
    expect(d.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0, observedGeneration: 1 });
    expect(d.status!.conditions!.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "web-${hash}" has successfully progressed.`],
    ]);
    expect(rolloutStatus(d)).toEqual({ text: 'deployment "web" successfully rolled out\n', done: true });
  });

  it('rolls out within maxSurge and maxUnavailable, step by step', () => {
    const { sim } = setup(5_000);
    sim.api.create('Deployment', deployment('web', 4));
    sim.advance(10_000);
    setImage(sim, 'nginx:1.28');
    const checkBounds = () => {
      const total = rsList(sim).reduce((n, rs) => n + rs.spec!.replicas!, 0);
      expect(total).toBeLessThanOrEqual(5); // replicas + maxSurge (25% of 4, rounded up)
      const ready = sim.pods().filter((p) => isPodActive(p) && isPodReady(p)).length;
      expect(ready).toBeGreaterThanOrEqual(3); // replicas − maxUnavailable (25% of 4, rounded down)
    };
    sim.settle();
    checkBounds();
    const oldRS = byImage(sim, 'nginx:1.27');
    const newRS = byImage(sim, 'nginx:1.28');
    expect(sim.eventsWith('ScalingReplicaSet').slice(1, 4)).toEqual([
      `Scaled up replica set ${newRS.metadata!.name} from 0 to 1`,
      `Scaled down replica set ${oldRS.metadata!.name} from 4 to 3`,
      `Scaled up replica set ${newRS.metadata!.name} from 1 to 2`,
    ]);
    expect(rolloutStatus(get(sim)).text).toBe('Waiting for deployment "web" rollout to finish: 2 out of 4 new replicas have been updated...\n');
    for (let i = 0; i < 30; i++) {
      sim.advance(1_000);
      checkBounds();
    }
    expect(byImage(sim, 'nginx:1.28').spec!.replicas).toBe(4);
    expect(byImage(sim, 'nginx:1.27').spec!.replicas).toBe(0);
    expect(newRS.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('2');
    const d = get(sim);
    expect(d.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('2');
    expect(rolloutStatus(d).done).toBe(true);
    expect(d.status!.conditions!.find((c) => c.type === 'Progressing')!.reason).toBe('NewReplicaSetAvailable');
  });

  it('Recreate scales the old ReplicaSet to zero and waits for its pods before the new one', () => {
    const { sim } = setup();
    sim.api.create('Deployment', deployment('web', 2, { strategy: { type: 'Recreate' } }));
    sim.settle();
    let overlap = false;
    sim.store.watch('Pod', (ev) => {
      if (ev.type !== 'ADDED') return;
      if (sim.pods().some((p) => p.spec!.containers[0].image === 'nginx:1.27')) overlap = true;
    });
    setImage(sim, 'nginx:1.28');
    sim.settle();
    expect(overlap).toBe(false);
    const oldRS = byImage(sim, 'nginx:1.27');
    const newRS = byImage(sim, 'nginx:1.28');
    expect(sim.eventsWith('ScalingReplicaSet').slice(1)).toEqual([
      `Scaled down replica set ${oldRS.metadata!.name} from 2 to 0`,
      `Scaled up replica set ${newRS.metadata!.name} from 0 to 2`,
    ]);
    expect(sim.pods().filter(isPodActive)).toHaveLength(2);
  });

  it('scales proportionally mid-rollout (the 10 → 15 example of the Deployment docs)', () => {
    const { sim } = setup(1e9); // new pods never become ready
    const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } };
    sim.api.create('Deployment', deployment('web', 10, { strategy }));
    sim.settle();
    // Make the first generation ready at once.
    for (const p of sim.pods()) {
      const now = sim.clock.timestamp();
      sim.store.update('Pod', { ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } });
    }
    sim.settle();
    expect(get(sim).status!.availableReplicas).toBe(10);
    setImage(sim, 'nginx:does-not-exist');
    sim.settle();
    expect(byImage(sim, 'nginx:1.27').spec!.replicas).toBe(8);
    expect(byImage(sim, 'nginx:does-not-exist').spec!.replicas).toBe(5);
    scale(sim, 15);
    sim.settle();
    expect(byImage(sim, 'nginx:1.27').spec!.replicas).toBe(11);
    expect(byImage(sim, 'nginx:does-not-exist').spec!.replicas).toBe(7);
  });

  it('keeps revisionHistoryLimit old ReplicaSets', () => {
    const { sim } = setup();
    sim.api.create('Deployment', deployment('web', 2, { revisionHistoryLimit: 1 }));
    sim.settle();
    for (const image of ['nginx:1.28', 'nginx:1.29', 'nginx:1.30']) {
      setImage(sim, image);
      sim.advance(1_000);
    }
    expect(rsList(sim).map((rs) => rs.spec!.template!.spec!.containers[0].image).sort()).toEqual(['nginx:1.29', 'nginx:1.30']);
  });

  it('marks ProgressDeadlineExceeded when the rollout stalls', () => {
    const { sim } = setup(1e9);
    sim.api.create('Deployment', deployment('web', 1, { progressDeadlineSeconds: 30 }));
    sim.settle();
    sim.advance(30_000);
    expect(get(sim).status!.conditions!.find((c) => c.type === 'Progressing')!.reason).toBe('ReplicaSetUpdated');
    sim.advance(2_000);
    const d = get(sim);
    const rs = rsList(sim)[0];
    expect(d.status!.conditions!.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${rs.metadata!.name}" has timed out progressing.`,
    });
    expect(d.status!.conditions!.find((c) => c.type === 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
    expect(() => rolloutStatus(d)).toThrow('deployment "web" exceeded its progress deadline');
  });

  it('rollout undo brings the previous template back as a new revision; history lists change causes', () => {
    const { sim } = setup();
    sim.api.create('Deployment', deployment('web', 2));
    sim.settle();
    const d1 = get(sim);
    sim.api.update('Deployment', { ...d1, metadata: { ...d1.metadata, annotations: { ...d1.metadata!.annotations, 'kubernetes.io/change-cause': 'upgrade to 1.28' } } });
    setImage(sim, 'nginx:1.28');
    sim.advance(1_000);
    expect(formatRolloutHistory(rolloutHistory(sim, get(sim)))).toBe('REVISION  CHANGE-CAUSE\n1         <none>\n2         upgrade to 1.28\n');
    expect(rolloutUndo(sim, get(sim))).toBe('rolled back');
    sim.advance(1_000);
    const v1 = byImage(sim, 'nginx:1.27');
    expect(v1.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('3');
    expect(v1.metadata!.annotations!['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(rsList(sim)).toHaveLength(2);
    expect(get(sim).spec!.template!.metadata!.labels).toEqual({ app: 'web' });
    expect(rolloutHistory(sim, get(sim)).map((h) => h.revision)).toEqual([2, 3]);
    expect(rolloutUndo(sim, get(sim), 3)).toBe('skipped rollback (current template already matches revision 3)');
    expect(() => rolloutUndo(sim, get(sim), 7)).toThrow('unable to find specified revision 7 in history');
    expect(sim.pods().filter(isPodActive).every((p) => p.spec!.containers[0].image === 'nginx:1.27')).toBe(true);
  });

  it('rollout restart stamps restartedAt and rolls a new ReplicaSet', () => {
    const { sim } = setup();
    sim.api.create('Deployment', deployment('web', 2));
    sim.settle();
    sim.advance(60_000);
    expect(rolloutRestart(sim, get(sim))).toBe('restarted');
    sim.advance(1_000);
    expect(get(sim).spec!.template!.metadata!.annotations).toEqual({ 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:01:00Z' });
    expect(rsList(sim)).toHaveLength(2);
    expect(rolloutStatus(get(sim)).done).toBe(true);
  });

  it('adopts a matching orphan ReplicaSet instead of creating a duplicate', () => {
    const { sim } = setup();
    const d = sim.api.create('Deployment', deployment('web', 1));
    sim.settle();
    const rs = rsList(sim)[0];
    // Orphan it, as `kubectl delete deploy --cascade=orphan` would leave it, then re-own.
    sim.store.update('ReplicaSet', { ...rs, metadata: { ...rs.metadata, ownerReferences: undefined } } as ReplicaSet);
    sim.settle();
    expect(rsList(sim)).toHaveLength(1);
    expect(rsList(sim)[0].metadata!.ownerReferences![0].uid).toBe(d.metadata!.uid);
  });

  it('surfaces a ReplicaSet failure to create pods as a ReplicaFailure condition', () => {
    const { sim } = setup();
    const realCreate = sim.api.create.bind(sim.api);
    let refuse = true;
    sim.api.create = ((kind: never, obj: never) => {
      if (kind === 'Pod' && refuse) throw new Error('pods "web-x" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=0, limited: pods=0');
      return realCreate(kind, obj);
    }) as typeof sim.api.create;
    sim.api.create('Deployment', deployment('web', 1));
    sim.settle();
    expect(get(sim).status!.conditions!.find((c) => c.type === 'ReplicaFailure')).toMatchObject({ status: 'True', reason: 'FailedCreate' });
    refuse = false;
    sim.advance(1_000);
    expect(get(sim).status!.conditions!.find((c) => c.type === 'ReplicaFailure')).toBeUndefined();
    expect(rolloutStatus(get(sim)).done).toBe(true);
  });

  it('a paused Deployment scales but does not roll out until resumed', () => {
    const { sim } = setup();
    sim.api.create('Deployment', deployment('web', 2));
    sim.settle();
    expect(rolloutSetPaused(sim, get(sim), true)).toBe('paused');
    sim.settle();
    expect(get(sim).status!.conditions!.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    setImage(sim, 'nginx:1.28');
    scale(sim, 3);
    sim.settle();
    expect(rsList(sim)).toHaveLength(1);
    expect(rsList(sim)[0].spec!.replicas).toBe(3);
    expect(() => rolloutRestart(sim, get(sim))).toThrow("can't restart paused deployment (run rollout resume first)");
    expect(rolloutSetPaused(sim, get(sim), false)).toBe('resumed');
    sim.advance(1_000);
    expect(rsList(sim)).toHaveLength(2);
    expect(byImage(sim, 'nginx:1.28').spec!.replicas).toBe(3);
    expect(rolloutStatus(get(sim)).done).toBe(true);
  });

  it('reports intermediate rollout status lines', () => {
    const base = deployment('web', 3);
    const withStatus = (s: NonNullable<Deployment['status']>, generation = 2): Deployment => ({ ...base, metadata: { ...base.metadata, generation }, status: { observedGeneration: 2, ...s } });
    expect(rolloutStatus(withStatus({}, 3)).text).toBe('Waiting for deployment spec update to be observed...\n');
    expect(rolloutStatus(withStatus({ replicas: 4, updatedReplicas: 3, availableReplicas: 3 })).text).toBe('Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n');
    expect(rolloutStatus(withStatus({ replicas: 3, updatedReplicas: 3, availableReplicas: 1 })).text).toBe('Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...\n');
  });
});
