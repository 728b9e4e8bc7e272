import type { ClusterContext } from '../context';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN, type PropagationPolicy } from '../api/server';
import type { WatchEvent } from '../api/store';
import { ApiError } from '../api/errors';
import { isKind, type Kind, type KObject, type OwnerReference } from '../api/types';
import { WorkQueue, type Reconciler } from '../reconciler';

const NO_REFS: readonly OwnerReference[] = Object.freeze([]);

interface NodeIdentity {
  kind: Kind;
  namespace: string | undefined;
  name: string;
}

/**
 * The garbage collector (pkg/controller/garbagecollector): a graph of ownerReferences kept from
 * watches. When an owner goes away its dependents are deleted (background cascade); an owner with
 * the `orphan` finalizer has its dependents' references stripped first; an owner with the
 * `foregroundDeletion` finalizer stays until its blockOwnerDeletion dependents are gone.
 * Dependents are deleted through the API server, so pods terminate gracefully.
 *
 * Why simpler than the real one: the real GC discovers every resource and keeps "virtual" nodes for
 * owners it has not seen yet; our store serves a fixed set of kinds and is always in sync, so the
 * graph is exact and an owner uid that is not in it is simply absent.
 */
export class GarbageCollector implements Reconciler {
  readonly name = 'garbage-collector';
  private readonly nodes = new Map<string, NodeIdentity>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly attemptToDelete = new WorkQueue<string>();
  private readonly attemptToOrphan = new WorkQueue<string>();

  constructor(readonly ctx: ClusterContext) {
    for (const kind of ['Namespace', 'Node', 'Pod', 'ConfigMap', 'Secret', 'Service', 'ReplicaSet', 'Deployment', 'DaemonSet', 'Job', 'Lease', 'EndpointSlice', 'PodDisruptionBudget'] as Kind[]) {
      for (const obj of ctx.store.values(kind)) this.observe(kind, undefined, obj);
    }
    ctx.store.watch('*', (ev) => this.onEvent(ev));
  }

  hasWork(): boolean {
    return this.attemptToDelete.size > 0 || this.attemptToOrphan.size > 0;
  }

  runOnce(): void {
    for (const uid of this.attemptToOrphan.drain()) this.orphanDependents(uid);
    for (const uid of this.attemptToDelete.drain()) this.attemptToDeleteItem(uid);
  }

  /** The uids of the objects that name `uid` as an owner (for tests and the UI). */
  dependentsOf(uid: string): string[] {
    return [...(this.dependents.get(uid) ?? [])].filter((d) => this.nodes.has(d));
  }

  private onEvent(ev: WatchEvent): void {
    if (ev.kind === 'Event') return;
    if (ev.type === 'DELETED') this.forget(ev.object);
    else this.observe(ev.kind, ev.old, ev.object);
  }

  private observe(kind: Kind, old: KObject | undefined, obj: KObject): void {
    const meta = obj.metadata!;
    const uid = meta.uid!;
    // A uid's kind, namespace and name never change: an update keeps the identity already recorded.
    if (!old || !this.nodes.has(uid)) this.nodes.set(uid, { kind, namespace: meta.namespace, name: meta.name! });
    const refs = meta.ownerReferences ?? NO_REFS;
    const oldRefs = old?.metadata?.ownerReferences;
    // Indexed loops: this runs for every write of every object.
    if (oldRefs !== refs) {
      if (oldRefs) for (let i = 0; i < oldRefs.length; i++) this.dependents.get(oldRefs[i].uid)?.delete(uid);
      for (let i = 0; i < refs.length; i++) {
        let set = this.dependents.get(refs[i].uid);
        if (!set) this.dependents.set(refs[i].uid, (set = new Set()));
        set.add(uid);
      }
    }
    for (let i = 0; i < refs.length; i++) {
      if (isKind(refs[i].kind) && !this.nodes.has(refs[i].uid)) {
        this.attemptToDelete.add(uid);
        break;
      }
    }
    if (meta.deletionTimestamp) {
      const finalizers = meta.finalizers ?? [];
      if (finalizers.includes(FINALIZER_ORPHAN)) this.attemptToOrphan.add(uid);
      if (finalizers.includes(FINALIZER_FOREGROUND)) {
        const starts = !old?.metadata?.deletionTimestamp || !(old.metadata.finalizers ?? []).includes(FINALIZER_FOREGROUND);
        if (starts) for (const dep of this.dependents.get(uid) ?? []) this.attemptToDelete.add(dep);
        this.attemptToDelete.add(uid);
      }
    }
  }

  private forget(obj: KObject): void {
    const uid = obj.metadata!.uid!;
    this.nodes.delete(uid);
    for (const dep of this.dependents.get(uid) ?? []) if (this.nodes.has(dep)) this.attemptToDelete.add(dep);
    this.dependents.delete(uid);
    for (const r of obj.metadata!.ownerReferences ?? []) {
      this.dependents.get(r.uid)?.delete(uid);
      // An owner waiting in foreground deletion may now be free to go.
      if (this.isDeletingDependents(r.uid)) this.attemptToDelete.add(r.uid);
    }
  }

  private lookup(uid: string): KObject | undefined {
    const id = this.nodes.get(uid);
    if (!id) return undefined;
    const obj = this.ctx.store.get(id.kind, id.namespace, id.name);
    return obj?.metadata?.uid === uid ? obj : undefined;
  }

  private isDeletingDependents(uid: string): boolean {
    const obj = this.lookup(uid);
    return !!obj?.metadata?.deletionTimestamp && (obj.metadata.finalizers ?? []).includes(FINALIZER_FOREGROUND);
  }

  /** attemptToDeleteItem (garbagecollector.go). */
  private attemptToDeleteItem(uid: string): void {
    const obj = this.lookup(uid);
    if (!obj) return;
    const meta = obj.metadata!;
    if (meta.deletionTimestamp) {
      if ((meta.finalizers ?? []).includes(FINALIZER_FOREGROUND)) this.processDeletingDependentsItem(obj);
      return;
    }
    const refs = meta.ownerReferences ?? [];
    if (refs.length === 0) return;
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const r of refs) {
      const id = this.nodes.get(r.uid);
      if (!isKind(r.kind)) solid.push(r); // a kind we do not serve: leave it alone
      else if (!id || id.kind !== r.kind || id.name !== r.name) dangling.push(r);
      else if (this.isDeletingDependents(r.uid)) waiting.push(r);
      else solid.push(r);
    }
    if (solid.length > 0) {
      if (dangling.length === 0 && waiting.length === 0) return;
      const drop = new Set([...dangling, ...waiting].map((r) => r.uid));
      const kept = refs.filter((r) => !drop.has(r.uid));
      this.ctx.api.updateStatus(this.kindOf(uid), { ...obj, metadata: { ...meta, ownerReferences: kept } } as KObject as never);
      return;
    }
    let policy: PropagationPolicy;
    if (waiting.length > 0 && this.dependentsOf(uid).length > 0) policy = 'Foreground';
    else if ((meta.finalizers ?? []).includes(FINALIZER_ORPHAN)) policy = 'Orphan';
    else if ((meta.finalizers ?? []).includes(FINALIZER_FOREGROUND)) policy = 'Foreground';
    else policy = 'Background';
    this.delete(uid, obj, policy);
  }

  /** processDeletingDependentsItem: drop the foregroundDeletion finalizer once no blocking dependent is left. */
  private processDeletingDependentsItem(owner: KObject): void {
    const uid = owner.metadata!.uid!;
    const blocking = this.dependentsOf(uid).filter((dep) => {
      const d = this.lookup(dep);
      return d?.metadata?.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion === true);
    });
    if (blocking.length === 0) {
      this.removeFinalizer(owner, FINALIZER_FOREGROUND);
      return;
    }
    for (const dep of blocking) if (!this.isDeletingDependents(dep)) this.attemptToDelete.add(dep);
  }

  /** orphanDependents: strip the owner's references from every dependent, then its `orphan` finalizer. */
  private orphanDependents(uid: string): void {
    const owner = this.lookup(uid);
    if (!owner?.metadata?.deletionTimestamp || !(owner.metadata.finalizers ?? []).includes(FINALIZER_ORPHAN)) return;
    for (const dep of this.dependentsOf(uid)) {
      const d = this.lookup(dep);
      if (!d) continue;
      const kept = (d.metadata!.ownerReferences ?? []).filter((r) => r.uid !== uid);
      this.ctx.api.updateStatus(this.kindOf(dep), { ...d, metadata: { ...d.metadata, ownerReferences: kept.length ? kept : undefined } } as KObject as never);
    }
    this.removeFinalizer(this.lookup(uid)!, FINALIZER_ORPHAN);
  }

  /** Remove a finalizer; the API server removes an object whose last finalizer goes while it is being deleted. */
  private removeFinalizer(obj: KObject, finalizer: string): void {
    const meta = obj.metadata!;
    const kind = this.kindOf(meta.uid!);
    const finalizers = (meta.finalizers ?? []).filter((f) => f !== finalizer);
    if (finalizers.length === 0 && meta.deletionTimestamp && kind !== 'Pod') {
      this.ctx.store.remove(kind, meta.namespace, meta.name!);
      return;
    }
    this.ctx.api.updateStatus(kind, { ...obj, metadata: { ...meta, finalizers: finalizers.length ? finalizers : undefined } } as KObject as never);
  }

  private delete(uid: string, obj: KObject, propagationPolicy: PropagationPolicy): void {
    try {
      this.ctx.api.delete(this.kindOf(uid), obj.metadata!.namespace, obj.metadata!.name!, { propagationPolicy });
    } catch (e) {
      if (!(e instanceof ApiError && e.reason === 'NotFound')) throw e;
    }
  }

  private kindOf(uid: string): Kind {
    return this.nodes.get(uid)!.kind;
  }
}
