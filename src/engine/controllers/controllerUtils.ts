/**
 * Helpers the controllers share, named after pkg/controller/controller_utils.go and
 * pkg/api/v1/pod/util.go: pod activity/readiness, owner references, the deletion ranking used on
 * scale-down, slow-start batches, intstr percentages and the workqueue's failure back-off.
 */
import { Clock } from '../clock';
import type { ApiStore, WatchEvent } from '../api/store';
import type { WorkQueue } from '../reconciler';
import type {
  Kind,
  KindMap,
  KObject,
  LabelSelector,
  OwnerReference,
  Pod,
  PodCondition,
  PodTemplateSpec,
  Taint,
  Toleration,
} from '../api/types';

/** The annotation a user sets to choose which pods go first on scale-down (PodDeletionCost, GA-on by default). */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

/** controller.IsPodActive: not terminal and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

/** A pod condition by type. */
export function podCondition(pod: Pod, type: string): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/**
 * podutil.IsPodAvailable: ready, and ready for at least minReadySeconds. Kubernetes compares
 * `lastTransitionTime + minReadySeconds` strictly before now.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  const c = podCondition(pod, 'Ready');
  if (c?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  if (!c.lastTransitionTime) return false;
  return Clock.parseRfc3339(c.lastTransitionTime) + minReadySeconds * 1000 < nowMs;
}

/** The virtual time at which a ready pod becomes available (undefined if it is not ready). */
export function availableAt(pod: Pod, minReadySeconds: number): number | undefined {
  const c = podCondition(pod, 'Ready');
  if (c?.status !== 'True' || !c.lastTransitionTime) return undefined;
  return Clock.parseRfc3339(c.lastTransitionTime) + minReadySeconds * 1000 + 1;
}

/**
 * The ready and available replicas among `pods` (a workload status's readyReplicas and
 * availableReplicas), and `nextAvailable`: the earliest instant a ready pod that is not available
 * yet becomes so, when the controller must look again (the real ones AddAfter(minReadySeconds)).
 */
export function countReadyAndAvailable(
  pods: Iterable<Pod>,
  minReadySeconds: number,
  nowMs: number,
): { ready: number; available: number; nextAvailable: number | undefined } {
  let ready = 0;
  let available = 0;
  let nextAvailable: number | undefined;
  for (const pod of pods) {
    if (!isPodReady(pod)) continue;
    ready++;
    if (isPodAvailable(pod, minReadySeconds, nowMs)) available++;
    else {
      const at = availableAt(pod, minReadySeconds);
      if (at !== undefined && (nextAvailable === undefined || at < nextAvailable)) nextAvailable = at;
    }
  }
  return { ready, available, nextAvailable };
}

/** metav1.GetControllerOf: the owner reference with `controller: true`. */
export function controllerRef(obj: KObject): OwnerReference | undefined {
  const refs = obj.metadata?.ownerReferences;
  if (!refs) return undefined;
  // A loop rather than find(): every pod event of every pod controller asks this.
  for (let i = 0; i < refs.length; i++) if (refs[i].controller === true) return refs[i];
  return undefined;
}

/** The owner reference a controller stamps on what it creates (metav1.NewControllerRef). */
export function newControllerRef(owner: KObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion!,
    kind: owner.kind!,
    name: owner.metadata!.name!,
    uid: owner.metadata!.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** A namespaced store key. */
export function keyOf(obj: KObject): string {
  const m = obj.metadata!;
  return m.namespace ? `${m.namespace}/${m.name}` : m.name!;
}

export function splitKey(key: string): [string | undefined, string] {
  const i = key.indexOf('/');
  return i < 0 ? [undefined, key] : [key.slice(0, i), key.slice(i + 1)];
}

/**
 * The controller's worker (processNextWorkItem → syncHandler): take every queued `namespace/name`
 * key and sync the object of `kind` it names; a key whose object is gone is dropped.
 */
export function syncQueued<K extends Kind>(
  queue: WorkQueue<string>,
  store: ApiStore,
  kind: K,
  sync: (obj: KindMap[K], key: string) => void,
): void {
  for (const key of queue.drain()) {
    const [ns, name] = splitKey(key);
    const obj = store.get(kind, ns, name);
    if (obj) sync(obj, key);
  }
}

/**
 * A pod event wakes the controller of `kind` named by the pod's controllerRef, before and after
 * the change (updatePod: a pod released by one owner and adopted by another queues both).
 */
export function enqueuePodController(queue: WorkQueue<string>, ev: WatchEvent<'Pod'>, kind: string): void {
  const old = ev.old;
  if (old) {
    const ref = controllerRef(old);
    if (ref?.kind === kind) queue.add(`${old.metadata!.namespace}/${ref.name}`);
  }
  const p = ev.object;
  const ref = controllerRef(p);
  if (ref?.kind === kind) queue.add(`${p.metadata!.namespace}/${ref.name}`);
}

/** Virtual ms of an object's creationTimestamp (0 if missing). */
export function createdAt(obj: KObject): number {
  const ts = obj.metadata?.creationTimestamp;
  return ts ? Clock.parseRfc3339(ts) : 0;
}

/**
 * slowStartBatch: call `fn` `count` times in batches of 1, 2, 4, … and stop at the first batch
 * with a failure, so a controller that cannot create pods (quota, admission) does not hammer the
 * API server. Returns how many calls succeeded.
 */
export function slowStartBatch(count: number, initialBatchSize: number, fn: () => boolean): number {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    let errors = 0;
    for (let i = 0; i < batch; i++) {
      if (fn()) successes++;
      else errors++;
    }
    if (errors > 0) return successes;
    remaining -= batch;
  }
  return successes;
}

/** The batch sizes slowStartBatch uses for `count` calls that all succeed (for tests and the UI). */
export function slowStartBatchSizes(count: number, initialBatchSize = 1): number[] {
  const out: number[] = [];
  let remaining = count;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    out.push(batch);
    remaining -= batch;
  }
  return out;
}

/**
 * intstr.GetScaledValueFromIntOrPercent: an int as is, or `"N%"` of `total`, rounded up or down.
 * Throws on a malformed string, as the Go helper returns an error.
 */
export function scaledValueFromIntOrPercent(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) {
    if (/^\d+$/.test(value)) return Number(value);
    throw new Error(`invalid value for IntOrString: invalid value "${value}": must be an integer or percentage (e.g '5%')`);
  }
  const v = (Number(m[1]) * total) / 100;
  // Integer arithmetic in Go: ceil/floor of the exact quotient.
  return roundUp ? Math.ceil(v) : Math.floor(v);
}

/** Max restarts over the pod's containers (and restartable init containers, i.e. sidecars). */
export function maxContainerRestarts(pod: Pod): number {
  let max = 0;
  for (const c of pod.status?.containerStatuses ?? []) max = Math.max(max, c.restartCount ?? 0);
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  for (const c of pod.status?.initContainerStatuses ?? []) if (sidecars.has(c.name)) max = Math.max(max, c.restartCount ?? 0);
  return max;
}

function deletionCost(pod: Pod): number {
  const v = pod.metadata?.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (v === undefined) return 0;
  const n = Number(v);
  return Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 ? n : 0;
}

function phaseRank(pod: Pod): number {
  switch (pod.status?.phase) {
    case 'Pending':
      return 0;
    case 'Unknown':
      return 1;
    case 'Running':
      return 2;
    default:
      return 3;
  }
}

/** Timestamps in this engine have second precision; Go compares nanoseconds for the log ranks. */
function logRank(tMs: number, nowMs: number): number {
  const dNs = (nowMs - tMs) * 1e6;
  return dNs > 0 ? Math.floor(Math.log2(dNs)) : -1;
}

/**
 * controller.ActivePodsWithRanks.Less: true when pod `a` should be deleted before pod `b`.
 * `rankA`/`rankB` are the number of related pods on each one's node. Order, as in v1.34 with the
 * LogarithmicScaleDown and PodDeletionCost gates on (their defaults):
 * 1. unassigned < assigned; 2. Pending < Unknown < Running; 3. not ready < ready;
 * 4. lower pod-deletion-cost; 5. more related pods on the same node; 6. ready for less time
 * (log2 buckets, uid breaks ties); 7. more restarts; 8. newer (log2 buckets, uid breaks ties).
 */
export function podDeletesBefore(a: Pod, rankA: number, b: Pod, rankB: number, nowMs: number): boolean {
  const an = a.spec?.nodeName ?? '';
  const bn = b.spec?.nodeName ?? '';
  if (an !== bn && (an === '' || bn === '')) return an === '';
  const pa = phaseRank(a);
  const pb = phaseRank(b);
  if (pa !== pb) return pa < pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return !ra;
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca < cb;
  if (rankA !== rankB) return rankA > rankB;
  if (ra && rb) {
    const ta = podCondition(a, 'Ready')?.lastTransitionTime;
    const tb = podCondition(b, 'Ready')?.lastTransitionTime;
    if (ta !== tb) {
      // afterOrZero: a zero (missing) time sorts first.
      if (!ta || !tb) return !ta;
      const diff = logRank(Clock.parseRfc3339(ta), nowMs) - logRank(Clock.parseRfc3339(tb), nowMs);
      if (diff === 0) return (a.metadata?.uid ?? '') < (b.metadata?.uid ?? '');
      return diff < 0;
    }
  }
  const xa = maxContainerRestarts(a);
  const xb = maxContainerRestarts(b);
  if (xa !== xb) return xa > xb;
  const ka = a.metadata?.creationTimestamp;
  const kb = b.metadata?.creationTimestamp;
  if (ka !== kb) {
    if (!ka || !kb) return !ka;
    const diff = logRank(Clock.parseRfc3339(ka), nowMs) - logRank(Clock.parseRfc3339(kb), nowMs);
    if (diff === 0) return (a.metadata?.uid ?? '') < (b.metadata?.uid ?? '');
    return diff < 0;
  }
  return false;
}

/**
 * Sort pods so that the first ones are the ones to delete first (getPodsToDelete): each pod is
 * ranked by how many active `related` pods share its node. Returns a new array.
 */
export function rankPodsForDeletion(pods: readonly Pod[], related: readonly Pod[], nowMs: number): Pod[] {
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const n = p.spec?.nodeName ?? '';
    onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  // A stable merge sort with the Less function (Go uses sort.Sort; ties are rare after uid checks).
  ranked.sort((x, y) => (podDeletesBefore(x.pod, x.rank, y.pod, y.rank, nowMs) ? -1 : podDeletesBefore(y.pod, y.rank, x.pod, x.rank, nowMs) ? 1 : 0));
  return ranked.map((r) => r.pod);
}

/** v1.Toleration.ToleratesTaint (v1.34: operators Equal, Exists). */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** v1helper.GetMatchingTolerations: whether every taint is tolerated, and the tolerations used. */
export function matchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[]): { all: boolean; used: Toleration[] } {
  if (taints.length === 0) return { all: true, used: [] };
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = tolerations.find((tol) => toleratesTaint(tol, taint));
    if (!t) return { all: false, used: [] };
    used.push(t);
  }
  return { all: true, used };
}

/** Labels of a selector's matchLabels merged with extra ones (used for pod-template-hash). */
export function selectorWith(sel: LabelSelector | undefined, extra: Record<string, string>): LabelSelector {
  return { ...(sel ?? {}), matchLabels: { ...(sel?.matchLabels ?? {}), ...extra } };
}

/**
 * A canonical JSON text of a value (object keys sorted), the stand-in for Go's DeepHashObject
 * (which prints the value with spew, fields in declaration order).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** FNV-1a, 32 bit, over the UTF-8 bytes of `text`. */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  const step = (b: number) => {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  };
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) step(cp);
    else if (cp < 0x800) {
      step(0xc0 | (cp >> 6));
      step(0x80 | (cp & 63));
    } else if (cp < 0x10000) {
      step(0xe0 | (cp >> 12));
      step(0x80 | ((cp >> 6) & 63));
      step(0x80 | (cp & 63));
    } else {
      step(0xf0 | (cp >> 18));
      step(0x80 | ((cp >> 12) & 63));
      step(0x80 | ((cp >> 6) & 63));
      step(0x80 | (cp & 63));
    }
  }
  return h >>> 0;
}

/** rand.SafeEncodeString: each character mapped into the consonants-and-digits alphabet. */
export function safeEncodeString(s: string): string {
  const alphanums = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < s.length; i++) out += alphanums[s.charCodeAt(i) % alphanums.length];
  return out;
}

/**
 * controller.ComputeHash: the pod-template-hash label value. FNV-32a of the template (plus the
 * collision count), printed in decimal and safe-encoded, e.g. `7d9c8b5f4d`.
 * Why not byte-identical to Kubernetes: Go hashes a spew dump of its structs, which depends on
 * field declaration order and Go types; we hash canonical JSON, so the value differs but has the
 * same look and the same properties (deterministic, changes with the template).
 */
export function computeHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let text = canonicalJson(template ?? {});
  if (collisionCount !== undefined && collisionCount !== null) text += `#${collisionCount}`;
  return safeEncodeString(String(fnv32a(text)));
}

/**
 * The rate limiter of a controller's workqueue (ItemExponentialFailureRateLimiter: 5ms doubling,
 * capped at 1000s) for keys whose sync failed.
 */
export class FailureBackoff {
  private readonly failures = new Map<string, number>();
  /** Delay before the next retry of `key`, counting this failure. */
  next(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    return Math.min(5 * 2 ** n, 1_000_000);
  }
  forget(key: string): void {
    this.failures.delete(key);
  }
}

/**
 * Pods indexed by the uid of their controller, kept from a watch, so a controller lists its pods
 * without scanning every pod in the cluster (the informer indexer of the real controllers).
 */
export class PodsByController {
  private readonly byUid = new Map<string, Map<string, Pod>>();

  constructor(store: ApiStore) {
    for (const p of store.values('Pod')) this.put(p);
    store.watch('Pod', (ev) => {
      if (ev.old) this.drop(ev.old);
      if (ev.type !== 'DELETED') this.put(ev.object);
    });
  }

  /** The pods whose controller reference names this uid. */
  pods(uid: string): Pod[] {
    const m = this.byUid.get(uid);
    return m ? [...m.values()] : [];
  }

  private put(p: Pod): void {
    const ref = controllerRef(p);
    if (!ref) return;
    let m = this.byUid.get(ref.uid);
    if (!m) this.byUid.set(ref.uid, (m = new Map()));
    m.set(keyOf(p), p);
  }

  private drop(p: Pod): void {
    const ref = controllerRef(p);
    if (!ref) return;
    const m = this.byUid.get(ref.uid);
    m?.delete(keyOf(p));
    if (m && m.size === 0) this.byUid.delete(ref.uid);
  }
}
