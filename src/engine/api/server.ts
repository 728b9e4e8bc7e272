import type { Clock } from '../clock';
import { envelope, defaults as k8sDefaults } from '../config';
import type { Rng } from '../rng';
import { admit } from './admission';
import { applyDefaults } from './defaults';
import { ApiError } from './errors';
import type { ApiStore } from './store';
import { KINDS, type Kind, type KindMap, type KObject, type Pod } from './types';
import { validateObject } from './validation';

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions {
  /** `--grace-period`; for Pods, defaults to spec.terminationGracePeriodSeconds (30). */
  gracePeriodSeconds?: number;
  /** `--force`: with grace 0, remove at once without waiting for the kubelet. */
  force?: boolean;
  /** `--cascade`: background (default), foreground, orphan. */
  propagationPolicy?: PropagationPolicy;
}

/** Finalizers the garbage collector understands (metav1.FinalizerOrphanDependents / DeleteDependents). */
export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

/**
 * The simulated kube-apiserver's request path: defaulting → validation → admission → storage, and
 * the deletion rules of each kind's registry strategy. Controllers, the kubelet, kubectl and the UI
 * all write through here, so every pod gets the same admission (e.g. DefaultTolerationSeconds).
 */
export class ApiServer {
  constructor(
    readonly store: ApiStore,
    private readonly clock: Clock,
    private readonly rng: Rng,
  ) {}

  /** Create an object. `metadata.generateName` gets a random 5-char suffix as the API server adds. */
  create<K extends Kind>(kind: K, input: KindMap[K], opts: { dryRun?: boolean } = {}): KindMap[K] {
    let obj = input;
    const meta = obj.metadata ?? {};
    if (!meta.name && meta.generateName) {
      obj = { ...obj, metadata: { ...meta, name: `${meta.generateName}${this.rng.suffix(5)}` } };
    }
    if (KINDS[kind].namespaced) {
      const ns = obj.metadata?.namespace ?? 'default';
      obj = { ...obj, metadata: { ...obj.metadata, namespace: ns } };
      if (kind !== 'Event' && !this.store.get('Namespace', undefined, ns)) {
        throw ApiError.notFound('Namespace', ns);
      }
      const nsObj = this.store.get('Namespace', undefined, ns);
      if (nsObj?.metadata?.deletionTimestamp) {
        throw new ApiError('Forbidden', `${KINDS[kind].plural} "${obj.metadata!.name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`);
      }
    } else if (obj.metadata?.namespace !== undefined) {
      // rest.BeforeCreate clears the namespace of a cluster-scoped object.
      const { namespace: _ns, ...metadata } = obj.metadata;
      obj = { ...obj, metadata };
    }
    obj = applyDefaults(kind, obj);
    // As kube-apiserver: the uid exists before admission (the Job registry's selector uses it), and
    // mutating admission runs before validation, so what the plugins add is validated too.
    const uid = kind === 'Job' ? this.store.newUid() : undefined;
    obj = admit(kind, obj, { rng: this.rng, store: this.store, uid });
    const causes = validateObject(kind, obj, undefined);
    if (causes.length) throw ApiError.invalid(kind, obj.metadata?.name ?? '', causes);
    this.checkEnvelope(kind, obj);
    if (opts.dryRun) return obj;
    return this.store.create(kind, obj, uid);
  }

  /** Replace an object's spec/metadata (as `kubectl apply` or `replace` does). */
  update<K extends Kind>(kind: K, input: KindMap[K], opts: { dryRun?: boolean } = {}): KindMap[K] {
    const meta = input.metadata!;
    const old = this.store.mustGet(kind, meta.namespace, meta.name!);
    let obj = applyDefaults(kind, { ...input, metadata: { ...old.metadata, ...meta } } as KindMap[K]);
    if ('status' in old && !('status' in input)) obj = { ...obj, status: (old as { status?: unknown }).status } as KindMap[K];
    const causes = validateObject(kind, obj, old);
    if (causes.length) throw ApiError.invalid(kind, meta.name!, causes);
    this.checkEnvelope(kind, obj, old);
    if (opts.dryRun) return obj;
    return this.store.update(kind, obj);
  }

  /** Write an object without validation: status updates, controllers' bookkeeping, the kubelet. */
  updateStatus<K extends Kind>(kind: K, obj: KindMap[K]): KindMap[K] {
    return this.store.update(kind, obj);
  }

  get<K extends Kind>(kind: K, namespace: string | undefined, name: string): KindMap[K] | undefined {
    return this.store.get(kind, namespace, name);
  }

  /**
   * Delete an object as its registry strategy says.
   * Pods: an unscheduled or terminal pod, or `--force --grace-period=0`, goes at once; otherwise the
   * pod gets deletionTimestamp = now + grace and the kubelet finishes the job. Other kinds: finalizers
   * hold the object with a deletionTimestamp; the cascade policy adds the garbage collector's finalizer.
   */
  delete(kind: Kind, namespace: string | undefined, name: string, opts: DeleteOptions = {}): KObject | undefined {
    const obj = this.store.mustGet(kind, namespace, name);
    if (kind === 'Pod') return this.deletePod(obj as Pod, opts);
    const meta = obj.metadata!;
    if (kind === 'Namespace') {
      if (name === 'default' || name === 'kube-system' || name === 'kube-public' || name === 'kube-node-lease') {
        throw new ApiError('Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`);
      }
    }
    const policy = opts.propagationPolicy ?? 'Background';
    const finalizers = [...(meta.finalizers ?? [])];
    if (policy === 'Orphan' && !finalizers.includes(FINALIZER_ORPHAN)) finalizers.push(FINALIZER_ORPHAN);
    if (policy === 'Foreground' && !finalizers.includes(FINALIZER_FOREGROUND)) finalizers.push(FINALIZER_FOREGROUND);
    if (kind === 'Namespace') finalizers.push('kubernetes');
    if (finalizers.length === 0) return this.store.remove(kind, namespace, name);
    if (meta.deletionTimestamp) return obj;
    return this.store.update(kind, {
      ...obj,
      metadata: { ...meta, finalizers, deletionTimestamp: this.clock.timestamp(), deletionGracePeriodSeconds: 0 },
    } as KObject as KindMap[typeof kind]);
  }

  private deletePod(pod: Pod, opts: DeleteOptions): KObject | undefined {
    const meta = pod.metadata!;
    const phase = pod.status?.phase;
    const terminal = phase === 'Succeeded' || phase === 'Failed';
    let grace = opts.gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? k8sDefaults.terminationGracePeriodSeconds;
    if (grace < 0) grace = 0;
    // pkg/registry/core/pod/strategy.go CheckGracefulDelete: unscheduled or terminal pods go at once.
    if (!pod.spec?.nodeName || terminal) grace = 0;
    if (grace === 0 && (opts.force || !pod.spec?.nodeName || terminal)) {
      return this.store.remove('Pod', meta.namespace, meta.name!);
    }
    // Without --force, a grace of 0 is turned into 1 (kubectl does this before sending).
    if (grace === 0) grace = 1;
    const deadline = this.clock.now() + grace * 1000;
    if (meta.deletionTimestamp) {
      // A second delete may only shorten the grace period.
      if (meta.deletionGracePeriodSeconds !== undefined && grace >= meta.deletionGracePeriodSeconds) return pod;
    }
    return this.store.update('Pod', {
      ...pod,
      metadata: { ...meta, deletionTimestamp: this.clockTimestamp(deadline), deletionGracePeriodSeconds: grace },
    });
  }

  private clockTimestamp(ms: number): string {
    return new Date(Date.parse(this.clock.timestamp()) + (ms - this.clock.now())).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** Refuse requests past the simulation's envelope in the style of a ResourceQuota, so the engine keeps running. */
  private checkEnvelope(kind: Kind, obj: KObject, old?: KObject): void {
    const name = obj.metadata!.name!;
    if (kind === 'Node' && !old && this.store.count('Node') >= envelope.maxNodes) {
      throw ApiError.exceeded(kind, name, `requested: count/nodes=1, used: count/nodes=${this.store.count('Node')}, limited: count/nodes=${envelope.maxNodes}`);
    }
    if (kind === 'Pod' && !old && this.store.count('Pod') >= envelope.maxPods) {
      throw ApiError.exceeded(kind, name, `requested: pods=1, used: pods=${this.store.count('Pod')}, limited: pods=${envelope.maxPods}`);
    }
    if (kind === 'ReplicaSet' || kind === 'Deployment' || kind === 'Job' ) {
      const replicas = (obj as { spec?: { replicas?: number; parallelism?: number } }).spec?.replicas ?? 0;
      if (replicas > envelope.maxPods) {
        throw ApiError.exceeded(kind, name, `requested: pods=${replicas}, limited: pods=${envelope.maxPods}`);
      }
    }
  }
}
