import type { TopologySpreadConstraint } from 'kubernetes-types/core/v1';
import type { ApiStore } from '../../api/store';
import { selectorFromLabelSelector, selectorFromMap, type Selector } from '../../api/labels';
import type { LabelSelector, Pod } from '../../api/types';
import {
  MAX_NODE_SCORE,
  StateKey,
  type CycleState,
  type FilterPlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from '../framework/interface';
import type { ChangeLog, NodeInfo } from '../framework/nodeInfo';
import { NodeListTable, tableSize } from '../framework/nodeListTable';
import { Code, constStatus, type Result } from '../framework/status';
import { requiredNodeMatcher } from './nodeAffinity';

/** Name in the plugin registry (names.PodTopologySpread). */
export const NAME = 'PodTopologySpread';
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';

/** The system default constraints (config.v1 defaults, `defaultingType: System`): both ScheduleAnyway. */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly { topologyKey: string; maxSkew: number }[] = [
  { topologyKey: LABEL_HOSTNAME, maxSkew: 3 },
  { topologyKey: LABEL_ZONE, maxSkew: 5 },
];

/** Filter reasons (ErrReasonConstraintsNotMatch, ErrReasonNodeLabelNotMatch). */
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = "node(s) didn't match pod topology spread constraints (missing required label)";

const SKIP = constStatus(NAME, Code.Skip);
const REJECT_SKEW = constStatus(NAME, Code.Unschedulable, ERR_REASON_CONSTRAINTS_NOT_MATCH);
const REJECT_LABEL = constStatus(NAME, Code.UnschedulableAndUnresolvable, ERR_REASON_NODE_LABEL_NOT_MATCH);

/** What the plugin reads besides the pod and the nodes: the objects whose selectors define "siblings". */
export interface TopologySpreadHandle {
  readonly store: ApiStore;
  /** Every node the scheduler knows (the snapshot's node list). */
  allNodes(): readonly NodeInfo[];
  /** The cache's change log, read in place (without it, totals are recounted and no per-position table is kept). */
  changes?(): ChangeLog;
  /** False: no incremental totals and no per-node tables (everything recounted; for equivalence tests). */
  memoize?(): boolean;
}

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: Selector;
  /** namespace + selector text, computed once per cycle for the per-node count caches. */
  cacheKey: string;
}

interface PreScoreState {
  constraints: Constraint[];
  ignored: Set<string>;
  /** Per constraint: topology value → matching pods in that domain (undefined for hostname constraints). */
  counts: (Map<string, number> | undefined)[];
  weights: number[];
  namespace: string;
  /** Per constraint: the column of node values of its topology key, and `counts` by value id (Score's fast path). */
  columns?: TopologyColumn[];
  countsById?: (Float64Array | undefined)[];
  /** Per constraint: an id of its selector, for the per-node count table. */
  selectorIds?: number[];
}

/**
 * Most (topology key, selector) totals kept by {@link PodTopologySpread} (the least recently read
 * is dropped beyond that). Why a bound: the default selector includes a ReplicaSet's
 * pod-template-hash, so every rollout brings a new selector, and each totals entry holds a record
 * per node (and keeps those NodeInfos alive). 64 covers the selectors in use at once in any
 * playground scenario (a few per workload, two keys each); a dropped entry only costs one full
 * recount when its selector comes back.
 */
export const DEFAULT_TOTALS_CAPACITY = 64;

/** A {@link TopologyColumn} entry not read yet. */
const UNREAD = -2;

/**
 * One topology key's value on every node of the node list, as an interned id (-1: the node lacks
 * the label), per position in the list (see NodeListTable: a node's entry is forgotten when it
 * changes, a label change included). Why: Score runs for hundreds of nodes per pod; reading one
 * typed array is much cheaper than a label lookup and a string-keyed map lookup per node.
 */
class TopologyColumn extends NodeListTable {
  private value = new Int32Array(0);
  readonly ids = new Map<string, number>();

  constructor(readonly key: string) {
    super();
  }

  protected clear(n: number): void {
    if (this.value.length < n) this.value = new Int32Array(tableSize(n));
    this.value.fill(UNREAD, 0, n);
  }

  /**
   * Start the interning afresh (and forget every entry, which hold old ids) once it holds far
   * more values than `nodes` could carry: label values of nodes long gone or relabelled. Called
   * only before a cycle interns its values, never between that and Score reading them.
   */
  trim(nodes: number): void {
    if (this.ids.size <= 2 * nodes + 64) return;
    this.ids.clear();
    this.clear(this.list.length);
  }

  protected forget(index: number): void {
    this.value[index] = UNREAD;
  }

  /** The value id of `node`, which is `list[index]`. */
  valueAt(index: number, node: NodeInfo): number {
    const id = this.value[index];
    if (id !== UNREAD) return id;
    const v = node.labels[this.key];
    return (this.value[index] = v === undefined ? -1 : this.intern(v));
  }

  /** The id of a value (new values get the next id). */
  intern(v: string): number {
    let id = this.ids.get(v);
    if (id === undefined) this.ids.set(v, (id = this.ids.size));
    return id;
  }
}

/**
 * Per position in the node list: the matching-pod count of one selector (by id; -1: none yet) on
 * that node, forgotten when the node changes. The node's own count cache is only read on a miss.
 */
class HostCounts extends NodeListTable {
  private sel = new Int32Array(0);
  private val = new Int32Array(0);

  protected clear(n: number): void {
    if (this.sel.length < n) {
      this.sel = new Int32Array(tableSize(n));
      this.val = new Int32Array(this.sel.length);
    }
    this.sel.fill(-1, 0, n);
  }

  protected forget(index: number): void {
    this.sel[index] = -1;
  }

  /** countPodsMatchSelector for `node`, which is `list[index]`. */
  countAt(index: number, node: NodeInfo, c: Constraint, selectorId: number, namespace: string): number {
    if (this.sel[index] === selectorId) return this.val[index];
    const n = countPodsMatchSelector(node, c.selector, namespace, c.cacheKey);
    this.sel[index] = selectorId;
    this.val[index] = n;
    return n;
  }
}

const PRE_SCORE_KEY = new StateKey<PreScoreState>('PreScore' + NAME);

interface PreFilterState {
  constraints: Constraint[];
  /** Per constraint: topology value → matching pods in that domain, for every domain of an eligible node. */
  counts: Map<string, number>[];
  /** Per constraint: the smallest count over its domains (the critical path). */
  minMatch: number[];
  namespace: string;
}

const PRE_FILTER_KEY = new StateKey<PreFilterState>('PreFilter' + NAME);

/** Matching pods per value of one topology key over all nodes, for one selector (see PodTopologySpread.pairTotals). */
interface Totals {
  epoch: number;
  /** The node list and change-log position of the last full or incremental pass. */
  list?: readonly NodeInfo[];
  cursor?: number;
  perNode: Map<NodeInfo, { gen: number; value: string; count: number; epoch: number }>;
  byValue: Map<string, number>;
  /** How many nodes carry each value (values no node carries are removed). */
  nodesByValue: Map<string, number>;
}

function addNode(t: Totals, value: string, count: number, sign: 1 | -1): void {
  t.byValue.set(value, (t.byValue.get(value) ?? 0) + sign * count);
  const n = (t.nodesByValue.get(value) ?? 0) + sign;
  if (n > 0) t.nodesByValue.set(value, n);
  else t.nodesByValue.delete(value);
}

/** Selectors compiled once per object version. */
const compiled = new WeakMap<object, Selector>();
function compiledSelector(owner: object, sel: () => Selector): Selector {
  let s = compiled.get(owner);
  if (!s) compiled.set(owner, (s = sel()));
  return s;
}

function and(selectors: Selector[]): Selector {
  return { empty: selectors.every((s) => s.empty), toString: () => selectors.map(String).join(','), matches: (l) => selectors.every((s) => s.matches(l)) };
}

/**
 * helper.DefaultSelector: the requirements of every Service, ReplicaSet (and, in Kubernetes,
 * ReplicationController and StatefulSet) in the pod's namespace whose selector matches the pod.
 * Empty when nothing selects it.
 */
export function defaultSelector(pod: Pod, store: ApiStore): Selector | undefined {
  const ns = pod.metadata?.namespace ?? 'default';
  const labels = pod.metadata?.labels ?? {};
  const parts: Selector[] = [];
  for (const svc of store.values('Service')) {
    if (svc.metadata?.namespace !== ns || !svc.spec?.selector || Object.keys(svc.spec.selector).length === 0) continue;
    // Keyed by the selector object: status-only updates keep it, so the compiled selector is reused.
    const s = compiledSelector(svc.spec.selector, () => selectorFromMap(svc.spec!.selector));
    if (s.matches(labels)) parts.push(s);
  }
  for (const rs of store.values('ReplicaSet')) {
    if (rs.metadata?.namespace !== ns) continue;
    const s = compiledSelector(rs.spec?.selector ?? rs, () => selectorFromLabelSelector(rs.spec?.selector as LabelSelector));
    if (!s.empty && s.matches(labels)) parts.push(s);
  }
  return parts.length ? and(parts) : undefined;
}

/** The same label map: the same object, or the same keys with the same values. */
function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  let n = 0;
  for (const k in a) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || a[k] !== b[k]) return false;
    n++;
  }
  for (const _ in b) n--;
  return n === 0;
}

/** A node carrying every constraint's topology key (nodeLabelsMatchSpreadConstraints). */
function hasAllKeys(node: NodeInfo, constraints: Constraint[]): boolean {
  for (const c of constraints) if (node.labels[c.topologyKey] === undefined) return false;
  return true;
}

/** countPodsMatchSelector: pods on the node in the namespace, not terminating, matching. */
export function countPodsMatchSelector(node: NodeInfo, selector: Selector, namespace: string, cacheKey?: string): number {
  // Why a per-node cache: every pod of a ReplicaSet asks the same question of every node; without
  // it scheduling N replicas costs N × (pods in the cluster) label matches.
  // One selector per node is the common case (a ReplicaSet's pods), kept in a slot of its own; others go to a Map.
  const memo = node.memo;
  const key = cacheKey ?? `${namespace}\0${selector.toString()}`;
  if (memo.countsGen !== node.generation) {
    const added = node.lastAdded;
    if (added && memo.countKey === key && memo.countsGen === node.generation - 1 && node.lastAddedGen === node.generation) {
      // The node's only change since this key was counted is one pod added: count that pod alone
      // (scheduling onto a node is exactly this, and a node holds up to 110 pods to walk otherwise).
      const m = added.pod.metadata!;
      const n = memo.countValue! + (!m.deletionTimestamp && (m.namespace ?? 'default') === namespace && selector.matches(m.labels) ? 1 : 0);
      memo.countsGen = node.generation;
      memo.selectorCounts = undefined;
      memo.countValue = n;
      return n;
    }
    memo.countsGen = node.generation;
    memo.countKey = undefined;
    memo.selectorCounts = undefined;
  } else if (memo.countKey === key) {
    return memo.countValue!;
  } else {
    const cached = memo.selectorCounts?.get(key);
    if (cached !== undefined) return cached;
  }
  let n = 0;
  for (const e of node.pods.values()) {
    const m = e.pod.metadata!;
    if (m.deletionTimestamp || (m.namespace ?? 'default') !== namespace) continue;
    if (selector.matches(m.labels)) n++;
  }
  if (memo.countKey === undefined) {
    memo.countKey = key;
    memo.countValue = n;
  } else {
    (memo.selectorCounts ??= new Map()).set(key, n);
  }
  return n;
}

function compileConstraint(c: TopologySpreadConstraint, namespace: string): Constraint {
  const selector = selectorFromLabelSelector(c.labelSelector as LabelSelector);
  return { maxSkew: c.maxSkew, topologyKey: c.topologyKey, selector, cacheKey: `${namespace}\0${selector.toString()}` };
}

/** Every value that some node carries has been seen for every (non-hostname) constraint. */
function allDomainsSeen(counts: readonly (Map<string, number> | undefined)[], totals: readonly (Totals | undefined)[]): boolean {
  for (let i = 0; i < counts.length; i++) {
    const m = counts[i];
    if (m && m.size < totals[i]!.nodesByValue.size) return false;
  }
  return true;
}

/** topologyNormalizingWeight: `ln(size + 2)`, so a key with more domains weighs more. */
export function topologyNormalizingWeight(size: number): number {
  return Math.log(size + 2);
}

/**
 * PodTopologySpread. Filter: a DoNotSchedule constraint rejects a node where placing the pod
 * would make its domain exceed the smallest domain by more than maxSkew. Score: prefers nodes
 * whose topology domains hold fewer matching pods (ScheduleAnyway constraints; a pod without
 * constraints of its own gets the system defaults, hostname maxSkew 3 and zone maxSkew 5, when a
 * Service or ReplicaSet selects it).
 * Why simplified: matchLabelKeys, minDomains and nodeTaintsPolicy are ignored, and only Services
 * and ReplicaSets feed the default selector.
 * Not node-local: a zone's count depends on every node in it, so the framework memoises none of
 * its verdicts or scores; it keeps its own tables (totals per selector, per-node counts, node
 * values per list position), each current to the cache's change log.
 */
export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = NAME;
  /**
   * Matching-pod totals per topology pair over all nodes, per (selector, topology key), kept up to date
   * node by node (a node is recounted only when its generation moved). Why: PreScore counts every node
   * for every pod, as the real plugin does with 16 goroutines; recounting only changed nodes keeps
   * large clusters fast without changing the result.
   */
  private readonly totals = new Map<string, Totals>();
  /** Most totals kept (least recently read dropped first; tests make it small). */
  totalsCapacity = DEFAULT_TOTALS_CAPACITY;
  /** Totals currently kept (at most {@link totalsCapacity}). */
  get totalsSize(): number {
    return this.totals.size;
  }

  private lastCycle: CycleState | undefined;
  private lastPreScore: PreScoreState | undefined;
  private readonly columns = new Map<string, TopologyColumn>();
  /** Selector ids (never reused; the map is cleared when large, which only costs recounts). */
  private readonly selectorIds = new Map<string, number>();
  private nextSelectorId = 0;
  private readonly hostCounts = new HostCounts();

  private column(key: string): TopologyColumn {
    let c = this.columns.get(key);
    if (!c) this.columns.set(key, (c = new TopologyColumn(key)));
    return c;
  }

  private selectorId(cacheKey: string): number {
    let id = this.selectorIds.get(cacheKey);
    if (id === undefined) {
      if (this.selectorIds.size >= 10_000) this.selectorIds.clear();
      this.selectorIds.set(cacheKey, (id = this.nextSelectorId++));
    }
    return id;
  }

  /** Bumped on every Service and ReplicaSet change: what the default selector is computed from. */
  private selectorEpoch = 0;
  /** The system-default constraints last computed, and for which namespace, labels and epoch. */
  private lastDefault: { epoch: number; namespace: string; labels: Record<string, string> | undefined; result: { constraints: Constraint[]; system: boolean } } | undefined;

  constructor(private readonly handle: TopologySpreadHandle) {
    const bump = () => {
      this.selectorEpoch++;
    };
    handle.store.watch('Service', bump);
    handle.store.watch('ReplicaSet', bump);
  }

  preFilter(state: CycleState, pod: Pod): Result {
    const own = pod.spec?.topologySpreadConstraints;
    if (!own || own.length === 0) return SKIP;
    const hard = own.filter((c) => c.whenUnsatisfiable !== 'ScheduleAnyway');
    if (hard.length === 0) return SKIP;
    const namespace = pod.metadata?.namespace ?? 'default';
    const constraints = hard.map((c) => compileConstraint(c, namespace));
    // Constraints on the same topology key share one count map (as the real plugin's pair map does).
    const byKey = new Map<string, Map<string, number>>();
    const counts = constraints.map((c) => byKey.get(c.topologyKey) ?? byKey.set(c.topologyKey, new Map()).get(c.topologyKey)!);
    const s: PreFilterState = { constraints, counts, minMatch: [], namespace };
    const admits = requiredNodeMatcher(pod);
    for (const node of this.handle.allNodes()) {
      if (admits && !admits(node)) continue;
      if (!hasAllKeys(node, constraints)) continue;
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i];
        const value = node.labels[c.topologyKey];
        const m = counts[i];
        m.set(value, (m.get(value) ?? 0) + countPodsMatchSelector(node, c.selector, namespace, c.cacheKey));
      }
    }
    s.minMatch = counts.map((m) => {
      let min = Number.MAX_SAFE_INTEGER;
      for (const n of m.values()) if (n < min) min = n;
      return min === Number.MAX_SAFE_INTEGER ? 0 : min;
    });
    state.write(PRE_FILTER_KEY, s);
    return null;
  }

  filter(state: CycleState, pod: Pod, node: NodeInfo): Result {
    const s = state.read(PRE_FILTER_KEY);
    if (!s) return null;
    const labels = pod.metadata?.labels;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      const value = node.labels[c.topologyKey];
      if (value === undefined) return REJECT_LABEL;
      const self = c.selector.matches(labels) ? 1 : 0;
      const skew = (s.counts[i].get(value) ?? 0) + self - s.minMatch[i];
      if (skew > c.maxSkew) return REJECT_SKEW;
    }
    return null;
  }

  private constraints(pod: Pod): { constraints: Constraint[]; system: boolean } {
    const own: TopologySpreadConstraint[] = pod.spec?.topologySpreadConstraints ?? [];
    if (own.length) {
      const soft = own.filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway');
      const namespace = pod.metadata?.namespace ?? 'default';
      return { constraints: soft.map((c) => compileConstraint(c, namespace)), system: false };
    }
    // The default selector depends only on the pod's namespace and labels and on the Services and
    // ReplicaSets: the previous pod's answer holds for the next one with the same labels (a
    // ReplicaSet's pods, or pods created one by one from one manifest) until one of those changes.
    const namespace = pod.metadata?.namespace ?? 'default';
    const labels = pod.metadata?.labels;
    const last = this.lastDefault;
    if (last && last.epoch === this.selectorEpoch && last.namespace === namespace && sameLabels(last.labels, labels)) return last.result;
    const sel = defaultSelector(pod, this.handle.store);
    let result: { constraints: Constraint[]; system: boolean };
    if (!sel) result = { constraints: [], system: true };
    else {
      const cacheKey = `${namespace}\0${sel.toString()}`;
      result = { constraints: SYSTEM_DEFAULT_CONSTRAINTS.map((c) => ({ ...c, selector: sel, cacheKey })), system: true };
    }
    this.lastDefault = { epoch: this.selectorEpoch, namespace, labels, result };
    return result;
  }

  preScore(state: CycleState, pod: Pod, filtered: readonly NodeInfo[]): Result {
    const { constraints, system } = this.constraints(pod);
    if (constraints.length === 0) return SKIP;
    // System defaults do not require every node to carry every key (nodes may lack a zone).
    const requireAll = !system;
    const nc = constraints.length;
    // Constraints on the same topology key share one map of domains (the real plugin's topologyPair map).
    const byKey = new Map<string, Map<string, number>>();
    const counts: (Map<string, number> | undefined)[] = new Array(nc);
    for (let i = 0; i < nc; i++) {
      const k = constraints[i].topologyKey;
      if (k === LABEL_HOSTNAME) continue;
      let m = byKey.get(k);
      if (!m) byKey.set(k, (m = new Map()));
      counts[i] = m;
    }
    const s: PreScoreState = { constraints, ignored: new Set(), counts, weights: [], namespace: pod.metadata?.namespace ?? 'default' };
    const sizes: number[] = new Array(nc).fill(0);
    // Count matching pods over all nodes that the pod's required node affinity admits (nodeAffinityPolicy Honor).
    const admits = requiredNodeMatcher(pod);
    // Without node affinity and with the system defaults, totals over all nodes are kept incrementally.
    const memoize = this.handle.memoize?.() !== false;
    const incremental = memoize && !admits && !requireAll;
    const totals: (Totals | undefined)[] = new Array(nc);
    if (incremental) for (let i = 0; i < nc; i++) if (counts[i]) totals[i] = this.pairTotals(constraints[i], s.namespace);
    for (let n = 0; n < filtered.length; n++) {
      // Once every value carried by some node has been seen, the remaining nodes add no domain:
      // stop early (the same sizes, without walking hundreds of nodes per pod).
      if (incremental && allDomainsSeen(counts, totals)) break;
      const node = filtered[n];
      if (requireAll && !hasAllKeys(node, constraints)) {
        s.ignored.add(node.name);
        continue;
      }
      for (let i = 0; i < nc; i++) {
        const m = counts[i];
        if (!m) continue;
        const value = node.labels[constraints[i].topologyKey] ?? '';
        if (!m.has(value)) {
          m.set(value, 0);
          sizes[i]++;
        }
      }
    }
    for (let i = 0; i < nc; i++) {
      if (constraints[i].topologyKey === LABEL_HOSTNAME) sizes[i] = filtered.length - s.ignored.size;
      s.weights.push(topologyNormalizingWeight(sizes[i]));
    }
    if (incremental) {
      for (let i = 0; i < nc; i++) {
        const m = counts[i];
        if (!m) continue;
        const byValue = totals[i]!.byValue;
        for (const value of m.keys()) m.set(value, byValue.get(value) ?? 0);
      }
    } else {
      for (const node of this.handle.allNodes()) {
        if (admits && !admits(node)) continue;
        if (requireAll && !hasAllKeys(node, constraints)) continue;
        for (let i = 0; i < nc; i++) {
          const m = counts[i];
          if (!m) continue;
          const c = constraints[i];
          const value = node.labels[c.topologyKey] ?? '';
          const count = m.get(value);
          if (count === undefined) continue;
          m.set(value, count + countPodsMatchSelector(node, c.selector, s.namespace, c.cacheKey));
        }
      }
    }
    if (memoize) this.addTables(s);
    state.write(PRE_SCORE_KEY, s);
    this.lastCycle = state;
    this.lastPreScore = s;
    return null;
  }

  /** Score's fast path: each constraint's column of node values, and the domain counts by value id. */
  private addTables(s: PreScoreState): void {
    const { constraints, counts } = s;
    const nodes = this.handle.allNodes().length;
    s.columns = constraints.map((c) => this.column(c.topologyKey));
    for (const column of s.columns) column.trim(nodes);
    s.selectorIds = constraints.map((c) => this.selectorId(c.cacheKey));
    s.countsById = counts.map((m, i) => {
      if (!m) return undefined;
      const column = s.columns![i];
      for (const value of m.keys()) column.intern(value);
      const byId = new Float64Array(column.ids.size);
      for (const [value, n] of m) byId[column.intern(value)] = n;
      return byId;
    });
  }

  /** This cycle's PreScore state (score runs per node: one CycleState lookup per cycle, not per node). */
  private preScoreState(state: CycleState): PreScoreState | undefined {
    if (state === this.lastCycle) return this.lastPreScore;
    return state.read(PRE_SCORE_KEY);
  }

  /** Matching pods per value of `c.topologyKey` over all nodes, recounting only nodes that changed. */
  private pairTotals(c: Constraint, namespace: string): Totals {
    const key = `${c.topologyKey}\0${c.cacheKey}`;
    let t = this.totals.get(key);
    if (t) {
      // Most recently read last (a Map iterates in insertion order).
      this.totals.delete(key);
    } else {
      const capacity = Math.max(1, this.totalsCapacity);
      while (this.totals.size >= capacity) this.totals.delete(this.totals.keys().next().value as string);
      t = { epoch: 0, perNode: new Map(), byValue: new Map(), nodesByValue: new Map() };
    }
    this.totals.set(key, t);
    const all = this.handle.allNodes();
    const log = this.handle.changes?.();
    // The log read in place, from the last pass's position (when it still reaches back that far).
    const from = log && t.list === all && t.cursor !== undefined && t.cursor >= log.base ? t.cursor - log.base : -1;
    t.list = all;
    t.cursor = log ? log.base + log.entries.length : undefined;
    if (from >= 0) {
      // Same nodes as last time: only those that changed since need recounting.
      const changed = log!.entries;
      for (let i = from; i < changed.length; i++) {
        const node = changed[i];
        const prev = t.perNode.get(node);
        if (!prev || prev.gen === node.generation) continue;
        addNode(t, prev.value, prev.count, -1);
        prev.value = node.labels[c.topologyKey] ?? '';
        prev.count = countPodsMatchSelector(node, c.selector, namespace, c.cacheKey);
        prev.gen = node.generation;
        addNode(t, prev.value, prev.count, 1);
      }
      return t;
    }
    const epoch = ++t.epoch;
    let nodes = 0;
    for (const node of all) {
      nodes++;
      const prev = t.perNode.get(node);
      if (prev && prev.gen === node.generation) {
        prev.epoch = epoch;
        continue;
      }
      if (prev) addNode(t, prev.value, prev.count, -1);
      const value = node.labels[c.topologyKey] ?? '';
      const count = countPodsMatchSelector(node, c.selector, namespace, c.cacheKey);
      addNode(t, value, count, 1);
      t.perNode.set(node, { gen: node.generation, value, count, epoch });
    }
    if (nodes !== t.perNode.size) {
      // A node left the cluster: take its pods out of the totals.
      for (const [node, prev] of t.perNode) {
        if (prev.epoch === epoch) continue;
        addNode(t, prev.value, prev.count, -1);
        t.perNode.delete(node);
      }
    }
    return t;
  }

  score(state: CycleState, _pod: Pod, node: NodeInfo): number {
    const s = this.preScoreState(state);
    if (!s || (s.ignored.size > 0 && s.ignored.has(node.name))) return 0;
    const constraints = s.constraints;
    let score = 0;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i];
      const value = node.labels[c.topologyKey];
      if (value === undefined) continue;
      const m = s.counts[i];
      const cnt = m === undefined ? countPodsMatchSelector(node, c.selector, s.namespace, c.cacheKey) : (m.get(value) ?? 0);
      score += cnt * s.weights[i] + (c.maxSkew - 1);
    }
    return Math.round(score);
  }

  /**
   * Score for every node at once: the per-cycle state is looked up once, not per node, and with
   * `list` and `indices` (nodes[i] is list[indices[i]]) node values and host counts are read from
   * tables kept per list position.
   */
  scoreNodes(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], out: Int32Array, list?: readonly NodeInfo[], indices?: Int32Array): void {
    const s = this.preScoreState(state);
    const columns = s?.columns;
    const log = this.handle.changes?.();
    if (!s || !columns || s.ignored.size > 0 || !list || !indices || !log) {
      for (let i = 0; i < nodes.length; i++) out[i] = this.score(state, pod, nodes[i]);
      return;
    }
    const constraints = s.constraints;
    const nc = constraints.length;
    const countsById = s.countsById!;
    const selectorIds = s.selectorIds!;
    const weights = s.weights;
    const hosts = this.hostCounts;
    for (let i = 0; i < nc; i++) columns[i].sync(list, log);
    hosts.sync(list, log);
    for (let n = 0; n < nodes.length; n++) {
      const x = indices[n];
      let score = 0;
      for (let i = 0; i < nc; i++) {
        const id = columns[i].valueAt(x, nodes[n]);
        if (id < 0) continue;
        const c = constraints[i];
        const byId = countsById[i];
        // A value no feasible node carries is not a domain of this cycle: 0, as counts.get() ?? 0.
        const cnt = byId === undefined ? hosts.countAt(x, nodes[n], c, selectorIds[i], s.namespace) : id < byId.length ? byId[id] : 0;
        score += cnt * weights[i] + (c.maxSkew - 1);
      }
      out[n] = Math.round(score);
    }
  }

  /** Fewer matching pods is better: `100 * (max + min - score) / max`; ignored nodes get 0. */
  normalizeScore(state: CycleState, _pod: Pod, scores: Int32Array, nodes?: readonly NodeInfo[]): void {
    const s = state.read(PRE_SCORE_KEY);
    const ignored = s && nodes && s.ignored.size > 0 ? s.ignored : undefined;
    let min = Number.MAX_SAFE_INTEGER;
    let max = 0;
    for (let i = 0; i < scores.length; i++) {
      if (ignored && ignored.has(nodes![i].name)) continue;
      if (scores[i] < min) min = scores[i];
      if (scores[i] > max) max = scores[i];
    }
    for (let i = 0; i < scores.length; i++) {
      if (ignored && ignored.has(nodes![i].name)) scores[i] = 0;
      else if (max === 0) scores[i] = MAX_NODE_SCORE;
      else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i])) / max);
    }
  }
}
