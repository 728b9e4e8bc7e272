/**
 * pkg/controller/deployment/util/deployment_util.go: annotations, revisions, surge/unavailable
 * resolution, conditions and status predicates, shared by the Deployment controller and kubectl's
 * `rollout` commands.
 */
import type { Deployment, PodTemplateSpec, ReplicaSet } from '../api/types';
import { canonicalJson, createdAt, scaledValueFromIntOrPercent } from './controllerUtils';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** Condition reasons (deployment_util.go). */
export const Reasons = {
  NewReplicaSet: 'NewReplicaSetCreated',
  FoundNewRS: 'FoundNewReplicaSet',
  NewRSAvailable: 'NewReplicaSetAvailable',
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  TimedOut: 'ProgressDeadlineExceeded',
  PausedDeploy: 'DeploymentPaused',
  ResumedDeploy: 'DeploymentResumed',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

const ANNOTATIONS_TO_SKIP = new Set([
  LAST_APPLIED_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

/** True for annotations a Deployment does not copy onto its ReplicaSets (and rollback does not copy back). */
export function skipCopyAnnotation(key: string): boolean {
  return ANNOTATIONS_TO_SKIP.has(key);
}

/**
 * A Deployment's spec with the apps/v1 defaults filled in (SetDefaults_Deployment): replicas 1,
 * RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600. The API server's
 * defaulting should have done this; the controller does not rely on it.
 */
export interface EffectiveSpec {
  replicas: number;
  strategy: 'RollingUpdate' | 'Recreate';
  maxSurge: number | string;
  maxUnavailable: number | string;
  revisionHistoryLimit: number;
  progressDeadlineSeconds: number | undefined;
  minReadySeconds: number;
  paused: boolean;
}

export function effectiveSpec(d: Deployment): EffectiveSpec {
  const s = d.spec!;
  const strategy = s.strategy?.type === 'Recreate' ? 'Recreate' : 'RollingUpdate';
  return {
    replicas: s.replicas ?? 1,
    strategy,
    maxSurge: s.strategy?.rollingUpdate?.maxSurge ?? '25%',
    maxUnavailable: s.strategy?.rollingUpdate?.maxUnavailable ?? '25%',
    revisionHistoryLimit: s.revisionHistoryLimit ?? 10,
    // progressDeadlineSeconds: MaxInt32 means "no deadline" (HasProgressDeadline).
    progressDeadlineSeconds: s.progressDeadlineSeconds === 2147483647 ? undefined : (s.progressDeadlineSeconds ?? 600),
    minReadySeconds: s.minReadySeconds ?? 0,
    paused: s.paused ?? false,
  };
}

/**
 * ResolveFenceposts: maxSurge (rounded up) and maxUnavailable (rounded down) of `desired`;
 * both zero makes maxUnavailable 1, so a rollout can always make progress.
 */
export function resolveFenceposts(maxSurge: number | string, maxUnavailable: number | string, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValueFromIntOrPercent(maxSurge, desired, true);
  let unavailable = scaledValueFromIntOrPercent(maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** MaxSurge: 0 unless RollingUpdate. */
export function maxSurge(d: Deployment): number {
  const s = effectiveSpec(d);
  if (s.strategy !== 'RollingUpdate') return 0;
  return resolveFenceposts(s.maxSurge, s.maxUnavailable, s.replicas).surge;
}

/** MaxUnavailable: 0 unless RollingUpdate with replicas; never more than replicas. */
export function maxUnavailable(d: Deployment): number {
  const s = effectiveSpec(d);
  if (s.strategy !== 'RollingUpdate' || s.replicas === 0) return 0;
  const u = resolveFenceposts(s.maxSurge, s.maxUnavailable, s.replicas).unavailable;
  return Math.min(u, s.replicas);
}

export function revisionOf(rs: ReplicaSet): number {
  const v = rs.metadata?.annotations?.[REVISION_ANNOTATION];
  const n = v === undefined ? 0 : Number(v);
  return Number.isInteger(n) ? n : 0;
}

export function maxRevision(rss: readonly ReplicaSet[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/** The pod template without the pod-template-hash label, for EqualIgnoreHash. */
export function templateWithoutHash(t: PodTemplateSpec | undefined): PodTemplateSpec {
  const labels = { ...(t?.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  return { ...(t ?? {}), metadata: { ...(t?.metadata ?? {}), labels } };
}

/**
 * Canonical text of a template without its hash label, per template object: stored objects are
 * immutable, and a Deployment's sync compares the same templates each time one of its pods changes.
 */
const hashlessText = new WeakMap<PodTemplateSpec, string>();

function templateTextIgnoringHash(t: PodTemplateSpec | undefined): string {
  if (!t) return canonicalJson(templateWithoutHash(t));
  let text = hashlessText.get(t);
  if (text === undefined) hashlessText.set(t, (text = canonicalJson(templateWithoutHash(t))));
  return text;
}

/** EqualIgnoreHash: templates equal except for the pod-template-hash label. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return a === b || templateTextIgnoringHash(a) === templateTextIgnoringHash(b);
}

export const specReplicas = (rs: ReplicaSet | undefined): number => rs?.spec?.replicas ?? 0;

/** GetReplicaCountForReplicaSets: the sum of spec.replicas. */
export function replicaCount(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + specReplicas(rs), 0);
}

/** GetActualReplicaCountForReplicaSets: the sum of status.replicas. */
export function actualReplicaCount(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
}

export function readyReplicaCount(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);
}

export function availableReplicaCount(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);
}

/** ReplicaSetsByCreationTimestamp: oldest first, name breaks ties. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const d = createdAt(a) - createdAt(b);
  if (d !== 0) return d;
  return a.metadata!.name! < b.metadata!.name! ? -1 : a.metadata!.name! > b.metadata!.name! ? 1 : 0;
}

/** ReplicaSetsByRevision: lowest revision first (creation order breaks ties). */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const d = revisionOf(a) - revisionOf(b);
  return d !== 0 ? d : byCreation(a, b);
}

type DeploymentStatus = NonNullable<Deployment['status']>;
type DeploymentCondition = NonNullable<DeploymentStatus['conditions']>[number];

export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** NewDeploymentCondition. */
export function newCondition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, now: string): DeploymentCondition {
  return { type, status, reason, message, lastUpdateTime: now, lastTransitionTime: now };
}

/**
 * SetDeploymentCondition: no-op if status and reason are unchanged; keeps lastTransitionTime if
 * only the reason changed; the condition moves to the end of the list. Returns a new status.
 */
export function setCondition(status: DeploymentStatus, cond: DeploymentCondition): DeploymentStatus {
  const current = getCondition(status, cond.type);
  if (current && current.status === cond.status && current.reason === cond.reason) return status;
  const next = current && current.status === cond.status ? { ...cond, lastTransitionTime: current.lastTransitionTime } : cond;
  return { ...status, conditions: [...(status.conditions ?? []).filter((c) => c.type !== cond.type), next] };
}

export function removeCondition(status: DeploymentStatus, type: string): DeploymentStatus {
  if (!getCondition(status, type)) return status;
  const conditions = (status.conditions ?? []).filter((c) => c.type !== type);
  return { ...status, conditions };
}

/** DeploymentComplete. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const r = effectiveSpec(d).replicas;
  return (s.updatedReplicas ?? 0) === r && (s.replicas ?? 0) === r && (s.availableReplicas ?? 0) === r && (s.observedGeneration ?? 0) >= (d.metadata!.generation ?? 0);
}

/** DeploymentProgressing: more updated, fewer old, more ready or more available replicas than before. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** DeploymentTimedOut: the Progressing condition was last updated more than progressDeadlineSeconds ago. */
export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, nowMs: number, parse: (ts: string) => number): boolean {
  const deadline = effectiveSpec(d).progressDeadlineSeconds;
  if (deadline === undefined) return false;
  const c = getCondition(s, 'Progressing');
  if (!c) return false;
  if (c.reason === Reasons.NewRSAvailable) return false;
  if (c.reason === Reasons.TimedOut) return true;
  if (!c.lastUpdateTime) return false;
  return parse(c.lastUpdateTime) + deadline * 1000 < nowMs;
}
