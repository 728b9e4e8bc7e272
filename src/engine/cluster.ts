import type { Node } from './api/types';
import { defaults } from './config';
import { ClusterContextBase } from './context';
import { DaemonSetController } from './controllers/daemonset';
import { DeploymentController } from './controllers/deployment';
import { DisruptionController } from './controllers/disruption';
import { EndpointSliceController, KubernetesServiceController } from './controllers/endpointSlice';
import { GarbageCollector } from './controllers/garbageCollector';
import { JobController } from './controllers/job';
import { NodeLifecycleController } from './controllers/nodeLifecycle';
import { PodGCController } from './controllers/podGC';
import { ReplicaSetController } from './controllers/replicaset';
import { TaintEvictionController } from './controllers/taintEviction';
import { Kubelet } from './kubelet/kubelet';
import type { Reconciler } from './reconciler';
import { Scheduler } from './scheduler/scheduler';

export interface ClusterOptions {
  /** Seed of the PRNG: the same seed and the same commands give byte-identical output. */
  seed?: number;
  /** Store Events (default true; benchmarks may switch them off). */
  recordEvents?: boolean;
}

export interface NodeOptions {
  /** CPU capacity, a quantity (`"4"`, `"3500m"`). Default 4. */
  cpu?: string;
  /** Memory capacity, a quantity. Default `8Gi`. */
  memory?: string;
  /** Allocatable pods. Default 110. */
  maxPods?: number;
  labels?: Record<string, string>;
  /** A kubeadm control-plane node: role label and the NoSchedule taint. */
  controlPlane?: boolean;
}

/** Guard against a control loop that never settles: a bug, reported rather than a frozen tab. */
const MAX_SETTLE_ROUNDS = 10_000;

/**
 * One simulated Kubernetes cluster: the API server, the scheduler, the controllers, a kubelet per
 * node, and the world under them, all on one virtual clock.
 *
 * @example
 * const cluster = new Cluster({ seed: 1 });
 * cluster.addNode('node-1');
 * cluster.advance(30_000); // 30 simulated seconds
 */
export class Cluster extends ClusterContextBase {
  readonly scheduler: Scheduler;
  readonly controllers: Reconciler[];
  /** The node lifecycle controller, for what the UI counts down to (see notReadyAt). */
  readonly nodeLifecycle: NodeLifecycleController;
  readonly taintEviction: TaintEvictionController;
  readonly kubelets = new Map<string, Kubelet>();
  private settling = false;
  private nodeSerial = 0;
  private reconcilerList: Reconciler[] | undefined;

  constructor(opts: ClusterOptions = {}) {
    super(opts.seed ?? 1);
    this.recorder.enabled = opts.recordEvents ?? true;
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      this.store.create('Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
    }
    this.scheduler = new Scheduler(this);
    this.controllers = [
      new ReplicaSetController(this),
      new DeploymentController(this),
      new GarbageCollector(this),
      (this.nodeLifecycle = new NodeLifecycleController(this)),
      (this.taintEviction = new TaintEvictionController(this)),
      new JobController(this),
      new DaemonSetController(this),
      new PodGCController(this),
      new EndpointSliceController(this),
      new KubernetesServiceController(this),
      new DisruptionController(this),
    ];
    this.clock.onInstant = () => this.settle();
  }

  /** Every control loop, in the order they run within an instant. */
  reconcilers(): Reconciler[] {
    // Cached: settle() asks for it every round, and a large cluster has thousands of kubelets.
    return (this.reconcilerList ??= [...this.controllers, this.scheduler, ...this.kubelets.values()]);
  }

  /** Run control loops until none has work at the current instant. */
  settle(): void {
    if (this.settling) return;
    this.settling = true;
    try {
      for (let round = 0; round < MAX_SETTLE_ROUNDS; round++) {
        let worked = false;
        for (const r of this.reconcilers()) {
          if (r.hasWork()) {
            r.runOnce();
            worked = true;
          }
        }
        if (!worked) return;
      }
      throw new Error(`engine: control loops did not settle after ${MAX_SETTLE_ROUNDS} rounds at t=${this.clock.now()}ms`);
    } finally {
      this.settling = false;
    }
  }

  /** Move virtual time forward by `ms`, running everything that happens on the way. */
  advance(ms: number): void {
    this.settle();
    this.clock.advanceBy(ms);
    this.settle();
  }

  /** Register a node as its kubelet would: capacity, allocatable, standard labels, taints; then start the kubelet. */
  addNode(name: string, opts: NodeOptions = {}): Node {
    const cpu = opts.cpu ?? '4';
    const memory = opts.memory ?? '8Gi';
    const pods = String(opts.maxPods ?? defaults.maxPods);
    // Node IPAM as kind sets it up: the n-th registered node gets 10.244.n.0/24 and InternalIP 172.18.0.(n+2).
    const index = this.nodeSerial++;
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: {
          'beta.kubernetes.io/arch': 'amd64',
          'beta.kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          ...(opts.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
          ...opts.labels,
        },
        annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
      },
      spec: {
        podCIDR: `10.244.${index}.0/24`,
        podCIDRs: [`10.244.${index}.0/24`],
        ...(opts.controlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {}),
      },
      status: {
        capacity: { cpu, memory, pods, 'ephemeral-storage': '100Gi' },
        allocatable: { cpu, memory, pods, 'ephemeral-storage': '100Gi' },
        conditions: [],
        addresses: [
          { type: 'InternalIP', address: `172.18.0.${(index % 250) + 2}` },
          { type: 'Hostname', address: name },
        ],
        nodeInfo: {
          architecture: 'amd64',
          bootID: '',
          containerRuntimeVersion: 'containerd://2.1.3',
          kernelVersion: '6.8.0-sim',
          kubeProxyVersion: '',
          kubeletVersion: 'v1.34.0',
          machineID: '',
          operatingSystem: 'linux',
          osImage: 'Debian GNU/Linux 12 (bookworm)',
          systemUUID: '',
        },
      },
    };
    const created = this.api.create('Node', node);
    const kubelet = new Kubelet(this, name);
    this.kubelets.set(name, kubelet);
    this.reconcilerList = undefined;
    kubelet.start();
    this.settle();
    return created;
  }
}
