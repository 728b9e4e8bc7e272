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
import { memoSlotOf, type NodeInfo } from './nodeInfo';
import { Code, type Result } from './status';

/**
 * Which score plugins run in a cycle and where their rows sit in the score buffer; one per set of
 * PreScore skips, shared by every cycle with that set (never mutated).
 */
interface ScoreLayout {
  /** Index in scorePlugins of each active plugin, node-local ones first (row `a` of the buffer holds slots[a]'s raw scores). */
  readonly slots: readonly number[];
  readonly nLocal: number;
  readonly nActive: number;
  readonly nNormalize: number;
  /** Active plugins in profile order: their row `a`, and the row of their normalised copy (`a` again when they do not normalise). */
  readonly order: readonly number[];
  readonly normRow: readonly number[];
  readonly plugins: readonly string[];
  readonly weights: readonly number[];
  /** The row of the totals. */
  readonly totalsRow: number;
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
    /** Σ normalized × weight per node. */
    readonly totals: Int32Array,
  ) {}

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
   * RunFilterPlugins, reusing the node's memoised verdict when `shape` (an id of the pod's spec,
   * or -1 for none) and the node are unchanged since it was computed.
   */
  runFilterMemo(state: CycleState, pod: Pod, node: NodeInfo, shape: number): Result {
    if (shape < 0) return this.runFilter(state, pod, node);
    let slot = node.memoSlot;
    if (slot < 0 || slot >= this.filterShape.length) slot = this.assignSlot(node);
    if (this.filterShape[slot] === shape && this.filterGen[slot] === node.generation) return this.filterStatus[slot];
    const s = this.runFilter(state, pod, node);
    if (s === null || s.code !== Code.Error) {
      this.filterShape[slot] = shape;
      this.filterGen[slot] = node.generation;
      this.filterStatus[slot] = s;
    }
    return s;
  }

  // Memo tables, one row per node (NodeInfo.memoSlot). Why flat typed arrays rather than an object
  // per node: the scheduling loop reads them for hundreds of nodes per pod, and dense rows keep
  // those reads in cache where a chain of per-node objects did not.
  private filterShape = new Int32Array(0);
  private filterGen = new Float64Array(0);
  private filterStatus: Result[] = [];
  private scoreShape = new Int32Array(0);
  private scoreGen = new Float64Array(0);
  /** Raw scores of node-local plugins: row `slot`, column = index in scorePlugins. */
  private scoreMemo = new Int32Array(0);

  /** The node's row, growing the tables to hold it. */
  private assignSlot(node: NodeInfo): number {
    const slot = memoSlotOf(node);
    if (slot >= this.filterShape.length) {
      const size = Math.max(64, this.filterShape.length * 2, slot + 1);
      const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T, fill: number): T => {
        const b = make(size);
        b.fill(fill);
        b.set(a);
        return b;
      };
      this.filterShape = grow(this.filterShape, (n) => new Int32Array(n), -1);
      this.filterGen = grow(this.filterGen, (n) => new Float64Array(n), -1);
      this.scoreShape = grow(this.scoreShape, (n) => new Int32Array(n), -1);
      this.scoreGen = grow(this.scoreGen, (n) => new Float64Array(n), -1);
      const k = this.scorePlugins.length;
      const scores = new Int32Array(size * k);
      scores.set(this.scoreMemo);
      this.scoreMemo = scores;
    }
    // Rows start empty (-1) and slots are never reused, so a row only ever holds this node's results.
    return slot;
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

  private layoutFor(skip: ReadonlySet<string> | undefined): ScoreLayout {
    const all = this.scorePlugins;
    let mask = 0;
    if (skip && skip.size) for (let j = 0; j < all.length; j++) if (skip.has(all[j].plugin.name)) mask |= 1 << j;
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
    layout = Object.freeze({
      slots: Object.freeze(slots),
      nLocal,
      nActive,
      nNormalize,
      order: Object.freeze(order),
      normRow: Object.freeze(normRow),
      plugins: Object.freeze(order.map((a) => all[slots[a]].plugin.name)),
      weights: Object.freeze(order.map((a) => all[slots[a]].weight)),
      totalsRow: nActive + nNormalize,
    });
    this.layouts.set(mask, layout);
    return layout;
  }

  /** RunPreScorePlugins then RunScorePlugins (with NormalizeScore and weights) over the feasible nodes. */
  runScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], shape = -1, alloc: ScoreBufferAllocator = newBuffer): ScoreResult {
    const pre = this.preScorePlugins;
    for (let i = 0; i < pre.length; i++) {
      const s = pre[i].preScore(state, pod, nodes);
      if (s?.code === Code.Skip) state.skipScorePlugins.add(pre[i].name);
    }
    const n = nodes.length;
    const all = this.scorePlugins;
    const layout = this.layoutFor(state.skippedScorePlugins());
    // Slots (index in scorePlugins) of the plugins that score this cycle, node-local ones first.
    const { slots, nLocal, nActive } = layout;
    // Why one buffer: a cycle scores hundreds of nodes per pod and the result is kept for explain();
    // one allocation (raw scores row by row, then normalised copies, then totals) keeps GC work low.
    const buf = alloc(n * (layout.totalsRow + 1));
    const k = all.length;
    if (shape >= 0) {
      // Two or three node-local plugins is the common case: their memoised rows are read with the
      // column offsets hoisted (the tables are re-read after a miss, which may grow them).
      const c0 = slots[0];
      const c1 = slots[1];
      const c2 = slots[2];
      let memoShape = this.scoreShape;
      let memoGen = this.scoreGen;
      let memo = this.scoreMemo;
      for (let i = 0; i < n; i++) {
        const node = nodes[i];
        let slot = node.memoSlot;
        if (slot < 0 || slot >= memoShape.length) {
          slot = this.assignSlot(node);
          memoShape = this.scoreShape;
          memoGen = this.scoreGen;
          memo = this.scoreMemo;
        }
        const row = slot * k;
        if (memoShape[slot] === shape && memoGen[slot] === node.generation) {
          if (nLocal === 3) {
            buf[i] = memo[row + c0];
            buf[n + i] = memo[row + c1];
            buf[2 * n + i] = memo[row + c2];
          } else if (nLocal === 2) {
            buf[i] = memo[row + c0];
            buf[n + i] = memo[row + c1];
          } else {
            for (let a = 0; a < nLocal; a++) buf[a * n + i] = memo[row + slots[a]];
          }
        } else {
          for (let a = 0; a < nLocal; a++) buf[a * n + i] = this.scoreMemo[row + slots[a]] = all[slots[a]].plugin.score(state, pod, node);
          this.scoreShape[slot] = shape;
          this.scoreGen[slot] = node.generation;
        }
      }
    } else {
      for (let i = 0; i < n; i++) for (let a = 0; a < nLocal; a++) buf[a * n + i] = all[slots[a]].plugin.score(state, pod, nodes[i]);
    }
    // Plugins that are not node-local score every node, never memoised.
    for (let a = nLocal; a < nActive; a++) {
      const plugin = all[slots[a]].plugin;
      const base = a * n;
      if (plugin.scoreNodes) plugin.scoreNodes(state, pod, nodes, buf.subarray(base, base + n));
      else for (let i = 0; i < n; i++) buf[base + i] = plugin.score(state, pod, nodes[i]);
    }
    // Normalise (into copies, so explain() shows both) and sum, in profile order.
    const tb = layout.totalsRow * n;
    buf.fill(0, tb, tb + n);
    const { order, normRow } = layout;
    for (let q = 0; q < order.length; q++) {
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
    return new ScoreResult(layout, buf, n, buf.subarray(tb, tb + n));
  }
}

export { CycleState };
