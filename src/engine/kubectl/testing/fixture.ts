/**
 * Hand-built clusters for kubectl's golden tests: objects written straight into the store with the
 * statuses the test wants, on a clock the test moves, and no control loops running, so the output
 * depends on nothing but the printers.
 */
import { applyDefaults } from '../../api/defaults';
import { EventRecorder } from '../../api/events';
import { ApiServer } from '../../api/server';
import { ApiStore } from '../../api/store';
import type { ContainerStatus, Event, Kind, KindMap, Node, Pod } from '../../api/types';
import { Clock } from '../../clock';
import type { Cluster } from '../../cluster';
import { Rng } from '../../rng';
import { NodeFaults } from '../../world/faults';
import type { KubeletServer } from '../misc';

/** A cluster-shaped object with store, API server and clock but no controllers, scheduler or kubelets. */
export class HandCluster {
  readonly clock = new Clock();
  readonly rng = new Rng(7);
  readonly store = new ApiStore(this.clock, this.rng);
  readonly api = new ApiServer(this.store, this.clock, this.rng);
  readonly recorder = new EventRecorder(this.clock, this.store);
  readonly faults = new NodeFaults();
  readonly kubelets = new Map<string, KubeletServer>();
  private eventSerial = 0;

  constructor() {
    for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
      this.store.create('Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
    }
  }

  /** Nothing reconciles in a hand-built cluster. */
  settle(): void {}

  /** Move the clock to `ms` (virtual). */
  at(ms: number): this {
    this.clock.advanceTo(ms);
    return this;
  }

  /** RFC 3339 of a virtual time. */
  ts(ms: number): string {
    return Clock.rfc3339(ms);
  }

  /** Store an object as the API server would keep it: with its defaults applied. */
  put<K extends Kind>(kind: K, obj: KindMap[K]): KindMap[K] {
    return this.store.create(kind, applyDefaults(kind, obj));
  }

  /** Store an Event about `obj` with explicit first/last times and count. */
  event(obj: Pod | Node | KindMap[Kind], type: 'Normal' | 'Warning', reason: string, message: string, source: { component: string; host?: string }, first: number, last = first, count = 1): Event {
    const m = obj.metadata!;
    return this.store.create('Event', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${m.name}.${(0x188000000000 + ++this.eventSerial).toString(16)}`, namespace: m.namespace ?? 'default' },
      involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: m.name, namespace: m.namespace, uid: m.uid },
      reason,
      message,
      source,
      firstTimestamp: Clock.rfc3339(first),
      lastTimestamp: Clock.rfc3339(last),
      count,
      type,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    });
  }

  asCluster(): Cluster {
    return this as unknown as Cluster;
  }
}

/** A Ready (or not) node as a kind cluster's kubelet registers it. */
export function makeNode(h: HandCluster, name: string, index: number, opts: { ready?: 'True' | 'False' | 'Unknown'; controlPlane?: boolean; unschedulable?: boolean; taints?: Node['spec'] extends infer S ? S extends { taints?: infer T } ? T : never : never } = {}): Node {
  const t0 = h.ts(h.clock.now());
  const ready = opts.ready ?? 'True';
  const cond = (type: string, status: string, reason: string, message: string) => ({ type, status, reason, message, lastHeartbeatTime: t0, lastTransitionTime: t0 });
  return h.put('Node', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux',
        ...(opts.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: {
      podCIDR: `10.244.${index}.0/24`,
      podCIDRs: [`10.244.${index}.0/24`],
      ...(opts.unschedulable ? { unschedulable: true } : {}),
      ...(opts.taints ? { taints: opts.taints } : opts.controlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const }] } : {}),
    },
    status: {
      capacity: { cpu: '4', 'ephemeral-storage': '100Gi', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '4', 'ephemeral-storage': '100Gi', memory: '8Gi', pods: '110' },
      conditions: ready === 'Unknown'
        ? [
          cond('MemoryPressure', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'),
          cond('DiskPressure', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'),
          cond('PIDPressure', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'),
          cond('Ready', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'),
        ]
        : [
          cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
          cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
          cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
          ready === 'True' ? cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status') : cond('Ready', 'False', 'KubeletNotReady', 'container runtime network not ready'),
        ],
      addresses: [{ type: 'InternalIP', address: `172.18.0.${index + 2}` }, { type: 'Hostname', address: name }],
      nodeInfo: {
        architecture: 'amd64', bootID: '', containerRuntimeVersion: 'containerd://2.1.3', kernelVersion: '6.8.0-sim', kubeProxyVersion: '',
        kubeletVersion: 'v1.34.0', machineID: '', operatingSystem: 'linux', osImage: 'Debian GNU/Linux 12 (bookworm)', systemUUID: '',
      },
    },
  });
}

/** A running, ready container status started at `startedMs`. */
export function running(name: string, image: string, startedMs: number, restarts = 0, lastFinishedMs?: number, ready = true): ContainerStatus {
  return {
    name,
    image,
    imageID: `docker.io/library/${image.split(':')[0]}@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31`,
    containerID: `containerd://${name.padEnd(8, '0').slice(0, 8)}e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`,
    ready,
    started: true,
    restartCount: restarts,
    state: { running: { startedAt: Clock.rfc3339(startedMs) } },
    lastState: lastFinishedMs !== undefined ? { terminated: { exitCode: 1, reason: 'Error', startedAt: Clock.rfc3339(lastFinishedMs - 5000), finishedAt: Clock.rfc3339(lastFinishedMs) } } : {},
  };
}
