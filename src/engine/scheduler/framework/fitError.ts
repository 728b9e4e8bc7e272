import type { Status } from './status';

/** framework.NoNodeAvailableMsg. */
export const NO_NODE_AVAILABLE_MSG = '0/%v nodes are available';
/** ErrNoNodesAvailable: the cluster has no node at all. */
export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';
/** Preemption (DefaultPreemption) statuses for each node. */
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const PREEMPTION_NO_VICTIMS = 'No preemption victims found for incoming pod';
export const PREEMPTION_NOT_ELIGIBLE_NEVER = 'not eligible due to preemptionPolicy=Never.';

/**
 * FitError.Error(): `0/N nodes are available:` then ` <histogram>.` — each reason counted over the
 * nodes, formatted `"<count> <reason>"`, sorted as strings (so "10 …" sorts before "2 …", exactly as
 * Go's sort.Strings does), joined by ", " — then ` <postFilterMsg>.` when preemption said something.
 *
 * The real message really ends in ".." when preemption reports per-node reasons: the inner
 * FitError already ends in "." and the outer separator adds another.
 *
 * @example
 * fitErrorMessage(3, statuses, 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.')
 * // '0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..'
 */
export function fitErrorMessage(numAllNodes: number, statuses: Iterable<Status>, postFilterMsg = '', preFilterMsg = ''): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (preFilterMsg) msg += ` ${preFilterMsg}.`;
  const counts = new Map<string, number>();
  for (const s of statuses) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const histogram = [...counts].map(([reason, n]) => `${n} ${reason}`).sort(goStringLess);
  if (histogram.length) msg += ` ${histogram.join(', ')}.`;
  if (postFilterMsg) msg += ` ${postFilterMsg}.`;
  return msg;
}

/** Byte-wise comparison, as Go's sort.Strings (not localeCompare). */
function goStringLess(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
