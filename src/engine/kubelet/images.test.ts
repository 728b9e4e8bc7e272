import { describe, expect, test } from 'vitest';
import { Cluster } from '../cluster';
import type { Container, Pod } from '../api/types';

/** These scenarios run the real image catalogue and shell (world/images.ts), not the fake. */
function setup(): Cluster {
  const cluster = new Cluster({ seed: 3 });
  cluster.addNode('node-1');
  return cluster;
}
function pod(name: string, containers: Container[], extra: Partial<Pod['spec']> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'node-1', containers, ...extra } } as Pod;
}
const status = (c: Cluster, name: string) => c.store.get('Pod', 'default', name)!.status!;
const kubelet = (c: Cluster) => c.kubelets.get('node-1')!;

describe('with the real image catalogue', () => {
  test('nginx serves, readiness probe passes, probes show in its access log', () => {
    const c = setup();
    c.api.create('Pod', pod('web', [{ name: 'nginx', image: 'nginx:1.25', readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5 } }]));
    c.advance(20_000);
    const s = status(c, 'web');
    expect(s.phase).toBe('Running');
    expect(s.containerStatuses![0].ready).toBe(true);
    expect(s.containerStatuses![0].image).toBe('docker.io/library/nginx:1.25');
    expect(kubelet(c).logs('default', 'web', undefined)).toContain('kube-probe/1.34');
    expect(kubelet(c).exec('default', 'web', undefined, ['cat', '/etc/hostname']).stdout).toBe('web\n');
  });

  test('busybox: a shell script logs, exits 3, and is not restarted under Never', () => {
    const c = setup();
    c.api.create('Pod', pod('job', [{ name: 'sh', image: 'busybox:1.36', command: ['sh', '-c', 'echo hello; sleep 2; exit 3'] }], { restartPolicy: 'Never' }));
    c.advance(30_000);
    const s = status(c, 'job');
    expect(s.phase).toBe('Failed');
    expect(s.containerStatuses![0].state!.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(kubelet(c).logs('default', 'job', undefined)).toBe('hello\n');
  });

  test('a command the image lacks: StartError, exit 128', () => {
    const c = setup();
    c.api.create('Pod', pod('bad', [{ name: 'x', image: 'busybox:1.36', command: ['nosuchbinary'] }], { restartPolicy: 'Never' }));
    c.advance(10_000);
    const t = status(c, 'bad').containerStatuses![0].state!.terminated!;
    expect([t.exitCode, t.reason]).toEqual([128, 'StartError']);
    expect(t.message).toContain('exec: "nosuchbinary": executable file not found in $PATH');
  });

  test('a shell as PID 1 ignores SIGTERM: SIGKILL at the end of the grace period', () => {
    const c = setup();
    c.api.create('Pod', pod('sleepy', [{ name: 's', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3600'] }], { terminationGracePeriodSeconds: 10 }));
    c.advance(10_000);
    const t0 = c.clock.now();
    c.api.delete('Pod', 'default', 'sleepy');
    c.advance(9_999);
    expect(c.store.get('Pod', 'default', 'sleepy')).toBeDefined();
    c.advance(1);
    expect(c.store.get('Pod', 'default', 'sleepy')).toBeUndefined();
    expect(c.clock.now() - t0).toBe(10_000);
  });

  test('the kubernetes.io liveness exec example: killed after 3 failures, SIGKILLed 30s later (sh ignores SIGTERM)', () => {
    const c = setup();
    c.api.create('Pod', pod('liveness-exec', [{
      name: 'liveness', image: 'registry.k8s.io/busybox', args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'],
      livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, initialDelaySeconds: 5, periodSeconds: 5 },
    }]));
    // Started at 1.3s; the file goes at 31.3s; the liveness worker ticks on the pod's 5s grid (0s, 5s…),
    // so failures at 35s, 40s, 45s → Killing at 45s; sh ignores SIGTERM, so SIGKILL comes 30s later.
    c.advance(70_000);
    expect(status(c, 'liveness-exec').containerStatuses![0].restartCount).toBe(0);
    const killing = c.store.list('Event', 'default').find((e) => e.reason === 'Killing')!;
    expect(killing.firstTimestamp).toBe('2026-01-01T00:00:45Z');
    c.advance(6_000);
    const cs = status(c, 'liveness-exec').containerStatuses![0];
    expect(cs.restartCount).toBe(1);
    expect(cs.lastState!.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    const msgs = c.store.list('Event', 'default').map((e) => e.message);
    expect(msgs.some((m) => m?.startsWith('Liveness probe failed: cat: can\'t open \'/tmp/healthy\''))).toBe(true);
    expect(msgs).toContain('Container liveness failed liveness probe, will be restarted');
  });
});
