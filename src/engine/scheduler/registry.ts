import type { ApiStore } from '../api/store';
import type { Plugin } from './framework/interface';
import type { ChangeLog, NodeInfo } from './framework/nodeInfo';
import { BalancedAllocation, NAME as BALANCED_ALLOCATION } from './plugins/balancedAllocation';
import { NodeAffinity, NAME as NODE_AFFINITY } from './plugins/nodeAffinity';
import { NodeName, NAME as NODE_NAME } from './plugins/nodeName';
import { NodePorts, NAME as NODE_PORTS } from './plugins/nodePorts';
import { NodeResourcesFit, NAME as NODE_RESOURCES_FIT } from './plugins/nodeResourcesFit';
import { NodeUnschedulable, NAME as NODE_UNSCHEDULABLE } from './plugins/nodeUnschedulable';
import { PodTopologySpread, NAME as POD_TOPOLOGY_SPREAD } from './plugins/podTopologySpread';
import { TaintToleration, NAME as TAINT_TOLERATION } from './plugins/taintToleration';

/** What plugins may use besides the pod and the node they are given (framework.Handle). */
export interface FrameworkHandle {
  readonly store: ApiStore;
  /** Every node in the scheduler's snapshot, in scheduling order. */
  allNodes(): readonly NodeInfo[];
  /** The cache's change log, read in place (see SchedulerCache.changes); optional for test handles, which then memoise nothing. */
  changes?(): ChangeLog;
  /** False to recompute everything every cycle (no memoised verdicts, scores or tables); default true. */
  memoize?(): boolean;
}

export type PluginFactory = (handle: FrameworkHandle) => Plugin;

/** In-tree plugins by name (pkg/scheduler/framework/plugins/registry.go). */
export const registry: Readonly<Record<string, PluginFactory>> = {
  [NODE_UNSCHEDULABLE]: () => new NodeUnschedulable(),
  [NODE_NAME]: () => new NodeName(),
  [TAINT_TOLERATION]: () => new TaintToleration(),
  [NODE_AFFINITY]: () => new NodeAffinity(),
  [NODE_PORTS]: () => new NodePorts(),
  [NODE_RESOURCES_FIT]: () => new NodeResourcesFit(),
  [BALANCED_ALLOCATION]: () => new BalancedAllocation(),
  [POD_TOPOLOGY_SPREAD]: (h) => new PodTopologySpread(h),
};

/** A scheduler profile: which plugins run, in order, and the score weights. */
export interface Profile {
  schedulerName: string;
  /** Plugins in the order the default configuration lists them (filters run in this order). */
  plugins: string[];
  /** Score weights; a plugin missing here does not score. */
  scoreWeights: Record<string, number>;
  /** 0 means adaptive (`50 - nodes/125` percent, at least 5%). */
  percentageOfNodesToScore: number;
}

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/**
 * The default profile of v1.34 (pkg/scheduler/apis/config/v1/default_plugins.go), limited to the
 * plugins the simulation has. Missing, and said so: InterPodAffinity (2), ImageLocality (1), the
 * volume plugins and DefaultPreemption (preemption is evaluated for the FailedScheduling message,
 * but no victim is evicted). PodTopologySpread scores only. SchedulingGates is built into the
 * Scheduler's queueing (a gated pod is never enqueued).
 */
export function defaultProfile(): Profile {
  return {
    schedulerName: DEFAULT_SCHEDULER_NAME,
    plugins: [NODE_UNSCHEDULABLE, NODE_NAME, TAINT_TOLERATION, NODE_AFFINITY, NODE_PORTS, NODE_RESOURCES_FIT, POD_TOPOLOGY_SPREAD, BALANCED_ALLOCATION],
    scoreWeights: {
      [TAINT_TOLERATION]: 3,
      [NODE_AFFINITY]: 2,
      [POD_TOPOLOGY_SPREAD]: 2,
      [NODE_RESOURCES_FIT]: 1,
      [BALANCED_ALLOCATION]: 1,
    },
    percentageOfNodesToScore: 0,
  };
}
