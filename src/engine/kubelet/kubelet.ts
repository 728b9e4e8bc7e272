import { Clock, type TimerHandle } from '../clock';
import { defaults, MINUTE, SECOND } from '../config';
import type { ClusterContext } from '../context';
import type { Reconciler } from '../reconciler';
import { WorkQueue } from '../reconciler';
import { ApiError } from '../api/errors';
import type { EventType } from '../api/events';
import { bytes } from '../api/quantity';
import { semanticEqual } from '../api/equality';
import { intern } from '../intern';
import type { Container, ContainerStatus, Lease, Node, NodeCondition, Pod, PodStatus } from '../api/types';
import type { ConnectResult, ExecResult, FileSystem, Process, ProcessHost, RequestHandler, RequestMeta } from '../world/process';
import { admitPod, podRequests, type PodRequests } from './admission';
import { Backoff, goDuration } from './backoff';
import { podConditions } from './conditions';
import { ContainerLog, unixDate } from './logs';
import { IpAllocator, podNetworkOf, type PodNetwork } from './network';
import { serviceNetworkOf } from '../world/serviceNetwork';
import { getPhase, hasAnyRegularContainerStarted, isSidecar, type PodPhase } from './phase';
import { probeDefaults, runProbe, type ProbeSpec } from './probes';
import { qosClass } from './qos';
import { defaultRuntime, imageDigest, normalizeImageRef, pullPolicy, type ContainerRuntimeDeps, type ImageInfo } from './runtime';
import { expandVars, projectedRefs, refreshVolumes, resolveEnv, setupVolumes, type PodFacts, type PodVolume } from './volumes';

/** Time to create a pod sandbox (pause container + CNI); a pod shows ContainerCreating meanwhile. */
export const SANDBOX_SETUP_MS = 1000;
/** Time the registry takes to answer a pull of an image that does not exist. */
export const PULL_FAILURE_MS = 1000;
/** A pull of an image already on the node under `imagePullPolicy: Always` only checks the manifest. */
export const CACHED_PULL_MS = 500;
/** kubelet nodeStatusReportFrequency: an unchanged node status is re-posted this often. */
export const NODE_STATUS_REPORT_FREQUENCY = 5 * MINUTE;
/** kubelet --sync-frequency: how long a ConfigMap/Secret change takes to reach projected files. */
export const CONFIG_SYNC_MS = 60 * SECOND;
/** pod_workers backOffPeriod: a sync that failed (e.g. ErrCrashLoopBackOff) is retried this much later. */
export const POD_WORKER_BACKOFF_MS = 10 * SECOND;
/** kuberuntime minimumGracePeriodInSeconds. */
export const MIN_GRACE_MS = 2 * SECOND;

const NODE_KEY = '\u0000node';

const tsCache = new Map<number, string>();
/** Clock.rfc3339, memoised: statuses format the same few instants over and over. */
function rfc3339Memo(ms: number): string {
  let s = tsCache.get(ms);
  if (s === undefined) {
    if (tsCache.size > 50_000) tsCache.clear();
    tsCache.set(ms, (s = Clock.rfc3339(ms)));
  }
  return s;
}

type ContainerRole = 'init' | 'sidecar' | 'app';
type ContainerPhase =
  | 'new'
  | 'configError'
  | 'imageNeverPull'
  | 'pulling'
  | 'pullFailed'
  | 'pullBackOff'
  | 'running'
  | 'stopping'
  | 'exited'
  | 'crashBackOff';

/** Every simulated container runs as root: the status' `user` (v1.34), one frozen copy for all. */
const ROOT_USER = Object.freeze({ linux: Object.freeze({ gid: 0, supplementalGroups: Object.freeze([0]) as number[], uid: 0 }) });

interface Termination {
  exitCode: number;
  reason: string;
  startedAt: number;
  finishedAt: number;
  containerID: string;
  message?: string;
}

interface Instance {
  id: string;
  startedAt: number;
  alive: boolean;
  process?: Process;
  host: ProcessHost;
  killTimer?: TimerHandle;
  memory: number;
}

interface ProbeState {
  spec: ProbeSpec;
  successes: number;
  failures: number;
  timer?: TimerHandle;
}

interface ContainerRt {
  name: string;
  spec: Container;
  role: ContainerRole;
  fieldPath: string;
  phase: ContainerPhase;
  waitingReason?: string;
  waitingMessage?: string;
  inst?: Instance;
  /** The most recent termination (shown as state, or as lastState while in back-off). */
  terminated?: Termination;
  /** The termination before the current instance. */
  lastTerminated?: Termination;
  restartCount: number;
  ready: boolean;
  started: boolean;
  /** The pending transition: pull end, back-off end. One timer at most. */
  timer?: TimerHandle;
  /** Absolute virtual time of the next restart or pull retry (for the canvas' countdowns). */
  nextAttemptAt?: number;
  /**
   * In back-off, but no sync has recorded CrashLoopBackOff in the reason cache yet: the status still
   * shows the termination (STATUS `Error` / `OOMKilled`) until the next pod-worker retry.
   */
  backOffUnreported?: boolean;
  pullFailedAt?: number;
  probes: Partial<Record<'startup' | 'liveness' | 'readiness', ProbeState>>;
  logs: ContainerLog;
  prevLogs?: ContainerLog;
  imageName?: string;
  imageID?: string;
  /** Ports this container's processes listen on. */
  ports: number[];
}

interface PodRt {
  key: string;
  uid: string;
  namespace: string;
  name: string;
  pod: Pod;
  ip?: string;
  net?: PodNetwork;
  sandboxReady: boolean;
  sandboxTimer?: TimerHandle;
  startTime: string;
  containers: ContainerRt[];
  byName: Map<string, ContainerRt>;
  volumes: Map<string, PodVolume>;
  volumeError?: string;
  rejected?: { reason: string; message: string };
  initialized: boolean;
  terminating: boolean;
  killDeadline?: number;
  /** No container will be (re)started any more: Succeeded/Failed, or being deleted. */
  terminal: boolean;
  /** Everything stopped after a deletion: remove the object once the API is reachable. */
  finished: boolean;
  /** Waiting for a ConfigMap/Secret (env or volume). */
  blocked: boolean;
  /** Its cpu/memory requests, computed once for admission. */
  requests: PodRequests;
  /** When the pod's probe workers were created (its first sync): liveness/startup ticks are aligned to it. */
  probeEpoch: number;
}

/** Options of {@link Kubelet.logs}, as `kubectl logs` passes them. */
export interface LogOptions {
  previous?: boolean;
  tail?: number;
  timestamps?: boolean;
}

/** One container as the canvas draws it. */
export interface ContainerView {
  name: string;
  role: ContainerRole;
  image: string;
  /** waiting / running / terminated, with the reason (`CrashLoopBackOff`, `Completed`, …). */
  state: 'waiting' | 'running' | 'terminated';
  reason?: string;
  exitCode?: number;
  ready: boolean;
  started: boolean;
  restartCount: number;
  /** Ports its processes listen on (the pod's shared port space). */
  ports: number[];
  mounts: { volume: string; path: string; readOnly: boolean }[];
  /** Absolute virtual time of the next restart / pull retry ("restart in 40s"), if one is pending. */
  nextAttemptAt?: number;
  /** Absolute virtual time at which a stopping container is SIGKILLed. */
  killAt?: number;
}

/** What the canvas draws for one pod: containers, volumes, the network namespace, countdowns. */
export interface RuntimeView {
  namespace: string;
  name: string;
  uid: string;
  node: string;
  podIP?: string;
  sandboxReady: boolean;
  terminating: boolean;
  /** Absolute virtual time by which every container gets SIGKILL (deletion grace). */
  killDeadline?: number;
  containers: ContainerView[];
  volumes: { name: string; type: string; readOnly: boolean; files: string[] }[];
  ports: { port: number; container: string }[];
}

/**
 * The world of one running container, as its process sees it: the container's log, file system,
 * env and the pod's network. A class, so that each of 150,000 containers costs one small object
 * rather than a closure per method. Everything it does stops once its instance has ended.
 */
class ContainerHost implements ProcessHost {
  inst?: Instance;

  constructor(
    private readonly ctx: ClusterContext,
    private readonly rt: PodRt,
    private readonly c: ContainerRt,
    readonly fs: FileSystem,
    readonly env: Record<string, string>,
    readonly hostname: string,
    /** The container's memory limit in bytes (0: none). */
    private readonly memoryLimit: number,
    private readonly exited: (inst: Instance, code: number, reason?: string) => void,
  ) {}

  private alive(): boolean {
    return this.inst !== undefined && this.inst.alive;
  }

  now(): number {
    return this.ctx.clock.now();
  }

  date(): string {
    return unixDate(this.ctx.clock.now());
  }

  stdout(line: string): void {
    if (this.alive()) this.c.logs.append(this.ctx.clock.now(), line);
  }

  stderr(line: string): void {
    if (this.alive()) this.c.logs.append(this.ctx.clock.now(), line);
  }

  after(ms: number, fn: () => void): TimerHandle {
    return this.ctx.clock.after(ms, () => {
      if (!this.alive()) return;
      try {
        fn();
      } catch (e) {
        this.c.logs.append(this.ctx.clock.now(), `panic: ${(e as Error).message ?? e}`);
        this.exited(this.inst!, 2);
      }
    });
  }

  listen(port: number, handler: RequestHandler): boolean {
    const net = this.rt.net;
    if (!this.alive() || !net) return false;
    if (net.ports.has(port)) return false;
    net.ports.set(port, { container: this.c.name, handler });
    if (!this.c.ports.includes(port)) this.c.ports.push(port);
    return true;
  }

  connect(host: string, port: number, path: string, meta?: RequestMeta): ConnectResult {
    if (!this.rt.net) return { ok: false, error: 'unresolved' };
    return podNetworkOf(this.ctx).connect(this.rt.net, host, port, path, meta);
  }

  /** The pod's resolver (/etc/resolv.conf: CoreDNS, the namespace's search path); /etc/hosts first. */
  resolve(name: string): string | undefined {
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return name;
    if (name === 'localhost') return '127.0.0.1';
    if (name === this.hostname) return this.rt.ip;
    return serviceNetworkOf(this.ctx).lookup(this.rt.namespace, name)?.addresses[0];
  }

  setMemory(b: number): void {
    if (!this.alive()) return;
    const inst = this.inst!;
    inst.memory = b;
    if (this.memoryLimit > 0 && b > this.memoryLimit) {
      // The kernel's OOM killer: SIGKILL, exit 137, reason OOMKilled.
      this.exited(inst, 137, 'OOMKilled');
      inst.process?.signal('SIGKILL');
    }
  }

  exit(code: number): void {
    if (this.alive()) this.exited(this.inst!, code);
  }
}

/** `base` with some of its methods replaced (exec, probes and hooks run in a container's world but own their output). */
function hostWith(base: ProcessHost, overrides: Partial<ProcessHost>): ProcessHost {
  return {
    now: () => base.now(),
    date: () => base.date(),
    stdout: (line) => base.stdout(line),
    stderr: (line) => base.stderr(line),
    fs: base.fs,
    env: base.env,
    hostname: base.hostname,
    after: (ms, fn) => base.after(ms, fn),
    listen: (port, handler) => base.listen(port, handler),
    connect: (host, port, path, meta) => base.connect(host, port, path, meta),
    ...(base.resolve ? { resolve: (name: string) => base.resolve!(name) } : {}),
    setMemory: (b) => base.setMemory(b),
    exit: (code) => base.exit(code),
    ...overrides,
  };
}

/** Routes the cluster's watches to the kubelet of each node: one watch per cluster, not one per node. */
class KubeletHub {
  readonly kubelets = new Map<string, Kubelet>();

  constructor(ctx: ClusterContext) {
    ctx.store.watch('Pod', (ev) => {
      const now = ev.object.spec?.nodeName;
      const before = ev.old?.spec?.nodeName;
      if (now) this.kubelets.get(now)?.onPodEvent(ev.object);
      if (before && before !== now) this.kubelets.get(before)?.onPodEvent(ev.object);
    });
    const onConfig = (kind: string, ns: string | undefined, name: string | undefined) => {
      for (const k of this.kubelets.values()) k.onConfigChange(ns ?? 'default', `${kind}/${name}`);
    };
    ctx.store.watch('ConfigMap', (ev) => onConfig('ConfigMap', ev.object.metadata?.namespace, ev.object.metadata?.name));
    ctx.store.watch('Secret', (ev) => onConfig('Secret', ev.object.metadata?.namespace, ev.object.metadata?.name));
  }
}

const hubs = new WeakMap<ClusterContext, KubeletHub>();

function hubOf(ctx: ClusterContext): KubeletHub {
  let h = hubs.get(ctx);
  if (!h) hubs.set(ctx, (h = new KubeletHub(ctx)));
  return h;
}

/**
 * The kubelet of one node: node heartbeat (Lease + conditions), pod admission, sandboxes and pod
 * IPs, image pulls with a per-node cache, containers and their processes, restarts with back-off,
 * probes, graceful termination, volumes and env, and the pod status it writes to the API.
 *
 * Everything is driven by the virtual clock: each pending transition (a pull finishing, a back-off
 * ending, a probe period, a grace period) is one timer, never a periodic per-pod tick.
 *
 * @example
 * const k = cluster.kubelets.get('node-1')!;
 * k.logs('default', 'web', undefined, { tail: 10 });
 * k.exec('default', 'web', 'app', ['cat', '/etc/hostname']);
 */
export class Kubelet implements Reconciler {
  readonly name: string;
  /** The container runtime's world (images, processes, file systems). Swap it in tests before pods arrive. */
  runtime: ContainerRuntimeDeps = defaultRuntime;

  private readonly queue = new WorkQueue<string>();
  private readonly pods = new Map<string, PodRt>();
  private readonly crashBackoff = new Backoff(defaults.backoffInitial, defaults.backoffMax);
  private readonly pullBackoff = new Backoff(defaults.backoffInitial, defaults.backoffMax);
  /** The node's image store: normalised refs present on disk (survives reboots). */
  readonly images = new Set<string>();
  /** hostPath volumes: one file system per node path, living with the node. */
  readonly hostPaths = new Map<string, FileSystem>();
  private ipam: IpAllocator | undefined;
  /** The node's own network namespace, shared by hostNetwork pods. */
  private hostNet?: { net: PodNetwork; users: number };
  /** serializeImagePulls (default true): the next pull starts when the previous one ends. */
  private pullFreeAt = 0;
  /** Pulls under way on this node: image ref → when it lands. A second request for it waits for that one. */
  private readonly pullsInFlight = new Map<string, number>();
  private up = false;
  private started = false;
  private boots = 0;
  private heartbeat?: TimerHandle;
  private lastNodeReport = -Infinity;
  private writing = false;
  /** Pods waiting for a ConfigMap/Secret; why a set: 5,000 kubelets see every ConfigMap change. */
  private readonly blocked = new Set<PodRt>();
  /** `ns/ConfigMap/name` → pods here projecting it in a volume, for refreshing their files. */
  private readonly projections = new Map<string, Set<PodRt>>();

  constructor(
    readonly ctx: ClusterContext,
    readonly nodeName: string,
  ) {
    this.name = `kubelet/${nodeName}`;
  }

  /** Start the kubelet: register with the hub, post the node's status and Lease, pick up pods bound here. */
  start(): void {
    if (this.started) return;
    this.started = true;
    hubOf(this.ctx).kubelets.set(this.nodeName, this);
    this.ctx.faults.onChange((node) => {
      if (node === this.nodeName) this.onFaultChange();
    });
    if (this.ctx.faults.powerOf(this.nodeName) === 'On') this.boot();
  }

  hasWork(): boolean {
    return this.queue.size > 0;
  }

  runOnce(): void {
    for (const key of this.queue.drain()) {
      if (!this.up) return;
      if (key === NODE_KEY) this.syncNode();
      else this.syncPod(key);
    }
  }

  // ---------------------------------------------------------------- lifecycle of the node

  private reachable(): boolean {
    return this.up && this.ctx.faults.reachesControlPlane(this.nodeName);
  }

  private boot(): void {
    this.up = true;
    this.boots++;
    const node = this.ctx.store.get('Node', undefined, this.nodeName);
    if (!this.ipam) this.ipam = new IpAllocator(node?.spec?.podCIDR ?? '10.244.0.0/24');
    if (this.reachable() && node) {
      const host = { component: 'kubelet', host: this.nodeName };
      this.ctx.recorder.record(node, 'Normal', 'Starting', 'Starting kubelet.', host);
      if (this.boots > 1) this.ctx.recorder.record(node, 'Warning', 'Rebooted', `Node ${this.nodeName} has been rebooted, boot id: ${this.boots}`, host);
      this.ctx.recorder.record(node, 'Normal', 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods', host);
    }
    this.lastNodeReport = -Infinity;
    this.queue.add(NODE_KEY);
    this.scheduleHeartbeat();
    this.resync();
  }

  private scheduleHeartbeat(): void {
    this.heartbeat?.cancel();
    this.heartbeat = this.ctx.clock.after(defaults.leaseRenewInterval, () => {
      if (!this.up) return;
      // The lease renewer is its own loop in the kubelet: renew right at the tick, so that a
      // controller looking at this instant already sees the new renewTime.
      this.syncNode();
      this.scheduleHeartbeat();
    });
  }

  private onFaultChange(): void {
    const power = this.ctx.faults.powerOf(this.nodeName);
    if (power === 'Off') {
      if (this.up) this.shutdown();
      return;
    }
    if (!this.up) {
      this.boot();
      return;
    }
    // Partition cut or healed: on heal, catch up with what changed in the API meanwhile.
    if (this.ctx.faults.reachesControlPlane(this.nodeName)) {
      this.queue.add(NODE_KEY);
      this.resync();
    }
  }

  /** Power off: every process dies on the spot, all in-memory state is lost, nothing more is reported. */
  private shutdown(): void {
    this.up = false;
    this.heartbeat?.cancel();
    this.heartbeat = undefined;
    for (const rt of this.pods.values()) this.teardown(rt);
    this.pods.clear();
    this.projections.clear();
    this.queue.drain();
  }

  /** Compare the pods bound here in the API with what runs, as the kubelet does after a restart or a partition. */
  private resync(): void {
    const seen = new Set<string>();
    for (const pod of this.ctx.store.podsOnNode(this.nodeName)) {
      const key = `${pod.metadata!.namespace}/${pod.metadata!.name}`;
      seen.add(key);
      this.queue.add(key);
    }
    for (const key of this.pods.keys()) if (!seen.has(key)) this.queue.add(key);
  }

  private syncNode(): void {
    if (!this.reachable()) return;
    const store = this.ctx.store;
    const node = store.get('Node', undefined, this.nodeName);
    if (!node) return;
    const now = this.ctx.clock.timestamp();
    this.writing = true;
    try {
      const lease = store.get('Lease', 'kube-node-lease', this.nodeName);
      const spec = { holderIdentity: this.nodeName, leaseDurationSeconds: defaults.leaseDurationSeconds, renewTime: now };
      if (!lease) {
        const fresh: Lease = {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: {
            name: this.nodeName,
            namespace: 'kube-node-lease',
            ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.nodeName, uid: node.metadata!.uid! }],
          },
          spec,
        };
        store.create('Lease', fresh);
      } else {
        store.update('Lease', { ...lease, spec: { ...lease.spec, ...spec } });
      }
      this.postNodeStatus(node, now);
    } finally {
      this.writing = false;
    }
  }

  private postNodeStatus(node: Node, now: string): void {
    const want: [string, string, string, string][] = [
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
      ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
    ];
    const old = node.status?.conditions ?? [];
    let changed = false;
    const transitions: string[] = [];
    const conditions: NodeCondition[] = want.map(([type, status, reason, message]) => {
      const prev = old.find((c) => c.type === type);
      const same = prev?.status === status;
      if (!same || prev?.reason !== reason || prev?.message !== message) changed = true;
      if (!same) transitions.push(type);
      return { type, status, lastHeartbeatTime: now, lastTransitionTime: same && prev?.lastTransitionTime ? prev.lastTransitionTime : now, reason, message };
    });
    const due = this.ctx.clock.now() - this.lastNodeReport >= NODE_STATUS_REPORT_FREQUENCY;
    if (!changed && !due) return;
    this.lastNodeReport = this.ctx.clock.now();
    const updated = this.ctx.api.updateStatus('Node', { ...node, status: { ...node.status, conditions } });
    const host = { component: 'kubelet', host: this.nodeName };
    const words: Record<string, string> = {
      MemoryPressure: 'NodeHasSufficientMemory',
      DiskPressure: 'NodeHasNoDiskPressure',
      PIDPressure: 'NodeHasSufficientPID',
      Ready: 'NodeReady',
    };
    for (const t of transitions) {
      this.ctx.recorder.record(updated, 'Normal', words[t], `Node ${this.nodeName} status is now: ${words[t]}`, host);
    }
  }

  // ---------------------------------------------------------------- watches

  /** Called by the hub for every change to a pod bound (or formerly bound) here. */
  onPodEvent(pod: Pod): void {
    // Cut off from the API server (or off), the kubelet sees no watch events; resync catches up.
    if (this.writing || !this.reachable()) return;
    this.queue.add(`${pod.metadata!.namespace}/${pod.metadata!.name}`);
  }

  /** Called by the hub when a ConfigMap or Secret changes: retry pods waiting for one in that namespace. */
  onConfigChange(namespace: string, ref = ''): void {
    if (!this.reachable()) return;
    for (const rt of this.blocked) {
      if (this.pods.get(rt.key) !== rt) this.blocked.delete(rt);
      else if (rt.namespace === namespace) this.queue.add(rt.key);
    }
    const users = this.projections.get(`${namespace}/${ref}`);
    if (users?.size) {
      // Projected files follow the object after the kubelet's next periodic sync (--sync-frequency 1m),
      // not at once: one timer per change, shared by every pod of this node using the object.
      this.ctx.clock.after(CONFIG_SYNC_MS, () => {
        if (!this.up) return;
        for (const rt of users) {
          if (this.pods.get(rt.key) !== rt || rt.terminal) continue;
          refreshVolumes(this.ctx, rt.pod, this.facts(rt), rt.volumes);
        }
      });
    }
  }

  // ---------------------------------------------------------------- pod workers

  private enqueue(rt: PodRt): void {
    if (this.pods.get(rt.key) === rt) this.queue.add(rt.key);
  }

  private event(rt: PodRt, type: EventType, reason: string, message: string, fieldPath?: string): void {
    // Events are sent to the API server like everything else: lost while the node is cut off.
    if (!this.reachable()) return;
    this.ctx.recorder.record(rt.pod, type, reason, message, { component: 'kubelet', host: this.nodeName }, fieldPath);
  }

  private facts(rt: PodRt): PodFacts {
    const node = this.ctx.store.get('Node', undefined, this.nodeName);
    return { podIP: rt.ip ?? '', hostIP: this.hostIP(node), nodeName: this.nodeName, allocatable: { ...(node?.status?.allocatable ?? {}) } };
  }

  private hostIP(node: Node | undefined): string {
    return node?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
  }

  private syncPod(key: string): void {
    const [namespace, name] = key.split('/');
    const pod = this.ctx.store.get('Pod', namespace, name);
    let rt = this.pods.get(key);
    const mine = pod && pod.spec?.nodeName === this.nodeName;
    if (rt && (!mine || pod!.metadata!.uid !== rt.uid)) {
      // Deleted (or replaced) in the API: kill what is left at once.
      this.teardown(rt);
      this.pods.delete(key);
      rt = undefined;
    }
    if (!mine) return;
    if (!rt) {
      const phase = pod.status?.phase;
      if (pod.metadata?.deletionTimestamp) {
        // Nothing runs for it here (e.g. after a reboot): finish the deletion.
        if (this.reachable()) this.removeFromApi(pod);
        return;
      }
      if (phase === 'Succeeded' || phase === 'Failed') return;
      rt = this.admit(pod);
      if (!rt) return;
    }
    rt.pod = pod;
    if (!rt.rejected) {
      if (pod.metadata?.deletionTimestamp) this.terminatePod(rt);
      else this.advance(rt);
    }
    this.postStatus(rt);
    if (rt.finished && this.reachable()) {
      this.removeFromApi(rt.pod);
      this.pods.delete(rt.key);
      this.blocked.delete(rt);
      this.forgetProjections(rt);
    }
  }

  private removeFromApi(pod: Pod): void {
    this.writing = true;
    try {
      this.ctx.store.remove('Pod', pod.metadata!.namespace, pod.metadata!.name!);
    } finally {
      this.writing = false;
    }
  }

  private admit(pod: Pod): PodRt | undefined {
    const ns = pod.metadata!.namespace!;
    const name = pod.metadata!.name!;
    const rt: PodRt = {
      key: `${ns}/${name}`,
      uid: pod.metadata!.uid!,
      namespace: ns,
      name,
      pod,
      sandboxReady: false,
      probeEpoch: this.ctx.clock.now(),
      startTime: pod.status?.startTime ?? this.ctx.clock.timestamp(),
      containers: [],
      byName: new Map(),
      volumes: new Map(),
      initialized: false,
      terminating: false,
      terminal: false,
      finished: false,
      blocked: false,
      requests: podRequests(pod),
    };
    const mk = (spec: Container, role: ContainerRole, fieldPath: string) => {
      const c: ContainerRt = {
        name: spec.name,
        spec,
        role,
        fieldPath,
        phase: 'new',
        restartCount: 0,
        ready: false,
        started: false,
        probes: {},
        logs: new ContainerLog(),
        ports: [],
      };
      rt.containers.push(c);
      rt.byName.set(spec.name, c);
    };
    for (const c of pod.spec?.initContainers ?? []) mk(c, isSidecar(c) ? 'sidecar' : 'init', `spec.initContainers{${c.name}}`);
    for (const c of pod.spec?.containers ?? []) mk(c, 'app', `spec.containers{${c.name}}`);
    this.restoreFromApi(rt, pod);
    const admitted: PodRequests[] = [];
    for (const r of this.pods.values()) if (!r.rejected && !r.terminal) admitted.push(r.requests);
    const rejection = admitPod(this.ctx.store.get('Node', undefined, this.nodeName), rt.requests, admitted);
    this.pods.set(rt.key, rt);
    if (rejection) {
      rt.rejected = { reason: rejection.reason, message: `Pod was rejected: ${rejection.message}` };
      rt.terminal = true;
      this.event(rt, 'Warning', rejection.reason, rejection.message);
    }
    return rt;
  }

  /**
   * After a reboot the API still holds the pod's old status: carry restart counts over and record
   * what was running as terminated with exit code 255, reason Unknown (what a real node shows).
   */
  private restoreFromApi(rt: PodRt, pod: Pod): void {
    const now = this.ctx.clock.now();
    for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      const c = rt.byName.get(s.name);
      if (!c) continue;
      c.restartCount = s.restartCount ?? 0;
      const started = s.state?.running?.startedAt ?? s.state?.terminated?.startedAt;
      const lost: Termination = {
        exitCode: 255,
        reason: 'Unknown',
        startedAt: started ? Clock.parseRfc3339(started) : now,
        finishedAt: now,
        containerID: (s.containerID ?? '').replace('containerd://', ''),
      };
      if (c.role === 'app' && s.state?.running) {
        c.terminated = lost;
        c.phase = 'exited';
      } else if (c.role === 'app' && s.state?.terminated) {
        const t = s.state.terminated;
        c.terminated = {
          exitCode: t.exitCode,
          reason: t.reason ?? 'Error',
          startedAt: t.startedAt ? Clock.parseRfc3339(t.startedAt) : now,
          finishedAt: t.finishedAt ? Clock.parseRfc3339(t.finishedAt) : now,
          containerID: (t.containerID ?? '').replace('containerd://', ''),
        };
        c.phase = 'exited';
      } else if (s.state?.running || s.lastState?.terminated) {
        c.terminated = lost;
      }
    }
  }

  private advance(rt: PodRt): void {
    if (rt.terminal) {
      this.stopSidecarsOfTerminalPod(rt);
      return;
    }
    if (!rt.sandboxReady) {
      if (!rt.sandboxTimer) {
        rt.sandboxTimer = this.ctx.clock.after(SANDBOX_SETUP_MS, () => {
          rt.sandboxTimer = undefined;
          this.createSandbox(rt);
          this.enqueue(rt);
        });
      }
      return;
    }
    if (rt.volumeError !== undefined) {
      rt.volumeError = setupVolumes(this.ctx, rt.pod, this.facts(rt), rt.volumes, this.hostPaths);
      if (rt.volumeError !== undefined) {
        this.block(rt);
        this.event(rt, 'Warning', 'FailedMount', rt.volumeError);
        return;
      }
    }
    const policy = rt.pod.spec?.restartPolicy ?? 'Always';
    if (!rt.initialized) {
      for (const c of rt.containers) {
        if (c.role === 'app') break;
        if (c.role === 'sidecar') {
          this.ensure(rt, c);
          if (!c.started) return;
          continue;
        }
        if (c.phase === 'exited' && c.terminated?.exitCode === 0) continue;
        if (c.phase === 'exited' && policy === 'Never') {
          this.markTerminal(rt);
          return;
        }
        this.ensure(rt, c);
        return;
      }
      rt.initialized = true;
    }
    // SyncPod starts the containers one after the other and each start blocks on its image pull, so a
    // container's "Pulling" comes only after the previous container has been pulled, created and started.
    let pulling = false;
    for (const c of rt.containers) {
      if (c.role === 'init') continue;
      if (pulling && c.phase === 'new') continue;
      this.ensure(rt, c);
      if (c.phase === 'pulling') pulling = true;
    }
    const apps = rt.containers.filter((c) => c.role === 'app');
    if (apps.every((c) => c.phase === 'exited' && !this.shouldRestart(rt, c))) this.markTerminal(rt);
  }

  private markTerminal(rt: PodRt): void {
    rt.terminal = true;
    for (const c of rt.containers) {
      c.timer?.cancel();
      c.timer = undefined;
      c.nextAttemptAt = undefined;
    }
    this.stopSidecarsOfTerminalPod(rt);
  }

  /** A pod that is done (restartPolicy Never/OnFailure) stops its sidecars, last declared first. */
  private stopSidecarsOfTerminalPod(rt: PodRt): void {
    if (rt.terminating) return;
    const grace = (rt.pod.spec?.terminationGracePeriodSeconds ?? defaults.terminationGracePeriodSeconds) * SECOND;
    const running = rt.containers.filter((c) => c.inst?.alive);
    const last = running[running.length - 1];
    if (last && last.phase === 'running') this.killContainer(rt, last, `Stopping container ${last.name}`, grace);
    if (!running.length && rt.net) this.releaseNetwork(rt);
  }

  private createSandbox(rt: PodRt): void {
    if (!this.up || rt.terminating || this.pods.get(rt.key) !== rt) return;
    if (rt.pod.spec?.hostNetwork) {
      // hostNetwork pods share the node's IP and its one port space.
      const ip = this.hostIP(this.ctx.store.get('Node', undefined, this.nodeName));
      if (!this.hostNet) {
        this.hostNet = { net: { ip, node: this.nodeName, namespace: '', name: '', ports: new Map() }, users: 0 };
        podNetworkOf(this.ctx).register(this.hostNet.net);
      }
      this.hostNet.users++;
      rt.ip = ip;
      rt.net = this.hostNet.net;
    } else {
      const ip = this.ipam!.allocate();
      if (!ip) return;
      rt.ip = ip;
      rt.net = { ip, node: this.nodeName, namespace: rt.namespace, name: rt.name, ports: new Map() };
      podNetworkOf(this.ctx).register(rt.net);
    }
    rt.sandboxReady = true;
    for (const ref of projectedRefs(rt.pod)) {
      const key = `${rt.namespace}/${ref}`;
      let set = this.projections.get(key);
      if (!set) this.projections.set(key, (set = new Set()));
      set.add(rt);
    }
    rt.volumeError = setupVolumes(this.ctx, rt.pod, this.facts(rt), rt.volumes, this.hostPaths);
    if (rt.volumeError !== undefined) {
      this.block(rt);
      this.event(rt, 'Warning', 'FailedMount', rt.volumeError);
    }
  }

  private releaseNetwork(rt: PodRt): void {
    if (!rt.net) return;
    if (this.hostNet && rt.net === this.hostNet.net) {
      rt.net = undefined;
      if (--this.hostNet.users === 0) {
        podNetworkOf(this.ctx).unregister(this.hostNet.net.ip);
        this.hostNet = undefined;
      }
      return;
    }
    podNetworkOf(this.ctx).unregister(rt.net.ip);
    this.ipam?.release(rt.net.ip);
    rt.net = undefined;
  }

  private block(rt: PodRt): void {
    rt.blocked = true;
    this.blocked.add(rt);
  }

  private shouldRestart(rt: PodRt, c: ContainerRt): boolean {
    if (rt.terminating || rt.terminal) return false;
    if (c.role === 'sidecar') return true;
    const policy = rt.pod.spec?.restartPolicy ?? 'Always';
    const code = c.terminated?.exitCode ?? 0;
    if (c.role === 'init') return policy !== 'Never' && code !== 0;
    if (policy === 'Always') return true;
    if (policy === 'OnFailure') return code !== 0;
    return false;
  }

  /** Drive one container towards running (start, or restart after back-off). */
  private ensure(rt: PodRt, c: ContainerRt): void {
    switch (c.phase) {
      case 'new':
      case 'configError':
      case 'imageNeverPull':
        this.startContainer(rt, c);
        return;
      case 'exited':
        if (this.shouldRestart(rt, c)) this.restartWithBackoff(rt, c);
        return;
      default:
        return;
    }
  }

  private restartWithBackoff(rt: PodRt, c: ContainerRt): void {
    const key = `${rt.uid}/${c.name}`;
    const finishedAt = c.terminated?.finishedAt ?? this.ctx.clock.now();
    const now = this.ctx.clock.now();
    if (this.crashBackoff.isInBackOffSince(key, finishedAt, now)) {
      const delay = this.crashBackoff.get(key);
      c.phase = 'crashBackOff';
      c.waitingReason = 'CrashLoopBackOff';
      c.waitingMessage = `back-off ${goDuration(delay)} restarting failed container=${c.name} pod=${rt.name}_${rt.namespace}(${rt.uid})`;
      c.nextAttemptAt = finishedAt + delay;
      // The sync that finds the back-off writes its status first and only then caches the reason, so
      // CrashLoopBackOff shows from the next retry on (a crash-looping pod alternates Error ↔ CrashLoopBackOff).
      c.backOffUnreported = true;
      const backOffEvent = () => this.event(rt, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${rt.name}_${rt.namespace}(${rt.uid})`, c.fieldPath);
      backOffEvent();
      // A sync that ends in ErrCrashLoopBackOff requeues the pod worker after backOffPeriod (10s), and
      // each such sync records BackOff again; that is why real describes show "(x15 over 3m)".
      // Why no jitter: the real requeue is 10-15s (jitter 0.5); a flat 10s keeps every restart at
      // exactly crash + delay (10, 20, 40 … are multiples of it), as K8S.md states the timing.
      const resync = () => {
        c.timer = undefined;
        if (c.phase !== 'crashBackOff') return;
        const at = this.ctx.clock.now();
        if (c.backOffUnreported) {
          c.backOffUnreported = false;
          this.enqueue(rt);
        }
        if (at < c.nextAttemptAt!) {
          backOffEvent();
          c.timer = this.ctx.clock.at(Math.min(at + POD_WORKER_BACKOFF_MS, c.nextAttemptAt!), resync);
          return;
        }
        c.phase = 'exited';
        this.enqueue(rt);
      };
      c.timer?.cancel();
      c.timer = this.ctx.clock.at(Math.min(now + POD_WORKER_BACKOFF_MS, c.nextAttemptAt), resync);
      return;
    }
    this.crashBackoff.next(key, finishedAt, now);
    this.startContainer(rt, c);
  }

  private defaultWaitingReason(rt: PodRt): string {
    return (rt.pod.spec?.initContainers?.length ?? 0) > 0 ? 'PodInitializing' : 'ContainerCreating';
  }

  private startContainer(rt: PodRt, c: ContainerRt): void {
    if (rt.terminating || rt.terminal) return;
    const env = resolveEnv(this.ctx, rt.pod, c.spec, this.facts(rt));
    if (!env.ok) {
      c.phase = 'configError';
      c.waitingReason = 'CreateContainerConfigError';
      c.waitingMessage = env.error;
      this.block(rt);
      this.event(rt, 'Warning', 'Failed', `Error: ${env.error}`, c.fieldPath);
      return;
    }
    const image = c.spec.image ?? '';
    const ref = normalizeImageRef(image);
    const info = this.runtime.lookupImage(image);
    const policy = pullPolicy(image, c.spec.imagePullPolicy);
    const cached = this.images.has(ref);
    if (policy === 'Never' && !cached) {
      c.phase = 'imageNeverPull';
      c.waitingReason = 'ErrImageNeverPull';
      c.waitingMessage = `Container image "${image}" is not present with pull policy of Never`;
      this.event(rt, 'Warning', 'ErrImageNeverPull', c.waitingMessage, c.fieldPath);
      return;
    }
    if (cached && policy !== 'Always' && info) {
      this.event(rt, 'Normal', 'Pulled', `Container image "${image}" already present on machine and can be accessed by the pod`, c.fieldPath);
      this.createAndStart(rt, c, info, env.env);
      return;
    }
    // Pull. Pulls on one node are serialised (serializeImagePulls: true), so a pull may wait its turn.
    const requested = this.ctx.clock.now();
    const inFlight = this.pullsInFlight.get(ref);
    let begin: number;
    let end: number;
    if (inFlight !== undefined && inFlight >= requested) {
      // The same image is already being pulled for another pod: share that pull (as the runtime does).
      begin = requested;
      end = inFlight;
    } else {
      begin = Math.max(requested, this.pullFreeAt);
      end = begin + (info ? (cached ? Math.min(info.pullMs, CACHED_PULL_MS) : info.pullMs) : PULL_FAILURE_MS);
      this.pullFreeAt = end;
      this.pullsInFlight.set(ref, end);
    }
    const duration = end - begin;
    c.phase = 'pulling';
    this.event(rt, 'Normal', 'Pulling', `Pulling image "${image}"`, c.fieldPath);
    c.timer = this.ctx.clock.at(end, () => {
      c.timer = undefined;
      if (this.pullsInFlight.get(ref) === end) this.pullsInFlight.delete(ref);
      if (c.phase !== 'pulling' || this.pods.get(rt.key) !== rt || !this.up) return;
      if (info) {
        this.images.add(ref);
        this.event(rt, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${goDuration(duration)} (${goDuration(end - requested)} including waiting). Image size: ${info.sizeBytes} bytes.`, c.fieldPath);
        // The env is resolved again at creation: a ConfigMap may have changed during the pull.
        const again = resolveEnv(this.ctx, rt.pod, c.spec, this.facts(rt));
        this.createAndStart(rt, c, info, again.ok ? again.env : env.env);
      } else {
        this.pullFailed(rt, c, image, ref);
      }
      this.enqueue(rt);
    });
  }

  private pullFailed(rt: PodRt, c: ContainerRt, image: string, ref: string): void {
    const now = this.ctx.clock.now();
    const repo = ref.slice(0, ref.lastIndexOf(':'));
    const knownRepo = this.runtime.lookupImage(`${repo}:latest`) !== undefined;
    const err = knownRepo
      ? `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`
      : `rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
    this.event(rt, 'Warning', 'Failed', `Failed to pull image "${image}": ${err}`, c.fieldPath);
    this.event(rt, 'Warning', 'Failed', 'Error: ErrImagePull', c.fieldPath);
    c.phase = 'pullFailed';
    c.waitingReason = 'ErrImagePull';
    c.waitingMessage = err;
    const key = `${rt.uid}/${ref}`;
    this.pullBackoff.next(key, now, now);
    const delay = this.pullBackoff.get(key);
    c.pullFailedAt = now;
    c.nextAttemptAt = now + delay;
    // The next pod sync (about a second later) finds the image in back-off: ImagePullBackOff.
    c.timer = this.ctx.clock.after(Math.min(SECOND, delay), () => {
      c.timer = undefined;
      if (c.phase !== 'pullFailed') return;
      c.phase = 'pullBackOff';
      c.waitingReason = 'ImagePullBackOff';
      c.waitingMessage = `Back-off pulling image "${image}": ErrImagePull: ${err}`;
      this.event(rt, 'Normal', 'BackOff', `Back-off pulling image "${image}"`, c.fieldPath);
      this.event(rt, 'Warning', 'Failed', 'Error: ImagePullBackOff', c.fieldPath);
      c.timer = this.ctx.clock.at(c.nextAttemptAt!, () => {
        c.timer = undefined;
        if (c.phase !== 'pullBackOff') return;
        c.phase = 'new';
        c.nextAttemptAt = undefined;
        this.enqueue(rt);
      });
      this.enqueue(rt);
    });
  }

  private newContainerId(): string {
    let s = '';
    for (let i = 0; i < 8; i++) s += this.ctx.rng.int(0x100000000).toString(16).padStart(8, '0');
    return s;
  }

  private createAndStart(rt: PodRt, c: ContainerRt, info: ImageInfo, env: Record<string, string>): void {
    if (rt.terminating || rt.terminal || !rt.net) return;
    const now = this.ctx.clock.now();
    if (c.terminated) {
      c.lastTerminated = c.terminated;
      c.terminated = undefined;
      c.restartCount++;
      c.prevLogs = c.logs;
      c.logs = new ContainerLog();
    }
    c.waitingReason = undefined;
    c.waitingMessage = undefined;
    c.nextAttemptAt = undefined;
    c.imageName = intern(info.name.includes('/') ? info.name : normalizeImageRef(info.name));
    c.imageID = intern(`${info.repository ?? normalizeImageRef(c.spec.image ?? '').replace(/:[^:/]*$/, '')}@${imageDigest(info.name)}`);
    const id = this.newContainerId();
    this.event(rt, 'Normal', 'Created', `Created container: ${c.name}`, c.fieldPath);
    this.event(rt, 'Normal', 'Started', `Started container ${c.name}`, c.fieldPath);
    const host = this.makeHost(rt, c, { ...(info.env ?? {}), ...env }, info);
    const inst: Instance = { id, startedAt: now, alive: true, host: host.host, memory: 0 };
    host.bind(inst);
    c.inst = inst;
    c.phase = 'running';
    c.started = !c.spec.startupProbe;
    c.ready = c.started && !c.spec.readinessProbe;
    c.probes = {};
    const command = c.spec.command?.map((s) => expandVars(s, env));
    const args = c.spec.args?.map((s) => expandVars(s, env));
    const problem = this.runtime.checkStart?.({ image: c.spec.image ?? '', command, args }, host.host);
    if (problem) {
      // containerd cannot start the task: state terminated, reason StartError, exit code 128.
      const message = `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: ${problem}: unknown`;
      this.event(rt, 'Warning', 'Failed', `Error: ${message}`, c.fieldPath);
      this.onExit(rt, c, inst, 128, 'StartError', message);
      return;
    }
    let process: Process;
    try {
      process = this.runtime.startProcess({ image: c.spec.image ?? '', command, args }, host.host);
    } catch (e) {
      // A process that cannot start is a container that exits at once with the runtime's error.
      host.host.stderr(String((e as Error).message ?? e));
      this.onExit(rt, c, inst, 128, 'StartError');
      return;
    }
    if (!inst.alive) return;
    inst.process = process;
    const post = c.spec.lifecycle?.postStart?.exec?.command;
    if (post) {
      const r = this.runtime.runToCompletion(post, this.execHost(host.host));
      if (r.exitCode !== 0) {
        this.event(rt, 'Warning', 'FailedPostStartHook', `PostStartHook failed`, c.fieldPath);
        this.killContainer(rt, c, `FailedPostStartHook`, MIN_GRACE_MS);
        return;
      }
    }
    this.startProbes(rt, c, inst);
  }

  /** The world of one container instance, as its process sees it. */
  private makeHost(rt: PodRt, c: ContainerRt, env: Record<string, string>, info: ImageInfo): { host: ProcessHost; bind(inst: Instance): void } {
    const hostname = rt.pod.spec?.hostname ?? rt.name;
    // The image's files are shared by every container of that image; the three per-pod files go in
    // the container's own layer.
    const root = this.runtime.newFileSystem(info.files ?? {});
    root.write('/etc/hostname', `${hostname}\n`);
    root.write('/etc/hosts', `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${rt.ip}\t${hostname}\n`);
    root.write('/etc/resolv.conf', `search ${rt.namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`);
    const mounts = (c.spec.volumeMounts ?? [])
      .filter((m) => rt.volumes.has(m.name))
      .map((m) => {
        const v = rt.volumes.get(m.name)!;
        return { path: m.mountPath, fs: v.fs, readOnly: v.readOnly || m.readOnly === true };
      });
    const fs = this.runtime.mount(root, mounts);
    const host = new ContainerHost(this.ctx, rt, c, fs, env, hostname, bytes(c.spec.resources?.limits?.memory), (inst, code, reason) => this.onExit(rt, c, inst, code, reason));
    return { host, bind: (i) => (host.inst = i) };
  }

  /** A host for exec/probes inside a container: its files, env and network; output is captured by the runner. */
  private execHost(base: ProcessHost): ProcessHost {
    return hostWith(base, { stdout: () => undefined, stderr: () => undefined, exit: () => undefined, setMemory: () => undefined, listen: () => false });
  }

  private onExit(rt: PodRt, c: ContainerRt, inst: Instance, code: number, reason?: string, message?: string): void {
    if (!inst.alive) return;
    inst.alive = false;
    inst.killTimer?.cancel();
    this.stopProbes(c);
    if (rt.net) for (const p of c.ports) if (rt.net.ports.get(p)?.container === c.name) rt.net.ports.delete(p);
    c.ports.length = 0;
    c.terminated = {
      exitCode: code,
      reason: reason ?? (code === 0 ? 'Completed' : 'Error'),
      startedAt: inst.startedAt,
      finishedAt: this.ctx.clock.now(),
      containerID: inst.id,
      ...(message ? { message } : {}),
    };
    c.phase = 'exited';
    c.ready = false;
    c.started = false;
    if (c.inst === inst) c.inst = undefined;
    if (!this.up) return;
    this.enqueue(rt);
  }

  // ---------------------------------------------------------------- probes

  private startProbes(rt: PodRt, c: ContainerRt, inst: Instance): void {
    if (c.spec.startupProbe) this.scheduleProbe(rt, c, inst, 'startup', probeDefaults(c.spec.startupProbe), true);
    else this.startMainProbes(rt, c, inst);
  }

  private startMainProbes(rt: PodRt, c: ContainerRt, inst: Instance): void {
    if (c.spec.livenessProbe) this.scheduleProbe(rt, c, inst, 'liveness', probeDefaults(c.spec.livenessProbe), true);
    if (c.spec.readinessProbe) this.scheduleProbe(rt, c, inst, 'readiness', probeDefaults(c.spec.readinessProbe), true);
  }

  /**
   * One timer per probe, then every periodSeconds. Liveness and startup follow the real worker: it is
   * created with the pod's first sync and ticks every period from then on; a tick skips the probe while
   * the whole seconds since the container started are fewer than initialDelaySeconds. So the kubernetes.io
   * exec-liveness pod (delay 5s, period 5s) is probed on the pod's 5s grid, not in step with its `sleep 30`.
   * Readiness without an initial delay runs once at once (the kubelet triggers a readiness probe when it
   * sees a started container with no result yet), then on the same grid.
   * Why no jitter (the real ticker starts at a random point after a kubelet restart): exact times make
   * lessons and tests predictable.
   */
  private scheduleProbe(rt: PodRt, c: ContainerRt, inst: Instance, kind: 'startup' | 'liveness' | 'readiness', spec: ProbeSpec, first: boolean): void {
    let st = c.probes[kind];
    if (!st) c.probes[kind] = st = { spec, successes: 0, failures: 0 };
    const now = this.ctx.clock.now();
    // The next tick of the worker's ticker strictly after `now`.
    let at = rt.probeEpoch + (Math.floor(Math.max(0, now - rt.probeEpoch) / spec.periodMs) + 1) * spec.periodMs;
    if (first && kind === 'readiness' && spec.initialDelayMs === 0) {
      at = Math.max(now, inst.startedAt);
    } else if (first) {
      at = rt.probeEpoch + Math.ceil(Math.max(0, now - rt.probeEpoch) / spec.periodMs) * spec.periodMs;
      while (Math.floor((at - inst.startedAt) / SECOND) * SECOND < spec.initialDelayMs) at += spec.periodMs;
    }
    st.timer = this.ctx.clock.at(at, () => this.probeTick(rt, c, inst, kind));
  }

  private probeTick(rt: PodRt, c: ContainerRt, inst: Instance, kind: 'startup' | 'liveness' | 'readiness'): void {
    const st = c.probes[kind];
    const probing = c.phase === 'running' || (c.phase === 'stopping' && kind === 'readiness');
    if (!st || !inst.alive || c.inst !== inst || !probing || !this.up) return;
    st.timer = undefined;
    const outcome = runProbe(st.spec.probe, {
      podIP: rt.ip ?? '',
      exec: (argv) => this.runtime.runToCompletion(argv, this.execHost(inst.host)),
      connect: (h, port, path, meta) => (rt.net ? podNetworkOf(this.ctx).connect(rt.net, h, port, path, meta) : { ok: false, error: 'refused' }),
      hostIP: this.hostIP(this.ctx.store.get('Node', undefined, this.nodeName)),
      portByName: (n) => c.spec.ports?.find((p) => p.name === n)?.containerPort,
    });
    const label = kind === 'startup' ? 'Startup' : kind === 'liveness' ? 'Liveness' : 'Readiness';
    if (outcome.ok) {
      st.failures = 0;
      st.successes++;
      if (kind === 'startup') {
        c.started = true;
        c.ready = !c.spec.readinessProbe;
        c.probes.startup = undefined;
        this.startMainProbes(rt, c, inst);
        this.enqueue(rt);
        return;
      }
      if (kind === 'readiness' && !c.ready && st.successes >= st.spec.successThreshold) {
        c.ready = true;
        this.enqueue(rt);
      }
    } else {
      st.successes = 0;
      st.failures++;
      this.event(rt, 'Warning', 'Unhealthy', `${label} probe failed: ${outcome.output}`, c.fieldPath);
      if (kind === 'readiness') {
        if (c.ready && st.failures >= st.spec.failureThreshold) {
          c.ready = false;
          this.enqueue(rt);
        }
      } else if (st.failures >= st.spec.failureThreshold) {
        const probeGrace = st.spec.probe.terminationGracePeriodSeconds;
        const grace = (probeGrace ?? rt.pod.spec?.terminationGracePeriodSeconds ?? defaults.terminationGracePeriodSeconds) * SECOND;
        this.killContainer(rt, c, `Container ${c.name} failed ${kind} probe, will be restarted`, grace);
        this.enqueue(rt);
        return;
      }
    }
    this.scheduleProbe(rt, c, inst, kind, st.spec, false);
  }

  /** Stop the container's probe workers (all of them, or the kinds given). */
  private stopProbes(c: ContainerRt, kinds?: ('startup' | 'liveness' | 'readiness')[]): void {
    if (!kinds) {
      for (const st of Object.values(c.probes)) st?.timer?.cancel();
      c.probes = {};
      return;
    }
    for (const k of kinds) {
      c.probes[k]?.timer?.cancel();
      c.probes[k] = undefined;
    }
  }

  // ---------------------------------------------------------------- termination

  /**
   * Stop one container as kuberuntime's killContainer does: event Killing, the preStop hook (its
   * time counts against the grace), SIGTERM, then SIGKILL (exit 137) when the grace (at least 2s) ends.
   */
  private killContainer(rt: PodRt, c: ContainerRt, message: string, graceMs: number): void {
    const inst = c.inst;
    if (!inst || !inst.alive || c.phase === 'stopping') return;
    c.phase = 'stopping';
    // Why ready stays as it was: the container runs until it exits, and the kubelet does not mark it
    // unready for being stopped (a deleted pod shows 1/1 Terminating; EndpointSlices keep it `serving`).
    // Liveness and startup stop (StopLivenessAndStartup); readiness keeps probing the stopping
    // container, so an app that fails it during its shutdown turns its endpoint not `serving`.
    this.stopProbes(c, ['liveness', 'startup']);
    this.event(rt, 'Normal', 'Killing', message, c.fieldPath);
    const clock = this.ctx.clock;
    const deadline = clock.now() + Math.max(graceMs, MIN_GRACE_MS);
    inst.killTimer = clock.at(deadline, () => {
      if (!inst.alive) return;
      this.onExit(rt, c, inst, 137);
      inst.process?.signal('SIGKILL');
    });
    let termSent = false;
    const term = () => {
      if (termSent || !inst.alive) return;
      termSent = true;
      inst.process?.signal('SIGTERM');
    };
    const preStop = c.spec.lifecycle?.preStop as
      | (NonNullable<Container['lifecycle']>['preStop'] & { sleep?: { seconds: number } })
      | undefined;
    if (preStop?.exec?.command) {
      const hook = preStop.exec.command;
      let hookDone = false;
      const hookHost: ProcessHost = hostWith(inst.host, {
        stdout: () => undefined,
        stderr: () => undefined,
        listen: () => false,
        setMemory: () => undefined,
        exit: () => {
          if (hookDone) return;
          hookDone = true;
          term();
        },
        after: (ms, fn) => clock.after(ms, () => {
          if (!hookDone && inst.alive) fn();
        }),
      });
      try {
        this.runtime.startProcess({ image: c.spec.image ?? '', command: hook }, hookHost);
      } catch {
        hookDone = true;
        term();
      }
    } else if (preStop?.httpGet) {
      const h = preStop.httpGet;
      const port = typeof h.port === 'number' ? h.port : Number(h.port);
      if (rt.net) podNetworkOf(this.ctx).connect(rt.net, h.host || rt.ip || '', port, h.path ?? '/');
      term();
    } else if (preStop?.sleep) {
      clock.after(Math.min(preStop.sleep.seconds * SECOND, deadline - clock.now()), term);
    } else {
      term();
    }
  }

  /** A pod with a deletionTimestamp: stop app containers, then sidecars (last first), then report and remove. */
  private terminatePod(rt: PodRt): void {
    const now = this.ctx.clock.now();
    if (!rt.terminating) {
      rt.terminating = true;
      const grace = rt.pod.metadata?.deletionGracePeriodSeconds ?? rt.pod.spec?.terminationGracePeriodSeconds ?? defaults.terminationGracePeriodSeconds;
      rt.killDeadline = now + grace * SECOND;
      rt.sandboxTimer?.cancel();
      rt.sandboxTimer = undefined;
      for (const c of rt.containers) {
        c.timer?.cancel();
        c.timer = undefined;
        c.nextAttemptAt = undefined;
      }
    }
    const remaining = Math.max((rt.killDeadline ?? now) - now, MIN_GRACE_MS);
    let mainAlive = false;
    for (const c of rt.containers) {
      if (c.role === 'sidecar' || !c.inst?.alive) continue;
      mainAlive = true;
      if (c.phase === 'running') this.killContainer(rt, c, `Stopping container ${c.name}`, remaining);
    }
    if (mainAlive) return;
    const sidecars = rt.containers.filter((c) => c.role === 'sidecar' && c.inst?.alive);
    const last = sidecars[sidecars.length - 1];
    if (last) {
      if (last.phase === 'running') this.killContainer(rt, last, `Stopping container ${last.name}`, remaining);
      return;
    }
    this.releaseNetwork(rt);
    rt.finished = true;
  }

  /** Drop a pod at once (deleted from the API, or the node lost power): no events, no grace. */
  private forgetProjections(rt: PodRt): void {
    for (const ref of projectedRefs(rt.pod)) {
      const key = `${rt.namespace}/${ref}`;
      const set = this.projections.get(key);
      if (set?.delete(rt) && set.size === 0) this.projections.delete(key);
    }
  }

  private teardown(rt: PodRt): void {
    this.blocked.delete(rt);
    this.forgetProjections(rt);
    rt.sandboxTimer?.cancel();
    for (const c of rt.containers) {
      c.timer?.cancel();
      this.stopProbes(c);
      const inst = c.inst;
      if (inst?.alive) {
        inst.alive = false;
        inst.killTimer?.cancel();
        inst.process?.signal('SIGKILL');
      }
    }
    this.releaseNetwork(rt);
    this.crashBackoff.deletePrefix(`${rt.uid}/`);
    this.pullBackoff.deletePrefix(`${rt.uid}/`);
  }

  // ---------------------------------------------------------------- status

  private containerStatus(rt: PodRt, c: ContainerRt): ContainerStatus {
    const ts = rfc3339Memo;
    const term = (t: Termination) => ({
      terminated: {
        containerID: `containerd://${t.containerID}`,
        exitCode: t.exitCode,
        finishedAt: ts(t.finishedAt),
        reason: t.reason,
        startedAt: ts(t.startedAt),
        ...(t.message ? { message: t.message } : {}),
      },
    });
    let state: ContainerStatus['state'];
    let last = c.lastTerminated;
    let containerID: string | undefined;
    switch (c.phase) {
      case 'running':
      case 'stopping':
        state = { running: { startedAt: ts(c.inst!.startedAt) } };
        containerID = c.inst!.id;
        break;
      case 'exited':
        state = term(c.terminated!);
        containerID = c.terminated!.containerID;
        break;
      case 'crashBackOff':
        if (c.backOffUnreported) {
          // convertToAPIContainerStatuses: with no reason cached yet "we prefer the original state".
          state = term(c.terminated!);
          containerID = c.terminated!.containerID;
          break;
        }
        state = { waiting: { reason: c.waitingReason, message: c.waitingMessage } };
        last = c.terminated;
        containerID = c.terminated?.containerID;
        break;
      default:
        if (c.terminated) {
          // Restarting (e.g. pulling again): the runtime's newest instance is still the exited one.
          state = term(c.terminated);
          containerID = c.terminated.containerID;
        } else {
          state = { waiting: { reason: c.waitingReason ?? this.defaultWaitingReason(rt), ...(c.waitingMessage ? { message: c.waitingMessage } : {}) } };
        }
    }
    const running = c.phase === 'running' || c.phase === 'stopping';
    const res = c.spec.resources;
    const hasRes = !!(res?.requests || res?.limits);
    const created = containerID !== undefined;
    return {
      // v1.34 (InPlacePodVerticalScaling beta) reports the resources a created container runs with.
      ...(created && res?.requests ? { allocatedResources: res.requests } : {}),
      ...(containerID ? { containerID: `containerd://${containerID}` } : {}),
      image: c.imageName ?? c.spec.image ?? '',
      imageID: c.imageID ?? '',
      lastState: last ? term(last) : {},
      name: c.name,
      // prober manager UpdatePodStatus: a regular init container is ready once it exited 0, never while running.
      ready: c.role === 'init' ? state.terminated?.exitCode === 0 : running && c.ready,
      ...(created && hasRes ? { resources: { ...(res!.limits ? { limits: res!.limits } : {}), ...(res!.requests ? { requests: res!.requests } : {}) } } : {}),
      restartCount: c.restartCount,
      started: running && c.started,
      state,
      ...(created ? { user: ROOT_USER } : {}),
      ...(created && c.spec.volumeMounts?.length
        ? {
            volumeMounts: c.spec.volumeMounts.map((m) => {
              const ro = m.readOnly === true || rt.volumes.get(m.name)?.readOnly === true;
              return { mountPath: m.mountPath, name: m.name, ...(ro ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}) };
            }),
          }
        : {}),
    } as ContainerStatus;
  }

  private buildStatus(rt: PodRt): PodStatus {
    const pod = rt.pod;
    const old = pod.status ?? {};
    const node = this.ctx.store.get('Node', undefined, this.nodeName);
    const hostIP = this.hostIP(node);
    if (rt.rejected) {
      return { ...old, phase: 'Failed', reason: rt.rejected.reason, message: rt.rejected.message, startTime: rt.startTime };
    }
    const init = rt.containers.filter((c) => c.role !== 'app').map((c) => this.containerStatus(rt, c));
    const apps = rt.containers.filter((c) => c.role === 'app').map((c) => this.containerStatus(rt, c));
    const all = [...init, ...apps];
    const podIsTerminal = rt.finished || (rt.terminal && !rt.containers.some((c) => c.inst?.alive));
    let phase: PodPhase = getPhase(pod, all, podIsTerminal, hasAnyRegularContainerStarted(pod, all));
    const oldPhase = old.phase as PodPhase | undefined;
    if (oldPhase === 'Succeeded' || oldPhase === 'Failed') phase = oldPhase;
    const conditions = podConditions(pod, {
      statuses: all,
      phase,
      sandboxReady: rt.sandboxReady && !rt.finished,
      old: old.conditions ?? [],
      now: rfc3339Memo(this.ctx.clock.now()),
    });
    const status: PodStatus & { observedGeneration?: number } = {
      ...(pod.metadata?.generation !== undefined ? { observedGeneration: pod.metadata.generation } : {}),
      phase,
      conditions,
      hostIP,
      hostIPs: hostIP ? [{ ip: hostIP }] : undefined,
      ...(rt.ip && !rt.finished ? { podIP: rt.ip, podIPs: [{ ip: rt.ip }] } : {}),
      startTime: rt.startTime,
      ...(init.length ? { initContainerStatuses: init } : {}),
      containerStatuses: apps,
      qosClass: qosClass(pod),
    };
    if (!status.hostIPs) delete status.hostIPs;
    if (phase === oldPhase) {
      if (old.reason) status.reason = old.reason;
      if (old.message) status.message = old.message;
    }
    return status;
  }

  private postStatus(rt: PodRt): void {
    if (!this.reachable()) return;
    const status = this.buildStatus(rt);
    if (semanticEqual(status, rt.pod.status ?? {})) return;
    this.writing = true;
    try {
      rt.pod = this.ctx.api.updateStatus('Pod', { ...rt.pod, status });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    } finally {
      this.writing = false;
    }
  }

  // ---------------------------------------------------------------- public API for kubectl and the UI

  private findPod(namespace: string, name: string): { pod: Pod; rt: PodRt | undefined } {
    const pod = this.ctx.store.get('Pod', namespace, name);
    if (!pod) throw ApiError.notFound('Pod', name);
    const rt = this.pods.get(`${namespace}/${name}`);
    return { pod, rt: rt && rt.uid === pod.metadata!.uid ? rt : undefined };
  }

  private pickContainer(pod: Pod, rt: PodRt | undefined, container: string | undefined): ContainerRt | undefined {
    const name = pod.metadata!.name!;
    const apps = (pod.spec?.containers ?? []).map((c) => c.name);
    const inits = (pod.spec?.initContainers ?? []).map((c) => c.name);
    let chosen = container;
    if (chosen === undefined) {
      if (apps.length !== 1) {
        throw new Error(
          `a container name must be specified for pod ${name}, choose one of: [${apps.join(' ')}]` +
            (inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : ''),
        );
      }
      chosen = apps[0];
    }
    if (!apps.includes(chosen) && !inits.includes(chosen)) throw new Error(`container ${chosen} is not valid for pod ${name}`);
    return rt?.byName.get(chosen);
  }

  /**
   * A container's log, as `kubectl logs` prints it (each line ends in a newline).
   * Throws an {@link ApiError} NotFound for a missing pod, and an Error with the API server's words
   * otherwise: `a container name must be specified for pod web, choose one of: [a b]`,
   * `previous terminated container "app" in pod "web" not found`,
   * `container "app" in pod "web" is waiting to start: ContainerCreating`.
   *
   * @example kubelet.logs('default', 'web', undefined, { tail: 20, timestamps: true })
   */
  logs(namespace: string, pod: string, container: string | undefined, opts: LogOptions = {}): string {
    const found = this.findPod(namespace, pod);
    const c = this.pickContainer(found.pod, found.rt, container);
    const name = container ?? found.pod.spec!.containers[0].name;
    if (!this.up) throw new Error(`Get "https://${this.hostIP(this.ctx.store.get('Node', undefined, this.nodeName))}:10250/containerLogs/${namespace}/${pod}/${name}": dial tcp: connect: no route to host`);
    if (opts.previous) {
      if (!c?.prevLogs) throw new Error(`previous terminated container "${name}" in pod "${pod}" not found`);
      return c.prevLogs.render(opts);
    }
    if (!c || (!c.inst && !c.terminated)) {
      const reason = c?.waitingReason ?? (found.rt ? this.defaultWaitingReason(found.rt) : 'ContainerCreating');
      const why = reason === 'ImagePullBackOff' || reason === 'ErrImagePull' ? 'trying and failing to pull image' : reason;
      throw new Error(`container "${name}" in pod "${pod}" is waiting to start: ${why}`);
    }
    return c.logs.render(opts);
  }

  /**
   * Run a command in a running container (`kubectl exec`), to completion, and return its output.
   * Throws like the API server when the container is missing or not running.
   *
   * @example kubelet.exec('default', 'web', undefined, ['cat', '/usr/share/nginx/html/index.html'])
   */
  exec(namespace: string, pod: string, container: string | undefined, argv: string[]): ExecResult {
    const found = this.findPod(namespace, pod);
    const c = this.pickContainer(found.pod, found.rt, container);
    const name = container ?? found.pod.spec!.containers[0].name;
    if (!this.up) throw new Error(`error dialing backend: dial tcp: connect: no route to host`);
    if (!c || !c.inst?.alive || !found.rt) throw new Error(`unable to upgrade connection: container not found ("${name}")`);
    return this.runtime.runToCompletion(argv, this.execHost(c.inst.host));
  }

  /** What the canvas draws for one pod, or undefined if this kubelet does not run it. */
  runtimeView(namespace: string, pod: string): RuntimeView | undefined {
    const rt = this.pods.get(`${namespace}/${pod}`);
    if (!rt) return undefined;
    const containers: ContainerView[] = rt.containers.map((c) => {
      const s = this.containerStatus(rt, c);
      const st = s.state ?? {};
      return {
        name: c.name,
        role: c.role,
        image: c.spec.image ?? '',
        state: st.running ? 'running' : st.terminated ? 'terminated' : 'waiting',
        ...(st.waiting?.reason ? { reason: st.waiting.reason } : st.terminated?.reason ? { reason: st.terminated.reason } : {}),
        ...(st.terminated ? { exitCode: st.terminated.exitCode } : {}),
        ready: s.ready,
        started: s.started ?? false,
        restartCount: c.restartCount,
        ports: [...c.ports].sort((a, b) => a - b),
        mounts: (c.spec.volumeMounts ?? []).map((m) => ({ volume: m.name, path: m.mountPath, readOnly: m.readOnly === true || rt.volumes.get(m.name)?.readOnly === true })),
        ...(c.nextAttemptAt !== undefined ? { nextAttemptAt: c.nextAttemptAt } : {}),
        ...(c.inst?.killTimer && c.phase === 'stopping' ? { killAt: c.inst.killTimer.at } : {}),
      };
    });
    return {
      namespace,
      name: pod,
      uid: rt.uid,
      node: this.nodeName,
      ...(rt.ip && rt.net ? { podIP: rt.ip } : {}),
      sandboxReady: rt.sandboxReady,
      terminating: rt.terminating,
      ...(rt.killDeadline !== undefined ? { killDeadline: rt.killDeadline } : {}),
      containers,
      volumes: [...rt.volumes.values()].map((v) => ({ name: v.name, type: v.type, readOnly: v.readOnly, files: v.fs.list('/') })),
      ports: rt.net ? [...rt.net.ports.entries()].map(([port, l]) => ({ port, container: l.container })).sort((a, b) => a.port - b.port) : [],
    };
  }

  /** Pods this kubelet currently runs (namespace/name keys), for the UI and tests. */
  runningPods(): string[] {
    return [...this.pods.keys()].sort();
  }
}
