/**
 * The Eviction API (pods/eviction, pkg/registry/core/pod/storage/eviction.go): delete a pod only if
 * the PodDisruptionBudget that covers it allows one more disruption, and tell the disruption
 * controller by decrementing `disruptionsAllowed` and recording the pod in `disruptedPods`.
 */
import type { ClusterContext } from '../context';
import { ApiError } from './errors';
import { selectorFromLabelSelector } from './labels';
import { withDisruptionAllowedCondition } from './pdbHelper';
import type { Pod, PodDisruptionBudget } from './types';

/** The message of a refused eviction (HTTP 429). */
export const EVICTION_REFUSED = "Cannot evict pod as it would violate the pod's disruption budget.";
/** The message of a pod covered by several budgets (HTTP 500, no reason). */
export const EVICTION_MULTIPLE_PDBS = 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';
/** MaxDisruptedPodSize: more unconfirmed evictions than this and the budget refuses. */
export const MAX_DISRUPTED_POD_SIZE = 2000;

export interface EvictionOptions {
  gracePeriodSeconds?: number;
  /** Server dry run: check and answer, change nothing. */
  dryRun?: boolean;
}

/** canIgnorePDB: pods that are terminal, Pending or already being deleted are evicted without a budget check. */
function canIgnorePDB(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata?.deletionTimestamp;
}

/**
 * getPodDisruptionBudgets of the eviction handler: the budgets of the pod's namespace that select it.
 * Unlike the controller's lister, a missing or empty selector matches nothing here.
 */
function budgetsFor(ctx: Pick<ClusterContext, 'store'>, pod: Pod): PodDisruptionBudget[] {
  return ctx.store.list('PodDisruptionBudget', pod.metadata!.namespace).filter((pdb) => {
    const sel = selectorFromLabelSelector(pdb.spec?.selector);
    return !!pdb.spec?.selector && !sel.empty && sel.matches(pod.metadata?.labels);
  });
}

function tooManyRequests(cause: string): ApiError {
  return new ApiError('TooManyRequests', EVICTION_REFUSED, [cause]);
}

/**
 * checkAndDecrement: refuse (429) while the budget's status is stale or allows no disruption;
 * otherwise take one disruption and note the pod in `disruptedPods` (not on a dry run).
 */
function checkAndDecrement(ctx: Pick<ClusterContext, 'api' | 'clock'>, podName: string, pdb: PodDisruptionBudget, dryRun: boolean): void {
  const name = pdb.metadata!.name!;
  const st = pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 };
  if ((st.observedGeneration ?? 0) < (pdb.metadata?.generation ?? 0)) {
    throw tooManyRequests(`The disruption budget ${name} is still being processed by the server.`);
  }
  if (st.disruptionsAllowed < 0) throw new ApiError('Forbidden', `poddisruptionbudget.policy "${name}" is forbidden: pdb disruptions allowed is negative`);
  if (Object.keys(st.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
    throw new ApiError('Forbidden', `poddisruptionbudget.policy "${name}" is forbidden: DisruptedPods map too big - too many evictions not confirmed by PDB controller`);
  }
  if (st.disruptionsAllowed === 0) {
    throw tooManyRequests(`The disruption budget ${name} needs ${st.desiredHealthy} healthy pods and has ${st.currentHealthy} currently`);
  }
  let status = { ...st, disruptionsAllowed: st.disruptionsAllowed - 1 };
  if (status.disruptionsAllowed === 0) status = withDisruptionAllowedCondition(status, ctx.clock.timestamp());
  if (dryRun) return;
  status = { ...status, disruptedPods: { ...st.disruptedPods, [podName]: ctx.clock.timestamp() } };
  ctx.api.updateStatus('PodDisruptionBudget', { ...pdb, status });
}

/**
 * addConditionAndDeletePod: mark the pod `DisruptionTarget=True` (reason `EvictionByEvictionAPI`)
 * and delete it gracefully.
 */
function addConditionAndDelete(ctx: Pick<ClusterContext, 'api' | 'clock'>, pod: Pod, opts: EvictionOptions): void {
  if (opts.dryRun) return;
  if (!pod.metadata?.deletionTimestamp) {
    const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
    conditions.push({ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', lastTransitionTime: ctx.clock.timestamp() });
    ctx.api.updateStatus('Pod', { ...pod, status: { ...pod.status, conditions } });
  }
  ctx.api.delete('Pod', pod.metadata!.namespace, pod.metadata!.name!, opts.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {});
}

/**
 * POST pods/NAME/eviction. Throws an {@link ApiError}: NotFound for a missing pod, TooManyRequests
 * (`Cannot evict pod as it would violate the pod's disruption budget.`) when the budget does not
 * allow it, a reason-less 500 when several budgets cover the pod.
 *
 * An unready pod of a budget that is healthy enough (`currentHealthy >= desiredHealthy > 0`), or of
 * any budget with `unhealthyPodEvictionPolicy: AlwaysAllow`, is deleted without taking a disruption.
 *
 * @example evictPod(cluster, 'default', 'web-7d9c-abcde', {}) // throws ApiError('TooManyRequests', …) when refused
 */
export function evictPod(ctx: Pick<ClusterContext, 'store' | 'api' | 'clock'>, namespace: string, name: string, opts: EvictionOptions = {}): void {
  const pod = ctx.store.get('Pod', namespace, name);
  if (!pod) throw ApiError.notFound('Pod', name);
  if (canIgnorePDB(pod)) {
    addConditionAndDelete(ctx, pod, opts);
    return;
  }
  const pdbs = budgetsFor(ctx, pod);
  if (pdbs.length > 1) throw new ApiError('', EVICTION_MULTIPLE_PDBS);
  const pdb = pdbs[0];
  const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  if (pdb && !ready) {
    const st = pdb.status;
    const alwaysAllow = pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow';
    // IfHealthyBudget (the default): an unready pod does not count as healthy, so deleting it takes
    // nothing from a budget that is already met.
    if (alwaysAllow || (st && st.currentHealthy >= st.desiredHealthy && st.desiredHealthy > 0)) {
      addConditionAndDelete(ctx, pod, opts);
      return;
    }
  }
  if (pdb) checkAndDecrement(ctx, name, pdb, !!opts.dryRun);
  addConditionAndDelete(ctx, pod, opts);
}
