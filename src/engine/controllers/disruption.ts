import { semanticEqual } from '../api/equality';
import type { ClusterContext } from '../context';
import { selectorFromLabelSelector } from '../api/labels';
import { isKind, KINDS, type Pod, type PodDisruptionBudget } from '../api/types';
import { Clock } from '../clock';
import { MINUTE } from '../config';
import { RequeueTimers, WorkQueue, type Reconciler } from '../reconciler';
import { conditionsAreUpToDate, DISRUPTION_ALLOWED, setStatusCondition, SYNC_FAILED, withDisruptionAllowedCondition } from '../api/pdbHelper';
import { controllerRef, isPodReady, keyOf, scaledValueFromIntOrPercent, splitKey } from './controllerUtils';

/**
 * DeletionTimeout of pkg/controller/disruption: how long an eviction's entry in
 * `status.disruptedPods` keeps the pod out of `currentHealthy` while its deletion is expected.
 */
export const DELETION_TIMEOUT = 2 * MINUTE;

const SOURCE = { component: 'controllermanager' };

type PdbStatus = NonNullable<PodDisruptionBudget['status']>;

/**
 * What a PDB's selector picks: `metav1.LabelSelectorAsSelector`, so a missing selector selects
 * nothing and an empty one (`{}`) every pod of the namespace (policy/v1; v1beta1 differed).
 */
export function pdbSelects(pdb: PodDisruptionBudget, pod: Pod): boolean {
  const sel = pdb.spec?.selector;
  if (!sel) return false;
  return selectorFromLabelSelector(sel).matches(pod.metadata?.labels);
}

/**
 * The pods a budget covers: every pod of its namespace its selector matches (getPodsForPdb),
 * terminating and terminal ones included — the counting rules skip them later.
 */
export function podsForPdb(ctx: Pick<ClusterContext, 'store'>, pdb: PodDisruptionBudget): Pod[] {
  return ctx.store.list('Pod', pdb.metadata!.namespace).filter((p) => pdbSelects(pdb, p));
}

/** The budgets of a pod's namespace that select it, by name (the lister's GetPodPodDisruptionBudgets). */
export function pdbsForPod(ctx: Pick<ClusterContext, 'store'>, pod: Pod): PodDisruptionBudget[] {
  // The policy/v1 lister refuses a pod without labels ("has no labels"): no budget covers it.
  if (!Object.keys(pod.metadata?.labels ?? {}).length) return [];
  return ctx.store.list('PodDisruptionBudget', pod.metadata!.namespace)
    .filter((pdb) => pdbSelects(pdb, pod))
    .sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
}

/**
 * The scale of the controller a pod's controllerRef names, as the disruption controller's finders
 * find it: a ReplicaSet of a Deployment counts as the Deployment (getPodDeployment), a lone
 * ReplicaSet as itself, anything else through the scale subresource (getScaleController).
 * Returns undefined when no finder knows the controller; throws the finders' errors.
 */
function controllerScale(ctx: Pick<ClusterContext, 'store'>, ref: NonNullable<ReturnType<typeof controllerRef>>, ns: string): { uid: string; scale: number } | undefined {
  const { store } = ctx;
  if (ref.kind === 'ReplicaSet') {
    const rs = store.get('ReplicaSet', ns, ref.name);
    if (rs && rs.metadata!.uid === ref.uid) {
      const owner = controllerRef(rs);
      if (owner?.kind === 'Deployment') {
        const d = store.get('Deployment', ns, owner.name);
        if (d && d.metadata!.uid === owner.uid) return { uid: owner.uid, scale: d.spec?.replicas ?? 1 };
        // getPodReplicaSet skips a ReplicaSet controlled by a Deployment; the scale finder still reads it.
      }
      return { uid: rs.metadata!.uid!, scale: rs.spec?.replicas ?? 1 };
    }
    return undefined;
  }
  // getScaleController: resolve the kind, then GET its scale subresource.
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  if (!isKind(ref.kind) || KINDS[ref.kind].apiVersion !== ref.apiVersion) {
    throw new Error(`no matches for kind "${ref.kind}" in version "${ref.apiVersion}"`);
  }
  if (ref.kind === 'Deployment') {
    const d = store.get('Deployment', ns, ref.name);
    return d && d.metadata!.uid === ref.uid ? { uid: ref.uid, scale: d.spec?.replicas ?? 1 } : undefined;
  }
  // Of the kinds we serve, only ReplicaSet and Deployment implement the scale subresource
  // (ReplicationController and StatefulSet are not modelled).
  throw new Error(`${KINDS[ref.kind].plural}${group ? `.${group}` : ''} does not implement the scale subresource`);
}

/** getExpectedScale: the sum of the scales of the pods' controllers, and the pods without one. */
export function expectedScale(ctx: Pick<ClusterContext, 'store'>, pods: readonly Pod[]): { expected: number; unmanaged: string[] } {
  const scales = new Map<string, number>();
  const unmanaged: string[] = [];
  for (const pod of pods) {
    const ref = controllerRef(pod);
    if (!ref) {
      unmanaged.push(pod.metadata!.name!);
      continue;
    }
    if (scales.has(ref.uid)) continue;
    const found = controllerScale(ctx, ref, pod.metadata!.namespace!);
    if (!found) throw new Error(`found no controllers for pod "${pod.metadata!.name}"`);
    scales.set(found.uid, found.scale);
  }
  let expected = 0;
  for (const s of scales.values()) expected += s;
  return { expected, unmanaged };
}

/**
 * getExpectedPodCount: `maxUnavailable` (int or percent) and a percentage `minAvailable` are scaled
 * against the controllers' replicas, rounding up; an integer `minAvailable` is taken as is, against
 * the number of matching pods.
 */
export function expectedPodCount(ctx: Pick<ClusterContext, 'store'>, pdb: PodDisruptionBudget, pods: readonly Pod[]): { expectedCount: number; desiredHealthy: number; unmanaged: string[] } {
  const spec = pdb.spec ?? {};
  if (spec.maxUnavailable !== undefined) {
    const { expected, unmanaged } = expectedScale(ctx, pods);
    const maxUnavailable = scaledValueFromIntOrPercent(spec.maxUnavailable, expected, true);
    return { expectedCount: expected, desiredHealthy: Math.max(0, expected - maxUnavailable), unmanaged };
  }
  if (spec.minAvailable !== undefined) {
    if (typeof spec.minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: spec.minAvailable, unmanaged: [] };
    const { expected, unmanaged } = expectedScale(ctx, pods);
    return { expectedCount: expected, desiredHealthy: scaledValueFromIntOrPercent(spec.minAvailable, expected, true), unmanaged };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanaged: [] };
}

/** countHealthyPods: Ready pods that are neither being deleted nor recently evicted. */
export function countHealthyPods(pods: readonly Pod[], disruptedPods: Readonly<Record<string, string>>, now: number): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const at = disruptedPods[pod.metadata!.name!];
    if (at !== undefined && Clock.parseRfc3339(at) + DELETION_TIMEOUT > now) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

/**
 * The disruption controller (pkg/controller/disruption): keeps each PodDisruptionBudget's status —
 * expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed, disruptedPods and the
 * `DisruptionAllowed` condition — which the Eviction API reads and decrements.
 *
 * Why simplified: no ReplicationController or StatefulSet finders (those kinds are not served), and
 * no stale-DisruptionTarget cleanup (our evictions add the condition and delete in one step).
 */
export class DisruptionController implements Reconciler {
  readonly name = 'disruption';
  private readonly queue = new WorkQueue<string>();
  /** Pods to map to their budget (getPdbForPod runs in the worker, where it may record events). */
  private readonly podQueue = new WorkQueue<string>();
  /** The last seen state of the queued pods, deleted ones included. */
  private readonly queuedPods = new Map<string, Pod>();
  private readonly recheck: RequeueTimers;
  private pdbCount: number;

  constructor(readonly ctx: ClusterContext) {
    this.recheck = new RequeueTimers(ctx.clock, this.queue, 'disruption');
    this.pdbCount = ctx.store.list('PodDisruptionBudget').length;
    for (const pdb of ctx.store.values('PodDisruptionBudget')) this.queue.add(keyOf(pdb));
    ctx.store.watch('PodDisruptionBudget', (ev) => {
      if (ev.type === 'ADDED') this.pdbCount++;
      if (ev.type === 'DELETED') this.pdbCount--;
      this.queue.add(keyOf(ev.object));
    });
    ctx.store.watch('Pod', (ev) => {
      // Why skipped: with no budget in the cluster there is nothing to map a pod to, and pod events
      // are the hottest path of a large cluster.
      if (this.pdbCount === 0) return;
      // The real updatePod looks at the new pod only; the old one is queued too so a budget the pod
      // left by a label change is recounted at once rather than at its next event.
      for (const p of ev.old && ev.old.metadata?.labels !== ev.object.metadata?.labels ? [ev.old, ev.object] : [ev.object]) {
        const key = `${keyOf(p)}\u0000${p === ev.old ? 'old' : 'new'}`;
        this.queuedPods.set(key, p);
        this.podQueue.add(key);
      }
    });
  }

  hasWork(): boolean {
    return this.queue.size > 0 || this.podQueue.size > 0;
  }

  runOnce(): void {
    for (const key of this.podQueue.drain()) {
      const pod = this.queuedPods.get(key)!;
      this.queuedPods.delete(key);
      const pdb = this.pdbForPod(pod);
      if (pdb) this.queue.add(keyOf(pdb));
    }
    for (const key of this.queue.drain()) {
      const [ns, name] = splitKey(key);
      const pdb = this.ctx.store.get('PodDisruptionBudget', ns, name);
      if (pdb) this.sync(pdb);
    }
  }

  /** getPdbForPod: the first matching budget; more than one is reported on the pod. */
  private pdbForPod(pod: Pod): PodDisruptionBudget | undefined {
    const pdbs = pdbsForPod(this.ctx, pod);
    if (pdbs.length > 1 && this.ctx.store.get('Pod', pod.metadata!.namespace, pod.metadata!.name!)) {
      this.ctx.recorder.record(pod, 'Warning', 'MultiplePodDisruptionBudgets',
        `Pod "${pod.metadata!.namespace}"/"${pod.metadata!.name}" matches multiple PodDisruptionBudgets.  Chose "${pdbs[0].metadata!.name}" arbitrarily.`, SOURCE);
    }
    return pdbs[0];
  }

  /** sync → trySync, or failSafe when the expected count cannot be computed. */
  private sync(pdb: PodDisruptionBudget): void {
    const { ctx } = this;
    const pods = podsForPdb(ctx, pdb);
    if (!pods.length) ctx.recorder.record(pdb, 'Normal', 'NoPods', 'No matching pods found', SOURCE);
    let counted: ReturnType<typeof expectedPodCount>;
    try {
      counted = expectedPodCount(ctx, pdb, pods);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      ctx.recorder.record(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${msg}`, SOURCE);
      this.failSafe(pdb, msg);
      return;
    }
    if (counted.unmanaged.length) {
      ctx.recorder.record(pdb, 'Warning', 'UnmanagedPods',
        `Pods selected by this PodDisruptionBudget (selector: ${goLabelSelector(pdb)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`, SOURCE);
    }
    const now = ctx.clock.now();
    const { disrupted, recheckAt } = this.buildDisruptedPodMap(pods, pdb, now);
    const currentHealthy = countHealthyPods(pods, disrupted, now);
    this.updateStatus(pdb, currentHealthy, counted.desiredHealthy, counted.expectedCount, disrupted);
    // Why one millisecond later: the entry expires strictly after its deadline, and a recheck at the
    // deadline itself would find it still pending (the real queue's backoff lets time pass instead).
    if (recheckAt !== undefined) this.recheck.addAt(keyOf(pdb), recheckAt + 1);
  }

  /** buildDisruptedPodMap: keep the entries of pods not yet being deleted whose deadline has not passed. */
  private buildDisruptedPodMap(pods: readonly Pod[], pdb: PodDisruptionBudget, now: number): { disrupted: Record<string, string>; recheckAt?: number } {
    const old = pdb.status?.disruptedPods;
    const disrupted: Record<string, string> = {};
    let recheckAt: number | undefined;
    if (!old) return { disrupted };
    for (const pod of pods) {
      if (pod.metadata?.deletionTimestamp) continue;
      const at = old[pod.metadata!.name!];
      if (at === undefined) continue;
      const expected = Clock.parseRfc3339(at) + DELETION_TIMEOUT;
      if (expected < now) {
        // The real message names the budget's namespace twice (pdb.Namespace, pdb.Namespace).
        this.ctx.recorder.record(pod, 'Warning', 'NotDeleted', `Pod was expected by PDB ${pdb.metadata!.namespace}/${pdb.metadata!.namespace} to be deleted but it wasn't`, SOURCE);
      } else {
        if (recheckAt === undefined || expected < recheckAt) recheckAt = expected;
        disrupted[pod.metadata!.name!] = at;
      }
    }
    return { disrupted, recheckAt };
  }

  /** updatePdbStatus: write only when something changed. */
  private updateStatus(pdb: PodDisruptionBudget, currentHealthy: number, desiredHealthy: number, expectedPods: number, disruptedPods: Record<string, string>): void {
    let disruptionsAllowed = currentHealthy - desiredHealthy;
    if (expectedPods <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;
    const st = pdb.status;
    const generation = pdb.metadata?.generation ?? 0;
    if (st && st.currentHealthy === currentHealthy && st.desiredHealthy === desiredHealthy && st.expectedPods === expectedPods
      && st.disruptionsAllowed === disruptionsAllowed && sameDisrupted(st.disruptedPods, disruptedPods)
      && (st.observedGeneration ?? 0) === generation && conditionsAreUpToDate(pdb)) return;
    const status = withDisruptionAllowedCondition({
      observedGeneration: generation,
      ...(Object.keys(disruptedPods).length ? { disruptedPods } : {}),
      disruptionsAllowed,
      currentHealthy,
      desiredHealthy,
      expectedPods,
      conditions: st?.conditions,
    }, this.ctx.clock.timestamp());
    this.ctx.api.updateStatus('PodDisruptionBudget', { ...pdb, status });
  }

  /**
   * failSafe: at least set disruptionsAllowed to 0 with `DisruptionAllowed` False/SyncFailed, so no
   * eviction is approved while the budget cannot be computed. observedGeneration is left alone, so
   * the Eviction API keeps answering that the budget "is still being processed".
   */
  private failSafe(pdb: PodDisruptionBudget, message: string): void {
    const st: PdbStatus = pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 };
    const conditions = setStatusCondition(st.conditions, {
      type: DISRUPTION_ALLOWED, status: 'False', reason: SYNC_FAILED, message, observedGeneration: st.observedGeneration,
    }, this.ctx.clock.timestamp());
    const status: PdbStatus = { ...st, disruptionsAllowed: 0, conditions };
    if (semanticEqual(status, pdb.status)) return;
    this.ctx.api.updateStatus('PodDisruptionBudget', { ...pdb, status });
  }
}

function sameDisrupted(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a![k] === b[k]);
}

/** A *metav1.LabelSelector as %v prints it in the UnmanagedPods event (its generated String()). */
function goLabelSelector(pdb: PodDisruptionBudget): string {
  const sel = pdb.spec?.selector;
  if (!sel) return 'nil';
  const ml = Object.entries(sel.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}: ${v},`).join('');
  const me = (sel.matchExpressions ?? []).map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${ml}},MatchExpressions:[]LabelSelectorRequirement{${me}},}`;
}

