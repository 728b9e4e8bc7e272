import { semanticEqual } from './equality';
import { deepFreeze } from './freeze';
import type { Clock } from '../clock';
import type { Rng } from '../rng';
import { ApiError } from './errors';
import { KINDS, type Kind, type KindMap, type KObject, type ObjectMeta } from './types';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A change to one stored object, as a watch delivers it. `old` is the previous version (MODIFIED/DELETED). */
export interface WatchEvent<K extends Kind = Kind> {
  type: WatchEventType;
  kind: K;
  object: KindMap[K];
  old?: KindMap[K];
}

export type WatchHandler<K extends Kind = Kind> = (event: WatchEvent<K>) => void;

/**
 * The simulated API server's storage (etcd + the generic registry's bookkeeping): uids that are never
 * reused, a global resourceVersion, generation, creationTimestamp, and watches.
 *
 * Stored objects are immutable values: to change one, build a new object (spreads, not in-place
 * edits) and pass it to {@link ApiStore.update}. Object identity is therefore a change signal, which
 * the UI's diffing relies on. Watch handlers run synchronously and must only enqueue work.
 */
export class ApiStore {
  /**
   * Deep-freeze every object as it is stored. The test suite turns it on (src/engine/testing/vitest.setup.ts)
   * so that an in-place edit of a stored object, which the UI's identity diffing and structural
   * sharing both forbid, throws where it happens; off in the app, where freezing would only cost time.
   */
  static freezeStoredObjects = false;
  private readonly objects = new Map<Kind, Map<string, KObject>>();
  /**
   * Handlers per kind (or '*'), replaced rather than edited when one subscribes or leaves, so an
   * emit walks a plain array (no iterator objects per write) and sees the list as it was when the
   * write happened.
   */
  private readonly watchers = new Map<Kind | '*', readonly WatchHandler[]>();
  private readonly podsByNode = new Map<string, Map<string, KindMap['Pod']>>();
  private rv = 0;
  private uidCounter = 0;

  constructor(
    private readonly clock: Clock,
    private readonly rng: Rng,
  ) {
    for (const kind of Object.keys(KINDS) as Kind[]) this.objects.set(kind, new Map());
  }

  static key(namespace: string | undefined, name: string): string {
    return namespace ? `${namespace}/${name}` : name;
  }

  /** The latest resourceVersion handed out. */
  resourceVersion(): number {
    return this.rv;
  }

  /** A fresh uid in the RFC 4122 shape; a counter in the last group guarantees it is never reused. */
  newUid(): string {
    const hex = (n: number) => Array.from({ length: n }, () => this.rng.int(16).toString(16)).join('');
    this.uidCounter++;
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[this.rng.int(4)]}${hex(3)}-${this.uidCounter.toString(16).padStart(12, '0')}`;
  }

  get<K extends Kind>(kind: K, namespace: string | undefined, name: string): KindMap[K] | undefined {
    return this.objects.get(kind)!.get(ApiStore.key(KINDS[kind].namespaced ? namespace : undefined, name)) as
      | KindMap[K]
      | undefined;
  }

  /**
   * {@link get} by storage key: `namespace/name` for a namespaced kind, `name` otherwise (as
   * {@link ApiStore.key} builds it). For controllers that queue keys, to skip splitting them.
   */
  getByKey<K extends Kind>(kind: K, key: string): KindMap[K] | undefined {
    return this.objects.get(kind)!.get(key) as KindMap[K] | undefined;
  }

  /** Like {@link get} but throws the API's NotFound error. */
  mustGet<K extends Kind>(kind: K, namespace: string | undefined, name: string): KindMap[K] {
    const obj = this.get(kind, namespace, name);
    if (!obj) throw ApiError.notFound(kind, name);
    return obj;
  }

  /** All objects of a kind (optionally in one namespace), in key order so output is stable. */
  list<K extends Kind>(kind: K, namespace?: string): KindMap[K][] {
    const out: KindMap[K][] = [];
    for (const obj of this.objects.get(kind)!.values()) {
      if (namespace === undefined || obj.metadata!.namespace === namespace) out.push(obj as KindMap[K]);
    }
    return out.sort((a, b) => compareKeys(a, b));
  }

  /** Unsorted iteration, for hot paths that do not print. */
  values<K extends Kind>(kind: K): IterableIterator<KindMap[K]> {
    return this.objects.get(kind)!.values() as IterableIterator<KindMap[K]>;
  }

  count(kind: Kind): number {
    return this.objects.get(kind)!.size;
  }

  /** Pods bound to a node (spec.nodeName), from an index kept on every write. */
  podsOnNode(nodeName: string): KindMap['Pod'][] {
    const m = this.podsByNode.get(nodeName);
    return m ? [...m.values()] : [];
  }

  /**
   * Store a new object: assigns uid, resourceVersion, generation 1 and creationTimestamp.
   * The caller has validated and defaulted it. Throws AlreadyExists. `uid` is one the API server drew
   * with {@link newUid} before admission (the Job registry needs it); otherwise a fresh one is drawn.
   */
  create<K extends Kind>(kind: K, obj: KindMap[K], uid?: string): KindMap[K] {
    const meta = obj.metadata ?? {};
    if (!meta.name) throw new ApiError('Invalid', `${kind} "" is invalid: metadata.name: Required value: name or generateName is required`);
    const namespace = KINDS[kind].namespaced ? (meta.namespace ?? 'default') : undefined;
    const key = ApiStore.key(namespace, meta.name);
    const map = this.objects.get(kind)!;
    if (map.has(key)) throw ApiError.alreadyExists(kind, meta.name);
    const hasSpec = 'spec' in obj && obj.spec !== undefined;
    const stored = {
      ...obj,
      apiVersion: KINDS[kind].apiVersion,
      kind,
      metadata: {
        ...meta,
        ...(namespace ? { namespace } : {}),
        uid: uid ?? this.newUid(),
        resourceVersion: String(++this.rv),
        creationTimestamp: this.clock.timestamp(),
        ...(hasSpec ? { generation: 1 } : {}),
      },
    } as KindMap[K];
    if (ApiStore.freezeStoredObjects) deepFreeze(stored);
    map.set(key, stored);
    if (kind === 'Pod') this.indexPod(key, undefined, stored as KindMap['Pod']);
    this.emit({ type: 'ADDED', kind, object: stored });
    return stored;
  }

  /**
   * Replace a stored object with a new version. Generation is bumped when `spec` changed (compared by
   * identity first, then by value). Throws NotFound; throws Conflict if the uid differs.
   */
  update<K extends Kind>(kind: K, obj: KindMap[K]): KindMap[K] {
    const meta = obj.metadata!;
    const key = ApiStore.key(KINDS[kind].namespaced ? meta.namespace : undefined, meta.name!);
    const map = this.objects.get(kind)!;
    const old = map.get(key) as KindMap[K] | undefined;
    if (!old) throw ApiError.notFound(kind, meta.name!);
    if (meta.uid && meta.uid !== old.metadata!.uid) {
      throw new ApiError('Conflict', `Operation cannot be fulfilled on ${KINDS[kind].plural} "${meta.name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    const oldSpec = (old as { spec?: unknown }).spec;
    const newSpec = (obj as { spec?: unknown }).spec;
    // Why Pods skip the comparison: their spec is immutable but for binding (the scheduler's
    // nodeName, a subresource that never bumps generation) and a few mutable fields; comparing
    // every pod write by value was the largest cost of scheduling at scale.
    const specChanged = kind !== 'Pod' && !semanticEqual(oldSpec, newSpec);
    const oldMeta = old.metadata!;
    // Built by assignment rather than a conditional spread: the same keys in the same order (a key
    // `meta` already has keeps its place, a new one goes last), one allocation fewer per write.
    const metadata: { -readonly [F in keyof ObjectMeta]: ObjectMeta[F] } = { ...meta };
    metadata.uid = oldMeta.uid;
    metadata.creationTimestamp = oldMeta.creationTimestamp;
    metadata.resourceVersion = String(++this.rv);
    if (oldMeta.generation !== undefined) metadata.generation = oldMeta.generation + (specChanged ? 1 : 0);
    const stored = { ...obj, metadata } as KindMap[K];
    if (ApiStore.freezeStoredObjects) deepFreeze(stored);
    map.set(key, stored);
    if (kind === 'Pod') this.indexPod(key, old as KindMap['Pod'], stored as KindMap['Pod']);
    this.emit({ type: 'MODIFIED', kind, object: stored, old });
    return stored;
  }

  /** Remove an object from storage at once (the end of any deletion). Returns the removed object. */
  remove<K extends Kind>(kind: K, namespace: string | undefined, name: string): KindMap[K] | undefined {
    const key = ApiStore.key(KINDS[kind].namespaced ? namespace : undefined, name);
    const map = this.objects.get(kind)!;
    const old = map.get(key) as KindMap[K] | undefined;
    if (!old) return undefined;
    map.delete(key);
    if (kind === 'Pod') this.indexPod(key, old as KindMap['Pod'], undefined);
    ++this.rv;
    this.emit({ type: 'DELETED', kind, object: old, old });
    return old;
  }

  /** Subscribe to changes of one kind, or of all kinds with '*'. Returns the unsubscribe function. */
  watch<K extends Kind>(kind: K | '*', handler: WatchHandler<K>): () => void {
    const h = handler as WatchHandler;
    const list = this.watchers.get(kind) ?? [];
    // As a Set: subscribing the same handler twice keeps one subscription.
    if (!list.includes(h)) this.watchers.set(kind, [...list, h]);
    return () => {
      const now = this.watchers.get(kind);
      if (now?.includes(h)) this.watchers.set(kind, now.filter((x) => x !== h));
    };
  }

  private emit(event: WatchEvent): void {
    const own = this.watchers.get(event.kind);
    if (own) for (let i = 0; i < own.length; i++) own[i](event);
    const all = this.watchers.get('*');
    if (all) for (let i = 0; i < all.length; i++) all[i](event);
  }

  /** Keep podsByNode current; `key` is the pod's storage key (namespace/name). */
  private indexPod(key: string, old: KindMap['Pod'] | undefined, next: KindMap['Pod'] | undefined): void {
    const oldNode = old?.spec?.nodeName;
    const newNode = next?.spec?.nodeName;
    if (oldNode && oldNode !== newNode) this.podsByNode.get(oldNode)?.delete(key);
    if (newNode) {
      let m = this.podsByNode.get(newNode);
      if (!m) this.podsByNode.set(newNode, (m = new Map()));
      m.set(key, next);
    }
  }
}

function compareKeys(a: KObject, b: KObject): number {
  const an = a.metadata!.namespace ?? '';
  const bn = b.metadata!.namespace ?? '';
  if (an !== bn) return an < bn ? -1 : 1;
  const a1 = a.metadata!.name!;
  const b1 = b.metadata!.name!;
  return a1 < b1 ? -1 : a1 > b1 ? 1 : 0;
}
