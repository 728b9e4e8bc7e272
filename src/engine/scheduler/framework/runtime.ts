import type { Pod } from '../../api/types';
import type { FrameworkHandle, Profile, PluginFactory } from '../registry';
import {
  CycleState,
  isFilter,
  isPreFilter,
  isPreScore,
  isScore,
  StateKey,
  type FilterPlugin,
  type Plugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from './interface';
import type { NodeInfo } from './nodeInfo';
import { Code, type Result } from './status';

/** Per-plugin scores of one cycle, kept as is for explanations (no copy). */
export interface ScoreResult {
  /** Score plugins that ran (PreScore did not Skip), in profile order. */
  plugins: string[];
  weights: number[];
  /** raw[p][i]: plugin p's score of node i before normalisation. */
  raw: Int32Array[];
  /** normalized[p][i]: after NormalizeScore (0–100). */
  normalized: Int32Array[];
  /** Σ normalized × weight per node. */
  totals: Int32Array;
}

const ACTIVE_FILTERS = new StateKey<FilterPlugin[]>('ActiveFilters');

/**
 * The framework runtime of one profile: plugins instantiated from the registry by name, grouped by
 * extension point, and the loops that run them (frameworkImpl in pkg/scheduler/framework/runtime).
 */
export class Framework {
  readonly plugins: Plugin[];
  readonly preFilterPlugins: PreFilterPlugin[];
  readonly filterPlugins: FilterPlugin[];
  readonly preScorePlugins: PreScorePlugin[];
  readonly scorePlugins: { plugin: ScorePlugin; weight: number }[];
  /** Every filter plugin is node-local: per-node verdicts may be memoised by pod shape. */
  readonly memoizable: boolean;
  /** Filter plugins that are not node-local (their verdicts are never memoised). */
  private readonly globalFilters: Set<string>;

  constructor(
    readonly profile: Profile,
    registry: Readonly<Record<string, PluginFactory>>,
    handle: FrameworkHandle,
  ) {
    this.plugins = profile.plugins.map((name) => {
      const factory = registry[name];
      if (!factory) throw new Error(`scheduler: plugin "${name}" does not exist in the registry`);
      return factory(handle);
    });
    this.preFilterPlugins = this.plugins.filter(isPreFilter);
    this.filterPlugins = this.plugins.filter(isFilter);
    this.preScorePlugins = this.plugins.filter((p) => isPreScore(p) && profile.scoreWeights[p.name] !== undefined) as PreScorePlugin[];
    this.scorePlugins = this.plugins
      .filter((p) => isScore(p) && profile.scoreWeights[p.name] !== undefined)
      .map((p) => ({ plugin: p as ScorePlugin, weight: profile.scoreWeights[p.name] }));
    this.globalFilters = new Set(this.filterPlugins.filter((p) => p.nodeLocal !== true).map((p) => p.name));
    this.memoizable = this.globalFilters.size === 0;
  }

  /**
   * RunPreFilterPlugins: the first rejection (or error) ends the cycle. A plugin answering Skip
   * has its Filter skipped for this pod.
   */
  runPreFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Result {
    const skipped = new Set<string>();
    for (const p of this.preFilterPlugins) {
      const s = p.preFilter(state, pod, nodes);
      if (!s) continue;
      if (s.code === Code.Skip) {
        skipped.add(p.name);
        continue;
      }
      if (!s.plugin) s.plugin = p.name;
      return s;
    }
    let active = this.filterPlugins;
    if (skipped.size) {
      active = this.filterPlugins.filter((f) => !skipped.has(f.name));
      if (!active.some((f) => this.globalFilters.has(f.name))) active = Object.assign(active, { nodeLocal: true });
    }
    state.write(ACTIVE_FILTERS, active);
    return null;
  }

  /**
   * Whether this cycle's filter verdicts may be memoised: every filter that will run (after
   * PreFilter skips) is node-local. A pod with a hard topology spread constraint is never memoised.
   */
  filtersMemoizable(state: CycleState): boolean {
    if (this.memoizable) return true;
    const active = state.read(ACTIVE_FILTERS) as (FilterPlugin[] & { nodeLocal?: boolean }) | undefined;
    return active?.nodeLocal === true;
  }

  /**
   * RunFilterPlugins, reusing the node's memoised verdict when `shape` (an id of the pod's spec,
   * or -1 for none) and the node are unchanged since it was computed.
   */
  runFilterMemo(state: CycleState, pod: Pod, node: NodeInfo, shape: number): Result {
    const m = node.memo;
    if (shape >= 0 && m.shape === shape && m.gen === node.generation) return m.status;
    const s = this.runFilter(state, pod, node);
    if (shape >= 0 && (s === null || s.code !== Code.Error)) {
      m.shape = shape;
      m.gen = node.generation;
      m.status = s;
    }
    return s;
  }

  /** RunFilterPlugins: stops at the first plugin that does not pass the node. */
  runFilter(state: CycleState, pod: Pod, node: NodeInfo): Result {
    const filters = state.read(ACTIVE_FILTERS) ?? this.filterPlugins;
    for (let i = 0; i < filters.length; i++) {
      const s = filters[i].filter(state, pod, node);
      if (s) {
        if (!s.plugin) s.plugin = filters[i].name;
        return s;
      }
    }
    return null;
  }

  /** RunPreScorePlugins then RunScorePlugins (with NormalizeScore and weights) over the feasible nodes. */
  runScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], shape = -1): ScoreResult {
    for (const p of this.preScorePlugins) {
      const s = p.preScore(state, pod, nodes);
      if (s?.code === Code.Skip) state.skipScorePlugins.add(p.name);
    }
    const n = nodes.length;
    const all = this.scorePlugins;
    const skip = state.skipScorePlugins;
    // Slots (index in scorePlugins) of the plugins that score this cycle, node-local ones first.
    const slots: number[] = [];
    for (let j = 0; j < all.length; j++) if (all[j].plugin.nodeLocal && !skip.has(all[j].plugin.name)) slots.push(j);
    const nLocal = slots.length;
    for (let j = 0; j < all.length; j++) if (!all[j].plugin.nodeLocal && !skip.has(all[j].plugin.name)) slots.push(j);
    const nActive = slots.length;
    // Why one buffer: a cycle scores hundreds of nodes per pod and the result is kept for explain();
    // one allocation (raw scores row by row, then normalised copies, then totals) keeps GC work low.
    let nNormalize = 0;
    for (let a = 0; a < nActive; a++) if (all[slots[a]].plugin.normalizeScore) nNormalize++;
    const buf = new Int32Array(n * (nActive + nNormalize + 1));
    const memo = shape >= 0;
    for (let i = 0; i < n; i++) {
      const node = nodes[i];
      const m = node.memo;
      const cached = m.scores;
      if (memo && cached !== undefined && m.scoreShape === shape && m.scoreGen === node.generation) {
        for (let a = 0; a < nLocal; a++) buf[a * n + i] = cached[slots[a]];
      } else {
        for (let a = 0; a < nLocal; a++) buf[a * n + i] = all[slots[a]].plugin.score(state, pod, node);
        if (memo) {
          const scores = cached ?? (m.scores = new Int32Array(all.length));
          for (let a = 0; a < nLocal; a++) scores[slots[a]] = buf[a * n + i];
          m.scoreShape = shape;
          m.scoreGen = node.generation;
        }
      }
    }
    // Plugins that are not node-local score every node, never memoised.
    for (let a = nLocal; a < nActive; a++) {
      const plugin = all[slots[a]].plugin;
      const base = a * n;
      for (let i = 0; i < n; i++) buf[base + i] = plugin.score(state, pod, nodes[i]);
    }
    // Results in profile order, as explain() shows them.
    const order = slots.map((_, a) => a).sort((x, y) => slots[x] - slots[y]);
    const out: ScoreResult = { plugins: [], weights: [], raw: [], normalized: [], totals: buf.subarray(n * (nActive + nNormalize)) };
    const totals = out.totals;
    let next = nActive;
    for (const a of order) {
      const { plugin, weight } = all[slots[a]];
      const raw = buf.subarray(a * n, (a + 1) * n);
      let normalized = raw;
      if (plugin.normalizeScore) {
        normalized = buf.subarray(next * n, (next + 1) * n);
        next++;
        normalized.set(raw);
        plugin.normalizeScore(state, pod, normalized, nodes);
      }
      for (let i = 0; i < n; i++) totals[i] += normalized[i] * weight;
      out.plugins.push(plugin.name);
      out.weights.push(weight);
      out.raw.push(raw);
      out.normalized.push(normalized);
    }
    return out;
  }
}

export { CycleState };
