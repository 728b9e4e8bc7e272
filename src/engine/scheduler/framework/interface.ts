import type { Pod } from '../../api/types';
import type { NodeInfo } from './nodeInfo';
import type { Result } from './status';

/** framework.MaxNodeScore: every normalised score is in [0, 100]. */
export const MAX_NODE_SCORE = 100;

/** Next free {@link StateKey.id}. */
let nextStateKeyId = 0;

/** A typed key into {@link CycleState}: `new StateKey<MyState>('PreScoreTaintToleration')`. */
export class StateKey<T> {
  declare readonly _type: T;
  /** The key's slot in every CycleState. */
  readonly id = nextStateKeyId++;
  constructor(readonly name: string) {}
}

/**
 * Data one scheduling cycle shares between extension points (framework.CycleState), typed by key.
 * Why slots rather than a Map: one is made per scheduling cycle, and a Map and a Set per pod were
 * a visible part of what the collector cleans up. (PreScore skips are a bit mask in the framework.)
 */
export class CycleState {
  // Sized for every key made so far (keys are made as plugin modules load): no growth on write.
  private readonly data: unknown[] = new Array<unknown>(nextStateKeyId);

  write<T>(key: StateKey<T>, value: T): void {
    this.data[key.id] = value;
  }

  read<T>(key: StateKey<T>): T | undefined {
    return this.data[key.id] as T | undefined;
  }
}

export interface Plugin {
  readonly name: string;
  /**
   * True when the plugin's Filter and Score depend only on the pod fields listed by podShapeKey
   * (framework/shape.ts) and on that one node's NodeInfo. The framework reuses such results for
   * the next pod of the same shape until the node changes (the replicas of a ReplicaSet share a
   * shape): the same results, computed once. Decided per cycle: filter verdicts are memoised when
   * every filter that runs in that cycle (after PreFilter skips) is node-local, and in such a cycle
   * the raw scores of the node-local score plugins are memoised too, even alongside score plugins
   * that are not node-local (PodTopologySpread's Score, recomputed every cycle). A plugin reading other pod fields must extend podShapeKey or leave this unset.
   */
  readonly nodeLocal?: boolean;
}

/** Runs once per cycle before filtering; may compute state or reject the pod outright. */
export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Result;
}

/** Says whether the pod can run on one node. `null` means it can. */
export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, node: NodeInfo): Result;
}

/** Runs once per cycle over the feasible nodes before scoring; may return Skip. */
export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Result;
}

/** Ranks a feasible node; optionally rescales all scores to [0, 100] afterwards. */
export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: Pod, node: NodeInfo): number;
  /**
   * Optional: `out[i] = score(state, pod, nodes[i])` for every node, in one call (the same
   * results; the framework uses it for plugins that are not node-local, to save per-node overhead).
   * With `list` and `indices`, `nodes[i]` is `list[indices[i]]`, `list` being the scheduler cache's
   * node list: per-node facts may be kept in tables by list position (see NodeListTable).
   */
  scoreNodes?(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], out: Int32Array, list?: readonly NodeInfo[], indices?: Int32Array): void;
  /** Rescale `scores` in place (the ScoreExtensions of the real framework); `nodes[i]` is the node of `scores[i]`. */
  normalizeScore?(state: CycleState, pod: Pod, scores: Int32Array, nodes: readonly NodeInfo[]): void;
}

export function isPreFilter(p: Plugin): p is PreFilterPlugin {
  return typeof (p as PreFilterPlugin).preFilter === 'function';
}
export function isFilter(p: Plugin): p is FilterPlugin {
  return typeof (p as FilterPlugin).filter === 'function';
}
export function isPreScore(p: Plugin): p is PreScorePlugin {
  return typeof (p as PreScorePlugin).preScore === 'function';
}
export function isScore(p: Plugin): p is ScorePlugin {
  return typeof (p as ScorePlugin).score === 'function';
}
