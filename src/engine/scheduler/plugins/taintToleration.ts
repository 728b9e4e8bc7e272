import type { Pod, Toleration } from '../../api/types';
import { MAX_NODE_SCORE, StateKey, type CycleState, type FilterPlugin, type PreScorePlugin, type ScorePlugin } from '../framework/interface';
import type { NodeInfo } from '../framework/nodeInfo';
import { defaultNormalizeScore } from '../framework/normalize';
import { Code, constStatus, type Result } from '../framework/status';
import { doNotScheduleTaint, findMatchingUntoleratedTaint, tolerationsTolerateTaint } from '../framework/taints';

/** Name in the plugin registry (names.TaintToleration). */
export const NAME = 'TaintToleration';
/**
 * Filter reason. Since v1.33 the message no longer names the taint (its key and value go to the
 * scheduler's log only), so a FailedScheduling event reads "1 node(s) had untolerated taint(s)".
 */
export const ERR_REASON_UNTOLERATED = 'node(s) had untolerated taint(s)';

const REJECT = constStatus(NAME, Code.UnschedulableAndUnresolvable, ERR_REASON_UNTOLERATED);
const NONE: Toleration[] = Object.freeze([]) as unknown as Toleration[];
const PRE_SCORE_KEY = new StateKey<Toleration[]>('PreScore' + NAME);

/**
 * Filter: NoSchedule/NoExecute taints the pod does not tolerate keep it off.
 * Score: the number of untolerated PreferNoSchedule taints, normalised and reversed (fewer is better).
 */
export class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = NAME;
  readonly nodeLocal = true;

  filter(_state: CycleState, pod: Pod, node: NodeInfo): Result {
    if (node.taints.length === 0) return null;
    return findMatchingUntoleratedTaint(node.taints, pod.spec?.tolerations, doNotScheduleTaint) ? REJECT : null;
  }

  preScore(state: CycleState, pod: Pod): Result {
    // Tolerations with no effect tolerate every effect, PreferNoSchedule included.
    const tolerations = pod.spec?.tolerations;
    // Most pods carry only NoExecute tolerations (the defaults admission adds): none to keep, no new array.
    let prefer: Toleration[] = NONE;
    if (tolerations) {
      for (let i = 0; i < tolerations.length; i++) {
        const t = tolerations[i];
        if (!t.effect || t.effect === 'PreferNoSchedule') {
          prefer = tolerations.filter((x) => !x.effect || x.effect === 'PreferNoSchedule');
          break;
        }
      }
    }
    state.write(PRE_SCORE_KEY, prefer);
    return null;
  }

  score(state: CycleState, _pod: Pod, node: NodeInfo): number {
    if (node.taints.length === 0) return 0;
    const tolerations = state.read(PRE_SCORE_KEY) ?? [];
    let n = 0;
    for (const taint of node.taints) {
      if (taint.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, taint)) n++;
    }
    return n;
  }

  normalizeScore(_state: CycleState, _pod: Pod, scores: Int32Array): void {
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
  }
}
