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
import { ShapeViews, VERDICT_FEASIBLE, VERDICT_INFEASIBLE, type ShapeView } from './shapeView';
import { Code, type Result } from './status';

/**
 * Which score plugins run in a cycle and where their rows sit in the score buffer; one per set of
 * PreScore skips, shared by every cycle with that set (never mutated).
 */
interface ScoreLayout {
  /** Index in scorePlugins of each active plugin, node-local ones first (row `a` of the buffer holds slots[a]'s raw scores). */
  readonly slots: readonly number[];
  readonly nLocal: number;
  /** The node-local plugins that score (bit = index in scorePlugins). */
  readonly localMask: number;
  readonly nActive: number;
  readonly nNormalize: number;
  /** Active plugins in profile order: their row `a`, and the row of their normalised copy (`a` again when they do not normalise). */
  readonly order: readonly number[];
  readonly normRow: readonly number[];
  readonly plugins: readonly string[];
  readonly weights: readonly number[];
  /** The row of the totals. */
  readonly totalsRow: number;
  /**
   * Per row `a`: the plugin's weight when it is node-local and does not normalise (its weighted
   * raw score goes into the totals as the raw scores are gathered), else 0.
   */
  readonly direct: readonly number[];
  /** Positions in `order` of the plugins added to the totals after NormalizeScore (the others are `direct`). */
  readonly summed: readonly number[];
}

/**
 * Per-plugin scores of one cycle, kept as is for explanations (no copy): rows of one buffer.
 * Why views on demand: a cycle made a typed-array view per plugin and per normalised copy, and
 * arrays of names and weights, for every pod; only explain() ever reads them.
 */
export class ScoreResult {
  constructor(
    private readonly layout: ScoreLayout,
    /** The one buffer every array here is a view of (to hand back to the allocator once forgotten). */
    readonly buffer: Int32Array,
    /** Number of nodes scored (the length of every row). */
    readonly n: number,
  ) {}

  /** Where the totals (Σ normalized × weight per node) start in `buffer`. */
  get totalsAt(): number {
    return this.layout.totalsRow * this.n;
  }

  /** Σ normalized × weight per node (a new view of the buffer each time: keep it while you need it). */
  get totals(): Int32Array {
    const at = this.totalsAt;
    return this.buffer.subarray(at, at + this.n);
  }

  /** Score plugins that ran (PreScore did not Skip), in profile order. */
  get plugins(): readonly string[] {
    return this.layout.plugins;
  }

  get weights(): readonly number[] {
    return this.layout.weights;
  }

  /** raw[p][i]: plugin p's score of node i before normalisation. */
  get raw(): Int32Array[] {
    return this.layout.order.map((a) => this.row(a));
  }

  /** normalized[p][i]: after NormalizeScore (0–100). */
  get normalized(): Int32Array[] {
    return this.layout.normRow.map((r) => this.row(r));
  }

  private row(r: number): Int32Array {
    return this.buffer.subarray(r * this.n, (r + 1) * this.n);
  }
}

/** Gives a buffer of at least `length` int32s, contents unspecified (e.g. a recycled one). */
export type ScoreBufferAllocator = (length: number) => Int32Array;

const newBuffer: ScoreBufferAllocator = (length) => new Int32Array(length);

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

  /** Per PreScore plugin: the bit of its score plugin in a skip mask (0 for one that does not score). */
  private readonly preScoreSkipBit: readonly number[];
  /** Per pod shape: filter verdicts and node-local raw scores by node (see {@link shapeView}). */
  readonly shapeViews: ShapeViews;

  constructor(
    readonly profile: Profile,
    registry: Readonly<Record<string, PluginFactory>>,
    private readonly handle: FrameworkHandle,
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
    this.shapeViews = new ShapeViews(this.scorePlugins.length);
    this.preScoreSkipBit = this.preScorePlugins.map((p) => {
      const j = this.scorePlugins.findIndex((s) => s.plugin.name === p.name);
      return j < 0 ? 0 : 1 << j;
    });
  }

  /**
   * RunPreFilterPlugins: the first rejection (or error) ends the cycle. A plugin answering Skip
   * has its Filter skipped for this pod.
   */
  runPreFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Result {
    // Which PreFilter plugins skipped, as a bit mask: the active filter list is built once per mask.
    let mask = 0;
    const pre = this.preFilterPlugins;
    for (let i = 0; i < pre.length; i++) {
      const p = pre[i];
      const s = p.preFilter(state, pod, nodes);
      if (!s) continue;
      if (s.code === Code.Skip) {
        mask |= 1 << i;
        continue;
      }
      if (!s.plugin) s.plugin = p.name;
      return s;
    }
    let active = this.activeByMask.get(mask);
    if (!active) {
      const skipped = new Set(pre.filter((_, i) => mask & (1 << i)).map((p) => p.name));
      active = this.filterPlugins;
      if (skipped.size) {
        active = this.filterPlugins.filter((f) => !skipped.has(f.name));
        if (!active.some((f) => this.globalFilters.has(f.name))) active = Object.assign(active, { nodeLocal: true });
      }
      this.activeByMask.set(mask, active);
    }
    state.write(ACTIVE_FILTERS, active);
    return null;
  }

  /** Active filter lists by the mask of PreFilter plugins that skipped (shared, never mutated). */
  private readonly activeByMask = new Map<number, FilterPlugin[]>();

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
   * The shape view of `shape` (an id of the pod's spec, see podShapeKey) over `nodes` (the cache's
   * node list), current with the cache's change log: the filter verdicts and node-local raw scores
   * of earlier pods of that shape on nodes that have not changed since. Undefined when the handle
   * has no change log (then nothing can be memoised).
   */
  shapeView(shape: number, nodes: readonly NodeInfo[]): ShapeView | undefined {
    const log = this.handle.changes?.();
    return log ? this.shapeViews.get(shape, nodes, log) : undefined;
  }

  /** RunFilterPlugins on `view.list[index]`, remembering the verdict in the view (errors are not remembered). */
  runFilterInto(state: CycleState, pod: Pod, view: ShapeView, index: number): Result {
    const s = this.runFilter(state, pod, view.list[index]);
    if (s === null) view.verdict[index] = VERDICT_FEASIBLE;
    else if (s.code !== Code.Error) {
      view.verdict[index] = VERDICT_INFEASIBLE;
      view.status[index] = s;
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

  /** Score layouts by the bit mask of skipped score plugins (index in scorePlugins). */
  private readonly layouts = new Map<number, ScoreLayout>();

  private layoutFor(mask: number): ScoreLayout {
    const all = this.scorePlugins;
    let layout = this.layouts.get(mask);
    if (layout) return layout;
    const slots: number[] = [];
    for (let j = 0; j < all.length; j++) if (all[j].plugin.nodeLocal && !(mask & (1 << j))) slots.push(j);
    const nLocal = slots.length;
    for (let j = 0; j < all.length; j++) if (!all[j].plugin.nodeLocal && !(mask & (1 << j))) slots.push(j);
    const nActive = slots.length;
    let nNormalize = 0;
    for (let a = 0; a < nActive; a++) if (all[slots[a]].plugin.normalizeScore) nNormalize++;
    // Profile order, as explain() shows them; normalised copies take the rows after the raw ones, in that order.
    const order = slots.map((_, a) => a).sort((x, y) => slots[x] - slots[y]);
    let next = nActive;
    const normRow = order.map((a) => (all[slots[a]].plugin.normalizeScore ? next++ : a));
    const direct = slots.map((j, a) => (a < nLocal && !all[j].plugin.normalizeScore ? all[j].weight : 0));
    layout = Object.freeze({
      slots: Object.freeze(slots),
      nLocal,
      localMask: slots.slice(0, nLocal).reduce((m, j) => m | (1 << j), 0),
      nActive,
      nNormalize,
      order: Object.freeze(order),
      normRow: Object.freeze(normRow),
      plugins: Object.freeze(order.map((a) => all[slots[a]].plugin.name)),
      weights: Object.freeze(order.map((a) => all[slots[a]].weight)),
      totalsRow: nActive + nNormalize,
      direct: Object.freeze(direct),
      summed: Object.freeze(order.map((a, q) => (direct[a] === 0 ? q : -1)).filter((q) => q >= 0)),
    });
    this.layouts.set(mask, layout);
    return layout;
  }

  /**
   * RunPreScorePlugins then RunScorePlugins (with NormalizeScore and weights) over the feasible
   * nodes. With `list` and `indices`, `nodes[i]` is `list[indices[i]]` (the cache's node list);
   * with a shape view (over `list` too), node-local raw scores are read from the view where known
   * and stored there where not.
   */
  runScore(
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
    alloc: ScoreBufferAllocator = newBuffer,
    list?: readonly NodeInfo[],
    indices?: Int32Array,
    view?: ShapeView,
  ): ScoreResult {
    const pre = this.preScorePlugins;
    // The score plugins whose PreScore said Skip, as a bit mask (bit = index in scorePlugins).
    let skipped = 0;
    for (let i = 0; i < pre.length; i++) {
      const s = pre[i].preScore(state, pod, nodes);
      if (s?.code === Code.Skip) skipped |= this.preScoreSkipBit[i];
    }
    const n = nodes.length;
    const all = this.scorePlugins;
    const layout = this.layoutFor(skipped);
    // Slots (index in scorePlugins) of the plugins that score this cycle, node-local ones first.
    const { slots, nLocal, nActive } = layout;
    // Why one buffer: a cycle scores hundreds of nodes per pod and the result is kept for explain();
    // one allocation (raw scores row by row, then normalised copies, then totals) keeps GC work low.
    const buf = alloc(n * (layout.totalsRow + 1));
    const tb = layout.totalsRow * n;
    // Node-local raw scores, from the view where it knows them; the totals start as the weighted
    // sum of those that do not normalise. (Int32 sums wrap the same whatever the order of the terms.)
    const direct = layout.direct;
    if (view && indices && view.list === list && nLocal > 0) {
      if (view.scoreMask !== layout.localMask) {
        view.scored.fill(0);
        view.scoreMask = layout.localMask;
      }
      const scored = view.scored;
      const memo = view.scores;
      const k = view.stride;
      // Three node-local plugins is the common case: its columns and weights are hoisted.
      const c0 = slots[0];
      const c1 = slots[1];
      const c2 = slots[2];
      const d0 = direct[0];
      const d1 = direct[1];
      const d2 = direct[2];
      for (let i = 0; i < n; i++) {
        const x = indices[i];
        const row = x * k;
        let t = 0;
        if (scored[x] === 1) {
          if (nLocal === 3) {
            const r0 = memo[row + c0];
            const r1 = memo[row + c1];
            const r2 = memo[row + c2];
            buf[i] = r0;
            buf[n + i] = r1;
            buf[2 * n + i] = r2;
            buf[tb + i] = r0 * d0 + r1 * d1 + r2 * d2;
            continue;
          }
          for (let a = 0; a < nLocal; a++) {
            const r = memo[row + slots[a]];
            buf[a * n + i] = r;
            t += r * direct[a];
          }
        } else {
          for (let a = 0; a < nLocal; a++) {
            // `| 0`: the Int32 conversion the buffers apply on store.
            const r = all[slots[a]].plugin.score(state, pod, nodes[i]) | 0;
            buf[a * n + i] = memo[row + slots[a]] = r;
            t += r * direct[a];
          }
          scored[x] = 1;
        }
        buf[tb + i] = t;
      }
    } else {
      for (let i = 0; i < n; i++) {
        let t = 0;
        for (let a = 0; a < nLocal; a++) {
          const r = all[slots[a]].plugin.score(state, pod, nodes[i]) | 0;
          buf[a * n + i] = r;
          t += r * direct[a];
        }
        buf[tb + i] = t;
      }
    }
    // Plugins that are not node-local score every node, never memoised.
    for (let a = nLocal; a < nActive; a++) {
      const plugin = all[slots[a]].plugin;
      const base = a * n;
      if (plugin.scoreNodes) plugin.scoreNodes(state, pod, nodes, buf.subarray(base, base + n), list, indices);
      else for (let i = 0; i < n; i++) buf[base + i] = plugin.score(state, pod, nodes[i]);
    }
    // Normalise (into copies, so explain() shows both) and add the rest to the totals, in profile order.
    const { order, normRow, summed } = layout;
    for (let u = 0; u < summed.length; u++) {
      const q = summed[u];
      const { plugin, weight } = all[slots[order[q]]];
      let base = order[q] * n;
      if (plugin.normalizeScore) {
        const nb = normRow[q] * n;
        buf.copyWithin(nb, base, base + n);
        plugin.normalizeScore(state, pod, buf.subarray(nb, nb + n), nodes);
        base = nb;
      }
      for (let i = 0; i < n; i++) buf[tb + i] += buf[base + i] * weight;
    }
    return new ScoreResult(layout, buf, n);
  }
}

export { CycleState };
