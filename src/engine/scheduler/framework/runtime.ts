import type { Pod } from '../../api/types';
import type { Profile, PluginFactory } from '../registry';
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

  constructor(
    readonly profile: Profile,
    registry: Readonly<Record<string, PluginFactory>>,
  ) {
    this.plugins = profile.plugins.map((name) => {
      const factory = registry[name];
      if (!factory) throw new Error(`scheduler: plugin "${name}" does not exist in the registry`);
      return factory();
    });
    this.preFilterPlugins = this.plugins.filter(isPreFilter);
    this.filterPlugins = this.plugins.filter(isFilter);
    this.preScorePlugins = this.plugins.filter((p) => isPreScore(p) && profile.scoreWeights[p.name] !== undefined) as PreScorePlugin[];
    this.scorePlugins = this.plugins
      .filter((p) => isScore(p) && profile.scoreWeights[p.name] !== undefined)
      .map((p) => ({ plugin: p as ScorePlugin, weight: profile.scoreWeights[p.name] }));
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
    state.write(ACTIVE_FILTERS, skipped.size ? this.filterPlugins.filter((f) => !skipped.has(f.name)) : this.filterPlugins);
    return null;
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
  runScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): ScoreResult {
    for (const p of this.preScorePlugins) {
      const s = p.preScore(state, pod, nodes);
      if (s?.code === Code.Skip) state.skipScorePlugins.add(p.name);
    }
    const n = nodes.length;
    const out: ScoreResult = { plugins: [], weights: [], raw: [], normalized: [], totals: new Int32Array(n) };
    for (const { plugin, weight } of this.scorePlugins) {
      if (state.skipScorePlugins.has(plugin.name)) continue;
      const raw = new Int32Array(n);
      for (let i = 0; i < n; i++) raw[i] = plugin.score(state, pod, nodes[i]);
      const normalized = plugin.normalizeScore ? raw.slice() : raw;
      plugin.normalizeScore?.(state, pod, normalized);
      const totals = out.totals;
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
