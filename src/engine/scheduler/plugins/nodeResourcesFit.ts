import type { Pod } from '../../api/types';
import { MAX_NODE_SCORE, StateKey, type CycleState, type FilterPlugin, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin } from '../framework/interface';
import type { NodeInfo } from '../framework/nodeInfo';
import { podRequests, type Resources } from '../framework/resources';
import { Code, constStatus, type Result, type Status } from '../framework/status';

/** Name in the plugin registry (names.NodeResourcesFit). */
export const NAME = 'NodeResourcesFit';
export const ERR_REASON_TOO_MANY_PODS = 'Too many pods';
export const ERR_REASON_INSUFFICIENT_CPU = 'Insufficient cpu';
export const ERR_REASON_INSUFFICIENT_MEMORY = 'Insufficient memory';
export const ERR_REASON_INSUFFICIENT_EPHEMERAL_STORAGE = 'Insufficient ephemeral-storage';

const PRE_FILTER_KEY = new StateKey<Resources>('PreFilter' + NAME);
const PRE_SCORE_KEY = new StateKey<Resources>('PreScore' + NAME);

/** One shared status per combination of reasons, so the filter loop does not allocate. */
const statuses = new Map<string, Status>();
function rejection(reasons: string[]): Status {
  const key = reasons.join('\n');
  let s = statuses.get(key);
  if (!s) statuses.set(key, (s = constStatus(NAME, Code.Unschedulable, ...reasons)));
  return s;
}

/** An insufficient resource, as noderesources.InsufficientResource. */
export interface InsufficientResource {
  resourceName: 'pods' | 'cpu' | 'memory' | 'ephemeral-storage';
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

/**
 * fitsRequest: the node's pod count and the pod's cpu, memory and ephemeral-storage requests
 * against allocatable minus what the assigned pods already request. Every shortfall is reported.
 */
export function fitsRequest(req: Resources, node: NodeInfo): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  if (node.podCount + 1 > node.allowedPodNumber) {
    out.push({ resourceName: 'pods', reason: ERR_REASON_TOO_MANY_PODS, requested: 1, used: node.podCount, capacity: node.allowedPodNumber });
  }
  if (req.milliCpu === 0 && req.memory === 0 && req.ephemeralStorage === 0) return out;
  const a = node.allocatable;
  const r = node.requested;
  if (req.milliCpu > 0 && req.milliCpu > a.milliCpu - r.milliCpu) {
    out.push({ resourceName: 'cpu', reason: ERR_REASON_INSUFFICIENT_CPU, requested: req.milliCpu, used: r.milliCpu, capacity: a.milliCpu });
  }
  if (req.memory > 0 && req.memory > a.memory - r.memory) {
    out.push({ resourceName: 'memory', reason: ERR_REASON_INSUFFICIENT_MEMORY, requested: req.memory, used: r.memory, capacity: a.memory });
  }
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > a.ephemeralStorage - r.ephemeralStorage) {
    out.push({
      resourceName: 'ephemeral-storage',
      reason: ERR_REASON_INSUFFICIENT_EPHEMERAL_STORAGE,
      requested: req.ephemeralStorage,
      used: r.ephemeralStorage,
      capacity: a.ephemeralStorage,
    });
  }
  return out;
}

/** leastRequestedScore: `(capacity - requested) * 100 / capacity`, integer, 0 when over capacity. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/**
 * Filter: the pod's requests must fit the node's free allocatable (Unschedulable, so preemption may help).
 * Score (strategy LeastAllocated, cpu and memory weight 1): the mean of leastRequestedScore over
 * resources, counting 100m / 200Mi for containers without requests.
 * Why simplified: extended resources and the MostAllocated / RequestedToCapacityRatio strategies are not modelled.
 */
export class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = NAME;
  readonly nodeLocal = true;

  preFilter(state: CycleState, pod: Pod): Result {
    state.write(PRE_FILTER_KEY, podRequests(pod));
    return null;
  }

  filter(state: CycleState, pod: Pod, node: NodeInfo): Result {
    const req = state.read(PRE_FILTER_KEY) ?? podRequests(pod);
    // Fast path: the common case fits on every count, with no allocation.
    const a = node.allocatable;
    const r = node.requested;
    if (
      node.podCount + 1 <= node.allowedPodNumber &&
      req.milliCpu <= a.milliCpu - r.milliCpu &&
      req.memory <= a.memory - r.memory &&
      req.ephemeralStorage <= a.ephemeralStorage - r.ephemeralStorage
    ) {
      return null;
    }
    const insufficient = fitsRequest(req, node);
    return insufficient.length ? rejection(insufficient.map((i) => i.reason)) : null;
  }

  preScore(state: CycleState, pod: Pod): Result {
    state.write(PRE_SCORE_KEY, podRequests(pod, true));
    return null;
  }

  score(state: CycleState, pod: Pod, node: NodeInfo): number {
    const req = state.read(PRE_SCORE_KEY) ?? podRequests(pod, true);
    let sum = 0;
    let weights = 0;
    if (node.allocatable.milliCpu !== 0) {
      sum += leastRequestedScore(node.nonZeroMilliCpu + req.milliCpu, node.allocatable.milliCpu);
      weights++;
    }
    if (node.allocatable.memory !== 0) {
      sum += leastRequestedScore(node.nonZeroMemory + req.memory, node.allocatable.memory);
      weights++;
    }
    return weights === 0 ? 0 : Math.floor(sum / weights);
  }
}
