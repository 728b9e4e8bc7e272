import { semanticEqual } from '../api/equality';
import type { ClusterContext } from '../context';
import { defaults } from '../config';
import { Clock } from '../clock';
import type { Job, Pod } from '../api/types';
import { selectorFromLabelSelector } from '../api/labels';
import { ApiError } from '../api/errors';
import { RequeueTimers, WorkQueue, type Reconciler } from '../reconciler';
import { PodsByController, enqueuePodController, isPodActive, isPodReady, keyOf, newControllerRef, rankPodsForDeletion, slowStartBatch, syncQueued } from './controllerUtils';

const COMPONENT = { component: 'job-controller' };
/** DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff (pkg/controller/job). */
export const JOB_POD_FAILURE_BACKOFF = 10_000;
export const JOB_POD_FAILURE_BACKOFF_MAX = 10 * 60_000;

type JobStatus = NonNullable<Job['status']>;
type JobCondition = NonNullable<JobStatus['conditions']>[number];

interface Tracked {
  /** Pods already counted as succeeded / failed (status.succeeded and status.failed only grow). */
  succeeded: Set<string>;
  failed: Set<string>;
  /** Indexed mode: the completion indexes with a succeeded pod. */
  succeededIndexes: Set<number>;
  /** Failures since the last success, for the pod re-creation back-off. */
  consecutiveFailures: number;
  lastFailureAt: number;
}

/**
 * The Job controller (pkg/controller/job), NonIndexed and Indexed completion modes: runs up to `parallelism`
 * pods until `completions` have succeeded; counts failures (pods that failed, and container restarts
 * under restartPolicy OnFailure) against `backoffLimit` (6), re-creating failed pods after an
 * exponential back-off (10s doubling, at most 10 min); honours activeDeadlineSeconds and suspend.
 * Conditions as in v1.34: SuccessCriteriaMet then Complete, FailureTarget then Failed, each terminal
 * one added once no pod of the Job is still running. A finished Job with ttlSecondsAfterFinished is
 * deleted when the TTL passes (the ttl-after-finished controller's work).
 *
 * Why simpler: the real controller tracks finished pods with the batch.kubernetes.io/job-tracking
 * finalizer so that deleted pods still count; we count finished pods in memory as we see them.
 * Pod failure and success policies, and backoffLimitPerIndex, are not modelled.
 */
export class JobController implements Reconciler {
  readonly name = 'job-controller';
  private readonly queue = new WorkQueue<string>();
  private readonly tracked = new Map<string, Tracked>();
  private readonly requeue: RequeueTimers;
  private readonly index: PodsByController;

  constructor(readonly ctx: ClusterContext) {
    this.index = new PodsByController(ctx.store);
    this.requeue = new RequeueTimers(ctx.clock, this.queue, 'job');
    for (const j of ctx.store.values('Job')) this.queue.add(keyOf(j));
    ctx.store.watch('Job', (ev) => {
      if (ev.type === 'DELETED') this.tracked.delete(ev.object.metadata!.uid!);
      else this.queue.add(keyOf(ev.object));
    });
    ctx.store.watch('Pod', (ev) => enqueuePodController(this.queue, ev, 'Job'));
  }

  hasWork(): boolean {
    return this.queue.size > 0;
  }

  runOnce(): void {
    syncQueued(this.queue, this.ctx.store, 'Job', (job) => this.sync(job));
  }

  private pods(job: Job): Pod[] {
    const uid = job.metadata!.uid!;
    const sel = selectorFromLabelSelector(job.spec!.selector);
    return this.index.pods(uid).filter((p) => sel.matches(p.metadata!.labels));
  }

  private sync(job: Job): void {
    const uid = job.metadata!.uid!;
    const now = this.ctx.clock.now();
    const ts = this.ctx.clock.timestamp();
    const key = keyOf(job);
    let tr = this.tracked.get(uid);
    if (!tr) this.tracked.set(uid, (tr = { succeeded: new Set(), failed: new Set(), succeededIndexes: new Set(), consecutiveFailures: 0, lastFailureAt: 0 }));
    const prev = job.status ?? {};
    if (isFinished(prev)) {
      this.expireIfDue(job, key);
      return;
    }

    const pods = this.pods(job);
    // Newly finished pods are counted once, even if they are deleted later.
    for (const p of pods) {
      const pu = p.metadata!.uid!;
      if (p.status?.phase === 'Succeeded' && !tr.succeeded.has(pu)) {
        tr.succeeded.add(pu);
        const idx = completionIndex(p);
        if (idx !== undefined) tr.succeededIndexes.add(idx);
        tr.consecutiveFailures = 0;
      } else if (p.status?.phase === 'Failed' && !tr.failed.has(pu)) {
        tr.failed.add(pu);
        tr.consecutiveFailures++;
        tr.lastFailureAt = now;
      }
    }
    const indexed = job.spec!.completionMode === 'Indexed' && job.spec!.completions !== undefined;
    const succeeded = indexed ? tr.succeededIndexes.size : Math.max(prev.succeeded ?? 0, tr.succeeded.size);
    const failed = Math.max(prev.failed ?? 0, tr.failed.size);
    const active = pods.filter(isPodActive);
    const terminating = pods.filter((p) => p.metadata!.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');

    const spec = job.spec!;
    const parallelism = spec.parallelism ?? 1;
    const completions = spec.completions ?? (spec.parallelism === undefined ? 1 : undefined);
    const backoffLimit = spec.backoffLimit ?? 6;
    const startTime = prev.startTime ?? ts;
    let conditions: JobCondition[] = [...(prev.conditions ?? [])];
    const has = (type: string) => conditions.some((c) => c.type === type && c.status === 'True');

    // Decide whether the Job has met its success criteria or failed.
    const restarts = spec.template?.spec?.restartPolicy === 'OnFailure' ? active.reduce((n, p) => n + (p.status?.containerStatuses ?? []).reduce((m, c) => m + (c.restartCount ?? 0), 0), 0) : 0;
    if (!has('SuccessCriteriaMet') && !has('FailureTarget')) {
      const complete = completions !== undefined ? succeeded >= completions : succeeded > 0 && active.length === 0;
      if (complete) {
        conditions = [...conditions, cond('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods', ts)];
      } else if (failed + restarts > backoffLimit) {
        conditions = [...conditions, cond('FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', ts)];
      } else if (spec.activeDeadlineSeconds !== undefined && now >= Clock.parseRfc3339(startTime) + spec.activeDeadlineSeconds * 1000) {
        conditions = [...conditions, cond('FailureTarget', 'DeadlineExceeded', 'Job was active longer than specified deadline', ts)];
      }
    }

    let activeCount = active.length;
    if (has('SuccessCriteriaMet') || has('FailureTarget')) {
      // Terminating: remove what still runs, then add the terminal condition.
      activeCount -= this.deletePods(job, active, active.length);
    } else if (spec.suspend) {
      activeCount -= this.deletePods(job, active, active.length);
      if (!has('Suspended')) conditions = [...conditions.filter((c) => c.type !== 'Suspended'), cond('Suspended', 'JobSuspended', 'Job suspended', ts)];
    } else {
      if (has('Suspended')) conditions = conditions.map((c) => (c.type === 'Suspended' ? { ...c, status: 'False', reason: 'JobResumed', message: 'Job resumed', lastTransitionTime: ts, lastProbeTime: ts } : c));
      const remaining = completions === undefined ? (succeeded > 0 ? 0 : parallelism) : Math.max(0, completions - succeeded);
      const want = Math.min(parallelism, remaining);
      if (activeCount > want) {
        activeCount -= this.deletePods(job, active, activeCount - want);
      } else if (activeCount < want) {
        const delay = tr.consecutiveFailures > 0 ? Math.min(JOB_POD_FAILURE_BACKOFF * 2 ** (tr.consecutiveFailures - 1), JOB_POD_FAILURE_BACKOFF_MAX) : 0;
        const readyAt = tr.lastFailureAt + delay;
        if (delay > 0 && now < readyAt) this.requeue.addAt(key, readyAt);
        else if (indexed) activeCount += this.createIndexedPods(job, active, tr.succeededIndexes, Math.min(want - activeCount, defaults.burstReplicas));
        else activeCount += this.createPods(job, Math.min(want - activeCount, defaults.burstReplicas));
      }
      if (spec.activeDeadlineSeconds !== undefined) this.requeue.addAt(key, Clock.parseRfc3339(startTime) + spec.activeDeadlineSeconds * 1000);
    }

    const finishing = conditions.find((c) => (c.type === 'SuccessCriteriaMet' || c.type === 'FailureTarget') && c.status === 'True');
    let completionTime = prev.completionTime;
    if (finishing && activeCount === 0 && terminating.length === 0 && this.pods(job).every((p) => !isPodActive(p) && !p.metadata!.deletionTimestamp)) {
      if (finishing.type === 'SuccessCriteriaMet') {
        conditions = [...conditions, cond('Complete', finishing.reason!, finishing.message!, ts)];
        completionTime = ts;
        this.ctx.recorder.record(job, 'Normal', 'Completed', 'Job completed', COMPONENT);
      } else {
        conditions = [...conditions, cond('Failed', finishing.reason!, finishing.message!, ts)];
        this.ctx.recorder.record(job, 'Warning', finishing.reason!, finishing.message!, COMPONENT);
      }
    }

    const current = this.ctx.store.get('Job', job.metadata!.namespace, job.metadata!.name!)!;
    const fresh = this.pods(current);
    const status: JobStatus = {
      ...(conditions.length ? { conditions } : {}),
      startTime: spec.suspend && !prev.startTime ? undefined : startTime,
      ...(completionTime ? { completionTime } : {}),
      active: fresh.filter(isPodActive).length,
      ready: fresh.filter((p) => isPodActive(p) && isPodReady(p)).length,
      ...(indexed ? { completedIndexes: formatIndexes(tr.succeededIndexes) } : {}),
      succeeded,
      failed,
      terminating: fresh.filter((p) => p.metadata!.deletionTimestamp && isTerminatingPhase(p)).length,
      uncountedTerminatedPods: {},
    };
    if (status.startTime === undefined) delete status.startTime;
    if (!semanticEqual(status, current.status ?? {})) this.ctx.api.updateStatus('Job', { ...current, status });
  }

  /**
   * The ttl-after-finished controller's job, folded in here: a finished Job with
   * ttlSecondsAfterFinished is deleted (foreground, so its pods go first) once the TTL has passed.
   */
  private expireIfDue(job: Job, key: string): void {
    const ttl = job.spec?.ttlSecondsAfterFinished;
    if (ttl === undefined || ttl === null || job.metadata!.deletionTimestamp) return;
    const finished = (job.status?.conditions ?? []).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
    const finishedAt = job.status?.completionTime ?? finished?.lastTransitionTime;
    if (!finishedAt) return;
    const expireAt = Clock.parseRfc3339(finishedAt) + ttl * 1000;
    if (this.ctx.clock.now() < expireAt) {
      this.requeue.addAt(key, expireAt);
      return;
    }
    try {
      this.ctx.api.delete('Job', job.metadata!.namespace, job.metadata!.name!, { propagationPolicy: 'Foreground' });
    } catch (e) {
      if (!(e instanceof ApiError && e.reason === 'NotFound')) throw e;
    }
  }

  /** Indexed mode: one pod for each of the lowest indexes that have neither succeeded nor an active pod. */
  private createIndexedPods(job: Job, active: Pod[], succeeded: Set<number>, count: number): number {
    const busy = new Set(active.map(completionIndex));
    const todo: number[] = [];
    for (let i = 0; i < job.spec!.completions! && todo.length < count; i++) if (!succeeded.has(i) && !busy.has(i)) todo.push(i);
    let next = 0;
    return slowStartBatch(todo.length, 1, () => this.createPod(job, todo[next++]));
  }

  private createPods(job: Job, count: number): number {
    return slowStartBatch(count, 1, () => this.createPod(job, undefined));
  }

  /**
   * A pod from the Job's template. Indexed pods are named `<job>-<index>-<5 chars>`, carry the
   * completion index as annotation and label, get hostname `<job>-<index>` and the
   * JOB_COMPLETION_INDEX variable from the annotation.
   */
  private createPod(job: Job, index: number | undefined): boolean {
    const t = job.spec!.template;
    const name = job.metadata!.name!;
    let spec = JSON.parse(JSON.stringify(t.spec)) as NonNullable<Pod['spec']>;
    const labels = { ...(t.metadata?.labels ?? {}) };
    const annotations = { ...(t.metadata?.annotations ?? {}) };
    if (index !== undefined) {
      labels[COMPLETION_INDEX] = String(index);
      annotations[COMPLETION_INDEX] = String(index);
      const env = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } } };
      const addEnv = (cs: NonNullable<Pod['spec']>['containers'] | undefined) => cs?.map((c) => (c.env?.some((e) => e.name === env.name) ? c : { ...c, env: [...(c.env ?? []), env] }));
      spec = { ...spec, hostname: spec.hostname ?? `${name}-${index}`, containers: addEnv(spec.containers)!, ...(spec.initContainers ? { initContainers: addEnv(spec.initContainers) } : {}) };
    }
    try {
      const pod = this.ctx.api.create('Pod', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
          namespace: job.metadata!.namespace,
          labels,
          ...(Object.keys(annotations).length ? { annotations } : {}),
          ownerReferences: [newControllerRef(job)],
        },
        spec,
      });
      this.ctx.recorder.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata!.name}`, COMPONENT);
      return true;
    } catch (e) {
      this.ctx.recorder.record(job, 'Warning', 'FailedCreate', `Error creating: ${e instanceof Error ? e.message : String(e)}`, COMPONENT);
      return false;
    }
  }

  private deletePods(job: Job, active: Pod[], count: number): number {
    const victims = rankPodsForDeletion(active, active, this.ctx.clock.now()).slice(0, count);
    let n = 0;
    for (const p of victims) {
      try {
        this.ctx.api.delete('Pod', p.metadata!.namespace, p.metadata!.name!);
        this.ctx.recorder.record(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata!.name}`, COMPONENT);
        n++;
      } catch (e) {
        if (!(e instanceof ApiError && e.reason === 'NotFound')) throw e;
      }
    }
    return n;
  }
}

/** The annotation and label that carry an Indexed Job pod's completion index. */
export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

function completionIndex(p: Pod): number | undefined {
  const v = p.metadata?.annotations?.[COMPLETION_INDEX];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** status.completedIndexes: sorted, with runs compressed, e.g. `0-2,4`. */
export function formatIndexes(indexes: Set<number>): string {
  const xs = [...indexes].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < xs.length; ) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j] + 1) j++;
    out.push(i === j ? String(xs[i]) : `${xs[i]}-${xs[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

function isTerminatingPhase(p: Pod): boolean {
  return p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
}

function isFinished(s: JobStatus): boolean {
  return (s.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

function cond(type: string, reason: string, message: string, ts: string): JobCondition {
  return { type, status: 'True', reason, message, lastProbeTime: ts, lastTransitionTime: ts };
}
