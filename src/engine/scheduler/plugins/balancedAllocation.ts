import type { Pod } from '../../api/types';
import { MAX_NODE_SCORE, StateKey, type CycleState, type PreScorePlugin, type ScorePlugin } from '../framework/interface';
import type { NodeInfo } from '../framework/nodeInfo';
import { podRequests, type Resources } from '../framework/resources';
import { Code, constStatus, type Result } from '../framework/status';

/** Name in the plugin registry (names.NodeResourcesBalancedAllocation). */
export const NAME = 'NodeResourcesBalancedAllocation';

const SKIP = constStatus(NAME, Code.Skip);
const PRE_SCORE_KEY = new StateKey<Resources>('PreScore' + NAME);

/**
 * balancedResourceScorer for cpu and memory: each resource's requested fraction of allocatable
 * (capped at 1), score `(1 - |f_cpu - f_mem| / 2) * 100`, truncated. A resource with no
 * allocatable is left out; with one resource left the score is 100.
 */
export function balancedScore(requested: readonly number[], allocatable: readonly number[]): number {
  const fractions: number[] = [];
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    fractions.push(Math.min(1, requested[i] / allocatable[i]));
  }
  let std = 0;
  if (fractions.length === 2) {
    std = Math.abs((fractions[0] - fractions[1]) / 2);
  } else if (fractions.length > 2) {
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    std = Math.sqrt(fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

/**
 * Favours nodes whose cpu and memory would be used in equal proportion after placing the pod.
 * Uses the pods' actual requests (no 100m/200Mi defaults), and skips best-effort pods entirely
 * (since v1.32, so they do not all pile onto one node; kubernetes issue 129138).
 */
export class BalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = NAME;
  readonly nodeLocal = true;

  preScore(state: CycleState, pod: Pod): Result {
    const req = podRequests(pod);
    if (req.milliCpu === 0 && req.memory === 0) return SKIP;
    state.write(PRE_SCORE_KEY, req);
    return null;
  }

  score(state: CycleState, pod: Pod, node: NodeInfo): number {
    const req = state.read(PRE_SCORE_KEY) ?? podRequests(pod);
    const a = node.allocatable;
    if (a.milliCpu === 0 || a.memory === 0) {
      return balancedScore([node.requested.milliCpu + req.milliCpu, node.requested.memory + req.memory], [a.milliCpu, a.memory]);
    }
    // The two-resource case of balancedScore, without allocating (this runs per node per pod).
    const fc = Math.min(1, (node.requested.milliCpu + req.milliCpu) / a.milliCpu);
    const fm = Math.min(1, (node.requested.memory + req.memory) / a.memory);
    return Math.trunc((1 - Math.abs((fc - fm) / 2)) * MAX_NODE_SCORE);
  }
}
