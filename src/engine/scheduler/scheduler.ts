import { semanticEqual } from '../api/equality';
import { Clock } from '../clock';
import type { WatchEvent } from '../api/store';
import type { Node, Pod, PodCondition, PodSpec } from '../api/types';
import type { ClusterContext } from '../context';
import type { Reconciler } from '../reconciler';
import {
  ERR_NO_NODES_AVAILABLE,
  fitErrorMessage,
  PREEMPTION_NO_VICTIMS,
  PREEMPTION_NOT_ELIGIBLE_NEVER,
  PREEMPTION_NOT_HELPFUL,
} from './framework/fitError';
import { CycleState } from './framework/interface';
import { countsOnNode, podPriority, SchedulerCache, type NodeInfo } from './framework/nodeInfo';
import { Framework, type ScoreResult } from './framework/runtime';
import { VERDICT_FEASIBLE, VERDICT_UNKNOWN } from './framework/shapeView';
import { podShapeKey, sameShape } from './framework/shape';
import { Code, Status, type Result } from './framework/status';
import { SchedulingQueue, setQueuedPod, type ClusterEvent, type QueuedPodInfo } from './queue';
import { DEFAULT_SCHEDULER_NAME, defaultProfile, registry, type Profile } from './registry';
import { NAME as NODE_AFFINITY } from './plugins/nodeAffinity';
import { NAME as NODE_PORTS } from './plugins/nodePorts';
import { NAME as NODE_RESOURCES_FIT } from './plugins/nodeResourcesFit';
import { NAME as NODE_UNSCHEDULABLE } from './plugins/nodeUnschedulable';
import { NAME as POD_TOPOLOGY_SPREAD } from './plugins/podTopologySpread';
import { NAME as TAINT_TOLERATION } from './plugins/taintToleration';

/** The component name on events and in `kubectl describe`'s From column. */
export const SCHEDULER_COMPONENT = 'default-scheduler';
/** PodScheduled reason and message for a pod with scheduling gates (v1.PodReasonSchedulingGated). */
export const REASON_SCHEDULING_GATED = 'SchedulingGated';
export const MESSAGE_SCHEDULING_GATED = 'Scheduling is blocked due to non-empty scheduling gates';
/** minFeasibleNodesToFind: below this many nodes, every node is evaluated. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** minFeasibleNodesPercentageToFind. */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
/** How many scheduling decisions {@link Scheduler.explain} remembers (the oldest are forgotten). */
export const DEFAULT_EXPLAIN_CAPACITY = 2000;

/**
 * numFeasibleNodesToFind: how many feasible nodes to find before scoring. Every node below 100
 * nodes; otherwise `percentage` of them (adaptive when 0: `50 - nodes/125`, at least 5%), at least 100.
 *
 * @example numFeasibleNodesToFind(0, 1000) === 420; numFeasibleNodesToFind(0, 5000) === 500
 */
export function numFeasibleNodesToFind(percentage: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let pct = percentage;
  if (pct <= 0) {
    pct = 50 - Math.trunc(numAllNodes / 125);
    if (pct < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) pct = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * pct) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

/** One node's part in a decision, as {@link Scheduler.explain} returns it. */
export interface NodeExplanation {
  node: string;
  /** Filter result: `passed`, or the plugin that rejected the node and why. */
  filter: 'passed' | { plugin: string; code: Code; reasons: string[] };
  /** Per-plugin scores (feasible nodes, when more than one was feasible). */
  scores?: { plugin: string; raw: number; normalized: number; weight: number; weighted: number }[];
  /** Σ weighted scores. */
  total?: number;
  chosen?: boolean;
}

/** Why a pod went where it went, or why it is Pending: the scheduler's last decision about it. */
export interface SchedulingExplanation {
  pod: string;
  uid: string;
  /** Virtual time of the decision (ms) and as an RFC 3339 timestamp. */
  time: number;
  timestamp: string;
  attempt: number;
  result: 'Scheduled' | 'Unschedulable' | 'Error';
  node?: string;
  /** The FailedScheduling message. */
  message?: string;
  numAllNodes: number;
  /** Nodes the filters looked at (fewer than all when percentageOfNodesToScore cut the search short). */
  evaluatedNodes: number;
  feasibleNodes: number;
  /** Chosen node first, then the other feasible nodes by total score, then the rejected ones. */
  nodes: NodeExplanation[];
  /** Per-node preemption verdicts (failed decisions). */
  preemption?: { node: string; reasons: string[] }[];
}

/** Compact record of one decision; expanded on demand by explain(). */
interface DecisionRecord {
  pod: string;
  uid: string;
  time: number;
  attempt: number;
  result: 'Scheduled' | 'Unschedulable' | 'Error';
  node?: string;
  message?: string;
  numAllNodes: number;
  evaluated: number;
  feasible: NodeInfo[];
  failedNodes: string[];
  failedStatuses: Status[];
  scores?: ScoreResult;
  preemption?: { node: string; reasons: string[] }[];
  /** A newer decision about the same pod replaced this one (its arrays are recycled already). */
  superseded: boolean;
}

export interface SchedulerOptions {
  profile?: Profile;
  /** Decisions kept for explain() (default 2,000). */
  explainCapacity?: number;
}

/** Most recycled arrays kept per kind (a steady state takes one and gives one back per decision). */
const POOL_LIMIT = 32;

/** Bound on remembered pod shapes (the map is simply cleared when full). */
const MAX_SHAPES = 10_000;

const ALL: ClusterEvent['plugins'] = '*';
const EVENT_ASSIGNED_POD_DELETE: ClusterEvent = { label: 'AssignedPodDelete', plugins: new Set([NODE_RESOURCES_FIT, NODE_PORTS, POD_TOPOLOGY_SPREAD]) };
const EVENT_ASSIGNED_POD_ADD: ClusterEvent = { label: 'AssignedPodAdd', plugins: new Set([POD_TOPOLOGY_SPREAD]) };

function podKey(pod: Pod): string {
  return `${pod.metadata!.namespace ?? 'default'}/${pod.metadata!.name}`;
}

/** The failure lists of a decision with none (most), and its feasible list before filtering: shared, replaced before the first push. */
const NO_FAILURES: never[] = Object.freeze([]) as never[];

function addFailure(record: DecisionRecord, node: string, status: Status): void {
  if (record.failedNodes === NO_FAILURES) {
    record.failedNodes = [];
    record.failedStatuses = [];
  }
  record.failedNodes.push(node);
  record.failedStatuses.push(status);
}


/**
 * kube-scheduler: takes pending pods from the scheduling queue one at a time, filters the nodes
 * (stopping once enough feasible nodes are found, rotating the start node), scores the feasible
 * ones, binds the pod to the best (ties broken by the seeded PRNG), and records `Scheduled` or
 * `FailedScheduling` events and the PodScheduled condition. Every decision can be explained.
 *
 * @example
 * const cluster = new Cluster({ seed: 1 });
 * cluster.addNode('node-1');
 * cluster.api.create('Pod', pod);
 * cluster.settle();
 * cluster.scheduler.explain('default', 'web')?.node; // 'node-1'
 */
export class Scheduler implements Reconciler {
  readonly name = 'scheduler';
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  readonly framework: Framework;
  readonly profile: Profile;
  /**
   * False recomputes every filter verdict and score every cycle (no shape views, no
   * incremental topology totals): the same decisions, slower. For tests that check exactly that.
   */
  memoize = true;
  private nextStartNodeIndex = 0;
  private readonly pendingEvents = new Map<string, ClusterEvent>();
  private readonly decisions = new Map<string, DecisionRecord>();
  /**
   * Decisions in the order they were made, from `decisionHead` on; an entry is current while
   * `decisions` still maps its pod to it. Why not the Map's own order (delete and set again, forget
   * the first key): a Map keeps deleted entries as holes until it is rebuilt, and finding its first
   * key walked over thousands of them per decision.
   */
  private decisionOrder: DecisionRecord[] = [];
  private decisionHead = 0;
  private readonly explainCapacity: number;
  private readonly shapes = new Map<string, number>();
  private readonly shapeBySpec = new WeakMap<object, number>();
  private readonly bufferPool = new Map<number, Int32Array[]>();
  private readonly listPool: NodeInfo[][] = [];
  /** The feasible nodes' indices in the node list, during one cycle (reused by every cycle). */
  private feasibleIndex = new Int32Array(0);
  /** selectHost's scratch: positions of the best total (reused by every cycle). */
  private tieIndex = new Int32Array(0);
  /** The last RFC 3339 timestamp written and the virtual time it stands for (many binds share an instant). */
  private stampAt = -1;
  private stamp = '';
  /** Gated pods whose PodScheduled condition is to be written. */
  private readonly gated = new Set<string>();
  private nextShape = 0;
  /** The spec whose shape was asked last, and its id. */
  private lastShapeSpec: PodSpec | undefined;
  private lastShapeId = -1;

  constructor(
    readonly ctx: ClusterContext,
    opts: SchedulerOptions = {},
  ) {
    this.profile = opts.profile ?? defaultProfile();
    this.framework = new Framework(this.profile, registry, { store: ctx.store, allNodes: () => this.cache.nodeList(), changes: () => this.cache.changes(), memoize: () => this.memoize });
    this.explainCapacity = opts.explainCapacity ?? DEFAULT_EXPLAIN_CAPACITY;
    this.queue = new SchedulingQueue(ctx.clock);
    for (const node of ctx.store.values('Node')) this.cache.setNode(node);
    for (const pod of ctx.store.values('Pod')) this.onPod({ type: 'ADDED', kind: 'Pod', object: pod });
    ctx.store.watch('Node', (ev) => this.onNode(ev));
    ctx.store.watch('Pod', (ev) => this.onPod(ev));
  }

  hasWork(): boolean {
    return this.pendingEvents.size > 0 || this.gated.size > 0 || this.queue.hasActive();
  }

  runOnce(): void {
    if (this.gated.size) {
      const keys = [...this.gated];
      this.gated.clear();
      for (const key of keys) this.markGated(key);
    }
    if (this.pendingEvents.size) {
      const events = [...this.pendingEvents.values()];
      this.pendingEvents.clear();
      for (const ev of events) this.queue.moveAllToActiveOrBackoff(ev);
    }
    for (let p = this.queue.pop(); p; p = this.queue.pop()) this.scheduleOne(p);
  }

  /** Whether this scheduler should place the pod: ours, unassigned, not being deleted, not finished. */
  responsibleFor(pod: Pod): boolean {
    if ((pod.spec?.schedulerName || DEFAULT_SCHEDULER_NAME) !== this.profile.schedulerName) return false;
    if (pod.spec?.nodeName || pod.metadata?.deletionTimestamp) return false;
    const phase = pod.status?.phase;
    return phase !== 'Succeeded' && phase !== 'Failed';
  }

  /**
   * The last decision about a pod (kept for the last {@link DEFAULT_EXPLAIN_CAPACITY} decisions):
   * per-node filter verdicts, per-plugin raw/normalised/weighted scores, the chosen node or the
   * FailedScheduling message. Undefined if the scheduler never tried the pod (or forgot).
   */
  explain(namespace: string, podName: string): SchedulingExplanation | undefined {
    const r = this.decisions.get(`${namespace}/${podName}`);
    if (!r) return undefined;
    const nodes: NodeExplanation[] = [];
    if (r.scores) {
      const s = r.scores;
      // Views built once per explanation (the result makes them on demand).
      const raw = s.raw;
      const normalized = s.normalized;
      const totals = s.totals;
      const order = r.feasible.map((_, i) => i).sort((a, b) => totals[b] - totals[a] || (r.feasible[a].name < r.feasible[b].name ? -1 : 1));
      for (const i of order) {
        nodes.push({
          node: r.feasible[i].name,
          filter: 'passed',
          scores: s.plugins.map((plugin, p) => ({
            plugin,
            raw: raw[p][i],
            normalized: normalized[p][i],
            weight: s.weights[p],
            weighted: normalized[p][i] * s.weights[p],
          })),
          total: totals[i],
        });
      }
    } else {
      for (const n of r.feasible) nodes.push({ node: n.name, filter: 'passed' });
    }
    const chosen = nodes.find((n) => n.node === r.node);
    if (chosen) {
      chosen.chosen = true;
      nodes.splice(nodes.indexOf(chosen), 1);
      nodes.unshift(chosen);
    }
    const failed = r.failedNodes.map((node, i) => ({ node, status: r.failedStatuses[i] }));
    failed.sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
    for (const f of failed) {
      nodes.push({ node: f.node, filter: { plugin: f.status.plugin, code: f.status.code, reasons: [...f.status.reasons] } });
    }
    return {
      pod: r.pod,
      uid: r.uid,
      time: r.time,
      timestamp: Clock.rfc3339(r.time),
      attempt: r.attempt,
      result: r.result,
      ...(r.node ? { node: r.node } : {}),
      ...(r.message ? { message: r.message } : {}),
      numAllNodes: r.numAllNodes,
      evaluatedNodes: r.evaluated,
      feasibleNodes: r.feasible.length,
      nodes,
      ...(r.preemption ? { preemption: r.preemption } : {}),
    };
  }

  // ---- informer handlers: update the cache, enqueue; no scheduling here ----

  private onNode(ev: WatchEvent<'Node'>): void {
    const node = ev.object as Node;
    if (ev.type === 'DELETED') {
      this.cache.removeNode(node.metadata!.name!);
      return;
    }
    this.cache.setNode(node);
    if (ev.type === 'ADDED') {
      this.addEvent({ label: 'NodeAdd', plugins: ALL });
      return;
    }
    const old = ev.old as Node | undefined;
    if (!old) return;
    // Which node changes can turn a rejection into a fit (the Node/Update* cluster events).
    const plugins = new Set<string>();
    if (!semanticEqual(old.spec?.taints, node.spec?.taints)) plugins.add(TAINT_TOLERATION);
    if ((old.spec?.unschedulable ?? false) !== (node.spec?.unschedulable ?? false)) plugins.add(NODE_UNSCHEDULABLE);
    if (!semanticEqual(old.metadata?.labels, node.metadata?.labels)) {
      plugins.add(NODE_AFFINITY);
      plugins.add(POD_TOPOLOGY_SPREAD);
    }
    if (!semanticEqual(old.status?.allocatable, node.status?.allocatable)) plugins.add(NODE_RESOURCES_FIT);
    if (plugins.size) this.addEvent({ label: `NodeUpdate:${[...plugins].sort().join(',')}`, plugins });
  }

  private onPod(ev: WatchEvent<'Pod'>): void {
    const pod = ev.object as Pod;
    const key = podKey(pod);
    const old = ev.old as Pod | undefined;
    if (ev.type === 'DELETED') {
      this.cache.setPod(key, undefined);
      this.queue.delete(key);
      if (countsOnNode(old ?? pod)) this.addEvent(EVENT_ASSIGNED_POD_DELETE);
      return;
    }
    this.cache.setPod(key, pod);
    if (old && countsOnNode(old) && !countsOnNode(pod)) this.addEvent(EVENT_ASSIGNED_POD_DELETE);
    // A newly assigned pod raises its domain's count, which may lift a topology spread minimum.
    if (countsOnNode(pod) && !(old && countsOnNode(old))) this.addEvent(EVENT_ASSIGNED_POD_ADD);
    const responsible = this.responsibleFor(pod);
    if (responsible && (pod.spec?.schedulingGates?.length ?? 0) > 0) {
      // SchedulingGates (PreEnqueue): a gated pod never enters the active queue until its gates are removed.
      this.queue.delete(key);
      this.gated.add(key);
    } else if (responsible) {
      this.gated.delete(key);
      if (ev.type === 'ADDED' || !old || !this.queue.get(key)) this.queue.add(key, pod);
      else {
        const changed = old.spec !== pod.spec && !semanticEqual(old.spec, pod.spec);
        this.queue.update(key, pod, changed || !semanticEqual(old.metadata?.labels, pod.metadata?.labels));
      }
    } else {
      this.queue.delete(key);
    }
  }

  /** PodScheduled=False, reason SchedulingGated, as the scheduler writes it for a gated pod. */
  private markGated(key: string): void {
    const [namespace, name] = key.split('/');
    const pod = this.ctx.store.get('Pod', namespace, name);
    if (!pod || !this.responsibleFor(pod) || !pod.spec?.schedulingGates?.length) return;
    this.setPodScheduled(pod, { type: 'PodScheduled', status: 'False', reason: REASON_SCHEDULING_GATED, message: MESSAGE_SCHEDULING_GATED });
  }

  private addEvent(ev: ClusterEvent): void {
    if (!this.pendingEvents.has(ev.label)) this.pendingEvents.set(ev.label, ev);
  }

  // ---- the scheduling cycle ----

  private scheduleOne(p: QueuedPodInfo): void {
    // The queue's key is the store's key (stored pods always have a namespace): no key to rebuild.
    const current = this.ctx.store.getByKey('Pod', p.key);
    // The queued object is still the stored one, mostly: then its uid needs no comparing.
    if (!current || (current !== p.pod && current.metadata!.uid !== p.pod.metadata!.uid) || !this.responsibleFor(current)) {
      this.queue.done(p.key);
      return;
    }
    const pod = current;
    if (p.pod !== pod) setQueuedPod(p, pod);
    const nodes = this.cache.nodeList();
    const record: DecisionRecord = {
      pod: p.key,
      uid: pod.metadata!.uid!,
      time: this.ctx.clock.now(),
      attempt: p.attempts,
      result: 'Unschedulable',
      numAllNodes: nodes.length,
      evaluated: 0,
      feasible: NO_FAILURES,
      failedNodes: NO_FAILURES,
      failedStatuses: NO_FAILURES,
      // Every field present from the start: one object shape, no properties added later.
      node: undefined,
      message: undefined,
      scores: undefined,
      preemption: undefined,
      superseded: false,
    };
    if (nodes.length === 0) {
      record.message = ERR_NO_NODES_AVAILABLE;
      this.fail(p, pod, record, []);
      return;
    }
    const state = new CycleState();
    const pre = this.framework.runPreFilter(state, pod, nodes);
    if (pre) {
      if (pre.code === Code.Error) {
        record.result = 'Error';
        record.message = pre.message();
        this.fail(p, pod, record, [], true);
        return;
      }
      // Every node gets the PreFilter's verdict.
      for (const n of nodes) addFailure(record, n.name, pre);
      record.message = fitErrorMessage(nodes.length, [], this.postFilter(pod, record, state), pre.message());
      this.fail(p, pod, record, [pre.plugin]);
      return;
    }

    // findNodesThatPassFilters: walk from nextStartNodeIndex until enough feasible nodes are found.
    const n = nodes.length;
    // Per-node memoisation is sound only when every filter that runs this cycle is node-local.
    const shape = this.memoize && this.framework.filtersMemoizable(state) ? this.shapeOf(pod) : -1;
    // The shape's verdicts so far: only nodes whose entry is unknown are looked at.
    const view = shape >= 0 ? this.framework.shapeView(shape, nodes) : undefined;
    const verdicts = view?.verdict;
    const statuses = view?.status;
    const toFind = numFeasibleNodesToFind(this.profile.percentageOfNodesToScore, n);
    // A recycled list keeps its old entries (and so its capacity: emptying it would let V8 drop its
    // storage and regrow it push by push); they are overwritten, then the length is cut to the count.
    const feasible = (record.feasible = this.takeList(toFind));
    // Each feasible node's index in `nodes`, for reading per-position tables (the view's scores,
    // PodTopologySpread's node values) without touching the node.
    if (this.feasibleIndex.length < n) this.feasibleIndex = new Int32Array(n);
    const indices = this.feasibleIndex;
    let count = 0;
    let i = 0;
    // The start index may point past the end after nodes were removed: wrap it as `%` would.
    for (let j = this.nextStartNodeIndex % n; i < n; i++, j++) {
      if (j === n) j = 0;
      let s: Result;
      if (verdicts === undefined) s = this.framework.runFilter(state, pod, nodes[j]);
      else {
        const v = verdicts[j];
        if (v === VERDICT_FEASIBLE) {
          // The common case first: a node known to pass, nothing else to look at.
          feasible[count] = nodes[j];
          indices[count++] = j;
          if (count >= toFind) break;
          continue;
        }
        s = v === VERDICT_UNKNOWN ? this.framework.runFilterInto(state, pod, view!, j) : statuses![j];
      }
      if (s === null) {
        feasible[count] = nodes[j];
        indices[count++] = j;
        if (count >= toFind) break;
      } else if (s.code === Code.Error) {
        feasible.length = count;
        record.result = 'Error';
        record.message = s.message();
        this.fail(p, pod, record, [], true);
        return;
      } else {
        addFailure(record, nodes[j].name, s);
      }
    }
    // Nodes looked at: all of them, or up to the one that completed the count.
    const processed = i < n ? i + 1 : n;
    if (feasible.length !== count) feasible.length = count;
    this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % n;
    record.evaluated = processed;

    if (feasible.length === 0) {
      const rejectors = new Set(record.failedStatuses.map((s) => s.plugin));
      record.message = fitErrorMessage(n, record.failedStatuses, this.postFilter(pod, record, state));
      this.fail(p, pod, record, rejectors);
      return;
    }

    let chosen: NodeInfo;
    if (feasible.length === 1) {
      chosen = feasible[0];
    } else {
      const scores = this.framework.runScore(state, pod, feasible, this.takeBuffer, nodes, indices, view);
      record.scores = scores;
      chosen = feasible[this.selectHost(scores.buffer, scores.totalsAt, scores.n)];
    }
    record.result = 'Scheduled';
    record.node = chosen.name;
    this.remember(record);
    this.bind(pod, chosen.name);
    this.queue.done(p.key);
  }

  /**
   * An id for the pod's shape (see podShapeKey): the replicas of one ReplicaSet get the same id,
   * which lets the framework reuse per-node results. Ids are never reused.
   */
  private shapeOf(pod: Pod): number {
    // A pod retried (or a spec shared by identity) skips building the key: stored specs are immutable.
    const spec = pod.spec;
    if (spec) {
      if (spec === this.lastShapeSpec) return this.lastShapeId;
      const known = this.shapeBySpec.get(spec);
      if (known !== undefined) return known;
      // Pods created one by one (no shared spec) mostly repeat the previous pod's shape: comparing
      // the parts costs less than building and hashing the key.
      if (this.lastShapeSpec && sameShape(this.lastShapeSpec, spec)) {
        this.lastShapeSpec = spec;
        return this.lastShapeId;
      }
    }
    const id = this.shapeIdOf(podShapeKey(pod));
    if (spec) {
      this.shapeBySpec.set(spec, id);
      this.lastShapeSpec = spec;
      this.lastShapeId = id;
    }
    return id;
  }

  private shapeIdOf(key: string): number {
    let id = this.shapes.get(key);
    if (id === undefined) {
      if (this.shapes.size >= MAX_SHAPES) this.shapes.clear();
      this.shapes.set(key, (id = this.nextShape++));
    }
    return id;
  }

  /**
   * selectHost: the highest total; ties broken uniformly at random with the seeded PRNG.
   * Why it differs: the real one draws once per tie while walking the list (reservoir sampling);
   * we note the ties and draw once, the same uniform choice (the `k`-th tie in list order for a
   * draw of `k`) for one PRNG call instead of hundreds. The totals are `buf[at]` to
   * `buf[at + n - 1]` (read in place: no view made per pod).
   */
  private selectHost(buf: Int32Array, at: number, n: number): number {
    if (this.tieIndex.length < n) this.tieIndex = new Int32Array(n);
    // The positions of the best total so far, in order (the draw picks one without a second walk).
    const tied = this.tieIndex;
    let best = buf[at];
    tied[0] = 0;
    let ties = 1;
    for (let i = 1; i < n; i++) {
      const t = buf[at + i];
      if (t > best) {
        best = t;
        tied[0] = i;
        ties = 1;
      } else if (t === best) tied[ties++] = i;
    }
    return ties === 1 ? tied[0] : tied[this.ctx.rng.int(ties)];
  }

  /**
   * DefaultPreemption's verdict, for the message only: nodes rejected as unresolvable cannot be
   * helped; elsewhere, removing every lower-priority pod must make room.
   * Why simplified: no victim is ever evicted and no nominatedNodeName is set; when preemption
   * would succeed the message says nothing about it.
   */
  private postFilter(pod: Pod, record: DecisionRecord, state: CycleState): string {
    if (pod.spec?.preemptionPolicy === 'Never') return `preemption: ${PREEMPTION_NOT_ELIGIBLE_NEVER}`;
    const priority = podPriority(pod);
    const verdicts: { node: string; reasons: string[] }[] = [];
    const statuses: Status[] = [];
    let candidates = 0;
    for (let i = 0; i < record.failedNodes.length; i++) {
      const name = record.failedNodes[i];
      const s = record.failedStatuses[i];
      let verdict: Status | null;
      if (s.code === Code.UnschedulableAndUnresolvable) {
        verdict = new Status(Code.UnschedulableAndUnresolvable, [PREEMPTION_NOT_HELPFUL]);
      } else {
        const info = this.cache.nodes.get(name);
        const victims = info ? [...info.pods.values()].filter((e) => e.priority < priority) : [];
        if (!info || victims.length === 0) {
          verdict = new Status(Code.UnschedulableAndUnresolvable, [PREEMPTION_NO_VICTIMS]);
        } else {
          verdict = this.framework.runFilter(state, pod, info.withoutPods(victims.map((v) => v.key)));
        }
      }
      if (verdict === null) {
        candidates++;
        continue;
      }
      verdicts.push({ node: name, reasons: [...verdict.reasons] });
      statuses.push(verdict);
    }
    record.preemption = verdicts;
    if (candidates > 0) return '';
    return `preemption: ${fitErrorMessage(statuses.length, statuses)}`;
  }

  private fail(p: QueuedPodInfo, pod: Pod, record: DecisionRecord, rejectors: Iterable<string>, error = false): void {
    this.remember(record);
    const message = record.message ?? '';
    this.ctx.recorder.record(pod, 'Warning', 'FailedScheduling', message, { component: SCHEDULER_COMPONENT });
    const condition: PodCondition = {
      type: 'PodScheduled',
      status: 'False',
      reason: error ? 'SchedulerError' : 'Unschedulable',
      message,
    };
    this.setPodScheduled(pod, condition);
    this.queue.addUnschedulable(p, rejectors, error);
  }

  private bind(pod: Pod, nodeName: string): void {
    // setPodScheduled(force) on the pod with spec.nodeName set, built in one object: the same keys in
    // the same order as a spread of the spec then one of the status, one pod copy fewer per bind.
    const status = pod.status;
    const conditions = status?.conditions;
    let i = -1;
    if (conditions) {
      for (let j = 0; j < conditions.length; j++) {
        if (conditions[j].type === 'PodScheduled') {
          i = j;
          break;
        }
      }
    }
    const prev = i >= 0 ? conditions![i] : undefined;
    const next: PodCondition = {
      type: 'PodScheduled',
      status: 'True',
      lastTransitionTime: prev && prev.status === 'True' ? prev.lastTransitionTime : this.timestamp(),
    };
    let list: PodCondition[];
    if (!conditions) list = [next];
    else if (i < 0) list = [...conditions, next];
    else {
      list = conditions.slice();
      list[i] = next;
    }
    // Object.assign, not `{ ...spec, nodeName }`: the same keys in the same order, but V8 adds a key
    // to a spread copy of a large object slowly (a few µs per bind, measured).
    const spec = Object.assign({}, pod.spec!);
    spec.nodeName = nodeName;
    const nextStatus = status ? { phase: 'Pending', ...status, conditions: list } : { phase: 'Pending', conditions: list };
    this.ctx.api.updateStatus('Pod', Object.assign({}, pod, { spec, status: nextStatus }));
    const meta = pod.metadata!;
    // The message is only built when events are recorded (a headless run turns them off).
    if (!this.ctx.recorder.enabled) return;
    this.ctx.recorder.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${meta.namespace ?? 'default'}/${meta.name} to ${nodeName}`, {
      component: SCHEDULER_COMPONENT,
    });
  }

  /** Write the PodScheduled condition (skipped when nothing changes, as updatePod does). */
  private setPodScheduled(pod: Pod, condition: PodCondition, force = false): void {
    const conditions = pod.status?.conditions ?? [];
    const i = conditions.findIndex((c) => c.type === 'PodScheduled');
    const prev = i >= 0 ? conditions[i] : undefined;
    if (!force && prev && prev.status === condition.status && prev.reason === condition.reason && prev.message === condition.message) return;
    const next: PodCondition = {
      ...condition,
      lastTransitionTime: prev && prev.status === condition.status ? prev.lastTransitionTime : this.timestamp(),
    };
    const list = i >= 0 ? conditions.map((c, j) => (j === i ? next : c)) : [...conditions, next];
    this.ctx.api.updateStatus('Pod', { ...pod, status: { phase: 'Pending', ...pod.status, conditions: list } });
  }

  private timestamp(): string {
    const now = this.ctx.clock.now();
    if (now !== this.stampAt) {
      this.stamp = this.ctx.clock.timestamp();
      this.stampAt = now;
    }
    return this.stamp;
  }

  private remember(r: DecisionRecord): void {
    const previous = this.decisions.get(r.pod);
    if (previous) {
      previous.superseded = true;
      this.recycle(previous);
    }
    this.decisions.set(r.pod, r);
    this.decisionOrder.push(r);
    if (this.decisions.size > this.explainCapacity) {
      // Forget the oldest decision still current (a pod decided again has a newer entry further on).
      const order = this.decisionOrder;
      while (this.decisionHead < order.length) {
        const o = order[this.decisionHead++];
        if (!o.superseded) {
          this.decisions.delete(o.pod);
          this.recycle(o);
          break;
        }
      }
    }
    const live = this.decisionOrder.length - this.decisionHead;
    if (this.decisionHead > 1024 && this.decisionHead * 2 > this.decisionOrder.length) {
      this.decisionOrder = this.decisionOrder.slice(this.decisionHead);
      this.decisionHead = 0;
    } else if (live > 2 * this.explainCapacity + 1024) {
      // Pods decided over and over (unschedulable ones retried) leave superseded entries behind.
      this.decisionOrder = this.decisionOrder.slice(this.decisionHead).filter((o) => !o.superseded);
      this.decisionHead = 0;
    }
  }

  // Why pools: every decision keeps its feasible-node list and per-plugin scores for explain(), a
  // few KB per pod on a large cluster. Allocating them fresh made the garbage collector the top
  // cost (the 2,000 remembered decisions outlive the young generation). A forgotten decision hands
  // its arrays back; explain() copies numbers out and never leaks them.

  /** A score buffer of exactly `length` int32s (decisions on one cluster mostly share a length). */
  private readonly takeBuffer = (length: number): Int32Array => this.poolOf(length, false)?.pop() ?? new Int32Array(length);

  /** The last pool used and its length: decisions in a row mostly share one, and skip the map. */
  private lastPool: Int32Array[] | undefined;
  private lastPoolLength = -1;

  /** The pool of buffers of `length` int32s (made when `create`; the pools are dropped when too many lengths were seen). */
  private poolOf(length: number, create: boolean): Int32Array[] | undefined {
    if (length === this.lastPoolLength) return this.lastPool;
    let pool = this.bufferPool.get(length);
    if (!pool) {
      if (!create) return undefined;
      if (this.bufferPool.size >= POOL_LIMIT) this.bufferPool.clear();
      this.bufferPool.set(length, (pool = []));
    }
    this.lastPool = pool;
    this.lastPoolLength = length;
    return pool;
  }

  /** A recycled feasible list, or a new one made `capacity` long (grown write by write, it was copied some ten times). */
  private takeList(capacity: number): NodeInfo[] {
    return this.listPool.pop() ?? new Array<NodeInfo>(capacity);
  }

  private recycle(r: DecisionRecord): void {
    const buffer = r.scores?.buffer;
    if (buffer) {
      const pool = this.poolOf(buffer.length, true)!;
      if (pool.length < POOL_LIMIT) pool.push(buffer);
    }
    if (r.feasible !== NO_FAILURES && this.listPool.length < POOL_LIMIT) this.listPool.push(r.feasible);
  }
}
