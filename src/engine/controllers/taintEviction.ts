import { semanticEqual } from '../api/equality';
import type { ClusterContext } from '../context';
import type { Pod, Taint, Toleration } from '../api/types';
import { ApiError } from '../api/errors';
import type { TimerHandle } from '../clock';
import { WorkQueue, type Reconciler } from '../reconciler';
import { matchingTolerations } from './controllerUtils';

const COMPONENT = { component: 'taint-eviction-controller' };

interface Work {
  /** When the eviction was first scheduled (the start of the toleration). */
  createdAt: number;
  fireAt: number;
  timer: TimerHandle | undefined;
  /** The deletion was issued; the entry stays until cancelled (TimedWorkerQueue keeps a nil worker). */
  done: boolean;
}

/**
 * getMinTolerationTime: the shortest tolerationSeconds among the tolerations used (ms); 0 if a
 * toleration has none left; -1 when every toleration is forever.
 */
export function minTolerationTime(used: readonly Toleration[]): number {
  if (used.length === 0) return 0;
  let min = Infinity;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return min === Infinity ? -1 : min * 1000;
}

/**
 * The taint-eviction controller (pkg/controller/tainteviction): a pod on a node with NoExecute
 * taints it does not tolerate is deleted at once; one that tolerates them for a while is deleted
 * when its shortest tolerationSeconds runs out, counted from when the controller first saw the
 * taints (the taint's timeAdded in practice); the eviction is cancelled if the taints go away.
 * Before deleting it sets the pod condition DisruptionTarget=True (DeletionByTaintManager); the
 * deletion is graceful, so a pod on a dead node stays Terminating.
 */
export class TaintEvictionController implements Reconciler {
  readonly name = 'taint-eviction-controller';
  private readonly taintedNodes = new Map<string, Taint[]>();
  private readonly works = new Map<string, Work>();
  private readonly nodeQueue = new WorkQueue<string>();
  /**
   * Pods whose node or tolerations changed (or that were deleted), as written; handlePodUpdate reads
   * each one's current version by key. Why a list rather than a WorkQueue of keys: every bind lands
   * here, and handlePodUpdate does nothing unless some node is tainted NoExecute or some eviction is
   * pending, so the keys are only built (and deduplicated, first arrival first) in that case.
   */
  private podQueue: Pod[] = [];
  private readonly evictQueue = new WorkQueue<string>();

  constructor(readonly ctx: ClusterContext) {
    ctx.store.watch('Node', (ev) => {
      const before = noExecute(ev.old?.spec?.taints);
      const after = ev.type === 'DELETED' ? [] : noExecute(ev.object.spec?.taints);
      if (ev.type === 'ADDED' || ev.type === 'DELETED' || !semanticEqual(before, after)) this.nodeQueue.add(ev.object.metadata!.name!);
    });
    ctx.store.watch('Pod', (ev) => {
      const o = ev.old;
      const n = ev.object;
      if (ev.type === 'MODIFIED' && o && o.spec?.nodeName === n.spec?.nodeName && sameTolerations(o.spec?.tolerations, n.spec?.tolerations)) return;
      this.podQueue.push(n);
    });
    for (const n of ctx.store.values('Node')) this.nodeQueue.add(n.metadata!.name!);
  }

  hasWork(): boolean {
    return this.nodeQueue.size > 0 || this.podQueue.length > 0 || this.evictQueue.size > 0;
  }

  runOnce(): void {
    for (const name of this.nodeQueue.drain()) this.handleNodeUpdate(name);
    if (this.podQueue.length) {
      const pods = this.podQueue;
      this.podQueue = [];
      // handlePodUpdate acts only on a pod on a tainted node (taintedNodes is current: the node
      // queue was just drained) or with pending work to cancel: with neither, every call returns.
      if (this.taintedNodes.size > 0 || this.works.size > 0) {
        const seen = new Set<string>();
        for (const p of pods) {
          const k = key(p);
          if (seen.has(k)) continue;
          seen.add(k);
          this.handlePodUpdate(k);
        }
      }
    }
    for (const key of this.evictQueue.drain()) this.evict(key);
  }

  /** Nodes with a NoExecute taint now (only their pods can have an eviction pending). */
  taintedNodeNames(): string[] {
    return [...this.taintedNodes.keys()];
  }

  /**
   * The pending evictions of the pods on a node that are not already being deleted, by pod key
   * (namespace/name), soonest first: what the canvas counts down ("eviction in 4:48"), exactly as
   * this controller will act.
   */
  scheduledEvictionsOn(node: string): { pod: string; at: number }[] {
    const out: { pod: string; at: number }[] = [];
    for (const pod of this.ctx.store.podsOnNode(node)) {
      // A pod already being deleted is going anyway: an eviction would change nothing.
      if (pod.metadata?.deletionTimestamp) continue;
      const at = this.scheduledEviction(pod.metadata!.namespace!, pod.metadata!.name!);
      if (at !== undefined) out.push({ pod: `${pod.metadata!.namespace}/${pod.metadata!.name}`, at });
    }
    return out.sort((x, y) => x.at - y.at || (x.pod < y.pod ? -1 : 1));
  }

  /** When the pending eviction of a pod fires (virtual ms), for the UI and tests. */
  scheduledEviction(namespace: string, name: string): number | undefined {
    const w = this.works.get(`${namespace}/${name}`);
    return w && !w.done ? w.timer?.at : undefined;
  }

  private handleNodeUpdate(name: string): void {
    const node = this.ctx.store.get('Node', undefined, name);
    if (!node) {
      this.taintedNodes.delete(name);
      return;
    }
    const taints = noExecute(node.spec?.taints);
    if (taints.length) this.taintedNodes.set(name, taints);
    else this.taintedNodes.delete(name);
    const pods = this.ctx.store.podsOnNode(name);
    if (taints.length === 0) {
      for (const p of pods) this.cancelWorkWithEvent(key(p));
      return;
    }
    const now = this.ctx.clock.now();
    for (const p of pods) this.processPodOnNode(p, taints, now);
  }

  private handlePodUpdate(k: string): void {
    const pod = this.ctx.store.getByKey('Pod', k);
    if (!pod) {
      this.cancelWorkWithEvent(k);
      return;
    }
    const node = pod.spec?.nodeName;
    if (!node) return;
    const taints = this.taintedNodes.get(node);
    if (!taints) return;
    this.processPodOnNode(pod, taints, this.ctx.clock.now());
  }

  private processPodOnNode(pod: Pod, taints: Taint[], now: number): void {
    const k = key(pod);
    const { all, used } = matchingTolerations(taints, pod.spec?.tolerations ?? []);
    if (!all) {
      // Already due now (the same pod seen twice in one pass): keep it rather than cancel and re-add.
      const pending = this.works.get(k);
      if (pending && !pending.done && pending.fireAt <= now) return;
      this.cancelWorkWithEvent(k);
      this.addWork(k, now, now);
      return;
    }
    const min = minTolerationTime(used);
    if (min < 0) {
      this.cancelWorkWithEvent(k);
      return;
    }
    let start = now;
    const trigger = now + min;
    const existing = this.works.get(k);
    if (existing) {
      start = existing.createdAt;
      if (start + min < trigger) return;
      this.cancelWorkWithEvent(k);
    }
    this.addWork(k, start, trigger);
  }

  private addWork(k: string, createdAt: number, fireAt: number): void {
    if (this.works.has(k)) return;
    const work: Work = { createdAt, fireAt, timer: undefined, done: false };
    this.works.set(k, work);
    if (fireAt <= this.ctx.clock.now()) this.evictQueue.add(k);
    else work.timer = this.ctx.clock.at(fireAt, () => this.evictQueue.add(k), `taint-eviction ${k}`);
  }

  private cancelWorkWithEvent(k: string): void {
    const w = this.works.get(k);
    if (!w) return;
    this.works.delete(k);
    if (w.done) return;
    w.timer?.cancel();
    const [ns, name] = k.split('/');
    const pod = this.ctx.store.get('Pod', ns, name);
    if (pod) this.ctx.recorder.record(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${k}`, COMPONENT);
  }

  /** deletePodHandler: event, DisruptionTarget condition, then a graceful delete. */
  private evict(k: string): void {
    const w = this.works.get(k);
    if (!w || w.done) return;
    w.done = true;
    const [ns, name] = k.split('/');
    const pod = this.ctx.store.get('Pod', ns, name);
    if (!pod) return;
    this.ctx.recorder.record(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${k}`, COMPONENT);
    const conds = pod.status?.conditions ?? [];
    const existing = conds.find((c) => c.type === 'DisruptionTarget');
    const cond = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' };
    if (!existing || existing.status !== 'True' || existing.reason !== cond.reason || existing.message !== cond.message) {
      const next = { ...cond, lastTransitionTime: existing?.status === 'True' ? existing.lastTransitionTime : this.ctx.clock.timestamp() };
      this.ctx.api.updateStatus('Pod', { ...pod, status: { ...pod.status, conditions: [...conds.filter((c) => c !== existing), next] } });
    }
    try {
      this.ctx.api.delete('Pod', ns, name);
    } catch (e) {
      if (!(e instanceof ApiError && e.reason === 'NotFound')) throw e;
    }
  }
}

function noExecute(taints: Taint[] | undefined): Taint[] {
  return (taints ?? []).filter((t) => t.effect === 'NoExecute');
}

/** The same tolerations: the same list (pods share their spec parts), or the same by value. */
function sameTolerations(a: Toleration[] | undefined, b: Toleration[] | undefined): boolean {
  return semanticEqual(a, b);
}

function key(p: Pod): string {
  return `${p.metadata!.namespace}/${p.metadata!.name}`;
}
