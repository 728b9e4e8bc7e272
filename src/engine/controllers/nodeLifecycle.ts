import { semanticEqual } from '../api/equality';
import type { ClusterContext } from '../context';
import { defaults } from '../config';
import { Clock } from '../clock';
import type { Node, NodeCondition, Pod, Taint } from '../api/types';
import { WorkQueue, type Reconciler } from '../reconciler';

const COMPONENT = { component: 'node-controller' };

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
export const TAINT_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';
/** Nodes with this label are left out of the zone disruption counts. */
export const LABEL_EXCLUDE_DISRUPTION = 'node.kubernetes.io/exclude-disruption';

/** kube-controller-manager --node-startup-grace-period: a node that never posted status gets this long. */
export const NODE_STARTUP_GRACE_PERIOD = 60_000;
/** The real NoExecute tainting pass runs every 100ms (nodeEvictionPeriod); we wake exactly when a token is due. */
const RETRY_NO_READY_CONDITION = 50;

export type ZoneState = 'Initial' | 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** NoSchedule taints the controller keeps in step with node conditions (nodeConditionToTaintKeyStatusMap). */
const CONDITION_TAINTS: { type: string; status: string; key: string }[] = [
  { type: 'Ready', status: 'False', key: TAINT_NOT_READY },
  { type: 'Ready', status: 'Unknown', key: TAINT_UNREACHABLE },
  { type: 'MemoryPressure', status: 'True', key: TAINT_MEMORY_PRESSURE },
  { type: 'DiskPressure', status: 'True', key: TAINT_DISK_PRESSURE },
  { type: 'NetworkUnavailable', status: 'True', key: TAINT_NETWORK_UNAVAILABLE },
  { type: 'PIDPressure', status: 'True', key: TAINT_PID_PRESSURE },
];
const CONTROLLED_NO_SCHEDULE_KEYS = new Set([...CONDITION_TAINTS.map((t) => t.key), TAINT_UNSCHEDULABLE]);

interface NodeHealth {
  probeTimestamp: number;
  readyTransitionTimestamp: number;
  /** The Ready condition as last seen (the saved status). */
  savedReady: NodeCondition | undefined;
  /** The lease renewTime last seen, in virtual ms. */
  leaseRenew: number | undefined;
}

/**
 * A token bucket on virtual time (golang.org/x/time/rate with burst 1, as flowcontrol's
 * NewTokenBucketRateLimiter). qps 0 never accepts.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    readonly qps: number,
    now: number,
    private readonly burst = 1,
  ) {
    this.tokens = qps > 0 ? burst : 0;
    this.last = now;
  }
  tryAccept(now: number): boolean {
    if (this.qps <= 0) return false;
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    if (this.tokens >= 1 - 1e-9) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
  /** When the next token is available (undefined if never). */
  nextTokenAt(): number | undefined {
    if (this.qps <= 0) return undefined;
    return this.last + Math.max(0, Math.ceil(((1 - this.tokens) * 1000) / this.qps - 1e-6));
  }
}

interface QueuedNode {
  name: string;
  uid: string;
  processAt: number;
}

/**
 * RateLimitedTimedQueue with a UniqueQueue: a node once added stays "known" (not added again) after
 * it is processed, until it is explicitly removed.
 */
class RateLimitedTimedQueue {
  queue: QueuedNode[] = [];
  readonly set = new Set<string>();
  limiter: TokenBucket;
  constructor(qps: number, now: number) {
    this.limiter = new TokenBucket(qps, now);
  }
  add(name: string, uid: string, now: number): boolean {
    if (this.set.has(name)) return false;
    this.set.add(name);
    this.queue.push({ name, uid, processAt: now });
    return true;
  }
  remove(name: string): void {
    this.set.delete(name);
    this.queue = this.queue.filter((q) => q.name !== name);
  }
  swapLimiter(qps: number, now: number): void {
    if (this.limiter.qps === qps) return;
    const next = new TokenBucket(qps, now);
    // If we were waiting on the old limiter, drain the new one (Burst is 1).
    if (qps > 0 && !this.limiter.tryAccept(now)) next.tryAccept(now);
    this.limiter = next;
  }
}

/**
 * The node lifecycle controller (pkg/controller/nodelifecycle). Every node-monitor-period (5s) it
 * checks each node's Lease and Ready heartbeat; past the grace period (50s) it sets Ready,
 * MemoryPressure, DiskPressure and PIDPressure to Unknown, records NodeNotReady and marks the
 * node's pods not ready. It keeps NoSchedule taints in step with conditions at once, and adds the
 * NoExecute `unreachable`/`not-ready` taints through a per-zone rate-limited queue (0.1 node/s;
 * slower or stopped when a zone is mostly unhealthy; stopped when every zone is fully disrupted).
 *
 * Like the real controller, health is judged on the 5s ticks against the time the controller
 * *observed* a renewal, so a dead node turns Unknown on the first tick more than 50s after the
 * tick that saw its last renewal, and its NoExecute taint is queued on the tick after that.
 */
export class NodeLifecycleController implements Reconciler {
  readonly name = 'node-lifecycle-controller';
  private readonly health = new Map<string, NodeHealth>();
  private readonly known = new Map<string, Node>();
  private readonly zoneStates = new Map<string, ZoneState>();
  private readonly tainters = new Map<string, RateLimitedTimedQueue>();
  private readonly noScheduleQueue = new WorkQueue<string>();
  /**
   * Pods newly bound to a node, as written (processPod reads each one's current version by key).
   * Why a list rather than a WorkQueue of keys: every bind lands here, and processPod does nothing
   * unless some node is not Ready, so the keys are only built (and deduplicated, first arrival
   * first) when there is such a node.
   */
  private podQueue: Pod[] = [];
  /** Nodes whose Ready condition is present and not True, as stored (kept from the Node watch). */
  private readonly notReadyNodes = new Set<string>();
  private monitorDue = true;
  private nextMonitorAt = 0;
  private taintPassDue = false;
  private taintTimer: { at: number; cancel(): void } | undefined;

  constructor(readonly ctx: ClusterContext) {
    ctx.store.watch('Node', (ev) => {
      this.trackReadiness(ev.object, ev.type === 'DELETED');
      if (ev.type !== 'DELETED') this.noScheduleQueue.add(ev.object.metadata!.name!);
    });
    ctx.store.watch('Pod', (ev) => {
      const node = ev.object.spec?.nodeName;
      if (ev.type !== 'DELETED' && node && node !== ev.old?.spec?.nodeName) this.podQueue.push(ev.object);
    });
    for (const n of ctx.store.values('Node')) {
      this.trackReadiness(n, false);
      this.noScheduleQueue.add(n.metadata!.name!);
    }
    const tick = () => {
      this.monitorDue = true;
      this.nextMonitorAt = ctx.clock.after(defaults.nodeMonitorPeriod, tick, 'node-monitor').at;
    };
    this.nextMonitorAt = ctx.clock.after(defaults.nodeMonitorPeriod, tick, 'node-monitor').at;
  }

  /**
   * When this controller will mark a silent node NotReady (Unknown): the first monitor tick strictly
   * after the grace period has passed since it last saw a heartbeat. The UI counts down to it, so the
   * countdown ends when the node really turns, not at "last renew + 50s".
   */
  notReadyAt(name: string): number | undefined {
    const h = this.health.get(name);
    const node = this.ctx.store.get('Node', undefined, name);
    if (!h || !node) return undefined;
    const grace = readyCondition(node) ? defaults.nodeMonitorGracePeriod : NODE_STARTUP_GRACE_PERIOD;
    const deadline = h.probeTimestamp + grace;
    const period = defaults.nodeMonitorPeriod;
    if (this.nextMonitorAt > deadline) return this.nextMonitorAt;
    return this.nextMonitorAt + (Math.floor((deadline - this.nextMonitorAt) / period) + 1) * period;
  }

  hasWork(): boolean {
    return this.monitorDue || this.taintPassDue || this.noScheduleQueue.size > 0 || this.podQueue.length > 0;
  }

  runOnce(): void {
    for (const name of this.noScheduleQueue.drain()) this.doNoScheduleTaintingPass(name);
    if (this.podQueue.length) {
      const pods = this.podQueue;
      this.podQueue = [];
      // processPod acts only on a pod whose node's Ready condition is present and not True: with
      // no such node, every call would return at once.
      if (this.notReadyNodes.size > 0) {
        const seen = new Set<string>();
        for (const p of pods) {
          const key = `${p.metadata!.namespace}/${p.metadata!.name}`;
          if (seen.has(key)) continue;
          seen.add(key);
          this.processPod(key);
        }
      }
    }
    if (this.monitorDue) {
      this.monitorDue = false;
      this.monitorNodeHealth();
    }
    if (this.taintPassDue) {
      this.taintPassDue = false;
      this.doNoExecuteTaintingPass();
    }
  }

  /** The disruption state of each zone (for the UI and tests). */
  zoneState(zone = ''): ZoneState | undefined {
    return this.zoneStates.get(zone);
  }

  // --- monitorNodeHealth -----------------------------------------------------------------------

  private monitorNodeHealth(): void {
    const now = this.ctx.clock.now();
    const nodes = this.ctx.store.list('Node');
    const names = new Set(nodes.map((n) => n.metadata!.name!));
    for (const node of nodes) {
      const name = node.metadata!.name!;
      if (this.known.has(name)) continue;
      this.ctx.recorder.record(node, 'Normal', 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`, COMPONENT);
      this.known.set(name, node);
      this.tainterFor(zoneKey(node));
      this.markNodeAsReachable(node);
    }
    for (const [name, node] of this.known) {
      if (names.has(name)) continue;
      this.ctx.recorder.record(node, 'Normal', 'RemovingNode', `Node ${name} event: Removing Node ${name} from Controller`, COMPONENT);
      this.known.delete(name);
      this.health.delete(name);
      this.tainters.get(zoneKey(node))?.remove(name);
    }

    const zoneConditions = new Map<string, (NodeCondition | undefined)[]>();
    for (const listed of nodes) {
      const { observed, current } = this.tryUpdateNodeHealth(listed, now);
      const node = this.ctx.store.get('Node', undefined, listed.metadata!.name!) ?? listed;
      if (!(LABEL_EXCLUDE_DISRUPTION in (node.metadata!.labels ?? {}))) {
        const z = zoneKey(node);
        if (!zoneConditions.has(z)) zoneConditions.set(z, []);
        zoneConditions.get(z)!.push(current);
      }
      if (!current) continue;
      this.processTaintBaseEviction(node, observed);
      if (current.status !== 'True' && observed.status === 'True') {
        this.ctx.recorder.record(node, 'Normal', 'NodeNotReady', `Node ${node.metadata!.name} status is now: NodeNotReady`, COMPONENT);
        this.markPodsNotReady(this.ctx.store.podsOnNode(node.metadata!.name!), node.metadata!.name!);
      }
    }
    this.handleDisruption(zoneConditions, nodes, now);
    this.scheduleTaintPass();
  }

  /** tryUpdateNodeHealth: returns the Ready condition as observed and as it is after our update. */
  private tryUpdateNodeHealth(node: Node, now: number): { observed: NodeCondition; current: NodeCondition | undefined } {
    const name = node.metadata!.name!;
    const created = Clock.parseRfc3339(node.metadata!.creationTimestamp!);
    let health = this.health.get(name);
    let current = readyCondition(node);
    let observed: NodeCondition;
    let grace: number;
    if (!current) {
      observed = { type: 'Ready', status: 'Unknown', lastHeartbeatTime: node.metadata!.creationTimestamp, lastTransitionTime: node.metadata!.creationTimestamp };
      grace = NODE_STARTUP_GRACE_PERIOD;
      if (health) health.savedReady = undefined;
      else health = { probeTimestamp: created, readyTransitionTimestamp: created, savedReady: undefined, leaseRenew: undefined };
    } else {
      observed = { ...current };
      grace = defaults.nodeMonitorGracePeriod;
    }
    const saved = health?.savedReady;
    if (!health) {
      health = { probeTimestamp: now, readyTransitionTimestamp: now, savedReady: current, leaseRenew: undefined };
    } else if ((!saved && current) || (saved && !current)) {
      health = { probeTimestamp: now, readyTransitionTimestamp: now, savedReady: current, leaseRenew: health.leaseRenew };
    } else if (saved && current && saved.lastHeartbeatTime !== current.lastHeartbeatTime) {
      const transition = saved.lastTransitionTime !== current.lastTransitionTime ? now : health.readyTransitionTimestamp;
      health = { probeTimestamp: now, readyTransitionTimestamp: transition, savedReady: current, leaseRenew: health.leaseRenew };
    }
    // Always count a renewed Lease as a heartbeat.
    const lease = this.ctx.store.get('Lease', 'kube-node-lease', name);
    const renew = lease?.spec?.renewTime ? Date.parse(lease.spec.renewTime) - Clock.EPOCH_MS : undefined;
    if (renew !== undefined && (health.leaseRenew === undefined || health.leaseRenew < renew)) {
      health = { ...health, leaseRenew: renew, probeTimestamp: now };
    }
    this.health.set(name, health);

    if (now > health.probeTimestamp + grace) {
      const ts = this.ctx.clock.timestamp();
      let conditions = [...(node.status?.conditions ?? [])];
      for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
        const c = conditions.find((x) => x.type === type);
        if (!c) {
          conditions.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: node.metadata!.creationTimestamp, lastTransitionTime: ts });
        } else if (c.status !== 'Unknown') {
          conditions = conditions.map((x) => (x === c ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: ts } : x));
        }
      }
      const after = conditions.find((x) => x.type === 'Ready')!;
      current = after;
      if (!semanticEqual(after, observed) || !readyCondition(node)) {
        const updated = this.ctx.api.updateStatus('Node', { ...node, status: { ...node.status, conditions } });
        this.health.set(name, { ...health, savedReady: readyCondition(updated), readyTransitionTimestamp: now });
      }
    }
    return { observed, current };
  }

  /** MarkPodsNotReady: the Ready condition of each pod on the node becomes False. */
  private markPodsNotReady(pods: Pod[], nodeName: string): void {
    const ts = this.ctx.clock.timestamp();
    for (const pod of pods) {
      if (pod.spec?.nodeName !== nodeName) continue;
      const conds = pod.status?.conditions ?? [];
      const ready = conds.find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const updated = this.ctx.api.updateStatus('Pod', {
        ...pod,
        status: { ...pod.status, conditions: conds.map((c) => (c === ready ? { ...c, status: 'False', lastTransitionTime: ts } : c)) },
      });
      this.ctx.recorder.record(updated, 'Warning', 'NodeNotReady', 'Node is not ready', COMPONENT);
    }
  }

  private trackReadiness(node: Node, deleted: boolean): void {
    const name = node.metadata!.name!;
    const ready = deleted ? undefined : readyCondition(node);
    if (ready && ready.status !== 'True') this.notReadyNodes.add(name);
    else this.notReadyNodes.delete(name);
  }

  /** processPod: a pod newly bound to a node that is not Ready is marked not ready at once. */
  private processPod(key: string): void {
    const pod = this.ctx.store.getByKey('Pod', key);
    const nodeName = pod?.spec?.nodeName;
    if (!pod || !nodeName || !this.health.has(nodeName)) return;
    const node = this.ctx.store.get('Node', undefined, nodeName);
    const ready = node && readyCondition(node);
    if (ready && ready.status !== 'True') this.markPodsNotReady([pod], nodeName);
  }

  // --- taints ----------------------------------------------------------------------------------

  /** doNoScheduleTaintingPass: NoSchedule taints mirror the node's conditions and spec.unschedulable. */
  private doNoScheduleTaintingPass(name: string): void {
    const node = this.ctx.store.get('Node', undefined, name);
    if (!node) return;
    const want = new Set<string>();
    for (const c of node.status?.conditions ?? []) {
      for (const t of CONDITION_TAINTS) if (t.type === c.type && t.status === c.status) want.add(t.key);
    }
    if (node.spec?.unschedulable) want.add(TAINT_UNSCHEDULABLE);
    const have = new Set((node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' && CONTROLLED_NO_SCHEDULE_KEYS.has(t.key)).map((t) => t.key));
    const add = [...want].filter((k) => !have.has(k)).map((key): Taint => ({ key, effect: 'NoSchedule' }));
    const remove = [...have].filter((k) => !want.has(k)).map((key): Taint => ({ key, effect: 'NoSchedule' }));
    if (add.length || remove.length) this.swapTaints(node, add, remove);
  }

  /** processTaintBaseEviction: decide on the NoExecute taints from the Ready condition as observed. */
  private processTaintBaseEviction(node: Node, observed: NodeCondition): void {
    const taints = node.spec?.taints ?? [];
    switch (observed.status) {
      case 'False':
        if (hasTaint(taints, TAINT_UNREACHABLE, 'NoExecute')) this.swapTaints(node, [{ key: TAINT_NOT_READY, effect: 'NoExecute' }], [{ key: TAINT_UNREACHABLE, effect: 'NoExecute' }]);
        else this.markNodeForTainting(node, 'False');
        break;
      case 'Unknown':
        if (hasTaint(taints, TAINT_NOT_READY, 'NoExecute')) this.swapTaints(node, [{ key: TAINT_UNREACHABLE, effect: 'NoExecute' }], [{ key: TAINT_NOT_READY, effect: 'NoExecute' }]);
        else this.markNodeForTainting(node, 'Unknown');
        break;
      case 'True':
        this.markNodeAsReachable(node);
        break;
    }
  }

  private markNodeForTainting(node: Node, status: 'False' | 'Unknown'): void {
    const tainter = this.tainterFor(zoneKey(node));
    const taints = node.spec?.taints ?? [];
    const name = node.metadata!.name!;
    if (status === 'False' && !hasTaint(taints, TAINT_NOT_READY, 'NoExecute')) {
      // Why not re-queue a node that is still waiting: Kubernetes removes and re-adds it on every
      // tick with a fresh timestamp; keeping its place is simpler and gives the same rate.
      if (!tainter.queue.some((q) => q.name === name)) tainter.remove(name);
    }
    if (status === 'Unknown' && !hasTaint(taints, TAINT_UNREACHABLE, 'NoExecute')) {
      if (!tainter.queue.some((q) => q.name === name)) tainter.remove(name);
    }
    tainter.add(name, node.metadata!.uid!, this.ctx.clock.now());
  }

  /** markNodeAsReachable: drop the NoExecute taints and forget any queued tainting. */
  private markNodeAsReachable(node: Node): boolean {
    const current = this.ctx.store.get('Node', undefined, node.metadata!.name!) ?? node;
    const remove = (current.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute' && (t.key === TAINT_UNREACHABLE || t.key === TAINT_NOT_READY));
    if (remove.length) this.swapTaints(current, [], remove);
    this.tainterFor(zoneKey(node)).remove(node.metadata!.name!);
    return remove.length > 0;
  }

  /** SwapNodeControllerTaint: add (stamped with timeAdded) and remove taints in one update. */
  private swapTaints(node: Node, add: Taint[], remove: Taint[]): void {
    const current = this.ctx.store.get('Node', undefined, node.metadata!.name!);
    if (!current) return;
    const ts = this.ctx.clock.timestamp();
    let taints = [...(current.spec?.taints ?? [])];
    let changed = false;
    for (const r of remove) {
      const before = taints.length;
      taints = taints.filter((t) => !(t.key === r.key && t.effect === r.effect));
      changed ||= taints.length !== before;
    }
    for (const a of add) {
      if (hasTaint(taints, a.key, a.effect)) continue;
      taints.push({ ...a, timeAdded: ts });
      changed = true;
    }
    if (!changed) return;
    this.ctx.api.updateStatus('Node', { ...current, spec: { ...current.spec, taints: taints.length ? taints : undefined } });
  }

  /** doNoExecuteTaintingPass: per zone, taint queued nodes as the zone's rate limiter allows. */
  private doNoExecuteTaintingPass(): void {
    const now = this.ctx.clock.now();
    for (const zone of [...this.tainters.keys()].sort()) {
      const q = this.tainters.get(zone)!;
      while (q.queue.length) {
        const head = q.queue[0];
        if (!q.limiter.tryAccept(now)) break;
        if (now < head.processAt) break;
        const node = this.ctx.store.get('Node', undefined, head.name);
        q.queue.shift();
        if (!node) continue;
        const ready = readyCondition(node);
        if (!ready) {
          q.queue.push({ ...head, processAt: now + RETRY_NO_READY_CONDITION });
          continue;
        }
        if (ready.status === 'False') {
          this.swapTaints(node, [{ key: TAINT_NOT_READY, effect: 'NoExecute' }], [{ key: TAINT_UNREACHABLE, effect: 'NoExecute' }]);
        } else if (ready.status === 'Unknown') {
          this.swapTaints(node, [{ key: TAINT_UNREACHABLE, effect: 'NoExecute' }], [{ key: TAINT_NOT_READY, effect: 'NoExecute' }]);
        }
      }
    }
    this.scheduleTaintPass();
  }

  /** Wake the tainting pass when the next queued node could be processed. */
  private scheduleTaintPass(): void {
    const now = this.ctx.clock.now();
    let at: number | undefined;
    for (const q of this.tainters.values()) {
      if (!q.queue.length) continue;
      const token = q.limiter.nextTokenAt();
      if (token === undefined) continue;
      const t = Math.max(token, q.queue[0].processAt, now);
      if (at === undefined || t < at) at = t;
    }
    if (at === undefined) return;
    if (at <= now) {
      this.taintPassDue = true;
      return;
    }
    if (this.taintTimer && this.taintTimer.at === at) return;
    this.taintTimer?.cancel();
    this.taintTimer = this.ctx.clock.at(at, () => {
      this.taintTimer = undefined;
      this.taintPassDue = true;
    }, 'node-noexecute-taint-pass');
  }

  private tainterFor(zone: string): RateLimitedTimedQueue {
    let q = this.tainters.get(zone);
    if (!q) this.tainters.set(zone, (q = new RateLimitedTimedQueue(defaults.nodeEvictionRate, this.ctx.clock.now())));
    return q;
  }

  // --- disruption ------------------------------------------------------------------------------

  /** ComputeZoneState. */
  private computeZoneState(conds: (NodeCondition | undefined)[]): ZoneState {
    let ready = 0;
    let notReady = 0;
    for (const c of conds) {
      if (c?.status === 'True') ready++;
      else notReady++;
    }
    if (ready === 0 && notReady > 0) return 'FullDisruption';
    if (notReady > 2 && notReady / (notReady + ready) >= defaults.unhealthyZoneThreshold) return 'PartialDisruption';
    return 'Normal';
  }

  private handleDisruption(zoneConditions: Map<string, (NodeCondition | undefined)[]>, nodes: Node[], now: number): void {
    const newStates = new Map<string, ZoneState>();
    let allAreFullyDisrupted = true;
    for (const [zone, conds] of zoneConditions) {
      const s = this.computeZoneState(conds);
      if (s !== 'FullDisruption') allAreFullyDisrupted = false;
      newStates.set(zone, s);
      if (!this.zoneStates.has(zone)) this.zoneStates.set(zone, 'Initial');
    }
    let allWasFullyDisrupted = true;
    for (const [zone, s] of [...this.zoneStates]) {
      if (!zoneConditions.has(zone)) {
        this.zoneStates.delete(zone);
        continue;
      }
      if (s !== 'FullDisruption') {
        allWasFullyDisrupted = false;
        break;
      }
    }
    if (allAreFullyDisrupted && allWasFullyDisrupted) return;
    if (allAreFullyDisrupted) {
      // Every node is unhealthy: most likely the control plane is cut off, not the nodes. Stop evicting.
      for (const n of nodes) this.markNodeAsReachable(n);
      for (const zone of this.zoneStates.keys()) {
        this.tainterFor(zone).swapLimiter(0, now);
        this.zoneStates.set(zone, 'FullDisruption');
      }
      return;
    }
    if (allWasFullyDisrupted) {
      for (const n of nodes) {
        const h = this.health.get(n.metadata!.name!);
        if (h) this.health.set(n.metadata!.name!, { ...h, probeTimestamp: now, readyTransitionTimestamp: now });
      }
      for (const zone of this.zoneStates.keys()) {
        this.setLimiterInZone(zone, zoneConditions.get(zone)?.length ?? 0, newStates.get(zone)!, now);
        this.zoneStates.set(zone, newStates.get(zone)!);
      }
      return;
    }
    for (const [zone, s] of this.zoneStates) {
      const next = newStates.get(zone)!;
      if (s === next) continue;
      this.setLimiterInZone(zone, zoneConditions.get(zone)?.length ?? 0, next, now);
      this.zoneStates.set(zone, next);
    }
  }

  /** setLimiterInZone: normal rate; in partial disruption the secondary rate (large zones) or none. */
  private setLimiterInZone(zone: string, size: number, state: ZoneState, now: number): void {
    const q = this.tainterFor(zone);
    switch (state) {
      case 'Normal':
      case 'FullDisruption':
        q.swapLimiter(defaults.nodeEvictionRate, now);
        break;
      case 'PartialDisruption':
        q.swapLimiter(size > defaults.largeClusterSizeThreshold ? defaults.secondaryNodeEvictionRate : 0, now);
        break;
    }
  }
}

function readyCondition(node: Node): NodeCondition | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready');
}

function hasTaint(taints: readonly Taint[], key: string, effect: string): boolean {
  return taints.some((t) => t.key === key && t.effect === effect);
}

/** nodetopology.GetZoneKey: region and zone labels; no labels → the one zone "". */
export function zoneKey(node: Node): string {
  const l = node.metadata?.labels ?? {};
  const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
  if (!region && !zone) return '';
  return `${region}:\u0000:${zone}`;
}
