import type { Pod } from '../../api/types';
import type { CycleState, FilterPlugin } from '../framework/interface';
import type { NodeInfo } from '../framework/nodeInfo';
import { Code, constStatus, type Result } from '../framework/status';
import { tolerationsTolerateTaint } from '../framework/taints';

/** Name in the plugin registry (names.NodeUnschedulable). */
export const NAME = 'NodeUnschedulable';
/** Filter reason for a cordoned node (`spec.unschedulable: true`). */
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
/** The taint a cordoned node behaves as if it had (v1.TaintNodeUnschedulable). */
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

const REJECT = constStatus(NAME, Code.UnschedulableAndUnresolvable, ERR_REASON_UNSCHEDULABLE);

/** Keeps pods off cordoned nodes unless they tolerate `node.kubernetes.io/unschedulable:NoSchedule`. */
export class NodeUnschedulable implements FilterPlugin {
  readonly name = NAME;
  readonly nodeLocal = true;

  filter(_state: CycleState, pod: Pod, node: NodeInfo): Result {
    if (!node.unschedulable) return null;
    const tolerated = tolerationsTolerateTaint(pod.spec?.tolerations, { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' });
    return tolerated ? null : REJECT;
  }
}
