/**
 * k8s.io/component-helpers/apps/poddisruptionbudget and the condition helpers of apimachinery's
 * meta package: what the disruption controller and the Eviction API share about a budget's status.
 */
import type { PodDisruptionBudget } from './types';

/** The condition type and reasons of policy/v1 (DisruptionAllowedCondition, …Reason). */
export const DISRUPTION_ALLOWED = 'DisruptionAllowed';
export const SUFFICIENT_PODS = 'SufficientPods';
export const INSUFFICIENT_PODS = 'InsufficientPods';
export const SYNC_FAILED = 'SyncFailed';

type PdbStatus = NonNullable<PodDisruptionBudget['status']>;
type Condition = NonNullable<PdbStatus['conditions']>[number];

/**
 * apimeta.SetStatusCondition: add the condition, or update it in place; lastTransitionTime moves
 * only when the status changes. Returns a new array.
 */
export function setStatusCondition(conditions: readonly Condition[] | undefined, c: Omit<Condition, 'lastTransitionTime'>, now: string): Condition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((x) => x.type === c.type);
  if (i < 0) return [...list, { ...c, lastTransitionTime: now }];
  const old = list[i];
  list[i] = { ...old, ...c, lastTransitionTime: old.status !== c.status ? now : old.lastTransitionTime };
  return list;
}

/**
 * pdbhelper.UpdateDisruptionAllowedCondition: `DisruptionAllowed` True/SufficientPods while
 * disruptions are allowed, else False/InsufficientPods. Returns the new status.
 */
export function withDisruptionAllowedCondition(status: PdbStatus, now: string): PdbStatus {
  const allowed = status.disruptionsAllowed > 0;
  const conditions = setStatusCondition(status.conditions, {
    type: DISRUPTION_ALLOWED,
    status: allowed ? 'True' : 'False',
    reason: allowed ? SUFFICIENT_PODS : INSUFFICIENT_PODS,
    message: '',
    observedGeneration: status.observedGeneration,
  }, now);
  return { ...status, conditions };
}

/** pdbhelper.ConditionsAreUpToDate: the condition matches the status and the generation. */
export function conditionsAreUpToDate(pdb: PodDisruptionBudget): boolean {
  const st = pdb.status;
  const cond = st?.conditions?.find((c) => c.type === DISRUPTION_ALLOWED);
  const gen = pdb.metadata?.generation ?? 0;
  if (!cond || (st?.observedGeneration ?? 0) !== gen || (cond.observedGeneration ?? 0) !== gen) return false;
  if ((st?.disruptionsAllowed ?? 0) > 0) return cond.status === 'True' && cond.reason === SUFFICIENT_PODS;
  return cond.status === 'False' && cond.reason === INSUFFICIENT_PODS;
}

