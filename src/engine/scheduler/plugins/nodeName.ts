import type { Pod } from '../../api/types';
import type { CycleState, FilterPlugin } from '../framework/interface';
import type { NodeInfo } from '../framework/nodeInfo';
import { Code, constStatus, type Result } from '../framework/status';

/** Name in the plugin registry (names.NodeName). */
export const NAME = 'NodeName';
export const ERR_REASON = "node(s) didn't match the requested node name";

const REJECT = constStatus(NAME, Code.UnschedulableAndUnresolvable, ERR_REASON);

/** A pod that names its node (`spec.nodeName`) fits only that node. */
export class NodeName implements FilterPlugin {
  readonly name = NAME;
  readonly nodeLocal = true;

  filter(_state: CycleState, pod: Pod, node: NodeInfo): Result {
    const want = pod.spec?.nodeName;
    return !want || want === node.name ? null : REJECT;
  }
}
