/**
 * A small simulated cluster for the controllers' tests: the real clock, store, API server and
 * recorder with only the control loops a test asks for, plus a fake scheduler and a fake kubelet,
 * so the controllers can be tested before (and independently of) the real scheduler and kubelet.
 */
import type { Node, Pod, Lease } from '../../api/types';
import { ClusterContextBase } from '../../context';
import type { Reconciler } from '../../reconciler';
import { WorkQueue } from '../../reconciler';
import { isPodReady, syncQueued, toleratesTaint } from '../controllerUtils';

export class TestSim extends ClusterContextBase {
  readonly loops: Reconciler[] = [];

  constructor(seed = 1) {
    super(seed);
    for (const ns of ['default', 'kube-system', 'kube-node-lease']) {
      this.store.create('Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    }
    this.clock.onInstant = () => this.settle();
  }

  add<R extends Reconciler>(r: R): R {
    this.loops.push(r);
    return r;
  }

  settle(): void {
    for (let round = 0; round < 10_000; round++) {
      let worked = false;
      for (const r of this.loops) {
        if (r.hasWork()) {
          r.runOnce();
          worked = true;
        }
      }
      if (!worked) return;
    }
    throw new Error('test sim did not settle');
  }

  advance(ms: number): void {
    this.settle();
    this.clock.advanceBy(ms);
    this.settle();
  }

  /** A node registered with Ready=True (as a kubelet would post it). */
  addNode(name: string, labels: Record<string, string> = {}): Node {
    const now = this.clock.timestamp();
    return this.api.create('Node', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
      spec: {},
      status: {
        conditions: [
          { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', lastHeartbeatTime: now, lastTransitionTime: now },
          { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', lastHeartbeatTime: now, lastTransitionTime: now },
          { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', lastHeartbeatTime: now, lastTransitionTime: now },
          { type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: now, lastTransitionTime: now },
        ],
      },
    });
  }

  node(name: string): Node {
    return this.store.mustGet('Node', undefined, name);
  }

  pods(namespace = 'default'): Pod[] {
    return this.store.list('Pod', namespace);
  }

  /** Renew (or create) the node's Lease as the kubelet does. */
  renewLease(node: string): void {
    const lease = this.store.get('Lease', 'kube-node-lease', node);
    const spec = { holderIdentity: node, leaseDurationSeconds: 40, renewTime: this.clock.timestamp() } as Lease['spec'];
    if (lease) this.store.update('Lease', { ...lease, spec: { ...lease.spec, ...spec } });
    else this.store.create('Lease', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: node, namespace: 'kube-node-lease' }, spec });
  }

  eventsWith(reason: string): string[] {
    return this.store
      .list('Event')
      .filter((e) => e.reason === reason)
      .map((e) => e.message!);
  }
}

/**
 * Binds pending pods to the least-loaded ready node whose NoSchedule/NoExecute taints they
 * tolerate (name order breaks ties). Deterministic and tiny: not the real scheduler.
 */
export class FakeScheduler implements Reconciler {
  readonly name = 'fake-scheduler';
  private readonly queue = new WorkQueue<string>();
  constructor(private readonly sim: TestSim) {
    sim.store.watch('Pod', (ev) => {
      if (ev.type !== 'DELETED' && !ev.object.spec?.nodeName) this.queue.add(`${ev.object.metadata!.namespace}/${ev.object.metadata!.name}`);
    });
    sim.store.watch('Node', () => {
      for (const p of sim.store.values('Pod')) if (!p.spec?.nodeName) this.queue.add(`${p.metadata!.namespace}/${p.metadata!.name}`);
    });
  }
  hasWork(): boolean {
    return this.queue.size > 0;
  }
  runOnce(): void {
    syncQueued(this.queue, this.sim.store, 'Pod', (pod) => {
      if (pod.spec?.nodeName || pod.metadata?.deletionTimestamp) return;
      const pinned = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms
        ?.flatMap((t) => t.matchFields ?? [])
        .filter((f) => f.key === 'metadata.name' && f.operator === 'In')
        .flatMap((f) => f.values ?? []);
      const nodes = this.sim.store.list('Node').filter((n) => {
        if (pinned?.length && !pinned.includes(n.metadata!.name!)) return false;
        if (n.spec?.unschedulable && !(pod.spec?.tolerations ?? []).some((t) => t.key === 'node.kubernetes.io/unschedulable')) return false;
        if (n.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True') return false;
        return (n.spec?.taints ?? []).every((t) => t.effect === 'PreferNoSchedule' || (pod.spec?.tolerations ?? []).some((tol) => toleratesTaint(tol, t)));
      });
      if (!nodes.length) return;
      nodes.sort((a, b) => this.sim.store.podsOnNode(a.metadata!.name!).length - this.sim.store.podsOnNode(b.metadata!.name!).length);
      this.sim.store.update('Pod', { ...pod, spec: { ...pod.spec!, nodeName: nodes[0].metadata!.name } });
    });
  }
}

/**
 * A fake kubelet for every node: while a node reaches the control plane it renews its Lease every
 * 10s, runs bound pods at once (Running, Ready), and finishes graceful deletions at once. A node
 * that is off or partitioned does nothing, so its pods stay as they were.
 */
export class FakeKubelets implements Reconciler {
  readonly name = 'fake-kubelets';
  private readonly queue = new WorkQueue<string>();
  /** Delay (ms) before a bound pod becomes ready. */
  readyDelay = 0;
  private readonly readyAt = new Map<string, number>();
  constructor(private readonly sim: TestSim) {
    sim.store.watch('Pod', (ev) => {
      if (ev.type !== 'DELETED') this.queue.add(`${ev.object.metadata!.namespace}/${ev.object.metadata!.name}`);
    });
    sim.faults.onChange((node) => {
      for (const p of sim.store.podsOnNode(node)) this.queue.add(`${p.metadata!.namespace}/${p.metadata!.name}`);
    });
    // Node status changes (e.g. posted Ready again) let the pods on it be looked at again.
    sim.store.watch('Node', (ev) => {
      if (ev.type === 'DELETED') return;
      for (const p of sim.store.podsOnNode(ev.object.metadata!.name!)) this.queue.add(`${p.metadata!.namespace}/${p.metadata!.name}`);
    });
    const tick = () => {
      for (const n of [...sim.store.values('Node')]) {
        if (!sim.faults.reachesControlPlane(n.metadata!.name!)) continue;
        sim.renewLease(n.metadata!.name!);
        // Back from the dead: post node status again (Ready=True with a fresh heartbeat).
        const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
        if (ready && ready.status !== 'True') {
          const now = sim.clock.timestamp();
          const conditions = n.status!.conditions!.map((c) =>
            c.type === 'Ready'
              ? { ...c, status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }
              : { ...c, status: 'False', lastHeartbeatTime: now, lastTransitionTime: now },
          );
          sim.store.update('Node', { ...n, status: { ...n.status, conditions } });
        }
      }
      sim.clock.after(10_000, tick, 'fake-kubelet lease');
    };
    sim.clock.at(sim.clock.now(), tick);
  }
  hasWork(): boolean {
    return this.queue.size > 0;
  }
  runOnce(): void {
    syncQueued(this.queue, this.sim.store, 'Pod', (pod, key) => {
      const node = pod.spec?.nodeName;
      if (!node || !this.sim.faults.reachesControlPlane(node)) return;
      if (pod.metadata?.deletionTimestamp) {
        this.sim.store.remove('Pod', pod.metadata.namespace, pod.metadata.name!);
        return;
      }
      if (pod.status?.phase === 'Running' && isPodReady(pod)) return;
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
      const uid = pod.metadata!.uid!;
      let readyAt = this.readyAt.get(uid);
      if (readyAt === undefined) this.readyAt.set(uid, (readyAt = this.sim.clock.now() + this.readyDelay));
      const now = this.sim.clock.timestamp();
      if (readyAt <= this.sim.clock.now()) {
        this.sim.store.update('Pod', {
          ...pod,
          status: {
            ...pod.status,
            phase: 'Running',
            conditions: [
              { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
              { type: 'Ready', status: 'True', lastTransitionTime: now },
            ],
          },
        });
      } else if (pod.status?.phase !== 'Running') {
        this.sim.store.update('Pod', { ...pod, status: { ...pod.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: now }] } });
        this.sim.clock.at(readyAt, () => this.queue.add(key));
      }
    });
  }
}

/** A pod template for tests: one container, `app` label. */
export function template(app: string, image = 'nginx:1.27') {
  return {
    metadata: { labels: { app } },
    spec: { containers: [{ name: app, image }] },
  };
}
