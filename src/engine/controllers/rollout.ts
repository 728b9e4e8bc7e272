/**
 * What `kubectl rollout` does on the client side for Deployments (staging/src/k8s.io/kubectl/pkg/
 * polymorphichelpers: rollout_status.go, history.go, rollback.go, objectrestarter.go, objectpauser.go).
 * The kubectl engineer calls these; they return kubectl's words or throw an Error whose message is
 * what kubectl prints after `error: `.
 *
 * @example
 * const d = ctx.store.get('Deployment', 'default', 'web')!;
 * rolloutStatus(d).text; // 'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...\n'
 */
import type { ClusterContext } from '../context';
import type { Deployment, PodTemplateSpec, ReplicaSet } from '../api/types';
import { controllerRef } from './controllerUtils';
import {
  CHANGE_CAUSE_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  RESTARTED_AT_ANNOTATION,
  Reasons,
  equalIgnoreHash,
  getCondition,
  revisionOf,
  skipCopyAnnotation,
} from './deploymentUtil';

export interface RolloutStatus {
  /** The line kubectl prints (with its trailing newline). */
  text: string;
  /** True when the rollout finished; `rollout status` stops watching. */
  done: boolean;
}

/**
 * DeploymentStatusViewer.Status. Throws `deployment "web" exceeded its progress deadline` when
 * the Progressing condition says ProgressDeadlineExceeded.
 */
export function rolloutStatus(d: Deployment): RolloutStatus {
  const name = d.metadata!.name!;
  const st = d.status ?? {};
  if ((d.metadata!.generation ?? 0) <= (st.observedGeneration ?? 0)) {
    if (getCondition(st, 'Progressing')?.reason === Reasons.TimedOut) {
      throw new Error(`deployment "${name}" exceeded its progress deadline`);
    }
    const want = d.spec?.replicas ?? 1;
    const updated = st.updatedReplicas ?? 0;
    if (updated < want) {
      return { text: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...\n`, done: false };
    }
    if ((st.replicas ?? 0) > updated) {
      return { text: `Waiting for deployment "${name}" rollout to finish: ${(st.replicas ?? 0) - updated} old replicas are pending termination...\n`, done: false };
    }
    if ((st.availableReplicas ?? 0) < updated) {
      return { text: `Waiting for deployment "${name}" rollout to finish: ${st.availableReplicas ?? 0} of ${updated} updated replicas are available...\n`, done: false };
    }
    return { text: `deployment "${name}" successfully rolled out\n`, done: true };
  }
  return { text: 'Waiting for deployment spec update to be observed...\n', done: false };
}

/** The ReplicaSets a Deployment controls (by controller reference), oldest first. */
export function replicaSetsOf(ctx: Pick<ClusterContext, 'store'>, d: Deployment): ReplicaSet[] {
  return ctx.store.list('ReplicaSet', d.metadata!.namespace).filter((rs) => controllerRef(rs)?.uid === d.metadata!.uid);
}

export interface RevisionInfo {
  revision: number;
  /** The kubernetes.io/change-cause annotation, or undefined. */
  changeCause: string | undefined;
  template: PodTemplateSpec;
  replicaSet: ReplicaSet;
}

/** DeploymentHistoryViewer: one entry per revision, lowest first. */
export function rolloutHistory(ctx: Pick<ClusterContext, 'store'>, d: Deployment): RevisionInfo[] {
  const byRev = new Map<number, RevisionInfo>();
  for (const rs of replicaSetsOf(ctx, d)) {
    const revision = revisionOf(rs);
    byRev.set(revision, { revision, changeCause: rs.metadata!.annotations?.[CHANGE_CAUSE_ANNOTATION] || undefined, template: rs.spec!.template!, replicaSet: rs });
  }
  return [...byRev.values()].sort((a, b) => a.revision - b.revision);
}

/** The table `kubectl rollout history` prints under the resource name (tabwriter, padding 2). */
export function formatRolloutHistory(history: readonly RevisionInfo[]): string {
  if (history.length === 0) return 'No rollout history found.';
  const rows = [['REVISION', 'CHANGE-CAUSE'], ...history.map((h) => [String(h.revision), h.changeCause ?? '<none>'])];
  const w = Math.max(...rows.map((r) => r[0].length)) + 2;
  return rows.map((r) => `${r[0].padEnd(w)}${r[1]}`).join('\n') + '\n';
}

/** deploymentRevision: the ReplicaSet of `toRevision`, or of the previous revision when 0. */
export function replicaSetForRevision(ctx: Pick<ClusterContext, 'store'>, d: Deployment, toRevision: number): ReplicaSet {
  if (toRevision < 0) throw new Error(`unable to find specified revision ${toRevision} in history`);
  let latest: ReplicaSet | undefined;
  let latestRev = -1;
  let previous: ReplicaSet | undefined;
  let previousRev = -1;
  for (const rs of replicaSetsOf(ctx, d)) {
    const v = revisionOf(rs);
    if (toRevision === 0) {
      if (latestRev < v) {
        previousRev = latestRev;
        previous = latest;
        latestRev = v;
        latest = rs;
      } else if (previousRev < v) {
        previousRev = v;
        previous = rs;
      }
    } else if (v === toRevision) return rs;
  }
  if (toRevision > 0) throw new Error(`unable to find specified revision ${toRevision} in history`);
  if (!previous) throw new Error(`no rollout history found for deployment "${d.metadata!.name}"`);
  return previous;
}

/**
 * `kubectl rollout undo [--to-revision=N]`: put the old revision's template (without its
 * pod-template-hash label) and annotations back into the Deployment. Returns kubectl's words after
 * the resource name: `rolled back` or `skipped rollback (current template already matches revision N)`.
 */
export function rolloutUndo(ctx: Pick<ClusterContext, 'store' | 'api'>, d: Deployment, toRevision = 0): string {
  if (d.spec?.paused) throw new Error("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
  const rs = replicaSetForRevision(ctx, d, toRevision);
  if (equalIgnoreHash(rs.spec!.template, d.spec!.template)) {
    return `skipped rollback (current template already matches revision ${toRevision})`;
  }
  const t = rs.spec!.template!;
  const labels = { ...(t.metadata?.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata!.annotations ?? {})) if (skipCopyAnnotation(k)) annotations[k] = v;
  for (const [k, v] of Object.entries(rs.metadata!.annotations ?? {})) if (!skipCopyAnnotation(k)) annotations[k] = v;
  ctx.api.update('Deployment', {
    ...d,
    metadata: { ...d.metadata, annotations },
    spec: { ...d.spec!, template: { ...t, metadata: { ...(t.metadata ?? {}), labels } } },
  });
  return 'rolled back';
}

/** `kubectl rollout restart`: stamp kubectl.kubernetes.io/restartedAt on the pod template. Returns `restarted`. */
export function rolloutRestart(ctx: Pick<ClusterContext, 'api' | 'clock'>, d: Deployment): string {
  if (d.spec?.paused) throw new Error("can't restart paused deployment (run rollout resume first)");
  const t = d.spec!.template ?? {};
  ctx.api.update('Deployment', {
    ...d,
    spec: {
      ...d.spec!,
      template: { ...t, metadata: { ...(t.metadata ?? {}), annotations: { ...(t.metadata?.annotations ?? {}), [RESTARTED_AT_ANNOTATION]: ctx.clock.timestamp() } } },
    },
  });
  return 'restarted';
}

/** `kubectl rollout pause|resume`: set spec.paused. Returns `paused`/`resumed`; throws if already so. */
export function rolloutSetPaused(ctx: Pick<ClusterContext, 'api'>, d: Deployment, paused: boolean): string {
  if ((d.spec?.paused ?? false) === paused) throw new Error(`deployments.apps "${d.metadata!.name}" is ${paused ? 'already paused' : 'not paused'}`);
  ctx.api.update('Deployment', { ...d, spec: { ...d.spec!, paused } });
  return paused ? 'paused' : 'resumed';
}
