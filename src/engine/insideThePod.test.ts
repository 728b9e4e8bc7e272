/**
 * "Inside the Pod": explicit checks of the key facts each scenarios/pod-*.txt transcript shows, so a
 * regenerated golden cannot silently drift from what real Kubernetes does. Each test drives a Session
 * with the scenario's own manifests and asserts on the API objects (statuses, events, EndpointSlices)
 * and on kubectl output where the printed form is the fact (STATUS, READY, RESTARTS).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Clock } from './clock';
import type { ContainerStatus, Event, Pod } from './api/types';
import { Session } from './session';

const dir = resolve(import.meta.dirname, '../../scenarios');

function session(): Session {
  const s = new Session({ seed: 1, readFile: (p) => readFileSync(join(dir, p), 'utf8') });
  expect(s.exec('sim cluster --nodes 1').exitCode).toBe(0);
  return s;
}

/** Run a console line that must succeed; its output. */
function run(s: Session, line: string): string {
  const r = s.exec(line);
  expect(r.exitCode, `${line}\n${r.output}`).toBe(0);
  return r.output;
}

const advance = (s: Session, ms: number) => s.cluster.advance(ms);
const now = (s: Session) => s.cluster.clock.now();
const pod = (s: Session, name: string, ns = 'default'): Pod | undefined => s.cluster.store.get('Pod', ns, name);

function container(p: Pod | undefined, name: string): ContainerStatus {
  const all = [...(p?.status?.containerStatuses ?? []), ...(p?.status?.initContainerStatuses ?? [])];
  const c = all.find((x) => x.name === name);
  expect(c, `container status ${name}`).toBeDefined();
  return c!;
}

const condition = (p: Pod | undefined, type: string) => p?.status?.conditions?.find((c) => c.type === type)?.status;

function events(s: Session, name: string, ns = 'default'): Event[] {
  return s.cluster.store
    .list('Event', ns)
    .filter((e) => e.involvedObject.name === name)
    .sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
}

/** Seconds since the start of the simulation (2026-01-01T00:00:00Z) of an RFC 3339 time. */
const sec = (t: string | undefined) => Clock.parseRfc3339(t!) / 1000;

/** The one data row of `kubectl get pod NAME` as its columns. */
function row(s: Session, name: string, ns = 'default'): { ready: string; status: string; restarts: string } {
  const lines = run(s, `kubectl get pod ${name} -n ${ns}`).trimEnd().split('\n');
  const header = lines[0];
  const line = lines[1];
  const col = (title: string, next?: string) => line.slice(header.indexOf(title), next ? header.indexOf(next) : undefined).trim();
  return { ready: col('READY', 'STATUS'), status: col('STATUS', 'RESTARTS'), restarts: col('RESTARTS', 'AGE') };
}

describe('pod-shared-volume: two containers, one emptyDir', () => {
  it('nginx serves what the debian container wrote; debian Completed leaves the pod 1/2 NotReady', () => {
    const s = session();
    run(s, 'kubectl apply -f pod-shared-volume.yaml');
    advance(s, 10_000);
    expect(run(s, 'kubectl exec two-containers -c nginx-container -- curl -s localhost')).toBe('Hello from the debian container\n');
    const p = pod(s, 'two-containers');
    expect(container(p, 'debian-container').state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(container(p, 'nginx-container')).toMatchObject({ ready: true, state: { running: {} } });
    expect(p?.status?.phase).toBe('Running');
    expect(condition(p, 'Ready')).toBe('False');
    expect(row(s, 'two-containers')).toMatchObject({ ready: '1/2', status: 'NotReady' });
    // Both containers mount the same volume at different paths.
    const describe = run(s, 'kubectl describe pod two-containers');
    expect(describe).toContain('/usr/share/nginx/html from shared-data (rw)');
    expect(describe).toContain('/pod-data from shared-data (rw)');
    expect(describe).toContain('EmptyDir (a temporary directory that shares a pod\'s lifetime)');
  });

  it('the kubelet starts the containers one after the other: debian is pulled after nginx has started', () => {
    const s = session();
    run(s, 'kubectl apply -f pod-shared-volume.yaml');
    advance(s, 10_000);
    const seq = events(s, 'two-containers').map((e) => `${e.reason} ${e.message}`);
    const startedNginx = seq.indexOf('Started Started container nginx-container');
    const pullingDebian = seq.indexOf('Pulling Pulling image "debian"');
    expect(startedNginx).toBeGreaterThan(0);
    expect(pullingDebian).toBeGreaterThan(startedNginx);
  });

  it('a writer loop and a reader: every line the writer logged is served by nginx', () => {
    const s = session();
    run(s, 'kubectl apply -f pod-shared-volume-loop.yaml');
    advance(s, 50_000);
    const logged = run(s, 'kubectl logs writer-reader -c writer');
    expect(logged.trimEnd().split('\n')).toHaveLength(5); // a line every 10s from ~4s
    expect(run(s, 'kubectl exec writer-reader -c nginx -- curl -s localhost')).toBe(logged);
    expect(run(s, 'kubectl exec writer-reader -c writer -- wget -qO- localhost:80')).toBe(logged);
  });
});

describe('pod-sidecar-logs: a native sidecar', () => {
  it('starts first, counts in READY, and ships the lines the app writes', () => {
    const s = session();
    run(s, 'kubectl apply -f pod-sidecar-logs.yaml');
    advance(s, 1_500);
    const name = s.cluster.store.list('Pod', 'default')[0].metadata!.name!;
    let p = pod(s, name);
    expect(container(p, 'logshipper')).toMatchObject({ started: true, ready: true, state: { running: {} } });
    expect(container(p, 'myapp').state?.waiting?.reason).toBe('PodInitializing');
    expect(row(s, name)).toMatchObject({ ready: '1/2', status: 'PodInitializing' });
    advance(s, 10_500);
    p = pod(s, name);
    expect(condition(p, 'Initialized')).toBe('True');
    expect(row(s, name)).toMatchObject({ ready: '2/2', status: 'Running' });
    const tail = run(s, 'kubectl logs deployment/myapp -c logshipper --tail=5');
    expect(tail).toBe('logging\n'.repeat(5));
    // exec reaches a running sidecar, and it sees the same file as the app.
    const count = Number(run(s, 'kubectl exec deploy/myapp -c logshipper -- wc -l /opt/logs.txt').trim().split(/\s+/)[0]);
    expect(count).toBeGreaterThanOrEqual(10);
    expect(run(s, 'kubectl exec deploy/myapp -c myapp -- wc -l /opt/logs.txt')).toBe(`${count} /opt/logs.txt\n`);
  });
});

describe('pod-port-conflict: one port space per Pod', () => {
  it('the second nginx cannot bind :80 and crash-loops with back-off 0, 10s, 20s, 40s, 80s', () => {
    const s = session();
    run(s, 'kubectl apply -f pod-port-conflict.yaml');
    // Watch web-b's runs second by second: each new run's start minus the previous run's end.
    const runs: { started: number; finished?: number }[] = [];
    const statuses: string[] = [];
    for (let t = 0; t < 180; t++) {
      advance(s, 1_000);
      const c = container(pod(s, 'two-nginx'), 'web-b');
      const started = c.state?.running?.startedAt;
      if (started && !runs.some((r) => r.started === sec(started))) runs.push({ started: sec(started) });
      const last = c.lastState?.terminated ?? c.state?.terminated;
      const mine = last && runs.find((r) => r.started === sec(last.startedAt));
      if (mine) mine.finished = sec(last.finishedAt);
      if (t % 5 === 0) statuses.push(row(s, 'two-nginx').status);
    }
    expect(runs.length).toBeGreaterThanOrEqual(6);
    const delays = runs.slice(1).map((r, i) => r.started - runs[i].finished!);
    // Whole seconds only: the status times are truncated to seconds.
    expect(delays.slice(0, 5).map((d) => Math.round(d / 10) * 10)).toEqual([0, 10, 20, 40, 80]);
    // Each run tries bind() 5 times, 500ms apart, then exits 1 (about 2.5s after it started).
    const c = container(pod(s, 'two-nginx'), 'web-b');
    expect(c.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(container(pod(s, 'two-nginx'), 'web-a')).toMatchObject({ restartCount: 0, ready: true });
    // Error right after a crash, CrashLoopBackOff once the kubelet's retry has seen the back-off.
    expect(statuses).toContain('Error');
    expect(statuses).toContain('CrashLoopBackOff');
    const log = run(s, 'kubectl logs two-nginx -c web-b --previous');
    expect(log.match(/bind\(\) to 0\.0\.0\.0:80 failed \(98: Address already in use\)/g)).toHaveLength(10); // 5 tries × (error log + stderr)
    expect(log.trimEnd().split('\n').at(-1)).toBe('nginx: [emerg] still could not bind()');
    expect(run(s, 'kubectl get pod two-nginx')).toMatch(/1\/2 +CrashLoopBackOff +5 \(\d+s ago\)/);
  });
});

describe('pod-init-wait: init containers gate the app', () => {
  it('Init:0/2, Init:1/2 as each Service appears, then the app runs', () => {
    const s = session();
    run(s, 'kubectl apply -f pod-init-wait.yaml');
    advance(s, 10_000);
    let p = pod(s, 'myapp-pod');
    expect(row(s, 'myapp-pod')).toMatchObject({ ready: '0/1', status: 'Init:0/2' });
    expect(p?.status?.phase).toBe('Pending');
    expect(condition(p, 'Initialized')).toBe('False');
    expect(container(p, 'init-myservice')).toMatchObject({ ready: false, state: { running: {} } });
    expect(container(p, 'init-mydb').state?.waiting?.reason).toBe('PodInitializing');
    expect(run(s, 'kubectl logs myapp-pod -c init-myservice')).toContain('waiting for myservice');
    const servicesAt = now(s);
    run(s, 'kubectl apply -f pod-init-wait-myservice.yaml');
    advance(s, 3_000);
    expect(row(s, 'myapp-pod')).toMatchObject({ ready: '0/1', status: 'Init:1/2' });
    expect(container(pod(s, 'myapp-pod'), 'init-mydb').state?.running).toBeDefined();
    run(s, 'kubectl apply -f pod-init-wait-mydb.yaml');
    advance(s, 3_000);
    p = pod(s, 'myapp-pod');
    const first = container(p, 'init-myservice').state!.terminated!;
    const second = container(p, 'init-mydb').state!.terminated!;
    expect([first.exitCode, second.exitCode]).toEqual([0, 0]);
    expect(container(p, 'init-myservice').ready).toBe(true);
    // The loop polls every 2s: done within 2s of the Service appearing; mydb only runs after it.
    expect(sec(first.finishedAt) * 1000 - servicesAt).toBeLessThanOrEqual(2_000);
    expect(sec(second.startedAt)).toBeGreaterThanOrEqual(sec(first.finishedAt));
    expect(sec(container(p, 'myapp-container').state!.running!.startedAt)).toBeGreaterThanOrEqual(sec(second.finishedAt));
    expect(row(s, 'myapp-pod')).toMatchObject({ ready: '1/1', status: 'Running' });
    expect(run(s, 'kubectl logs myapp-pod -c myapp-container')).toBe('The app is running!\n');
    // The successful lookup prints the Service's ClusterIP, as busybox 1.28 nslookup does.
    const ip = s.cluster.store.get('Service', 'default', 'mydb')!.spec!.clusterIP;
    expect(run(s, 'kubectl logs myapp-pod -c init-mydb')).toContain(`Name:      mydb.default.svc.cluster.local\nAddress 1: ${ip} mydb.default.svc.cluster.local\n`);
  });
});

describe('pod-liveness: the kubernetes.io exec liveness example', () => {
  it('fails at 35s, 40s, 45s, is killed at 45s, SIGKILLed 30s later (exit 137) and restarted at 75s', () => {
    const s = session();
    run(s, 'kubectl apply -f pod-liveness.yaml');
    advance(s, 34_000);
    expect(events(s, 'liveness-exec').filter((e) => e.reason === 'Unhealthy')).toHaveLength(0);
    advance(s, 12_000);
    const unhealthy = events(s, 'liveness-exec').find((e) => e.reason === 'Unhealthy')!;
    expect(unhealthy.message).toBe("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory");
    expect([unhealthy.count, sec(unhealthy.firstTimestamp), sec(unhealthy.lastTimestamp)]).toEqual([3, 35, 45]);
    const killing = events(s, 'liveness-exec').find((e) => e.reason === 'Killing')!;
    expect([killing.message, sec(killing.firstTimestamp)]).toEqual(['Container liveness failed liveness probe, will be restarted', 45]);
    // The container runs out its grace period (sh ignores SIGTERM) and stays ready meanwhile.
    advance(s, 74_999 - now(s));
    expect(container(pod(s, 'liveness-exec'), 'liveness')).toMatchObject({ restartCount: 0, ready: true, state: { running: {} } });
    advance(s, 1);
    const c = container(pod(s, 'liveness-exec'), 'liveness');
    expect(c.restartCount).toBe(1);
    expect(c.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    expect(sec(c.lastState!.terminated!.finishedAt)).toBe(75);
    expect(row(s, 'liveness-exec')).toMatchObject({ ready: '1/1', status: 'Running', restarts: '1 (0s ago)' });
  });
});

describe('pod-readiness: readiness gates traffic, not life', () => {
  const slice = (s: Session) => s.cluster.store.list('EndpointSlice', 'default').find((e) => e.metadata?.labels?.['kubernetes.io/service-name'] === 'flip')!;

  it('the Ready condition, READY column and EndpointSlice ready flag follow the probe; no restart', () => {
    const s = session();
    run(s, 'kubectl apply -f pod-readiness.yaml');
    advance(s, 10_000);
    expect(row(s, 'flip')).toMatchObject({ ready: '0/1', status: 'Running' });
    expect(condition(pod(s, 'flip'), 'Ready')).toBe('False');
    expect(slice(s).endpoints![0].conditions).toMatchObject({ ready: false, serving: false });
    run(s, 'kubectl exec flip -- touch /tmp/ready');
    advance(s, 5_000);
    expect(row(s, 'flip').ready).toBe('1/1');
    expect(condition(pod(s, 'flip'), 'Ready')).toBe('True');
    expect(slice(s).endpoints![0].conditions).toMatchObject({ ready: true, serving: true, terminating: false });
    run(s, 'kubectl exec flip -- rm /tmp/ready');
    advance(s, 10_000);
    expect(row(s, 'flip').ready).toBe('1/1'); // two failures: below failureThreshold 3
    advance(s, 5_000);
    expect(row(s, 'flip').ready).toBe('0/1');
    expect(slice(s).endpoints![0].conditions).toMatchObject({ ready: false, serving: false });
    expect(container(pod(s, 'flip'), 'web').restartCount).toBe(0);
    expect(events(s, 'flip').some((e) => e.reason === 'Killing')).toBe(false);
  });
});

describe('pod-oom: the kubernetes.io memory-request-limit-2 example', () => {
  it('OOMKilled with exit code 137, then CrashLoopBackOff; Burstable QoS', () => {
    const s = session();
    run(s, 'kubectl create namespace mem-example');
    run(s, 'kubectl apply -f pod-oom.yaml');
    advance(s, 5_000);
    let p = pod(s, 'memory-demo-2', 'mem-example');
    expect(p?.status?.qosClass).toBe('Burstable');
    expect(container(p, 'memory-demo-2-ctr').state?.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(row(s, 'memory-demo-2', 'mem-example')).toMatchObject({ ready: '0/1', status: 'OOMKilled' });
    advance(s, 40_000);
    p = pod(s, 'memory-demo-2', 'mem-example');
    const c = container(p, 'memory-demo-2-ctr');
    expect(c.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(c.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(c.restartCount).toBe(3);
    expect(row(s, 'memory-demo-2', 'mem-example').status).toBe('CrashLoopBackOff');
  });
});

describe('pod-prestop: graceful termination', () => {
  it('the preStop hook runs inside the grace period: nginx is removed 5s after the delete', () => {
    const s = session();
    run(s, 'kubectl apply -f pod-prestop.yaml');
    advance(s, 10_000);
    run(s, 'kubectl delete pod web --wait=false');
    const p = pod(s, 'web');
    expect(p?.metadata?.deletionGracePeriodSeconds).toBe(30);
    expect(sec(p?.metadata?.deletionTimestamp)).toBe(40);
    expect(row(s, 'web')).toMatchObject({ ready: '1/1', status: 'Terminating' });
    expect(events(s, 'web').find((e) => e.reason === 'Killing')?.message).toBe('Stopping container nginx');
    advance(s, 4_999);
    expect(pod(s, 'web')).toBeDefined();
    expect(run(s, 'kubectl exec web -- curl -s -o /dev/null -w %{http_code} localhost')).toBe('200');
    advance(s, 1_000);
    expect(pod(s, 'web')).toBeUndefined();
  });

  it('a shell ignoring SIGTERM lasts the whole 30s grace period', () => {
    const s = session();
    run(s, 'kubectl apply -f pod-prestop.yaml');
    advance(s, 10_000);
    run(s, 'kubectl delete pod stubborn --wait=false');
    advance(s, 29_999);
    expect(row(s, 'stubborn').status).toBe('Terminating');
    advance(s, 1);
    expect(pod(s, 'stubborn')).toBeUndefined();
  });

  it('a sidecar ignoring SIGTERM is SIGKILLed 30s after its pod completed: exit code 137', () => {
    const s = session();
    run(s, 'kubectl apply -f pod-prestop-sidecar.yaml');
    advance(s, 10_000);
    let p = pod(s, 'batch');
    const done = sec(container(p, 'app').state!.terminated!.finishedAt);
    expect(container(p, 'app').state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(container(p, 'forwarder').state?.running).toBeDefined();
    advance(s, 30_000);
    p = pod(s, 'batch');
    const t = container(p, 'forwarder').state!.terminated!;
    expect([t.exitCode, t.reason]).toEqual([137, 'Error']);
    expect(sec(t.finishedAt) - done).toBe(30);
    expect(p?.status?.phase).toBe('Succeeded');
    expect(row(s, 'batch')).toMatchObject({ ready: '0/2', status: 'Completed' });
  });
});

describe('pod-emptydir-lifecycle: the volume lives as long as the Pod', () => {
  it('survives a container restart, not the Pod', () => {
    const s = session();
    run(s, 'kubectl apply -f pod-emptydir-lifecycle.yaml');
    advance(s, 10_000);
    expect(run(s, 'kubectl exec cache -- ls -A /usr/share/nginx/html')).toBe('');
    run(s, 'kubectl exec cache -- sh -c \'echo kept > /usr/share/nginx/html/index.html\'');
    const uid = pod(s, 'cache')!.metadata!.uid;
    run(s, "kubectl exec cache -- sh -c 'kill 1'");
    advance(s, 2_000);
    const c = container(pod(s, 'cache'), 'web');
    expect(c.restartCount).toBe(1);
    expect(c.lastState?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(run(s, 'kubectl exec cache -- curl -s localhost')).toBe('kept\n');
    run(s, 'kubectl delete pod cache');
    expect(pod(s, 'cache')).toBeUndefined();
    run(s, 'kubectl apply -f pod-emptydir-lifecycle.yaml');
    advance(s, 5_000);
    expect(pod(s, 'cache')!.metadata!.uid).not.toBe(uid);
    expect(run(s, 'kubectl exec cache -- ls -A /usr/share/nginx/html')).toBe('');
    expect(run(s, 'kubectl exec cache -- curl -s localhost')).toContain('403 Forbidden');
  });
});

describe('time slicing does not change what happens inside a Pod', () => {
  /** Pod statuses and event records after `total` ms, reached in the given steps (the rest at the end). */
  function after(manifest: string, steps: number[], total: number): string {
    const s = session();
    run(s, `kubectl apply -f ${manifest}`);
    for (const ms of steps) if (now(s) + ms <= total) advance(s, ms);
    advance(s, total - now(s));
    const pods = s.cluster.store.list('Pod', 'default').map((p) => p.status);
    const evs = s.cluster.store.list('Event', 'default').map((e) => [e.reason, e.message, e.count, e.firstTimestamp, e.lastTimestamp]);
    return JSON.stringify({ pods, evs });
  }

  it.each([
    ['pod-liveness.yaml', 80_000],
    ['pod-port-conflict.yaml', 100_000],
  ])('%s: any sequence of advances ends in the same state', (manifest, total) => {
    const once = after(manifest, [], total);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20_000 }), { maxLength: 8 }), (steps) => {
        expect(after(manifest, steps, total)).toBe(once);
      }),
      { numRuns: 15, seed: 7 },
    );
  });
});
