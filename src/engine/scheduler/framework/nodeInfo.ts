import { bytes, milliCpu } from '../../api/quantity';
import type { Node, Pod, Taint } from '../../api/types';
import { podHostPorts, podRequests, type HostPort, type Resources } from './resources';

/** What the cache remembers about one assigned pod, so that removing it subtracts exactly what was added. */
export interface PodEntry {
  readonly key: string;
  /** The newest version of the pod (metadata-only updates replace it in place). */
  pod: Pod;
  readonly nodeName: string;
  readonly requested: Resources;
  readonly nonZeroMilliCpu: number;
  readonly nonZeroMemory: number;
  readonly ports: readonly HostPort[];
  readonly priority: number;
}

/**
 * Per-node counts PodTopologySpread memoises, valid while the node's generation is unchanged.
 * (Filter verdicts and raw scores are memoised by the framework, in shape views indexed by
 * {@link NodeInfo.listIndex}; see framework/shapeView.ts and framework/nodeListTable.ts.)
 */
export interface NodeMemo {
  /** Pods matching a selector (key: namespace + selector text), valid while `countsGen` is the node's generation. */
  selectorCounts?: Map<string, number>;
  countsGen?: number;
  /** The first selector counted at `countsGen` and its count (a slot of its own: usually the only one). */
  countKey?: string;
  countValue?: number;
}

export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const WILDCARD_IP = '0.0.0.0';

/**
 * The scheduler's aggregated view of one node (pkg/scheduler/framework.NodeInfo): allocatable,
 * the sum of requests of the pods assigned to it (plain and "non-zero" for scoring), and the host
 * ports in use. Kept up to date incrementally from watch events, never re-summed per cycle.
 */
export class NodeInfo {
  node: Node | undefined;
  labels: Record<string, string> = {};
  taints: readonly Taint[] = [];
  unschedulable = false;
  allocatable: Resources = { milliCpu: 0, memory: 0, ephemeralStorage: 0 };
  allowedPodNumber = 0;
  /** Sum of the assigned pods' requests; updated in place (read it, do not keep it). */
  readonly requested: Resources = { milliCpu: 0, memory: 0, ephemeralStorage: 0 };
  nonZeroMilliCpu = 0;
  nonZeroMemory = 0;
  readonly pods = new Map<string, PodEntry>();
  /** `TCP/8080` → host IP → number of pods using it. */
  readonly usedPorts = new Map<string, Map<string, number>>();
  /** Bumped on every change: a cheap "did this node change" signal. */
  generation = 0;
  /** Counts PodTopologySpread memoises for this node. */
  readonly memo: NodeMemo = { selectorCounts: undefined, countsGen: -1, countKey: undefined, countValue: 0 };
  /**
   * Where this node sits in the last list {@link SchedulerCache.nodeList} built (-1: never listed).
   * It may be stale for a node that has left the list: check `list[node.listIndex] === node`.
   */
  listIndex = -1;

  /**
   * The entry of the last addPod and the generation that left the node at: when the generation is
   * still that one, that addition is the node's only change since the generation before it (a
   * count kept for that generation needs only this pod looked at; see countPodsMatchSelector).
   */
  lastAdded: PodEntry | undefined = undefined;
  lastAddedGen = -1;

  /** Told after every change (the cache keeps a change log from it). */
  onChange: ((n: NodeInfo) => void) | undefined;

  constructor(readonly name: string) {}

  /** Mark the node changed without a change in resources (e.g. a pod on it was relabelled or is terminating). */
  touch(): void {
    this.generation++;
    this.onChange?.(this);
  }

  setNode(node: Node): void {
    this.node = node;
    this.labels = node.metadata?.labels ?? {};
    this.taints = node.spec?.taints ?? [];
    this.unschedulable = node.spec?.unschedulable === true;
    const alloc = node.status?.allocatable ?? {};
    this.allocatable = { milliCpu: milliCpu(alloc.cpu), memory: bytes(alloc.memory), ephemeralStorage: bytes(alloc['ephemeral-storage']) };
    this.allowedPodNumber = Math.floor(Number(alloc.pods ?? 0)) || 0;
    this.touch();
  }

  get podCount(): number {
    return this.pods.size;
  }

  addPod(e: PodEntry): void {
    this.pods.set(e.key, e);
    const r = this.requested;
    r.milliCpu += e.requested.milliCpu;
    r.memory += e.requested.memory;
    r.ephemeralStorage += e.requested.ephemeralStorage;
    this.nonZeroMilliCpu += e.nonZeroMilliCpu;
    this.nonZeroMemory += e.nonZeroMemory;
    for (let i = 0; i < e.ports.length; i++) {
      const p = e.ports[i];
      const k = `${p.protocol}/${p.port}`;
      let ips = this.usedPorts.get(k);
      if (!ips) this.usedPorts.set(k, (ips = new Map()));
      ips.set(p.hostIP, (ips.get(p.hostIP) ?? 0) + 1);
    }
    this.touch();
    this.lastAdded = e;
    this.lastAddedGen = this.generation;
  }

  removePod(e: PodEntry): void {
    if (!this.pods.delete(e.key)) return;
    const r = this.requested;
    r.milliCpu -= e.requested.milliCpu;
    r.memory -= e.requested.memory;
    r.ephemeralStorage -= e.requested.ephemeralStorage;
    this.nonZeroMilliCpu -= e.nonZeroMilliCpu;
    this.nonZeroMemory -= e.nonZeroMemory;
    for (let i = 0; i < e.ports.length; i++) {
      const p = e.ports[i];
      const k = `${p.protocol}/${p.port}`;
      const ips = this.usedPorts.get(k);
      if (!ips) continue;
      const n = (ips.get(p.hostIP) ?? 0) - 1;
      if (n > 0) ips.set(p.hostIP, n);
      else ips.delete(p.hostIP);
      if (ips.size === 0) this.usedPorts.delete(k);
    }
    this.touch();
  }

  /** HostPortInfo.CheckConflict: the same protocol and port on the same IP, or either side on 0.0.0.0. */
  portConflicts(p: HostPort): boolean {
    const ips = this.usedPorts.get(`${p.protocol}/${p.port}`);
    if (!ips) return false;
    if (p.hostIP === WILDCARD_IP) return true;
    return ips.has(p.hostIP) || ips.has(WILDCARD_IP);
  }

  /** A copy with `e` removed, for "what if" checks (preemption dry run). Shares the node. */
  withoutPods(keys: Iterable<string>): NodeInfo {
    const copy = new NodeInfo(this.name);
    if (this.node) copy.setNode(this.node);
    const drop = new Set(keys);
    for (const e of this.pods.values()) if (!drop.has(e.key)) copy.addPod(e);
    return copy;
  }
}

/** `spec.priority`, 0 when unset (no PriorityClass admission in the simulation). */
export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

/** Build the cache entry for an assigned pod. */
export function makePodEntry(key: string, pod: Pod): PodEntry {
  const nz = podRequests(pod, true);
  return {
    key,
    pod,
    nodeName: pod.spec!.nodeName!,
    requested: podRequests(pod),
    nonZeroMilliCpu: nz.milliCpu,
    nonZeroMemory: nz.memory,
    ports: podHostPorts(pod),
    priority: podPriority(pod),
  };
}

/** A pod the scheduler counts on its node: assigned and not terminal. */
export function countsOnNode(pod: Pod | undefined): boolean {
  if (!pod?.spec?.nodeName) return false;
  const phase = pod.status?.phase;
  // Why: the scheduler's informer drops terminal pods from its cache, freeing their resources
  // even before the object is deleted (as the kubelet's admission does).
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/**
 * The cache's change log, read in place: `entries[i]` is change number `base + i` (a node, with
 * repeats). Readers keep a cursor (a change number) and read the entries from `cursor - base` on;
 * a cursor below `base` fell off the start (the log was emptied to bound it). Never written by readers.
 */
export interface ChangeLog {
  readonly entries: readonly NodeInfo[];
  readonly base: number;
}

/**
 * The scheduler cache: a NodeInfo per node, fed by watch events, and the node order the
 * scheduler walks (the cache's nodeTree: zones interleaved round-robin, each zone in order of arrival).
 */
export class SchedulerCache {
  readonly nodes = new Map<string, NodeInfo>();
  private readonly entries = new Map<string, PodEntry>();
  private list: NodeInfo[] | undefined;
  /** Entries the change log holds before it is emptied (tests make it small to have readers fall off its start). */
  changeLogLimit = 100_000;
  /**
   * Nodes in the order they changed, so a reader that keeps results per node (the framework's
   * shape views, PodTopologySpread's totals) can revisit only what changed since its last look.
   * Bounded: a reader whose cursor fell off the start recomputes everything.
   */
  private readonly log: { entries: NodeInfo[]; base: number } = { entries: [], base: 0 };
  private readonly logChange = (n: NodeInfo): void => {
    const log = this.log;
    if (log.entries.length >= this.changeLogLimit) {
      log.base += log.entries.length;
      log.entries = [];
    }
    log.entries.push(n);
  };

  /** The change log itself, to read without copying (the same object every time; see {@link ChangeLog}). */
  changes(): ChangeLog {
    return this.log;
  }

  private newNodeInfo(name: string): NodeInfo {
    const info = new NodeInfo(name);
    info.onChange = this.logChange;
    return info;
  }

  /** Add or replace a node. */
  setNode(node: Node): void {
    const name = node.metadata!.name!;
    let info = this.nodes.get(name);
    const zoneBefore = info?.node ? (info.labels[ZONE_LABEL] ?? '') : undefined;
    if (!info) this.nodes.set(name, (info = this.newNodeInfo(name)));
    info.setNode(node);
    if (zoneBefore !== (info.labels[ZONE_LABEL] ?? '')) this.list = undefined;
  }

  removeNode(name: string): void {
    const info = this.nodes.get(name);
    if (!info) return;
    // Pods may still point at a deleted node: keep their accounting on a node-less NodeInfo, as the real cache does.
    if (info.pods.size === 0) this.nodes.delete(name);
    else info.node = undefined;
    this.list = undefined;
  }

  /** Reflect a pod's latest version (undefined when deleted). */
  setPod(key: string, pod: Pod | undefined): void {
    const old = this.entries.get(key);
    const counts = countsOnNode(pod);
    if (old && counts && old.pod.spec === pod!.spec && old.nodeName === pod!.spec!.nodeName) {
      // Same spec object, same node: requests and ports are unchanged. Keep the newest object; a change
      // of labels or a new deletionTimestamp changes what selectors count on the node.
      const prev = old.pod.metadata!;
      const next = pod!.metadata!;
      old.pod = pod!;
      if (prev.labels !== next.labels || !prev.deletionTimestamp !== !next.deletionTimestamp) this.nodes.get(old.nodeName)?.touch();
      return;
    }
    if (old) {
      this.nodes.get(old.nodeName)?.removePod(old);
      this.entries.delete(key);
      const info = this.nodes.get(old.nodeName);
      if (info && !info.node && info.pods.size === 0) this.nodes.delete(old.nodeName);
    }
    if (counts) {
      const e = makePodEntry(key, pod!);
      let info = this.nodes.get(e.nodeName);
      if (!info) this.nodes.set(e.nodeName, (info = this.newNodeInfo(e.nodeName)));
      info.addPod(e);
      this.entries.set(key, e);
    }
  }

  /** Nodes the scheduler may place pods on, zone-interleaved (nodeTree order). */
  nodeList(): NodeInfo[] {
    if (this.list) return this.list;
    const zones = new Map<string, NodeInfo[]>();
    for (const info of this.nodes.values()) {
      if (!info.node) continue;
      const z = info.labels[ZONE_LABEL] ?? '';
      let arr = zones.get(z);
      if (!arr) zones.set(z, (arr = []));
      arr.push(info);
    }
    const out: NodeInfo[] = [];
    const lists = [...zones.values()];
    const total = lists.reduce((n, a) => n + a.length, 0);
    for (let i = 0; out.length < total; i++) {
      for (const l of lists) if (i < l.length) out.push(l[i]);
    }
    for (let i = 0; i < out.length; i++) out[i].listIndex = i;
    this.list = out;
    return out;
  }
}
