import { describe, expect, it } from 'vitest';
import { Clock } from '../clock';
import { Cluster } from '../cluster';
import { Rng } from '../rng';
import { admit, SERVICE_ACCOUNT_MOUNT_PATH } from './admission';
import { applyDefaults } from './defaults';
import { ApiStore } from './store';
import type { Job, Pod, Service, Toleration } from './types';

function ctx(seed = 1) {
  const rng = new Rng(seed);
  return { rng, store: new ApiStore(new Clock(), rng) };
}

function pod(extra: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return applyDefaults('Pod', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { initContainers: [{ name: 'init', image: 'busybox' }], containers: [{ name: 'web', image: 'nginx' }, { name: 'log', image: 'busybox' }], ...extra },
  });
}

const NOT_READY: Toleration = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const UNREACHABLE: Toleration = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

describe('DefaultTolerationSeconds', () => {
  it.each<[string, Toleration[], Toleration[]]>([
    ['no tolerations', [], [NOT_READY, UNREACHABLE]],
    ['an unrelated toleration is kept first', [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }], [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }, NOT_READY, UNREACHABLE]],
    ['already tolerates not-ready for 60s', [{ ...NOT_READY, tolerationSeconds: 60 }], [{ ...NOT_READY, tolerationSeconds: 60 }, UNREACHABLE]],
    ['an empty key tolerates every NoExecute taint', [{ operator: 'Exists', effect: 'NoExecute' }], [{ operator: 'Exists', effect: 'NoExecute' }]],
    ['an empty effect tolerates every effect', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }], [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }, NOT_READY]],
    ['a NoSchedule toleration does not count', [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }], [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }, NOT_READY, UNREACHABLE]],
  ])('%s', (_name, given, expected) => {
    const out = admit('Pod', pod({ tolerations: given }), ctx());
    expect(out.spec!.tolerations).toEqual(expected);
  });
});

describe('ServiceAccount admission', () => {
  it('sets the default service account and mounts the projected kube-api-access volume read-only in every container', () => {
    const out = admit('Pod', pod(), ctx());
    expect(out.spec!.serviceAccountName).toBe('default');
    expect(out.spec!.serviceAccount).toBe('default');
    const vol = out.spec!.volumes!.at(-1)!;
    expect(vol.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(vol.projected).toEqual({
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    });
    for (const c of [...out.spec!.initContainers!, ...out.spec!.containers]) {
      expect(c.volumeMounts).toEqual([{ name: vol.name, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH }]);
    }
  });

  it('is deterministic: the same seed gives the same volume name, another seed another', () => {
    const a = admit('Pod', pod(), ctx(3)).spec!.volumes!.at(-1)!.name;
    expect(admit('Pod', pod(), ctx(3)).spec!.volumes!.at(-1)!.name).toBe(a);
    expect(admit('Pod', pod(), ctx(4)).spec!.volumes!.at(-1)!.name).not.toBe(a);
  });

  it('adds no token when automountServiceAccountToken is false, and keeps a named service account', () => {
    const out = admit('Pod', pod({ automountServiceAccountToken: false, serviceAccountName: 'builder' }), ctx());
    expect(out.spec!.serviceAccountName).toBe('builder');
    expect(out.spec!.volumes).toBeUndefined();
    expect(out.spec!.containers[0].volumeMounts).toBeUndefined();
  });
});

describe('Priority admission', () => {
  it('gives priority 0 and PreemptLowerPriority without a class', () => {
    const out = admit('Pod', pod(), ctx());
    expect(out.spec!.priority).toBe(0);
    expect(out.spec!.preemptionPolicy).toBe('PreemptLowerPriority');
  });

  it('knows the system classes and refuses unknown ones', () => {
    expect(admit('Pod', pod({ priorityClassName: 'system-node-critical' }), ctx()).spec!.priority).toBe(2000001000);
    expect(() => admit('Pod', pod({ priorityClassName: 'gold' }), ctx())).toThrow('pods "web" is forbidden: no PriorityClass with name gold was found');
  });
});

describe('Job and Service registries', () => {
  it('generates the Job selector and template labels from the uid', () => {
    const job: Job = applyDefaults('Job', { metadata: { name: 'pi', namespace: 'default' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } } } });
    const out = admit('Job', job, { ...ctx(), uid: 'u-1' });
    expect(out.spec!.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
    expect(out.spec!.template.metadata!.labels).toEqual({
      'batch.kubernetes.io/controller-uid': 'u-1',
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': 'u-1',
      'job-name': 'pi',
    });
  });

  it('allocates distinct cluster IPs above the static band of 10.96.0.0/16', () => {
    const cluster = new Cluster({ seed: 2 });
    const ips = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const svc = cluster.api.create('Service', { metadata: { name: `s${i}` }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } } as Service);
      const ip = svc.spec!.clusterIP!;
      expect(ip).toMatch(/^10\.96\.(\d+)\.(\d+)$/);
      expect(Number(ip.split('.')[2])).toBeGreaterThanOrEqual(1);
      expect(svc.spec!.clusterIPs).toEqual([ip]);
      ips.add(ip);
    }
    expect(ips.size).toBe(20);
  });

  it('refuses a requested cluster IP that is taken', () => {
    const cluster = new Cluster({ seed: 2 });
    cluster.api.create('Service', { metadata: { name: 'a' }, spec: { clusterIP: '10.96.0.50', ports: [{ port: 80 }] } } as Service);
    expect(() => cluster.api.create('Service', { metadata: { name: 'b' }, spec: { clusterIP: '10.96.0.50', ports: [{ port: 80 }] } } as Service)).toThrow(
      'The Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.50"}: failed to allocate IP 10.96.0.50: provided IP is already allocated',
    );
  });

  it('gives NodePort services a node port in 30000-32767', () => {
    const out = admit('Service', applyDefaults('Service', { metadata: { name: 'np' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } }), ctx());
    const np = out.spec!.ports![0].nodePort!;
    expect(np).toBeGreaterThanOrEqual(30000);
    expect(np).toBeLessThanOrEqual(32767);
  });
});

describe('through the ApiServer', () => {
  it('a created pod carries the admission fields, and a created Job passes validation with its generated selector', () => {
    const cluster = new Cluster({ seed: 5 });
    const p = cluster.api.create('Pod', { metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } });
    expect(p.spec!.tolerations).toEqual([NOT_READY, UNREACHABLE]);
    expect(p.spec!.containers[0].volumeMounts![0].mountPath).toBe(SERVICE_ACCOUNT_MOUNT_PATH);
    const job = cluster.api.create('Job', { metadata: { name: 'pi' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } } } });
    expect(job.spec!.selector!.matchLabels!['batch.kubernetes.io/controller-uid']).toBe(job.metadata!.uid);
  });
});
