import type { Pod } from '../../api/types';
import { StateKey, type CycleState, type FilterPlugin, type PreFilterPlugin } from '../framework/interface';
import type { NodeInfo } from '../framework/nodeInfo';
import { podHostPorts, type HostPort } from '../framework/resources';
import { Code, constStatus, type Result } from '../framework/status';

/** Name in the plugin registry (names.NodePorts). */
export const NAME = 'NodePorts';
export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";

const REJECT = constStatus(NAME, Code.Unschedulable, ERR_REASON);
const SKIP = constStatus(NAME, Code.Skip);
const PRE_FILTER_KEY = new StateKey<HostPort[]>('PreFilter' + NAME);

/** A pod's hostPorts must be free on the node: same protocol and port clash on the same IP or on 0.0.0.0. */
export class NodePorts implements PreFilterPlugin, FilterPlugin {
  readonly name = NAME;
  readonly nodeLocal = true;

  preFilter(state: CycleState, pod: Pod): Result {
    const ports = podHostPorts(pod);
    if (ports.length === 0) return SKIP;
    state.write(PRE_FILTER_KEY, ports);
    return null;
  }

  filter(state: CycleState, pod: Pod, node: NodeInfo): Result {
    const ports = state.read(PRE_FILTER_KEY) ?? podHostPorts(pod);
    for (const p of ports) if (node.portConflicts(p)) return REJECT;
    return null;
  }
}
