import type { ClusterContext } from '../context';
import type { Pod } from '../api/types';
import { ApiError } from '../api/errors';
import type { Reconciler } from '../reconciler';
import { createdAt, keyOf } from './controllerUtils';

/** pkg/controller/podgc: how often it looks, how long a missing node is given, and --terminated-pod-gc-threshold. */
export const POD_GC_CHECK_PERIOD = 20_000;
export const POD_GC_QUARANTINE = 40_000;
export const TERMINATED_POD_GC_THRESHOLD = 12_500;

/**
 * The pod garbage collector (pkg/controller/podgc): every 20s it force-deletes pods bound to a node
 * that has been gone for 40s (first marking them Failed with DisruptionTarget reason
 * DeletionByPodGC), and the oldest terminated pods past the 12,500 threshold.
 * Without it, the pods of a deleted Node would stay Terminating forever.
 */
export class PodGCController implements Reconciler {
  readonly name = 'pod-garbage-collector';
  private due = false;
  /** Node names seen missing, and since when (the quarantine). */
  private readonly missingSince = new Map<string, number>();

  constructor(readonly ctx: ClusterContext) {
    const tick = () => {
      this.due = true;
      ctx.clock.after(POD_GC_CHECK_PERIOD, tick, 'podgc');
    };
    ctx.clock.after(POD_GC_CHECK_PERIOD, tick, 'podgc');
  }

  hasWork(): boolean {
    return this.due;
  }

  runOnce(): void {
    this.due = false;
    this.gcTerminated();
    this.gcOrphaned();
  }

  private gcOrphaned(): void {
    const now = this.ctx.clock.now();
    const orphans = new Map<string, Pod[]>();
    for (const pod of this.ctx.store.values('Pod')) {
      const node = pod.spec?.nodeName;
      if (!node || this.ctx.store.get('Node', undefined, node)) continue;
      if (!orphans.has(node)) orphans.set(node, []);
      orphans.get(node)!.push(pod);
    }
    for (const name of [...this.missingSince.keys()]) if (!orphans.has(name)) this.missingSince.delete(name);
    for (const [node, pods] of [...orphans].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const since = this.missingSince.get(node);
      if (since === undefined) {
        this.missingSince.set(node, now);
        continue;
      }
      if (now - since < POD_GC_QUARANTINE) continue;
      for (const pod of pods.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1))) this.markFailedAndDelete(pod);
    }
  }

  /** markFailedAndDeletePodWithCondition. */
  private markFailedAndDelete(pod: Pod): void {
    const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    if (!terminal) {
      const conds = (pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
      this.ctx.api.updateStatus('Pod', {
        ...pod,
        status: {
          ...pod.status,
          phase: 'Failed',
          conditions: [...conds, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists', lastTransitionTime: this.ctx.clock.timestamp() }],
        },
      });
    }
    this.forceDelete(pod);
  }

  private gcTerminated(): void {
    const terminated: Pod[] = [];
    for (const pod of this.ctx.store.values('Pod')) {
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') terminated.push(pod);
    }
    const excess = terminated.length - TERMINATED_POD_GC_THRESHOLD;
    if (excess <= 0) return;
    terminated.sort((a, b) => createdAt(a) - createdAt(b) || (keyOf(a) < keyOf(b) ? -1 : 1));
    for (const pod of terminated.slice(0, excess)) this.forceDelete(pod);
  }

  private forceDelete(pod: Pod): void {
    try {
      this.ctx.api.delete('Pod', pod.metadata!.namespace, pod.metadata!.name!, { gracePeriodSeconds: 0, force: true });
    } catch (e) {
      if (!(e instanceof ApiError && e.reason === 'NotFound')) throw e;
    }
  }
}
