/**
 * The controllers inside the real Cluster (real scheduler and kubelets): the behaviours a user
 * sees, end to end, with loose time bounds so kubelet and scheduler details do not matter.
 */
import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster';
import type { DaemonSet, Deployment, Job } from '../api/types';
import { isPodActive, isPodReady } from './controllerUtils';
import { rolloutStatus } from './rollout';

function cluster() {
  const c = new Cluster({ seed: 7 });
  c.addNode('control-plane', { controlPlane: true });
  for (const n of ['node-1', 'node-2', 'node-3']) c.addNode(n);
  c.advance(15_000);
  return c;
}

const web: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
};

describe('controllers in the Cluster', () => {
  it('a Deployment rolls out; a dead node\'s pod is replaced after the 300s toleration and stays Terminating', () => {
    const c = cluster();
    c.api.create('Deployment', web);
    c.advance(60_000);
    const d = c.store.get('Deployment', 'default', 'web')!;
    expect(rolloutStatus(d).done).toBe(true);
    const victim = c.store.list('Pod', 'default').find((p) => p.spec!.nodeName === 'node-2')!;
    expect(victim).toBeDefined();
    c.faults.setPower('node-2', 'Off');
    c.advance(70_000);
    expect(c.store.get('Node', undefined, 'node-2')!.status!.conditions!.find((x) => x.type === 'Ready')!.status).toBe('Unknown');
    expect(isPodReady(c.store.get('Pod', 'default', victim.metadata!.name!)!)).toBe(false);
    expect(c.store.get('Pod', 'default', victim.metadata!.name!)!.metadata!.deletionTimestamp).toBeUndefined();
    c.advance(300_000);
    const gone = c.store.get('Pod', 'default', victim.metadata!.name!)!;
    expect(gone.metadata!.deletionTimestamp).toBeDefined();
    expect(gone.status!.conditions!.find((x) => x.type === 'DisruptionTarget')?.reason).toBe('DeletionByTaintManager');
    const active = c.store.list('Pod', 'default').filter(isPodActive);
    expect(active).toHaveLength(3);
    expect(active.filter((p) => p.spec!.nodeName === 'node-2')).toEqual([]);
    c.faults.setPower('node-2', 'On');
    c.advance(60_000);
    expect(c.store.get('Pod', 'default', victim.metadata!.name!)).toBeUndefined();
    expect(c.store.get('Node', undefined, 'node-2')!.spec!.taints ?? []).toEqual([]);
  });

  it('a rolling update replaces every pod and keeps the history', () => {
    const c = cluster();
    c.api.create('Deployment', web);
    c.advance(60_000);
    const d = c.store.get('Deployment', 'default', 'web')!;
    c.api.update('Deployment', { ...d, spec: { ...d.spec!, template: { ...d.spec!.template!, spec: { containers: [{ name: 'web', image: 'nginx:1.29' }] } } } });
    c.advance(120_000);
    expect(rolloutStatus(c.store.get('Deployment', 'default', 'web')!).done).toBe(true);
    const pods = c.store.list('Pod', 'default').filter(isPodActive);
    expect(pods.map((p) => p.spec!.containers[0].image)).toEqual(['nginx:1.29', 'nginx:1.29', 'nginx:1.29']);
    expect(c.store.list('ReplicaSet', 'default').map((rs) => rs.spec!.replicas).sort()).toEqual([0, 3]);
  });

  it('a rollout to an image that cannot be pulled stalls within maxSurge and keeps every old pod (3 replicas: surge 1, unavailable 0)', () => {
    const c = cluster();
    c.api.create('Deployment', web);
    c.advance(60_000);
    const d = c.store.get('Deployment', 'default', 'web')!;
    c.api.update('Deployment', { ...d, spec: { ...d.spec!, template: { ...d.spec!.template!, spec: { containers: [{ name: 'web', image: 'nginx:does-not-exist' }] } } } });
    c.advance(120_000);
    const status = c.store.get('Deployment', 'default', 'web')!.status!;
    expect(status).toMatchObject({ replicas: 4, updatedReplicas: 1, availableReplicas: 3, unavailableReplicas: 1 });
    expect(rolloutStatus(c.store.get('Deployment', 'default', 'web')!).text).toBe('Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n');
  });

  it('a Job completes and a DaemonSet runs on every worker', () => {
    const c = cluster();
    c.api.create('Job', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once', namespace: 'default' }, spec: { completions: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'true'] }] } } } } as Job);
    c.api.create('DaemonSet', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'nginx:1.27' }] } } } } as DaemonSet);
    c.advance(120_000);
    const job = c.store.get('Job', 'default', 'once')!;
    expect(job.status).toMatchObject({ succeeded: 2, active: 0 });
    expect(job.status!.conditions!.map((x) => x.type)).toEqual(['SuccessCriteriaMet', 'Complete']);
    const agents = c.store.list('Pod', 'default').filter((p) => p.metadata!.labels?.app === 'agent');
    expect(agents.map((p) => p.spec!.nodeName).sort()).toEqual(['node-1', 'node-2', 'node-3']);
    expect(c.store.get('DaemonSet', 'default', 'agent')!.status).toMatchObject({ desiredNumberScheduled: 3, numberReady: 3 });
  });
});
