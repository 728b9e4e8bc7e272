import type { ClusterContext } from '../context';
import type { Deployment, ReplicaSet } from '../api/types';
import type { WatchEvent } from '../api/store';
import { selectorFromLabelSelector } from '../api/labels';
import { ApiError } from '../api/errors';
import { Clock } from '../clock';
import { RequeueTimers, WorkQueue, type Reconciler } from '../reconciler';
import { PodsByController, computeHash, controllerRef, keyOf, newControllerRef, selectorWith, syncQueued } from './controllerUtils';
import {
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  Reasons,
  actualReplicaCount,
  availableReplicaCount,
  byCreation,
  byRevision,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  effectiveSpec,
  equalIgnoreHash,
  getCondition,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newCondition,
  readyReplicaCount,
  removeCondition,
  replicaCount,
  setCondition,
  skipCopyAnnotation,
  specReplicas,
} from './deploymentUtil';

const COMPONENT = { component: 'deployment-controller' };
/** Kubernetes caps the revision-history annotation at this many characters. */
const MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000;

type DeploymentStatus = NonNullable<Deployment['status']>;

/**
 * The Deployment controller (pkg/controller/deployment): one ReplicaSet per pod template, named
 * `<deployment>-<pod-template-hash>`; rolling updates exactly as rolling.go steps them (scale the
 * new ReplicaSet up within maxSurge, clean up unhealthy old replicas, scale old ones down within
 * maxUnavailable), Recreate, proportional scaling mid-rollout, revision history and cleanup,
 * status and the Available / Progressing conditions (with the progress deadline).
 */
export class DeploymentController implements Reconciler {
  readonly name = 'deployment-controller';
  private readonly queue = new WorkQueue<string>();
  private readonly requeue: RequeueTimers;
  private readonly pods: PodsByController;

  constructor(readonly ctx: ClusterContext) {
    this.pods = new PodsByController(ctx.store);
    this.requeue = new RequeueTimers(ctx.clock, this.queue, 'deployment-progress');
    for (const d of ctx.store.values('Deployment')) this.queue.add(keyOf(d));
    ctx.store.watch('Deployment', (ev) => this.queue.add(keyOf(ev.object)));
    ctx.store.watch('ReplicaSet', (ev) => this.onReplicaSet(ev));
    ctx.store.watch('Pod', (ev) => {
      // Recreate waits for old pods to be gone: look again when one is removed.
      if (ev.type !== 'DELETED') return;
      const ref = controllerRef(ev.object);
      if (ref?.kind !== 'ReplicaSet') return;
      const rs = ctx.store.get('ReplicaSet', ev.object.metadata!.namespace, ref.name);
      const owner = rs && controllerRef(rs);
      if (rs && owner?.kind === 'Deployment') this.queue.add(`${rs.metadata!.namespace}/${owner.name}`);
    });
  }

  hasWork(): boolean {
    return this.queue.size > 0;
  }

  runOnce(): void {
    syncQueued(this.queue, this.ctx.store, 'Deployment', (d, key) =>
      new DeploymentSync(this.ctx, d, this.pods, (at) => this.requeue.addAt(key, at)).run(),
    );
  }

  private onReplicaSet(ev: WatchEvent<'ReplicaSet'>): void {
    const objs = ev.type === 'MODIFIED' && ev.old ? [ev.old, ev.object] : [ev.object];
    for (const rs of objs) {
      const ref = controllerRef(rs);
      if (ref) {
        if (ref.kind === 'Deployment') this.queue.add(`${rs.metadata!.namespace}/${ref.name}`);
        continue;
      }
      if (ev.type === 'DELETED') continue;
      for (const d of this.ctx.store.values('Deployment')) {
        if (d.metadata!.namespace !== rs.metadata!.namespace) continue;
        if (selectorFromLabelSelector(d.spec!.selector).matches(rs.metadata!.labels)) this.queue.add(keyOf(d));
      }
    }
  }
}

/** One syncDeployment call: holds the working copy of the Deployment as Go holds its pointer. */
class DeploymentSync {
  private d: Deployment;

  constructor(
    private readonly ctx: ClusterContext,
    d: Deployment,
    private readonly pods: PodsByController,
    private readonly requeueAt: (at: number) => void,
  ) {
    this.d = d;
  }

  run(): void {
    const d = this.d;
    const sel = d.spec!.selector;
    if (!sel || (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length)) {
      this.ctx.recorder.record(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.', COMPONENT);
      if ((d.status?.observedGeneration ?? 0) < (d.metadata!.generation ?? 0)) {
        this.writeStatus({ ...(d.status ?? {}), observedGeneration: d.metadata!.generation });
      }
      return;
    }
    const rsList = this.claimReplicaSets();
    if (d.metadata!.deletionTimestamp) {
      const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(rsList, false);
      this.syncDeploymentStatus([...oldRSs, newRS], newRS);
      return;
    }
    this.checkPausedConditions();
    const spec = effectiveSpec(this.d);
    if (spec.paused) return this.sync(rsList);
    if (this.isScalingEvent(rsList)) return this.sync(rsList);
    if (spec.strategy === 'Recreate') return this.rolloutRecreate(rsList);
    return this.rolloutRolling(rsList);
  }

  // --- ReplicaSets -------------------------------------------------------------------------

  /** getReplicaSetsForDeployment: ClaimReplicaSets (adopt matching orphans, release non-matching). */
  private claimReplicaSets(): ReplicaSet[] {
    const d = this.d;
    const uid = d.metadata!.uid!;
    const selector = selectorFromLabelSelector(d.spec!.selector);
    const deleting = !!d.metadata!.deletionTimestamp;
    const out: ReplicaSet[] = [];
    for (const rs of this.ctx.store.list('ReplicaSet', d.metadata!.namespace)) {
      const ref = controllerRef(rs);
      if (ref && ref.uid !== uid) continue;
      const matches = selector.matches(rs.metadata!.labels);
      if (ref) {
        if (matches) out.push(rs);
        else if (!deleting) {
          const refs = (rs.metadata!.ownerReferences ?? []).filter((r) => r.uid !== uid);
          this.ctx.api.updateStatus('ReplicaSet', { ...rs, metadata: { ...rs.metadata, ownerReferences: refs.length ? refs : undefined } });
        }
      } else if (matches && !deleting && !rs.metadata!.deletionTimestamp) {
        out.push(
          this.ctx.api.updateStatus('ReplicaSet', {
            ...rs,
            metadata: { ...rs.metadata, ownerReferences: [...(rs.metadata!.ownerReferences ?? []), newControllerRef(d)] },
          }),
        );
      }
    }
    return out;
  }

  /** FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's (ignoring the hash). */
  private findNewReplicaSet(rsList: ReplicaSet[]): ReplicaSet | undefined {
    const hash = computeHash(this.d.spec!.template, this.d.status?.collisionCount);
    const sorted = [...rsList].sort(byCreation);
    return (
      sorted.find((rs) => equalIgnoreHash(rs.spec!.template, this.d.spec!.template)) ??
      // Our API defaulting may fill a ReplicaSet's template differently from the Deployment's:
      // the pod-template-hash we stamped identifies it as well.
      sorted.find((rs) => rs.metadata!.name === `${this.d.metadata!.name}-${hash}` && rs.spec!.template?.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] === hash)
    );
  }

  private getAllReplicaSetsAndSyncRevision(rsList: ReplicaSet[], createIfNotExisted: boolean): { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] } {
    const existing = this.findNewReplicaSet(rsList);
    const oldRSs = rsList.filter((rs) => rs !== existing);
    const newRS = this.getNewReplicaSet(existing, oldRSs, createIfNotExisted);
    return { newRS, oldRSs };
  }

  /** getNewReplicaSet: sync the new ReplicaSet's revision annotations, or create it. */
  private getNewReplicaSet(existing: ReplicaSet | undefined, oldRSs: ReplicaSet[], create: boolean): ReplicaSet | undefined {
    const d = this.d;
    const newRevision = maxRevision(oldRSs) + 1;
    const now = this.ctx.clock.timestamp();
    const spec = effectiveSpec(d);
    if (existing) {
      const annotations = this.newReplicaSetAnnotations(existing, newRevision, true);
      const minReadyChanged = (existing.spec!.minReadySeconds ?? 0) !== spec.minReadySeconds;
      if (annotations || minReadyChanged) {
        return this.ctx.api.update('ReplicaSet', {
          ...existing,
          metadata: { ...existing.metadata, annotations: annotations ?? existing.metadata!.annotations },
          spec: { ...existing.spec!, minReadySeconds: spec.minReadySeconds },
        });
      }
      let status = d.status ?? {};
      let needsUpdate = this.setDeploymentRevision(existing.metadata!.annotations?.[REVISION_ANNOTATION]);
      if (spec.progressDeadlineSeconds !== undefined && !getCondition(status, 'Progressing')) {
        status = setCondition(status, newCondition('Progressing', 'True', Reasons.FoundNewRS, `Found new replica set "${existing.metadata!.name}"`, now));
        needsUpdate = true;
      }
      if (needsUpdate) this.writeStatus(status);
      return existing;
    }
    if (!create) return undefined;

    for (let attempt = 0; attempt < 10; attempt++) {
      const collisionCount = this.d.status?.collisionCount;
      const hash = computeHash(this.d.spec!.template, collisionCount);
      const template = this.d.spec!.template!;
      const newRS: ReplicaSet = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${this.d.metadata!.name}-${hash}`,
          namespace: this.d.metadata!.namespace,
          labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash },
          ownerReferences: [newControllerRef(this.d)],
        },
        spec: {
          replicas: 0,
          minReadySeconds: spec.minReadySeconds,
          selector: selectorWith(this.d.spec!.selector, { [POD_TEMPLATE_HASH_LABEL]: hash }),
          template: { ...template, metadata: { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } } },
        },
      };
      const replicas = this.newRSNewReplicas([...oldRSs, newRS], newRS);
      newRS.spec!.replicas = replicas;
      newRS.metadata!.annotations = this.newReplicaSetAnnotations(newRS, newRevision, false) ?? {};
      let created: ReplicaSet;
      try {
        created = this.ctx.api.create('ReplicaSet', newRS);
      } catch (e) {
        if (!(e instanceof ApiError) || e.reason !== 'AlreadyExists') throw e;
        const other = this.ctx.store.get('ReplicaSet', newRS.metadata!.namespace, newRS.metadata!.name!)!;
        if (controllerRef(other)?.uid === this.d.metadata!.uid && equalIgnoreHash(other.spec!.template, this.d.spec!.template)) return other;
        // A hash collision: bump collisionCount so the next hash differs (as Kubernetes does).
        this.writeStatus({ ...(this.d.status ?? {}), collisionCount: (collisionCount ?? 0) + 1 });
        continue;
      }
      if (replicas > 0) {
        this.ctx.recorder.record(this.d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata!.name} from 0 to ${replicas}`, COMPONENT);
      }
      this.setDeploymentRevision(String(newRevision));
      let status = this.d.status ?? {};
      if (spec.progressDeadlineSeconds !== undefined) {
        status = setCondition(status, newCondition('Progressing', 'True', Reasons.NewReplicaSet, `Created new replica set "${created.metadata!.name}"`, now));
      }
      this.writeStatus(status);
      return created;
    }
    return undefined;
  }

  /** SetNewReplicaSetAnnotations: returns the new annotations, or undefined if nothing changed. */
  private newReplicaSetAnnotations(rs: ReplicaSet, newRevision: number, exists: boolean): Record<string, string> | undefined {
    const a: Record<string, string> = { ...(rs.metadata!.annotations ?? {}) };
    let changed = false;
    for (const [k, v] of Object.entries(this.d.metadata!.annotations ?? {})) {
      if (skipCopyAnnotation(k) || a[k] === v) continue;
      a[k] = v;
      changed = true;
    }
    const oldRevision = a[REVISION_ANNOTATION];
    const oldRevisionInt = oldRevision === undefined || oldRevision === '' ? 0 : Number(oldRevision);
    if (!Number.isInteger(oldRevisionInt)) return changed ? a : undefined;
    if (oldRevisionInt < newRevision) {
      a[REVISION_ANNOTATION] = String(newRevision);
      changed = true;
      if (oldRevision !== undefined) {
        // Rolling back to this ReplicaSet: keep its old revisions for `rollout history`.
        const history = a[REVISION_HISTORY_ANNOTATION];
        let revs = history ? history.split(',') : [];
        revs.push(oldRevision);
        while (revs.join(',').length > MAX_REV_HISTORY_LENGTH_IN_CHARS && revs.length > 1) revs = revs.slice(1);
        a[REVISION_HISTORY_ANNOTATION] = revs.join(',');
      }
    }
    if (!exists) {
      const r = effectiveSpec(this.d).replicas;
      a[DESIRED_REPLICAS_ANNOTATION] = String(r);
      a[MAX_REPLICAS_ANNOTATION] = String(r + maxSurge(this.d));
      changed = true;
    }
    return changed ? a : undefined;
  }

  /** SetDeploymentRevision: write the revision annotation on the Deployment. Returns true if it changed. */
  private setDeploymentRevision(revision: string | undefined): boolean {
    if (revision === undefined) return false;
    if (this.d.metadata!.annotations?.[REVISION_ANNOTATION] === revision) return false;
    this.d = this.ctx.api.updateStatus('Deployment', {
      ...this.d,
      metadata: { ...this.d.metadata, annotations: { ...(this.d.metadata!.annotations ?? {}), [REVISION_ANNOTATION]: revision } },
    });
    return true;
  }

  /** NewRSNewReplicas. */
  private newRSNewReplicas(allRSs: ReplicaSet[], newRS: ReplicaSet): number {
    const spec = effectiveSpec(this.d);
    if (spec.strategy === 'Recreate') return spec.replicas;
    const maxTotal = spec.replicas + maxSurge(this.d);
    const current = replicaCount(allRSs);
    if (current >= maxTotal) return specReplicas(newRS);
    const scaleUp = Math.min(maxTotal - current, spec.replicas - specReplicas(newRS));
    return specReplicas(newRS) + scaleUp;
  }

  // --- scaling ------------------------------------------------------------------------------

  /** scaleReplicaSetAndRecordEvent. Returns the (possibly updated) ReplicaSet and whether its size changed. */
  private scaleAndRecord(rs: ReplicaSet, newScale: number): { scaled: boolean; rs: ReplicaSet } {
    if (specReplicas(rs) === newScale) return { scaled: false, rs };
    const op = specReplicas(rs) < newScale ? 'up' : 'down';
    return this.scaleReplicaSet(rs, newScale, op);
  }

  /** scaleReplicaSet: size and the desired/max-replicas annotations, one update. */
  private scaleReplicaSet(rs: ReplicaSet, newScale: number, op: string): { scaled: boolean; rs: ReplicaSet } {
    const oldScale = specReplicas(rs);
    const desired = String(effectiveSpec(this.d).replicas);
    const max = String(effectiveSpec(this.d).replicas + maxSurge(this.d));
    const ann = rs.metadata!.annotations ?? {};
    const sizeChanged = oldScale !== newScale;
    const annChanged = ann[DESIRED_REPLICAS_ANNOTATION] !== desired || ann[MAX_REPLICAS_ANNOTATION] !== max;
    if (!sizeChanged && !annChanged) return { scaled: false, rs };
    const updated = this.ctx.api.update('ReplicaSet', {
      ...rs,
      metadata: { ...rs.metadata, annotations: { ...ann, [DESIRED_REPLICAS_ANNOTATION]: desired, [MAX_REPLICAS_ANNOTATION]: max } },
      spec: { ...rs.spec!, replicas: newScale },
    });
    if (sizeChanged) {
      this.ctx.recorder.record(this.d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata!.name} from ${oldScale} to ${newScale}`, COMPONENT);
    }
    return { scaled: sizeChanged, rs: updated };
  }

  /** isScalingEvent: an active ReplicaSet's desired-replicas annotation differs from spec.replicas. */
  private isScalingEvent(rsList: ReplicaSet[]): boolean {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(rsList, false);
    const want = effectiveSpec(this.d).replicas;
    for (const rs of [...oldRSs, newRS]) {
      if (!rs || specReplicas(rs) <= 0) continue;
      const desired = rs.metadata!.annotations?.[DESIRED_REPLICAS_ANNOTATION];
      if (desired === undefined || !/^\d+$/.test(desired)) continue;
      if (Number(desired) !== want) return true;
    }
    return false;
  }

  /** sync: scale (and clean up when paused), then status. Used for scaling events and paused deployments. */
  private sync(rsList: ReplicaSet[]): void {
    let { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(rsList, false);
    ({ newRS, oldRSs } = this.scale(newRS, oldRSs));
    if (effectiveSpec(this.d).paused) oldRSs = this.cleanupDeployment(oldRSs);
    this.syncDeploymentStatus([...oldRSs, newRS], newRS);
  }

  /** scale: the whole size to the only active ReplicaSet, or proportionally across all of them. */
  private scale(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] } {
    const want = effectiveSpec(this.d).replicas;
    const replace = (rs: ReplicaSet) => {
      if (newRS && rs.metadata!.uid === newRS.metadata!.uid) newRS = rs;
      else oldRSs = oldRSs.map((o) => (o.metadata!.uid === rs.metadata!.uid ? rs : o));
    };
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      if (specReplicas(activeOrLatest) !== want) replace(this.scaleAndRecord(activeOrLatest, want).rs);
      return { newRS, oldRSs };
    }
    if (isSaturated(this.d, newRS)) {
      for (const old of oldRSs.filter((rs) => specReplicas(rs) > 0)) replace(this.scaleAndRecord(old, 0).rs);
      return { newRS, oldRSs };
    }
    if (effectiveSpec(this.d).strategy !== 'RollingUpdate') return { newRS, oldRSs };
    const all = [...oldRSs, ...(newRS ? [newRS] : [])].filter((rs) => specReplicas(rs) > 0);
    const allowed = want > 0 ? want + maxSurge(this.d) : 0;
    const toAdd = allowed - replicaCount(all);
    let op = '';
    if (toAdd > 0) {
      all.sort((a, b) => (specReplicas(a) === specReplicas(b) ? byCreation(b, a) : specReplicas(b) - specReplicas(a)));
      op = 'up';
    } else if (toAdd < 0) {
      all.sort((a, b) => (specReplicas(a) === specReplicas(b) ? byCreation(a, b) : specReplicas(b) - specReplicas(a)));
      op = 'down';
    }
    let added = 0;
    const sizes = new Map<string, number>();
    for (const rs of all) {
      if (toAdd !== 0) {
        const p = this.proportion(rs, toAdd, added);
        sizes.set(rs.metadata!.name!, specReplicas(rs) + p);
        added += p;
      } else sizes.set(rs.metadata!.name!, specReplicas(rs));
    }
    all.forEach((rs, i) => {
      if (i === 0 && toAdd !== 0) sizes.set(rs.metadata!.name!, Math.max(0, sizes.get(rs.metadata!.name!)! + toAdd - added));
      replace(this.scaleReplicaSet(rs, sizes.get(rs.metadata!.name!)!, op).rs);
    });
    return { newRS, oldRSs };
  }

  /** GetProportion / getReplicaSetFraction. */
  private proportion(rs: ReplicaSet, toAdd: number, added: number): number {
    if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
    const want = effectiveSpec(this.d).replicas;
    let fraction: number;
    if (want === 0) fraction = -specReplicas(rs);
    else {
      const maxReplicas = want + maxSurge(this.d);
      const annotated = Number(rs.metadata!.annotations?.[MAX_REPLICAS_ANNOTATION]);
      const before = Number.isInteger(annotated) && annotated > 0 ? annotated : (this.d.status?.replicas ?? 0);
      fraction = before === 0 ? 0 : roundHalfAway((specReplicas(rs) * maxReplicas) / before) - specReplicas(rs);
    }
    const allowed = toAdd - added;
    return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
  }

  // --- strategies ---------------------------------------------------------------------------

  /** rolloutRolling (rolling.go). */
  private rolloutRolling(rsList: ReplicaSet[]): void {
    let { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(rsList, true);
    if (!newRS) return;
    const up = this.reconcileNewReplicaSet([...oldRSs, newRS], newRS);
    newRS = up.rs;
    if (up.scaled) return this.syncRolloutStatus([...oldRSs, newRS], newRS);
    const down = this.reconcileOldReplicaSets(oldRSs, newRS);
    oldRSs = down.oldRSs;
    if (down.scaled) return this.syncRolloutStatus([...oldRSs, newRS], newRS);
    if (deploymentComplete(this.d, this.d.status ?? {})) oldRSs = this.cleanupDeployment(oldRSs);
    this.syncRolloutStatus([...oldRSs, newRS], newRS);
  }

  private reconcileNewReplicaSet(allRSs: ReplicaSet[], newRS: ReplicaSet): { scaled: boolean; rs: ReplicaSet } {
    const want = effectiveSpec(this.d).replicas;
    if (specReplicas(newRS) === want) return { scaled: false, rs: newRS };
    if (specReplicas(newRS) > want) return this.scaleAndRecord(newRS, want);
    return this.scaleAndRecord(newRS, this.newRSNewReplicas(allRSs, newRS));
  }

  private reconcileOldReplicaSets(oldRSsIn: ReplicaSet[], newRS: ReplicaSet): { scaled: boolean; oldRSs: ReplicaSet[] } {
    let oldRSs = oldRSsIn;
    if (replicaCount(oldRSs) === 0) return { scaled: false, oldRSs };
    const allPods = replicaCount([...oldRSs, newRS]);
    const minAvailable = effectiveSpec(this.d).replicas - maxUnavailable(this.d);
    const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return { scaled: false, oldRSs };
    const cleanup = this.cleanupUnhealthyReplicas(oldRSs, maxScaledDown);
    oldRSs = cleanup.oldRSs;
    const down = this.scaleDownOldReplicaSetsForRollingUpdate([...oldRSs, newRS], oldRSs);
    oldRSs = down.oldRSs;
    return { scaled: cleanup.count + down.count > 0, oldRSs };
  }

  /** cleanupUnhealthyReplicas: scale old ReplicaSets down by their unavailable pods first. */
  private cleanupUnhealthyReplicas(oldRSs: ReplicaSet[], maxCleanup: number): { oldRSs: ReplicaSet[]; count: number } {
    const sorted = [...oldRSs].sort(byCreation);
    let total = 0;
    for (let i = 0; i < sorted.length; i++) {
      if (total >= maxCleanup) break;
      const rs = sorted[i];
      const available = rs.status?.availableReplicas ?? 0;
      if (specReplicas(rs) === 0 || specReplicas(rs) === available) continue;
      const n = Math.min(maxCleanup - total, specReplicas(rs) - available);
      sorted[i] = this.scaleAndRecord(rs, specReplicas(rs) - n).rs;
      total += n;
    }
    return { oldRSs: sorted, count: total };
  }

  /** scaleDownOldReplicaSetsForRollingUpdate: keep at least replicas − maxUnavailable available. */
  private scaleDownOldReplicaSetsForRollingUpdate(allRSs: ReplicaSet[], oldRSs: ReplicaSet[]): { oldRSs: ReplicaSet[]; count: number } {
    const minAvailable = effectiveSpec(this.d).replicas - maxUnavailable(this.d);
    const available = availableReplicaCount(allRSs);
    if (available <= minAvailable) return { oldRSs, count: 0 };
    const sorted = [...oldRSs].sort(byCreation);
    const target = available - minAvailable;
    let total = 0;
    for (let i = 0; i < sorted.length; i++) {
      if (total >= target) break;
      const rs = sorted[i];
      if (specReplicas(rs) === 0) continue;
      const n = Math.min(specReplicas(rs), target - total);
      sorted[i] = this.scaleAndRecord(rs, specReplicas(rs) - n).rs;
      total += n;
    }
    return { oldRSs: sorted, count: total };
  }

  /** rolloutRecreate (recreate.go): old ReplicaSets to zero, wait until their pods are gone, then the new one. */
  private rolloutRecreate(rsList: ReplicaSet[]): void {
    let { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(rsList, false);
    let scaledDown = false;
    oldRSs = oldRSs.map((rs) => {
      if (specReplicas(rs) === 0) return rs;
      const r = this.scaleAndRecord(rs, 0);
      scaledDown ||= r.scaled;
      return r.rs;
    });
    if (scaledDown || this.oldPodsRunning(newRS, oldRSs)) return this.syncRolloutStatus([...oldRSs, newRS], newRS);
    if (!newRS) ({ newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(rsList, true));
    if (!newRS) return;
    newRS = this.scaleAndRecord(newRS, effectiveSpec(this.d).replicas).rs;
    if (deploymentComplete(this.d, this.d.status ?? {})) oldRSs = this.cleanupDeployment(oldRSs);
    this.syncRolloutStatus([...oldRSs, newRS], newRS);
  }

  /** oldPodsRunning: old ReplicaSets still report pods, or any of their pods (even terminating) is not terminal. */
  private oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): boolean {
    if (actualReplicaCount(oldRSs) > 0) return true;
    for (const rs of oldRSs) {
      if (rs.metadata!.uid === newRS?.metadata!.uid) continue;
      for (const pod of this.pods.pods(rs.metadata!.uid!)) {
        if (pod.status?.phase !== 'Failed' && pod.status?.phase !== 'Succeeded') return true;
      }
    }
    return false;
  }

  /** cleanupDeployment: delete the oldest fully scaled-down ReplicaSets past revisionHistoryLimit. */
  private cleanupDeployment(oldRSs: ReplicaSet[]): ReplicaSet[] {
    const limit = effectiveSpec(this.d).revisionHistoryLimit;
    const cleanable = oldRSs.filter((rs) => !rs.metadata!.deletionTimestamp).sort(byRevision);
    const diff = cleanable.length - limit;
    if (diff <= 0) return oldRSs;
    const deleted = new Set<string>();
    for (const rs of cleanable.slice(0, diff)) {
      if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0) continue;
      if ((rs.metadata!.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      this.ctx.api.delete('ReplicaSet', rs.metadata!.namespace, rs.metadata!.name!);
      deleted.add(rs.metadata!.uid!);
    }
    return oldRSs.filter((rs) => !deleted.has(rs.metadata!.uid!));
  }

  // --- status -------------------------------------------------------------------------------

  private calculateStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): DeploymentStatus {
    const available = availableReplicaCount(allRSs);
    const total = replicaCount(allRSs);
    const want = effectiveSpec(this.d).replicas;
    const prev = this.d.status ?? {};
    let status: DeploymentStatus = {
      observedGeneration: this.d.metadata!.generation,
      replicas: actualReplicaCount(allRSs),
      updatedReplicas: actualReplicaCount([newRS]),
      readyReplicas: readyReplicaCount(allRSs),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, total - available),
      ...(prev.collisionCount !== undefined ? { collisionCount: prev.collisionCount } : {}),
      conditions: [...(prev.conditions ?? [])],
    };
    const now = this.ctx.clock.timestamp();
    status =
      available >= want - maxUnavailable(this.d)
        ? setCondition(status, newCondition('Available', 'True', Reasons.MinimumReplicasAvailable, 'Deployment has minimum availability.', now))
        : setCondition(status, newCondition('Available', 'False', Reasons.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', now));
    return status;
  }

  /** syncDeploymentStatus: status only, no progress estimation. */
  private syncDeploymentStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): void {
    const status = this.calculateStatus(allRSs, newRS);
    if (!sameStatus(this.d.status, status)) this.writeStatus(status);
  }

  /** syncRolloutStatus (progress.go): status plus the Progressing condition and the deadline. */
  private syncRolloutStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): void {
    const d = this.d;
    const spec = effectiveSpec(d);
    const now = this.ctx.clock.timestamp();
    let status = this.calculateStatus(allRSs, newRS);
    if (spec.progressDeadlineSeconds === undefined) status = removeCondition(status, 'Progressing');
    const current = getCondition(d.status, 'Progressing');
    const complete = status.replicas === status.updatedReplicas && current?.reason === Reasons.NewRSAvailable;
    if (spec.progressDeadlineSeconds !== undefined && !complete) {
      const rsName = newRS?.metadata!.name;
      if (deploymentComplete(d, status)) {
        const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${d.metadata!.name}" has successfully progressed.`;
        status = setCondition(status, newCondition('Progressing', 'True', Reasons.NewRSAvailable, msg, now));
      } else if (deploymentProgressing(d, status)) {
        const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata!.name}" is progressing.`;
        let cond = newCondition('Progressing', 'True', Reasons.ReplicaSetUpdated, msg, now);
        // Progress refreshes lastUpdateTime even when the reason stays the same.
        if (current) {
          if (current.status === 'True') cond = { ...cond, lastTransitionTime: current.lastTransitionTime };
          status = removeCondition(status, 'Progressing');
        }
        status = setCondition(status, cond);
      } else if (deploymentTimedOut(d, status, this.ctx.clock.now(), Clock.parseRfc3339)) {
        const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata!.name}" has timed out progressing.`;
        status = setCondition(status, newCondition('Progressing', 'False', Reasons.TimedOut, msg, now));
      }
    }
    // Surface a ReplicaSet's ReplicaFailure (e.g. pods refused by quota) on the Deployment.
    const failure = replicaFailure(allRSs, newRS);
    if (failure) {
      status = setCondition(status, { type: 'ReplicaFailure', status: failure.status, reason: failure.reason, message: failure.message, lastUpdateTime: failure.lastTransitionTime, lastTransitionTime: failure.lastTransitionTime });
    } else status = removeCondition(status, 'ReplicaFailure');
    if (sameStatus(d.status, status)) {
      this.requeueStuckDeployment(status);
      return;
    }
    this.writeStatus(status);
  }

  /** requeueStuckDeployment: look again when the progress deadline would pass. */
  private requeueStuckDeployment(status: DeploymentStatus): void {
    const deadline = effectiveSpec(this.d).progressDeadlineSeconds;
    const cond = getCondition(this.d.status, 'Progressing');
    if (deadline === undefined || !cond?.lastUpdateTime) return;
    if (deploymentComplete(this.d, status) || cond.reason === Reasons.TimedOut) return;
    const now = this.ctx.clock.now();
    const after = Clock.parseRfc3339(cond.lastUpdateTime) + deadline * 1000 - now;
    this.requeueAt(after < 1000 ? now + 1000 : now + after + 1000);
  }

  private checkPausedConditions(): void {
    const spec = effectiveSpec(this.d);
    if (spec.progressDeadlineSeconds === undefined) return;
    const cond = getCondition(this.d.status, 'Progressing');
    if (cond?.reason === Reasons.TimedOut) return;
    const pausedExists = cond?.reason === Reasons.PausedDeploy;
    const now = this.ctx.clock.timestamp();
    if (spec.paused && !pausedExists) {
      this.writeStatus(setCondition(this.d.status ?? {}, newCondition('Progressing', 'Unknown', Reasons.PausedDeploy, 'Deployment is paused', now)));
    } else if (!spec.paused && pausedExists) {
      this.writeStatus(setCondition(this.d.status ?? {}, newCondition('Progressing', 'Unknown', Reasons.ResumedDeploy, 'Deployment is resumed', now)));
    }
  }

  private writeStatus(status: DeploymentStatus): void {
    this.d = this.ctx.api.updateStatus('Deployment', { ...this.d, status });
  }
}

/** FindActiveOrLatest: the only ReplicaSet with replicas, or the newest one if none has any. */
function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const olds = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = [...olds, ...(newRS ? [newRS] : [])].filter((rs) => specReplicas(rs) > 0);
  if (active.length === 0) return newRS ?? olds[0];
  if (active.length === 1) return active[0];
  return undefined;
}

/** getReplicaFailures: the ReplicaFailure condition of the new ReplicaSet, else of an old one. */
function replicaFailure(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined) {
  const of = (rs: ReplicaSet | undefined) => rs?.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  return of(newRS) ?? allRSs.filter((rs) => rs !== newRS).map(of).find((c) => c !== undefined);
}

/** IsSaturated: the new ReplicaSet runs the full, available size. */
function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = rs.metadata!.annotations?.[DESIRED_REPLICAS_ANNOTATION];
  if (desired === undefined || !/^\d+$/.test(desired)) return false;
  const want = effectiveSpec(d).replicas;
  return specReplicas(rs) === want && Number(desired) === want && (rs.status?.availableReplicas ?? 0) === want;
}

/** integer.RoundToInt32: math.Round, halves away from zero. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function sameStatus(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  const norm = (s: DeploymentStatus | undefined) => JSON.stringify({ ...(s ?? {}), conditions: s?.conditions?.length ? s.conditions : undefined });
  return norm(a) === norm(b);
}

