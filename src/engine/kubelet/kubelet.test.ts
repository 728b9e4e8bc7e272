import { describe, expect, test } from 'vitest';
import type { Pod } from '../api/types';
import { eventsOf, getPod, makeCluster, makePod } from './testing/harness';

const cs = (p: Pod, name = 'app') => p.status!.containerStatuses!.find((c) => c.name === name)!;
const cond = (p: Pod, type: string) => p.status!.conditions!.find((c) => c.type === type)!;

describe('node heartbeat', () => {
  test('posts conditions, events, and renews the Lease every 10s', () => {
    const { cluster } = makeCluster();
    const node = cluster.store.get('Node', undefined, 'node-1')!;
    expect(node.status!.conditions!.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
      ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
    ]);
    expect(eventsOf(cluster, 'node-1')).toEqual([
      'Starting: Starting kubelet.',
      'NodeAllocatableEnforced: Updated Node Allocatable limit across pods',
      'NodeHasSufficientMemory: Node node-1 status is now: NodeHasSufficientMemory',
      'NodeHasNoDiskPressure: Node node-1 status is now: NodeHasNoDiskPressure',
      'NodeHasSufficientPID: Node node-1 status is now: NodeHasSufficientPID',
      'NodeReady: Node node-1 status is now: NodeReady',
    ]);
    const lease = () => cluster.store.get('Lease', 'kube-node-lease', 'node-1')!;
    expect(lease().spec).toEqual({ holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2026-01-01T00:00:00Z' });
    cluster.advance(25_000);
    expect(lease().spec!.renewTime).toBe('2026-01-01T00:00:20Z');
  });

  test('a node whose conditions were marked Unknown re-posts Ready at the next heartbeat', () => {
    const { cluster } = makeCluster();
    const node = cluster.store.get('Node', undefined, 'node-1')!;
    cluster.store.update('Node', { ...node, status: { ...node.status, conditions: node.status!.conditions!.map((c) => ({ ...c, status: 'Unknown', reason: 'NodeStatusUnknown' })) } });
    cluster.advance(10_000);
    const ready = cluster.store.get('Node', undefined, 'node-1')!.status!.conditions!.find((c) => c.type === 'Ready')!;
    expect([ready.status, ready.reason, ready.lastTransitionTime]).toEqual(['True', 'KubeletReady', '2026-01-01T00:00:10Z']);
  });
});

describe('pod lifecycle', () => {
  test('a pod goes ContainerCreating → Running and Ready, with the kubelet events', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('web', [{ command: ['serve', '80'] }]));
    cluster.advance(0);
    let p = getPod(cluster, 'web');
    expect(p.status!.phase).toBe('Pending');
    expect(cs(p).state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(p.status!.podIP).toBeUndefined();
    cluster.advance(3_000);
    p = getPod(cluster, 'web');
    expect(p.status!.phase).toBe('Running');
    expect(p.status!.podIP).toBe('10.244.0.2');
    expect(p.status!.hostIP).toBe('172.18.0.2');
    expect(p.status!.qosClass).toBe('BestEffort');
    expect(cs(p)).toMatchObject({ ready: true, started: true, restartCount: 0, image: 'docker.io/library/app:1', state: { running: { startedAt: '2026-01-01T00:00:03Z' } } });
    expect(cond(p, 'Ready').status).toBe('True');
    expect(p.status!.conditions!.map((c) => c.type)).toEqual(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
    expect(eventsOf(cluster, 'web')).toEqual([
      'Pulling: Pulling image "app:1"',
      'Pulled: Successfully pulled image "app:1" in 2s (2s including waiting). Image size: 10000000 bytes.',
      'Created: Created container: app',
      'Started: Started container app',
    ]);
    // A second pod finds the image cached; it gets the next IP.
    cluster.api.create('Pod', makePod('web2', [{ command: ['serve', '80'] }]));
    cluster.advance(1_000);
    expect(getPod(cluster, 'web2').status!.podIP).toBe('10.244.0.3');
    expect(eventsOf(cluster, 'web2')[0]).toBe('Pulled: Container image "app:1" already present on machine and can be accessed by the pod');
  });

  test('containers of one pod start one after the other: the next pull begins after the previous container started', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('two', [{ image: 'app:1' }, { image: 'app:2' }]));
    cluster.advance(6_000);
    expect(eventsOf(cluster, 'two')).toEqual([
      'Pulling: Pulling image "app:1"',
      'Pulled: Successfully pulled image "app:1" in 2s (2s including waiting). Image size: 10000000 bytes.',
      'Created: Created container: app',
      'Started: Started container app',
      'Pulling: Pulling image "app:2"',
      'Pulled: Successfully pulled image "app:2" in 2s (2s including waiting). Image size: 10000000 bytes.',
      'Created: Created container: c1',
      'Started: Started container c1',
    ]);
  });

  test('image pulls on one node are serialised: the second waits for the first', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('a', [{ image: 'app:1' }]));
    cluster.api.create('Pod', makePod('b', [{ image: 'app:2' }]));
    cluster.advance(6_000);
    expect(eventsOf(cluster, 'b')[1]).toBe('Pulled: Successfully pulled image "app:2" in 2s (4s including waiting). Image size: 10000000 bytes.');
  });

  test('crash loop: restarts at once, then back-off 10s, 20s, 40s', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('crash', [{ command: ['exit', '1'] }]));
    const restarts = (t: number) => {
      cluster.advance(t - cluster.clock.now());
      return cs(getPod(cluster, 'crash')).restartCount;
    };
    expect(restarts(3_000)).toBe(1); // first exit at 3s: restarted at once, crashed again
    let p = getPod(cluster, 'crash');
    // Until the next pod-worker retry (10s later) the status still shows the termination (STATUS Error).
    expect(cs(p).state!.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(p.status!.phase).toBe('Running');
    expect(restarts(13_000)).toBe(2); // back-off 10s over: restarted
    expect(restarts(23_000)).toBe(2); // crashed at 13s, back-off 20s; the 23s retry caches CrashLoopBackOff
    p = getPod(cluster, 'crash');
    expect(cs(p).state!.waiting).toEqual({ reason: 'CrashLoopBackOff', message: `back-off 20s restarting failed container=app pod=crash_default(${p.metadata!.uid})` });
    expect(cs(p).lastState!.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(restarts(32_999)).toBe(2);
    expect(restarts(33_000)).toBe(3);
    expect(restarts(72_999)).toBe(3);
    expect(restarts(73_000)).toBe(4);
    expect(restarts(83_000)).toBe(4);
    expect(cs(getPod(cluster, 'crash')).state!.waiting!.message).toContain('back-off 1m20s restarting');
    expect(eventsOf(cluster, 'crash')).toContain(`BackOff: Back-off restarting failed container app in pod crash_default(${p.metadata!.uid})`);
    expect(cluster.kubelets.get('node-1')!.runtimeView('default', 'crash')!.containers[0].nextAttemptAt).toBe(153_000);
  });

  test('crash loop: every pod-worker retry (10s) during the back-off records BackOff again', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('crash', [{ command: ['exit', '1'] }]));
    const backOffCount = () => cluster.store.list('Event', 'default').filter((e) => e.involvedObject.name === 'crash' && e.reason === 'BackOff').reduce((n, e) => n + (e.count ?? 1), 0);
    cluster.advance(12_999);
    expect(backOffCount()).toBe(1); // the sync right after the crash
    cluster.advance(20_000); // back-off 20s from 13s: syncs at 13s and 23s find it waiting
    expect(backOffCount()).toBe(3);
    cluster.advance(40_000); // back-off 40s from 33s: 4 more
    expect(backOffCount()).toBe(7);
    expect(cs(getPod(cluster, 'crash')).restartCount).toBe(3);
  });

  test('restartPolicy Never: a failing container leaves the pod Failed, never restarted', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('once', [{ command: ['exit', '3', '1000'] }], { restartPolicy: 'Never' }));
    cluster.advance(60_000);
    const p = getPod(cluster, 'once');
    expect(p.status!.phase).toBe('Failed');
    expect(cs(p)).toMatchObject({ restartCount: 0, state: { terminated: { exitCode: 3, reason: 'Error', startedAt: '2026-01-01T00:00:03Z', finishedAt: '2026-01-01T00:00:04Z' } } });
    expect(cond(p, 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });
  });

  test('restartPolicy OnFailure: exit 0 completes the pod', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('job', [{ command: ['exit', '0', '2000'] }], { restartPolicy: 'OnFailure' }));
    cluster.advance(30_000);
    const p = getPod(cluster, 'job');
    expect(p.status!.phase).toBe('Succeeded');
    expect(cs(p).state!.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(cond(p, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(p.status!.podIP).toBe('10.244.0.2');
  });

  test('image that does not exist: ErrImagePull, then ImagePullBackOff with back-off', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('bad', [{ image: 'nope:1' }]));
    cluster.advance(2_000);
    let c = cs(getPod(cluster, 'bad'));
    expect(c.state!.waiting!.reason).toBe('ErrImagePull');
    expect(c.state!.waiting!.message).toContain('failed to resolve reference "docker.io/library/nope:1"');
    cluster.advance(1_000);
    c = cs(getPod(cluster, 'bad'));
    expect(c.state!.waiting!.reason).toBe('ImagePullBackOff');
    expect(c.state!.waiting!.message).toMatch(/^Back-off pulling image "nope:1": ErrImagePull: rpc error/);
    const ev = eventsOf(cluster, 'bad');
    expect(ev).toContain('Failed: Error: ErrImagePull');
    expect(ev).toContain('BackOff: Back-off pulling image "nope:1"');
    expect(ev).toContain('Failed: Error: ImagePullBackOff');
    // Second attempt at 2s + 10s; it fails at 13s; the next waits 20s.
    expect(cluster.kubelets.get('node-1')!.runtimeView('default', 'bad')!.containers[0].nextAttemptAt).toBe(12_000);
    cluster.advance(11_000);
    expect(cluster.kubelets.get('node-1')!.runtimeView('default', 'bad')!.containers[0].nextAttemptAt).toBe(33_000);
    expect(getPod(cluster, 'bad').status!.phase).toBe('Pending');
  });

  test('imagePullPolicy Never with an absent image: ErrImageNeverPull', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('never', [{ imagePullPolicy: 'Never' }]));
    cluster.advance(5_000);
    expect(cs(getPod(cluster, 'never')).state!.waiting).toEqual({ reason: 'ErrImageNeverPull', message: 'Container image "app:1" is not present with pull policy of Never' });
  });

  test('init containers run in order before app containers', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('init', [{ command: ['serve', '80'] }], { initContainers: [{ name: 'one', image: 'app:1', command: ['exit', '0', '2000'] }, { name: 'two', image: 'app:1', command: ['exit', '0', '2000'] }] }));
    cluster.advance(4_000);
    let p = getPod(cluster, 'init');
    expect(p.status!.phase).toBe('Pending');
    expect(p.status!.initContainerStatuses!.map((s) => Object.keys(s.state!)[0])).toEqual(['running', 'waiting']);
    // A regular init container is not ready while it runs, only once it has exited 0.
    expect(p.status!.initContainerStatuses!.map((s) => s.ready)).toEqual([false, false]);
    expect(cs(p).state!.waiting!.reason).toBe('PodInitializing');
    expect(cond(p, 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [one two]' });
    cluster.advance(3_000);
    p = getPod(cluster, 'init');
    expect(p.status!.initContainerStatuses!.map((s) => s.state!.terminated?.reason)).toEqual(['Completed', 'Completed']);
    expect(p.status!.initContainerStatuses!.map((s) => [s.ready, s.started])).toEqual([[true, false], [true, false]]);
    expect(p.status!.phase).toBe('Running');
    expect(cond(p, 'Initialized').status).toBe('True');
  });

  test('a failing init container with restartPolicy Never fails the pod', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('initfail', [{}], { restartPolicy: 'Never', initContainers: [{ name: 'i', image: 'app:1', command: ['exit', '1'] }] }));
    cluster.advance(10_000);
    const p = getPod(cluster, 'initfail');
    expect(p.status!.phase).toBe('Failed');
    expect(cs(p).state!.waiting!.reason).toBe('PodInitializing');
    expect(p.status!.initContainerStatuses![0]).toMatchObject({ restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } });
  });

  test('a sidecar starts first, keeps running, and is stopped when the job completes', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('side', [{ command: ['exit', '0', '5000'] }], { restartPolicy: 'Never', initContainers: [{ name: 'proxy', image: 'app:1', restartPolicy: 'Always', command: ['serve', '15000'] }] }));
    cluster.advance(4_000);
    let p = getPod(cluster, 'side');
    expect(p.status!.phase).toBe('Running');
    expect(p.status!.initContainerStatuses![0]).toMatchObject({ started: true, ready: true, state: { running: {} } });
    cluster.advance(10_000);
    p = getPod(cluster, 'side');
    expect(p.status!.phase).toBe('Succeeded');
    expect(p.status!.initContainerStatuses![0].state!.terminated).toMatchObject({ exitCode: 0 });
    expect(eventsOf(cluster, 'side')).toContain('Killing: Stopping container proxy');
  });

  test('admission: a pod that does not fit is rejected with OutOfcpu', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('big', [{ resources: { requests: { cpu: '5' } } }]));
    cluster.advance(1_000);
    const p = getPod(cluster, 'big');
    expect(p.status).toMatchObject({ phase: 'Failed', reason: 'OutOfcpu', message: "Pod was rejected: Node didn't have enough resource: cpu, requested: 5000, used: 0, capacity: 4000" });
    expect(eventsOf(cluster, 'big')).toEqual(["OutOfcpu: Node didn't have enough resource: cpu, requested: 5000, used: 0, capacity: 4000"]);
  });

  test('OOM: a process above its memory limit is killed with 137 OOMKilled', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('oom', [{ command: ['oom', String(300 * 2 ** 20)], resources: { limits: { memory: '256Mi' } } }], { restartPolicy: 'Never' }));
    cluster.advance(10_000);
    const p = getPod(cluster, 'oom');
    expect(cs(p).state!.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(p.status!.qosClass).toBe('Burstable');
    // v1.34 container status fields of a created container.
    expect(cs(p)).toMatchObject({ resources: { limits: { memory: '256Mi' } }, user: { linux: { uid: 0, gid: 0, supplementalGroups: [0] } } });
    expect((cs(p) as { volumeMounts?: unknown[] }).volumeMounts).toContainEqual(expect.objectContaining({ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true, recursiveReadOnly: 'Disabled' }));
  });
});

describe('probes', () => {
  test('liveness failure: Unhealthy ×3, Killing, restart', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('live', [{ command: ['serve', '8080', '/healthz=500'], livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 } }]));
    cluster.advance(14_999);
    expect(cs(getPod(cluster, 'live')).restartCount).toBe(0);
    const unhealthyCount = () => cluster.store.list('Event', 'default').find((e) => e.reason === 'Unhealthy')!.count;
    // Started at 3s; the liveness worker ticks on the pod's 5s grid (created at its first sync, 0s).
    expect(unhealthyCount()).toBe(2); // probes at 5s and 10s
    cluster.advance(1);
    const p = getPod(cluster, 'live');
    expect(cs(p).restartCount).toBe(1);
    expect(cs(p).lastState!.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    const ev = eventsOf(cluster, 'live');
    expect(ev).toContain('Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500');
    expect(ev).toContain('Killing: Container app failed liveness probe, will be restarted');
    // The third failure kills it; the new instance is probed at once (and fails: a fourth).
    expect(unhealthyCount()).toBeGreaterThanOrEqual(3);
    expect(cluster.store.list('Event', 'default').find((e) => e.reason === 'Unhealthy')!.involvedObject.fieldPath).toBe('spec.containers{app}');
  });

  test('readiness follows an exec probe both ways', () => {
    const { cluster, kubelet } = makeCluster();
    cluster.api.create('Pod', makePod('ready', [{ readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1 } }]));
    cluster.advance(5_000);
    let p = getPod(cluster, 'ready');
    expect([p.status!.phase, cs(p).ready, cond(p, 'Ready').status]).toEqual(['Running', false, 'False']);
    expect(eventsOf(cluster, 'ready')).toContain("Unhealthy: Readiness probe failed: cat: can't open '/tmp/ready': No such file or directory");
    kubelet().exec('default', 'ready', undefined, ['touch', '/tmp/ready']);
    cluster.advance(1_000);
    p = getPod(cluster, 'ready');
    expect([cs(p).ready, cond(p, 'Ready').status, cond(p, 'ContainersReady').status]).toEqual([true, 'True', 'True']);
    kubelet().exec('default', 'ready', undefined, ['rm', '/tmp/ready']);
    cluster.advance(2_000);
    expect(cs(getPod(cluster, 'ready')).ready).toBe(true); // two failures: below failureThreshold 3
    cluster.advance(1_000);
    p = getPod(cluster, 'ready');
    expect([cs(p).ready, cond(p, 'Ready').status]).toEqual([false, 'False']);
    expect(cs(p).restartCount).toBe(0);
  });

  test('readiness is probed as soon as the container starts, then on the pod worker grid', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('grid', [{ readinessProbe: { exec: { command: ['false'] }, periodSeconds: 5 } }]));
    const failures = () => cluster.store.list('Event', 'default').find((e) => e.reason === 'Unhealthy')?.count ?? 0;
    cluster.advance(3_000); // started at 3s: probed at once
    expect(failures()).toBe(1);
    cluster.advance(2_000); // the worker's ticker (created at 0s) fires at 5s, not 8s
    expect(failures()).toBe(2);
    cluster.advance(4_999);
    expect(failures()).toBe(2);
    cluster.advance(1);
    expect(failures()).toBe(3);
  });

  test('startup probe gates started, then liveness takes over', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('slow', [{ command: ['serve', '80'], startupProbe: { tcpSocket: { port: 80 }, initialDelaySeconds: 4 } }]));
    // Started at 3s; the startup worker ticks at 0s, 10s…: at 10s, 7 whole seconds ≥ the 4s delay.
    cluster.advance(9_999);
    expect(cs(getPod(cluster, 'slow'))).toMatchObject({ started: false, ready: false });
    cluster.advance(1);
    expect(cs(getPod(cluster, 'slow'))).toMatchObject({ started: true, ready: true });
  });
});

describe('termination', () => {
  test('graceful deletion: Killing, SIGTERM ignored, SIGKILL at the grace end, then removed', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('stub', [{ command: ['stubborn'] }], { terminationGracePeriodSeconds: 5 }));
    cluster.advance(5_000);
    cluster.api.delete('Pod', 'default', 'stub');
    cluster.advance(0);
    expect(eventsOf(cluster, 'stub')).toContain('Killing: Stopping container app');
    expect(cluster.kubelets.get('node-1')!.runtimeView('default', 'stub')!.containers[0].killAt).toBe(10_000);
    cluster.advance(4_999);
    expect(getPod(cluster, 'stub')).toBeDefined();
    // Still running during the grace period: still ready (kubectl shows 1/1 Terminating).
    expect(cs(getPod(cluster, 'stub')).ready).toBe(true);
    cluster.advance(1);
    expect(getPod(cluster, 'stub')).toBeUndefined();
  });

  test('a container killed for liveness stays ready while it runs out its grace period', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('live', [{ command: ['stubborn'], livenessProbe: { exec: { command: ['false'] }, periodSeconds: 5, failureThreshold: 1 } }], { terminationGracePeriodSeconds: 20 }));
    cluster.advance(5_000); // started at 3s, probed (and killed) at 5s
    expect(eventsOf(cluster, 'live')).toContain('Killing: Container app failed liveness probe, will be restarted');
    cluster.advance(10_000);
    expect(cs(getPod(cluster, 'live'))).toMatchObject({ ready: true, restartCount: 0, state: { running: {} } });
    cluster.advance(10_000);
    expect(cs(getPod(cluster, 'live'))).toMatchObject({ restartCount: 1, lastState: { terminated: { exitCode: 137 } } });
  });

  test('a process that exits on SIGTERM is removed at once; the preStop hook runs first', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('quick', [{}]));
    cluster.api.create('Pod', makePod('hook', [{ lifecycle: { preStop: { exec: { command: ['exit', '0', '3000'] } } } }]));
    cluster.advance(5_000);
    cluster.api.delete('Pod', 'default', 'quick');
    cluster.api.delete('Pod', 'default', 'hook');
    cluster.advance(0);
    expect(getPod(cluster, 'quick')).toBeUndefined();
    cluster.advance(2_999);
    expect(getPod(cluster, 'hook')).toBeDefined();
    cluster.advance(1);
    expect(getPod(cluster, 'hook')).toBeUndefined();
  });

  test('the minimum grace is 2s', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('stub', [{ command: ['stubborn'] }]));
    cluster.advance(5_000);
    cluster.api.delete('Pod', 'default', 'stub', { gracePeriodSeconds: 1 });
    cluster.advance(1_999);
    expect(getPod(cluster, 'stub')).toBeDefined();
    cluster.advance(1);
    expect(getPod(cluster, 'stub')).toBeUndefined();
  });
});

describe('faults', () => {
  test('kill node: nothing more is posted; power on: resync restarts the pod with restart counted', () => {
    const { cluster, kubelet } = makeCluster();
    cluster.api.create('Pod', makePod('web', [{ command: ['serve', '80'] }]));
    cluster.advance(5_000);
    const before = JSON.stringify(getPod(cluster, 'web').status!.containerStatuses);
    cluster.faults.setPower('node-1', 'Off');
    const lease = cluster.store.get('Lease', 'kube-node-lease', 'node-1')!.metadata!.resourceVersion;
    cluster.advance(60_000);
    // (The node lifecycle controller may mark the pod not ready; the kubelet writes nothing.)
    expect(JSON.stringify(getPod(cluster, 'web').status!.containerStatuses)).toBe(before);
    expect(cluster.store.get('Lease', 'kube-node-lease', 'node-1')!.metadata!.resourceVersion).toBe(lease);
    expect(kubelet().runningPods()).toEqual([]);
    cluster.faults.setPower('node-1', 'On');
    cluster.advance(2_000);
    const p = getPod(cluster, 'web');
    expect(cs(p)).toMatchObject({ restartCount: 1, ready: true, lastState: { terminated: { exitCode: 255, reason: 'Unknown' } } });
    expect(cluster.store.get('Lease', 'kube-node-lease', 'node-1')!.spec!.renewTime).toBe('2026-01-01T00:01:05Z');
    expect(eventsOf(cluster, 'node-1')).toContain('Rebooted: Node node-1 has been rebooted, boot id: 2');
  });

  test('a pod deleted while its node was off is removed when the node comes back', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('web', [{}]));
    cluster.advance(5_000);
    cluster.faults.setPower('node-1', 'Off');
    cluster.api.delete('Pod', 'default', 'web');
    cluster.advance(60_000);
    expect(getPod(cluster, 'web').metadata!.deletionTimestamp).toBeDefined();
    cluster.faults.setPower('node-1', 'On');
    cluster.advance(0);
    expect(getPod(cluster, 'web')).toBeUndefined();
  });

  test('partition: processes keep running, nothing is written; heal: deletions finished, status posted', () => {
    const { cluster, kubelet } = makeCluster();
    cluster.api.create('Pod', makePod('keep', [{ command: ['exit', '1', '20000'] }], { restartPolicy: 'Never' }));
    cluster.api.create('Pod', makePod('gone', [{}]));
    cluster.advance(5_000);
    cluster.faults.setPartitioned('node-1', true);
    const lease = cluster.store.get('Lease', 'kube-node-lease', 'node-1')!.metadata!.resourceVersion;
    cluster.api.delete('Pod', 'default', 'gone');
    cluster.advance(30_000);
    // The kubelet did not see the deletion; 'keep' exited locally but the API does not know.
    expect(getPod(cluster, 'gone')).toBeDefined();
    expect(kubelet().runtimeView('default', 'gone')!.containers[0].state).toBe('running');
    expect(getPod(cluster, 'keep').status!.phase).toBe('Running');
    expect(kubelet().runtimeView('default', 'keep')!.containers[0].state).toBe('terminated');
    expect(cluster.store.get('Lease', 'kube-node-lease', 'node-1')!.metadata!.resourceVersion).toBe(lease);
    cluster.faults.setPartitioned('node-1', false);
    cluster.advance(0);
    expect(getPod(cluster, 'gone')).toBeUndefined();
    expect(getPod(cluster, 'keep').status!.phase).toBe('Failed');
    expect(cluster.store.get('Lease', 'kube-node-lease', 'node-1')!.spec!.renewTime).toBe('2026-01-01T00:00:35Z');
  });
});

describe('logs, exec, network, volumes, env', () => {
  test('logs: current, tail, timestamps, previous, and the API server errors', () => {
    const { cluster, kubelet } = makeCluster();
    cluster.api.create('Pod', makePod('log', [{ command: ['log', 'a', 'b', 'c'] }]));
    cluster.api.create('Pod', makePod('two', [{ name: 'a' }, { name: 'b' }]));
    cluster.advance(5_000);
    const k = kubelet();
    expect(k.logs('default', 'log', undefined)).toBe('a\nb\nc\n');
    expect(k.logs('default', 'log', 'app', { tail: 1 })).toBe('c\n');
    expect(k.logs('default', 'log', 'app', { tail: 1, timestamps: true })).toBe('2026-01-01T00:00:03.000000000Z c\n');
    expect(() => k.logs('default', 'log', undefined, { previous: true })).toThrow('previous terminated container "app" in pod "log" not found');
    expect(() => k.logs('default', 'two', undefined)).toThrow('a container name must be specified for pod two, choose one of: [a b]');
    expect(() => k.logs('default', 'two', 'zz')).toThrow('container zz is not valid for pod two');
    expect(() => k.logs('default', 'nope', undefined)).toThrow('pods "nope" not found');
  });

  test('logs --previous after a restart', () => {
    const { cluster, kubelet } = makeCluster();
    cluster.api.create('Pod', makePod('crash', [{ command: ['log', 'boom'], livenessProbe: { exec: { command: ['false'] }, failureThreshold: 1 } }]));
    cluster.advance(11_000); // first liveness tick at 10s
    expect(kubelet().logs('default', 'crash', undefined, { previous: true })).toBe('boom\n');
  });

  test('exec sees the container: hostname, env from ConfigMap/Secret/fieldRef, mounted volumes', () => {
    const { cluster, kubelet } = makeCluster();
    cluster.api.create('ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { mode: 'fast', 'app.conf': 'x=1' } });
    cluster.api.create('Secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec', namespace: 'default' }, data: { password: 'czNjcjN0' } });
    cluster.api.create('Pod', makePod('env', [{
      env: [
        { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } },
        { name: 'PASS', valueFrom: { secretKeyRef: { name: 'sec', key: 'password' } } },
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'GREETING', value: 'pod $(POD)' },
      ],
      volumeMounts: [{ name: 'conf', mountPath: '/etc/app' }, { name: 'scratch', mountPath: '/scratch' }],
    }], { volumes: [{ name: 'conf', configMap: { name: 'cfg' } }, { name: 'scratch', emptyDir: {} }] }));
    cluster.advance(5_000);
    const k = kubelet();
    const env = k.exec('default', 'env', undefined, ['env']).stdout;
    expect(env).toContain('MODE=fast\n');
    expect(env).toContain('PASS=s3cr3t\n');
    expect(env).toContain('GREETING=pod env\n');
    expect(env).toContain('IP=10.244.0.2\n');
    expect(env).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1\n');
    expect(k.exec('default', 'env', undefined, ['cat', '/etc/hostname']).stdout).toBe('env\n');
    expect(k.exec('default', 'env', undefined, ['cat', '/etc/app/app.conf']).stdout).toBe('x=1');
    expect(k.exec('default', 'env', undefined, ['write', '/etc/app/x', 'no']).exitCode).toBe(1);
    expect(k.exec('default', 'env', undefined, ['write', '/scratch/f', 'kept']).exitCode).toBe(0);
    const view = k.runtimeView('default', 'env')!;
    expect(view.volumes.filter((v) => v.name === 'conf' || v.name === 'scratch').map((v) => [v.name, v.type, v.readOnly])).toEqual([['conf', 'configMap', true], ['scratch', 'emptyDir', false]]);
    // The ServiceAccount admission plugin added the projected kube-api-access volume.
    expect(k.exec('default', 'env', undefined, ['cat', '/var/run/secrets/kubernetes.io/serviceaccount/namespace']).stdout).toBe('default');
    expect(k.exec('default', 'env', undefined, ['cat', '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt']).stdout).toContain('BEGIN CERTIFICATE');
    expect(view.containers[0].mounts.filter((m) => !m.volume.startsWith('kube-api-access'))).toEqual([{ volume: 'conf', path: '/etc/app', readOnly: true }, { volume: 'scratch', path: '/scratch', readOnly: false }]);
  });

  test('emptyDir survives a container restart and is shared between containers', () => {
    const { cluster, kubelet } = makeCluster();
    cluster.api.create('Pod', makePod('share', [
      { name: 'a', volumeMounts: [{ name: 'd', mountPath: '/data' }] },
      { name: 'b', volumeMounts: [{ name: 'd', mountPath: '/shared' }], livenessProbe: { exec: { command: ['cat', '/shared/alive'] }, initialDelaySeconds: 10, failureThreshold: 1 } },
    ], { volumes: [{ name: 'd', emptyDir: {} }] }));
    cluster.advance(5_000);
    kubelet().exec('default', 'share', 'a', ['write', '/data/note', 'hello']);
    expect(kubelet().exec('default', 'share', 'b', ['cat', '/shared/note']).stdout).toBe('hello');
    cluster.advance(16_000); // liveness ticks at 10s (7s since start: too early) and 20s: kills b at 20s
    expect(cs(getPod(cluster, 'share'), 'b').restartCount).toBe(1);
    expect(kubelet().exec('default', 'share', 'b', ['cat', '/shared/note']).stdout).toBe('hello');
  });

  test('a ConfigMap change reaches its volume after the sync period, not the env', () => {
    const { cluster, kubelet } = makeCluster();
    cluster.api.create('ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { mode: 'a', old: '1' } });
    cluster.api.create('Pod', makePod('watch', [{ env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } }], volumeMounts: [{ name: 'c', mountPath: '/cfg' }] }], { volumes: [{ name: 'c', configMap: { name: 'cfg' } }] }));
    cluster.advance(5_000);
    const cm = cluster.store.get('ConfigMap', 'default', 'cfg')!;
    cluster.api.update('ConfigMap', { ...cm, data: { mode: 'b' } });
    const k = kubelet();
    const cat = (p: string) => k.exec('default', 'watch', undefined, ['cat', p]);
    cluster.advance(59_000);
    expect(cat('/cfg/mode').stdout).toBe('a');
    cluster.advance(1_000);
    expect(cat('/cfg/mode').stdout).toBe('b');
    expect(cat('/cfg/old').exitCode).toBe(1);
    expect(k.exec('default', 'watch', undefined, ['env']).stdout).toContain('MODE=a\n');
  });

  test('a missing ConfigMap blocks the container with CreateContainerConfigError until it appears', () => {
    const { cluster } = makeCluster();
    cluster.api.create('Pod', makePod('cfg', [{ env: [{ name: 'M', valueFrom: { configMapKeyRef: { name: 'later', key: 'mode' } } }] }]));
    cluster.advance(5_000);
    expect(cs(getPod(cluster, 'cfg')).state!.waiting).toEqual({ reason: 'CreateContainerConfigError', message: 'configmap "later" not found' });
    expect(eventsOf(cluster, 'cfg')).toContain('Failed: Error: configmap "later" not found');
    cluster.api.create('ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'later', namespace: 'default' }, data: { mode: 'x' } });
    cluster.advance(2_000); // the image pull that was never started
    expect(getPod(cluster, 'cfg').status!.phase).toBe('Running');
  });

  test('network: shared port space, localhost, pod-to-pod across nodes, dead node times out', () => {
    const { cluster, kubelet } = makeCluster(2);
    cluster.api.create('Pod', makePod('dup', [{ name: 'a', command: ['serve', '80'] }, { name: 'b', command: ['serve', '80'] }], { restartPolicy: 'Never' }));
    cluster.api.create('Pod', makePod('server', [{ command: ['serve', '8080'] }], {}, 'node-2'));
    cluster.advance(5_000);
    const dup = getPod(cluster, 'dup');
    expect(cs(dup, 'a').state!.running).toBeDefined();
    expect(cs(dup, 'b').state!.terminated).toMatchObject({ exitCode: 1 });
    expect(kubelet().logs('default', 'dup', 'b')).toBe('bind: address already in use\n');
    expect(kubelet().runtimeView('default', 'dup')!.ports).toEqual([{ port: 80, container: 'a' }]);
    const serverIP = getPod(cluster, 'server').status!.podIP!;
    expect(serverIP).toBe('10.244.1.2');
    expect(kubelet().exec('default', 'dup', 'a', ['wget', 'http://localhost/']).stdout).toBe('hello from dup');
    expect(kubelet().exec('default', 'dup', 'a', ['wget', `http://${serverIP}:8080/`]).stdout).toBe('hello from server');
    expect(kubelet().exec('default', 'dup', 'a', ['wget', `http://${serverIP}:9999/`]).stderr).toBe('wget: refused\n');
    cluster.faults.setPower('node-2', 'Off');
    expect(kubelet().exec('default', 'dup', 'a', ['wget', `http://${serverIP}:8080/`]).stderr).toBe('wget: timeout\n');
  });
});

describe('more volumes and Services', () => {
  test('downwardAPI files, and hostPath shared by pods on one node', () => {
    const { cluster, kubelet } = makeCluster();
    const spec = (name: string) => makePod(name, [{ volumeMounts: [{ name: 'info', mountPath: '/etc/podinfo' }, { name: 'host', mountPath: '/host' }] }], {
      volumes: [
        { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
        { name: 'host', hostPath: { path: '/var/log/shared' } },
      ],
    });
    const a = spec('a');
    a.metadata!.labels = { zone: 'us', app: 'web' };
    cluster.api.create('Pod', a);
    cluster.api.create('Pod', spec('b'));
    cluster.advance(5_000);
    const k = kubelet();
    expect(k.exec('default', 'a', undefined, ['cat', '/etc/podinfo/labels']).stdout).toBe('app="web"\nzone="us"');
    expect(k.exec('default', 'b', undefined, ['cat', '/etc/podinfo/name']).stdout).toBe('b');
    k.exec('default', 'a', undefined, ['write', '/host/x.log', 'from a']);
    expect(k.exec('default', 'b', undefined, ['cat', '/host/x.log']).stdout).toBe('from a');
  });

  test('a Service name reaches its ready endpoints (world/serviceNetwork routing); none left → refused', () => {
    const { cluster, kubelet } = makeCluster(2);
    for (const [name, node] of [['s1', 'node-1'], ['s2', 'node-2']]) {
      const p = makePod(name, [{ command: ['serve', '8080'], ports: [{ name: 'http', containerPort: 8080 }] }], {}, node);
      p.metadata!.labels = { app: 'echo' };
      cluster.api.create('Pod', p);
    }
    cluster.api.create('Pod', makePod('client', [{}]));
    cluster.api.create('Service', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'echo', namespace: 'default' }, spec: { selector: { app: 'echo' }, ports: [{ port: 80, targetPort: 'http' }] } });
    cluster.advance(5_000);
    const k = kubelet();
    // kube-proxy picks an endpoint at random (seeded): over 20 requests both answer.
    const hits = Array.from({ length: 20 }, () => k.exec('default', 'client', undefined, ['wget', 'http://echo/']).stdout);
    expect(new Set(hits)).toEqual(new Set(['hello from s1', 'hello from s2']));
    expect(k.exec('default', 'client', undefined, ['wget', 'http://echo.default.svc.cluster.local/']).exitCode).toBe(0);
    expect(k.exec('default', 'client', undefined, ['wget', 'http://nosuch/']).stderr).toBe('wget: unresolved\n');
    cluster.api.delete('Pod', 'default', 's1');
    cluster.api.delete('Pod', 'default', 's2');
    cluster.advance(1_000);
    expect(k.exec('default', 'client', undefined, ['wget', 'http://echo/']).stderr).toBe('wget: refused\n');
  });
});

describe('hostNetwork', () => {
  test('hostNetwork pods get the node IP and share its port space', () => {
    const { cluster, kubelet } = makeCluster();
    cluster.api.create('Pod', makePod('h1', [{ command: ['serve', '9100'] }], { hostNetwork: true }));
    cluster.api.create('Pod', makePod('h2', [{ command: ['serve', '9100'] }], { hostNetwork: true, restartPolicy: 'Never' }));
    cluster.api.create('Pod', makePod('client', [{}]));
    cluster.advance(5_000);
    expect(getPod(cluster, 'h1').status!.podIP).toBe('172.18.0.2');
    expect(cs(getPod(cluster, 'h2')).state!.terminated).toMatchObject({ exitCode: 1 });
    expect(kubelet().exec('default', 'client', undefined, ['wget', 'http://172.18.0.2:9100/']).stdout).toBe('hello from h1');
  });
});

describe('determinism', () => {
  test('the same seed and commands give the same statuses and events', () => {
    const run = () => {
      const { cluster } = makeCluster(2, 7);
      cluster.api.create('Pod', makePod('a', [{ command: ['exit', '1', '500'] }]));
      cluster.api.create('Pod', makePod('b', [{ command: ['serve', '80'], readinessProbe: { httpGet: { port: 80 } } }], {}, 'node-2'));
      cluster.advance(120_000);
      return JSON.stringify([cluster.store.list('Pod'), cluster.store.list('Event').map((e) => [e.reason, e.message, e.count])]);
    };
    expect(run()).toBe(run());
  });
});
