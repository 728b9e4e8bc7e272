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
import type { NodeInfo } from '../framework/nodeInfo';
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
  changeCursor?(): number;
  changedSince?(cursor: number): readonly NodeInfo[] | undefined;
}

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: Selector;
  /** namespace + selector text, computed once per cycle for the per-node count caches. */
  cacheKey?: string;
}

interface PreScoreState {
  constraints: Constraint[];
  ignored: Set<string>;
  /** `key\0value` → matching pods in that domain (non-hostname constraints). */
  pairCounts: Map<string, number>;
  weights: number[];
  namespace: string;
}

const PRE_SCORE_KEY = new StateKey<PreScoreState>('PreScore' + NAME);

interface PreFilterState {
  constraints: Constraint[];
  /** `key\0value` → matching pods in that domain, for every domain of an eligible node. */
  pairCounts: Map<string, number>;
  /** Per constraint: the smallest count over its domains (the critical path). */
  minMatch: number[];
  namespace: string;
}

const PRE_FILTER_KEY = new StateKey<PreFilterState>('PreFilter' + NAME);

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
    const s = compiledSelector(svc, () => selectorFromMap(svc.spec!.selector));
    if (s.matches(labels)) parts.push(s);
  }
  for (const rs of store.values('ReplicaSet')) {
    if (rs.metadata?.namespace !== ns) continue;
    const s = compiledSelector(rs, () => selectorFromLabelSelector(rs.spec?.selector as LabelSelector));
    if (!s.empty && s.matches(labels)) parts.push(s);
  }
  return parts.length ? and(parts) : undefined;
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
  const memo = node.memo;
  if (memo.countsGen !== node.generation || !memo.selectorCounts) {
    memo.selectorCounts = new Map();
    memo.countsGen = node.generation;
  }
  const key = cacheKey ?? `${namespace}\0${selector.toString()}`;
  const cached = memo.selectorCounts.get(key);
  if (cached !== undefined) return cached;
  let n = 0;
  for (const e of node.pods.values()) {
    const m = e.pod.metadata!;
    if (m.deletionTimestamp || (m.namespace ?? 'default') !== namespace) continue;
    if (selector.matches(m.labels)) n++;
  }
  memo.selectorCounts.set(key, n);
  return n;
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
 * Not node-local: a zone's count depends on every node in it, so nothing it computes is memoised.
 */
export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = NAME;
  /**
   * Matching-pod totals per topology pair over all nodes, per (selector, topology key), kept up to date
   * node by node (a node is recounted only when its generation moved). Why: PreScore counts every node
   * for every pod, as the real plugin does with 16 goroutines; recounting only changed nodes keeps
   * large clusters fast without changing the result.
   */
  private readonly totals = new Map<string, {
    epoch: number;
    /** The node list and change-log position of the last full or incremental pass. */
    list?: readonly NodeInfo[];
    cursor?: number;
    perNode: Map<NodeInfo, { gen: number; pair: string; count: number; epoch: number }>;
    byPair: Map<string, number>;
  }>();

  constructor(private readonly handle: TopologySpreadHandle) {}

  preFilter(state: CycleState, pod: Pod): Result {
    const hard = (pod.spec?.topologySpreadConstraints ?? []).filter((c) => c.whenUnsatisfiable !== 'ScheduleAnyway');
    if (hard.length === 0) return SKIP;
    const constraints: Constraint[] = hard.map((c) => ({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector: selectorFromLabelSelector(c.labelSelector as LabelSelector),
    }));
    const s: PreFilterState = { constraints, pairCounts: new Map(), minMatch: [], namespace: pod.metadata?.namespace ?? 'default' };
    const admits = requiredNodeMatcher(pod);
    for (const node of this.handle.allNodes()) {
      if (admits && !admits(node)) continue;
      if (!hasAllKeys(node, constraints)) continue;
      for (const c of constraints) {
        const pair = `${c.topologyKey}\0${node.labels[c.topologyKey]}`;
        s.pairCounts.set(pair, (s.pairCounts.get(pair) ?? 0) + countPodsMatchSelector(node, c.selector, s.namespace));
      }
    }
    s.minMatch = constraints.map((c) => {
      let min = Number.MAX_SAFE_INTEGER;
      const prefix = `${c.topologyKey}\0`;
      for (const [pair, n] of s.pairCounts) if (pair.startsWith(prefix) && n < min) min = n;
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
      const skew = (s.pairCounts.get(`${c.topologyKey}\0${value}`) ?? 0) + self - s.minMatch[i];
      if (skew > c.maxSkew) return REJECT_SKEW;
    }
    return null;
  }

  private constraints(pod: Pod): { constraints: Constraint[]; system: boolean } {
    const own: TopologySpreadConstraint[] = pod.spec?.topologySpreadConstraints ?? [];
    if (own.length) {
      const soft = own.filter((c) => c.whenUnsatisfiable === 'ScheduleAnyway');
      return {
        constraints: soft.map((c) => ({ maxSkew: c.maxSkew, topologyKey: c.topologyKey, selector: selectorFromLabelSelector(c.labelSelector as LabelSelector) })),
        system: false,
      };
    }
    const sel = defaultSelector(pod, this.handle.store);
    if (!sel) return { constraints: [], system: true };
    const cacheKey = `${pod.metadata?.namespace ?? 'default'}\0${sel.toString()}`;
    return { constraints: SYSTEM_DEFAULT_CONSTRAINTS.map((c) => ({ ...c, selector: sel, cacheKey })), system: true };
  }

  preScore(state: CycleState, pod: Pod, filtered: readonly NodeInfo[]): Result {
    const { constraints, system } = this.constraints(pod);
    if (constraints.length === 0) return SKIP;
    // System defaults do not require every node to carry every key (nodes may lack a zone).
    const requireAll = !system;
    const s: PreScoreState = { constraints, ignored: new Set(), pairCounts: new Map(), weights: [], namespace: pod.metadata?.namespace ?? 'default' };
    const sizes = constraints.map(() => 0);
    for (const node of filtered) {
      if (requireAll && !hasAllKeys(node, constraints)) {
        s.ignored.add(node.name);
        continue;
      }
      constraints.forEach((c, i) => {
        if (c.topologyKey === LABEL_HOSTNAME) return;
        const pair = `${c.topologyKey}\0${node.labels[c.topologyKey] ?? ''}`;
        if (!s.pairCounts.has(pair)) {
          s.pairCounts.set(pair, 0);
          sizes[i]++;
        }
      });
    }
    constraints.forEach((c, i) => {
      if (c.topologyKey === LABEL_HOSTNAME) sizes[i] = filtered.length - s.ignored.size;
      s.weights.push(topologyNormalizingWeight(sizes[i]));
    });
    // Count matching pods over all nodes that the pod's required node affinity admits (nodeAffinityPolicy Honor).
    const admits = requiredNodeMatcher(pod);
    if (!admits && !requireAll) {
      for (const c of constraints) {
        if (c.topologyKey === LABEL_HOSTNAME) continue;
        const byPair = this.pairTotals(c, s.namespace);
        for (const pair of s.pairCounts.keys()) if (pair.startsWith(`${c.topologyKey}\0`)) s.pairCounts.set(pair, byPair.get(pair) ?? 0);
      }
    } else {
      for (const node of this.handle.allNodes()) {
        if (admits && !admits(node)) continue;
        if (requireAll && !hasAllKeys(node, constraints)) continue;
        for (const c of constraints) {
          if (c.topologyKey === LABEL_HOSTNAME) continue;
          const pair = `${c.topologyKey}\0${node.labels[c.topologyKey] ?? ''}`;
          const count = s.pairCounts.get(pair);
          if (count === undefined) continue;
          s.pairCounts.set(pair, count + countPodsMatchSelector(node, c.selector, s.namespace, c.cacheKey));
        }
      }
    }
    state.write(PRE_SCORE_KEY, s);
    return null;
  }

  /** Totals per pair of `c.topologyKey` over all nodes, recounting only nodes that changed. */
  private pairTotals(c: Constraint, namespace: string): Map<string, number> {
    const key = `${c.topologyKey}\0${c.cacheKey ?? `${namespace}\0${c.selector.toString()}`}`;
    let t = this.totals.get(key);
    if (!t) this.totals.set(key, (t = { epoch: 0, perNode: new Map(), byPair: new Map() }));
    const all = this.handle.allNodes();
    const cursor = this.handle.changeCursor?.();
    const changed = t.list === all && t.cursor !== undefined ? this.handle.changedSince?.(t.cursor) : undefined;
    t.list = all;
    t.cursor = cursor;
    if (changed) {
      // Same nodes as last time: only those that changed since need recounting.
      for (const node of changed) {
        const prev = t.perNode.get(node);
        if (!prev || prev.gen === node.generation) continue;
        t.byPair.set(prev.pair, (t.byPair.get(prev.pair) ?? 0) - prev.count);
        prev.pair = `${c.topologyKey}\0${node.labels[c.topologyKey] ?? ''}`;
        prev.count = countPodsMatchSelector(node, c.selector, namespace, c.cacheKey);
        prev.gen = node.generation;
        t.byPair.set(prev.pair, (t.byPair.get(prev.pair) ?? 0) + prev.count);
      }
      return t.byPair;
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
      if (prev) t.byPair.set(prev.pair, (t.byPair.get(prev.pair) ?? 0) - prev.count);
      const pair = `${c.topologyKey}\0${node.labels[c.topologyKey] ?? ''}`;
      const count = countPodsMatchSelector(node, c.selector, namespace, c.cacheKey);
      t.byPair.set(pair, (t.byPair.get(pair) ?? 0) + count);
      t.perNode.set(node, { gen: node.generation, pair, count, epoch });
    }
    if (nodes !== t.perNode.size) {
      // A node left the cluster: take its pods out of the totals.
      for (const [node, prev] of t.perNode) {
        if (prev.epoch === epoch) continue;
        t.byPair.set(prev.pair, (t.byPair.get(prev.pair) ?? 0) - prev.count);
        t.perNode.delete(node);
      }
    }
    return t.byPair;
  }

  score(state: CycleState, _pod: Pod, node: NodeInfo): number {
    const s = state.read(PRE_SCORE_KEY);
    if (!s || s.ignored.has(node.name)) return 0;
    let score = 0;
    s.constraints.forEach((c, i) => {
      const value = node.labels[c.topologyKey];
      if (value === undefined) return;
      const cnt = c.topologyKey === LABEL_HOSTNAME ? countPodsMatchSelector(node, c.selector, s.namespace, c.cacheKey) : (s.pairCounts.get(`${c.topologyKey}\0${value}`) ?? 0);
      score += cnt * s.weights[i] + (c.maxSkew - 1);
    });
    return Math.round(score);
  }

  /** Fewer matching pods is better: `100 * (max + min - score) / max`; ignored nodes get 0. */
  normalizeScore(state: CycleState, _pod: Pod, scores: Int32Array, nodes?: readonly NodeInfo[]): void {
    const s = state.read(PRE_SCORE_KEY);
    const ignored = (i: number) => !!(s && nodes && s.ignored.has(nodes[i].name));
    let min = Number.MAX_SAFE_INTEGER;
    let max = 0;
    for (let i = 0; i < scores.length; i++) {
      if (ignored(i)) continue;
      if (scores[i] < min) min = scores[i];
      if (scores[i] > max) max = scores[i];
    }
    for (let i = 0; i < scores.length; i++) {
      if (ignored(i)) scores[i] = 0;
      else if (max === 0) scores[i] = MAX_NODE_SCORE;
      else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i])) / max);
    }
  }
}
