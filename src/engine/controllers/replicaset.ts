import { semanticEqual } from '../api/equality';
import type { ClusterContext } from '../context';
import { defaults } from '../config';
import type { OwnerReference, Pod, ReplicaSet } from '../api/types';
import type { WatchEvent } from '../api/store';
import { selectorFromLabelSelector, type Selector } from '../api/labels';
import { ApiError } from '../api/errors';
import { WorkQueue, type Reconciler } from '../reconciler';
import type { TimerHandle } from '../clock';
import {
  FailureBackoff,
  controllerRef,
  countReadyAndAvailable,
  isPodActive,
  keyOf,
  newControllerRef,
  rankPodsForDeletion,
  slowStartBatch,
  splitKey,
} from './controllerUtils';

const COMPONENT = { component: 'replicaset-controller' };

/** SlowStartInitialBatchSize in pkg/controller/controller_utils.go. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

/**
 * The ReplicaSet controller (pkg/controller/replicaset): keeps `spec.replicas` active pods that
 * match the selector and carry the ReplicaSet as their controller, adopting matching orphans and
 * releasing pods that stop matching; writes status (replicas, fullyLabeledReplicas, readyReplicas,
 * availableReplicas, observedGeneration).
 *
 * Why no "expectations": the real controller guards against its informer cache lagging behind its
 * own writes. Our watches are synchronous, so the store is always up to date when a sync runs.
 */
export class ReplicaSetController implements Reconciler {
  readonly name = 'replicaset-controller';
  private readonly queue = new WorkQueue<string>();
  /** Pods by the uid of their controller (any kind), and orphan pods by namespace. */
  private readonly podsByController = new Map<string, Map<string, Pod>>();
  private readonly orphansByNamespace = new Map<string, Map<string, Pod>>();
  private readonly rsByNamespace = new Map<string, Map<string, ReplicaSet>>();
  private readonly backoff = new FailureBackoff();
  private readonly retryTimers = new Map<string, TimerHandle>();
  private readonly availabilityTimers = new Map<string, TimerHandle>();

  constructor(readonly ctx: ClusterContext) {
    for (const pod of ctx.store.values('Pod')) this.indexPod(undefined, pod);
    for (const rs of ctx.store.values('ReplicaSet')) {
      this.queue.add(keyOf(rs));
      this.indexReplicaSet({ type: 'ADDED', kind: 'ReplicaSet', object: rs });
    }
    ctx.store.watch('ReplicaSet', (ev) => {
      this.indexReplicaSet(ev);
      this.queue.add(keyOf(ev.object));
    });
    ctx.store.watch('Pod', (ev) => this.onPod(ev));
  }

  hasWork(): boolean {
    return this.queue.size > 0;
  }

  runOnce(): void {
    for (const key of this.queue.drain()) this.sync(key);
  }

  /** Pods whose controller is the object with this uid (for the deployment controller and tests). */
  podsControlledBy(uid: string): Pod[] {
    return [...(this.podsByController.get(uid)?.values() ?? [])];
  }

  private onPod(ev: WatchEvent<'Pod'>): void {
    const pod = ev.object;
    const prev = ev.type === 'ADDED' ? undefined : ev.old;
    // Each controller reference is looked up once, for the index and for the enqueueing below.
    const prevRef = prev ? controllerRef(prev) : undefined;
    const ref = prev === pod ? prevRef : controllerRef(pod);
    const key = keyOf(pod);
    if (prev) {
      const bucket = prevRef ? this.podsByController.get(prevRef.uid) : this.orphansByNamespace.get(prev.metadata!.namespace!);
      bucket?.delete(key);
    }
    if (ev.type !== 'DELETED') {
      getOrCreate(ref ? this.podsByController : this.orphansByNamespace, ref ? ref.uid : pod.metadata!.namespace!).set(key, pod);
    }
    if (ev.type === 'MODIFIED' && prev) this.enqueueFor(prev, prevRef, false);
    this.enqueueFor(pod, ref, ev.type === 'DELETED');
  }

  /** The ReplicaSet that controls the pod, or (an orphan, not deleted) every one whose selector matches it. */
  private enqueueFor(p: Pod, ref: OwnerReference | undefined, deleted: boolean): void {
    if (ref) {
      if (ref.kind === 'ReplicaSet') this.queue.add(`${p.metadata!.namespace}/${ref.name}`);
      return;
    }
    if (deleted) return;
    // An orphan: every ReplicaSet of its namespace whose selector matches may adopt it (getPodReplicaSets).
    const inNamespace = this.rsByNamespace.get(p.metadata!.namespace!);
    if (!inNamespace) return;
    for (const [key, rs] of inNamespace) {
      if (compiledSelector(rs).matches(p.metadata!.labels)) this.queue.add(key);
    }
  }

  /**
   * ReplicaSets by namespace, in the store's order (creation order: an update keeps its place), so
   * an orphan's event looks only at its own namespace's ReplicaSets.
   */
  private indexReplicaSet(ev: WatchEvent<'ReplicaSet'>): void {
    const rs = ev.object;
    const ns = rs.metadata!.namespace!;
    if (ev.type === 'DELETED') {
      const m = this.rsByNamespace.get(ns);
      m?.delete(keyOf(rs));
      if (m && m.size === 0) this.rsByNamespace.delete(ns);
    } else {
      getOrCreate(this.rsByNamespace, ns).set(keyOf(rs), rs);
    }
  }

  private indexPod(old: Pod | undefined, next: Pod | undefined): void {
    if (old) {
      const key = keyOf(old);
      const ref = controllerRef(old);
      if (ref) this.podsByController.get(ref.uid)?.delete(key);
      else this.orphansByNamespace.get(old.metadata!.namespace!)?.delete(key);
    }
    if (next) {
      const key = keyOf(next);
      const ref = controllerRef(next);
      const bucket = ref
        ? getOrCreate(this.podsByController, ref.uid)
        : getOrCreate(this.orphansByNamespace, next.metadata!.namespace!);
      bucket.set(key, next);
    }
  }

  private sync(key: string): void {
    const [ns, name] = splitKey(key);
    const rs = this.ctx.store.get('ReplicaSet', ns, name);
    if (!rs) {
      this.backoff.forget(key);
      return;
    }
    const pods = this.claimPods(rs);
    const active = pods.filter(isPodActive);
    let manageError: { reason: string; message: string } | undefined;
    if (!rs.metadata!.deletionTimestamp) manageError = this.manageReplicas(rs, active);
    if (manageError) this.scheduleRetry(key);
    else this.backoff.forget(key);
    // Re-read: manageReplicas may have changed the pods (creations are active pods too).
    const current = this.ctx.store.get('ReplicaSet', ns, name);
    if (current) this.updateStatus(current, this.claimedActivePods(current), manageError);
  }

  /** ClaimPods (PodControllerRefManager): owned pods that still match, plus adopted orphans. */
  private claimPods(rs: ReplicaSet): Pod[] {
    const uid = rs.metadata!.uid!;
    const selector = selectorFromLabelSelector(rs.spec!.selector);
    const deleting = !!rs.metadata!.deletionTimestamp;
    const claimed: Pod[] = [];
    for (const pod of [...(this.podsByController.get(uid)?.values() ?? [])]) {
      if (selector.matches(pod.metadata!.labels)) {
        claimed.push(pod);
      } else if (!deleting && !selector.empty) {
        // Release: the pod no longer matches, drop our controller reference.
        const refs = (pod.metadata!.ownerReferences ?? []).filter((r) => r.uid !== uid);
        this.ctx.api.updateStatus('Pod', { ...pod, metadata: { ...pod.metadata, ownerReferences: refs.length ? refs : undefined } });
      }
    }
    if (!deleting && !selector.empty) {
      for (const pod of [...(this.orphansByNamespace.get(rs.metadata!.namespace!)?.values() ?? [])]) {
        if (pod.metadata!.deletionTimestamp || !selector.matches(pod.metadata!.labels)) continue;
        const adopted = this.ctx.api.updateStatus('Pod', {
          ...pod,
          metadata: { ...pod.metadata, ownerReferences: [...(pod.metadata!.ownerReferences ?? []), newControllerRef(rs)] },
        });
        claimed.push(adopted);
      }
    }
    return claimed;
  }

  private claimedActivePods(rs: ReplicaSet): Pod[] {
    const selector = selectorFromLabelSelector(rs.spec!.selector);
    return this.podsControlledBy(rs.metadata!.uid!).filter((p) => isPodActive(p) && selector.matches(p.metadata!.labels));
  }

  /** manageReplicas: create or delete the difference, at most burstReplicas per sync. */
  private manageReplicas(rs: ReplicaSet, active: Pod[]): { reason: string; message: string } | undefined {
    const want = rs.spec!.replicas ?? 1;
    const diff = active.length - want;
    if (diff < 0) {
      const count = Math.min(-diff, defaults.burstReplicas);
      let failure: string | undefined;
      slowStartBatch(count, SLOW_START_INITIAL_BATCH_SIZE, () => {
        try {
          const pod = this.ctx.api.create('Pod', podFromTemplate(rs));
          this.ctx.recorder.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata!.name}`, COMPONENT);
          return true;
        } catch (e) {
          failure = errorText(e);
          this.ctx.recorder.record(rs, 'Warning', 'FailedCreate', `Error creating: ${failure}`, COMPONENT);
          return false;
        }
      });
      return failure ? { reason: 'FailedCreate', message: failure } : undefined;
    }
    if (diff > 0) {
      const count = Math.min(diff, defaults.burstReplicas);
      let victims = active;
      if (count < active.length) {
        victims = rankPodsForDeletion(active, this.relatedPods(rs), this.ctx.clock.now()).slice(0, count);
      }
      let failure: string | undefined;
      for (const pod of victims) {
        try {
          this.ctx.api.delete('Pod', pod.metadata!.namespace, pod.metadata!.name!);
          this.ctx.recorder.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata!.name}`, COMPONENT);
        } catch (e) {
          if (e instanceof ApiError && e.reason === 'NotFound') continue;
          failure = errorText(e);
          this.ctx.recorder.record(rs, 'Warning', 'FailedDelete', `Error deleting: ${failure}`, COMPONENT);
        }
      }
      return failure ? { reason: 'FailedDelete', message: failure } : undefined;
    }
    return undefined;
  }

  /** getIndirectlyRelatedPods: pods of every ReplicaSet with the same controller (the Deployment's). */
  private relatedPods(rs: ReplicaSet): Pod[] {
    const owner = controllerRef(rs);
    if (!owner) return this.podsControlledBy(rs.metadata!.uid!);
    const out: Pod[] = [];
    for (const other of this.ctx.store.values('ReplicaSet')) {
      if (other.metadata!.namespace !== rs.metadata!.namespace) continue;
      if (controllerRef(other)?.uid !== owner.uid) continue;
      out.push(...this.podsControlledBy(other.metadata!.uid!));
    }
    return out;
  }

  private updateStatus(rs: ReplicaSet, active: Pod[], manageError: { reason: string; message: string } | undefined): void {
    const now = this.ctx.clock.now();
    const minReady = rs.spec!.minReadySeconds ?? 0;
    const templateLabels = rs.spec!.template?.metadata?.labels ?? {};
    let fullyLabeled = 0;
    for (const pod of active) {
      const labels = pod.metadata!.labels ?? {};
      if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    }
    const { ready, available, nextAvailable } = countReadyAndAvailable(active, minReady, now);
    let conditions = rs.status?.conditions ?? [];
    const failure = conditions.find((c) => c.type === 'ReplicaFailure');
    if (manageError && !failure) {
      conditions = [
        ...conditions,
        { type: 'ReplicaFailure', status: 'True', reason: manageError.reason, message: manageError.message, lastTransitionTime: this.ctx.clock.timestamp() },
      ];
    } else if (!manageError && failure) {
      conditions = conditions.filter((c) => c !== failure);
    }
    const status: NonNullable<ReplicaSet['status']> = {
      replicas: active.length,
      fullyLabeledReplicas: fullyLabeled,
      readyReplicas: ready,
      availableReplicas: available,
      observedGeneration: rs.metadata!.generation,
      ...(conditions.length ? { conditions } : {}),
    };
    if (!semanticEqual(status, normaliseStatus(rs.status))) {
      this.ctx.api.updateStatus('ReplicaSet', { ...rs, status });
    }
    // A pod becomes available minReadySeconds after it turned ready: look again at that instant.
    if (nextAvailable !== undefined) this.recheckAt(keyOf(rs), nextAvailable);
  }

  private recheckAt(key: string, at: number): void {
    const existing = this.availabilityTimers.get(key);
    if (existing && existing.at <= at && existing.at >= this.ctx.clock.now()) return;
    existing?.cancel();
    this.availabilityTimers.set(
      key,
      this.ctx.clock.at(at, () => {
        this.availabilityTimers.delete(key);
        this.queue.add(key);
      }, `rs-available ${key}`),
    );
  }

  private scheduleRetry(key: string): void {
    if (this.retryTimers.has(key)) return;
    this.retryTimers.set(
      key,
      this.ctx.clock.after(this.backoff.next(key), () => {
        this.retryTimers.delete(key);
        this.queue.add(key);
      }, `rs-retry ${key}`),
    );
  }
}

/** Status in the shape we write, so an unchanged status is not written again. */
function normaliseStatus(s: ReplicaSet['status']): unknown {
  if (!s) return undefined;
  return {
    replicas: s.replicas,
    fullyLabeledReplicas: s.fullyLabeledReplicas,
    readyReplicas: s.readyReplicas,
    availableReplicas: s.availableReplicas,
    observedGeneration: s.observedGeneration,
    ...(s.conditions?.length ? { conditions: s.conditions } : {}),
  };
}

/**
 * GetPodFromTemplate: a pod from the ReplicaSet's template, named `<rs>-<5 random chars>` by the
 * API server through generateName, with the ReplicaSet as its controller.
 */
export function podFromTemplate(rs: ReplicaSet): Pod {
  const t = rs.spec!.template ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata!.name}-`,
      namespace: rs.metadata!.namespace,
      // Why shared, not copied: stored objects are immutable values (frozen under test), so every
      // pod of a ReplicaSet can share its template's parts; at 150,000 pods copies cost megabytes.
      ...(t.metadata?.labels ? { labels: t.metadata.labels } : {}),
      ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}),
      ...(t.metadata?.finalizers ? { finalizers: t.metadata.finalizers } : {}),
      ownerReferences: [newControllerRef(rs)],
    },
    spec: t.spec ?? { containers: [] },
  };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A ReplicaSet's selector, compiled once per selector object (stored objects are immutable). */
const selectors = new WeakMap<object, Selector>();
function compiledSelector(rs: ReplicaSet): Selector {
  const sel = rs.spec!.selector;
  if (!sel) return selectorFromLabelSelector(sel);
  let c = selectors.get(sel);
  if (!c) selectors.set(sel, (c = selectorFromLabelSelector(sel)));
  return c;
}

function getOrCreate<V>(m: Map<string, Map<string, V>>, k: string): Map<string, V> {
  let v = m.get(k);
  if (!v) m.set(k, (v = new Map()));
  return v;
}
