import { semanticEqual } from '../api/equality';
import type { ClusterContext } from '../context';
import type { DaemonSet, Node, Pod, Toleration } from '../api/types';
import type { NodeSelectorRequirement, NodeSelectorTerm } from 'kubernetes-types/core/v1';
import { selectorFromLabelSelector, selectorFromMap } from '../api/labels';
import { ApiError } from '../api/errors';
import { RequeueTimers, WorkQueue, type Reconciler } from '../reconciler';
import {
  PodsByController,
  computeHash,
  countReadyAndAvailable,
  createdAt,
  enqueuePodController,
  isPodAvailable,
  keyOf,
  matchingTolerations,
  newControllerRef,
  scaledValueFromIntOrPercent,
  syncQueued,
} from './controllerUtils';
import { TAINT_DISK_PRESSURE, TAINT_MEMORY_PRESSURE, TAINT_NETWORK_UNAVAILABLE, TAINT_NOT_READY, TAINT_PID_PRESSURE, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE } from './nodeLifecycle';

const COMPONENT = { component: 'daemonset-controller' };
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';
export const POD_TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** Failed daemon pods are replaced after a back-off (1s doubling, at most 15 min, as failedPodsBackoff). */
const FAILED_POD_BACKOFF = 1_000;
const FAILED_POD_BACKOFF_MAX = 15 * 60_000;

/**
 * The tolerations the DaemonSet controller adds to its pods (util.AddOrUpdateDaemonPodTolerations),
 * so daemons keep running on nodes that are not ready, unreachable, under pressure or cordoned.
 */
export function daemonPodTolerations(hostNetwork: boolean): Toleration[] {
  const t: Toleration[] = [
    { key: TAINT_NOT_READY, operator: 'Exists', effect: 'NoExecute' },
    { key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute' },
    { key: TAINT_DISK_PRESSURE, operator: 'Exists', effect: 'NoSchedule' },
    { key: TAINT_MEMORY_PRESSURE, operator: 'Exists', effect: 'NoSchedule' },
    { key: TAINT_PID_PRESSURE, operator: 'Exists', effect: 'NoSchedule' },
    { key: TAINT_UNSCHEDULABLE, operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) t.push({ key: TAINT_NETWORK_UNAVAILABLE, operator: 'Exists', effect: 'NoSchedule' });
  return t;
}

function withTolerations(existing: Toleration[] | undefined, add: Toleration[]): Toleration[] {
  const out = [...(existing ?? [])];
  for (const t of add) if (!out.some((o) => o.key === t.key && o.effect === t.effect && o.operator === t.operator)) out.push(t);
  return out;
}

/** Whether a node satisfies a required node-selector term (matchExpressions on labels, matchFields on metadata.name). */
function matchesTerm(node: Node, term: NodeSelectorTerm): boolean {
  const labels = node.metadata!.labels ?? {};
  const req = (r: NodeSelectorRequirement, value: string | undefined): boolean => {
    switch (r.operator) {
      case 'In':
        return value !== undefined && (r.values ?? []).includes(value);
      case 'NotIn':
        return value === undefined || !(r.values ?? []).includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      case 'Gt':
        return value !== undefined && Number(value) > Number(r.values?.[0]);
      case 'Lt':
        return value !== undefined && Number(value) < Number(r.values?.[0]);
      default:
        return false;
    }
  };
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  return exprs.every((r) => req(r, labels[r.key])) && fields.every((r) => r.key === 'metadata.name' && req(r, node.metadata!.name));
}

/**
 * NodeShouldRunDaemonPod: nodeSelector and required node affinity match, and the node's NoSchedule
 * and NoExecute taints are tolerated (with the daemon tolerations). A pod already there may
 * continue running unless a NoExecute taint is not tolerated.
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const spec = ds.spec!.template.spec!;
  if (spec.nodeName && spec.nodeName !== node.metadata!.name) return { shouldRun: false, shouldContinueRunning: false };
  const fitsSelector = selectorFromMap(spec.nodeSelector).matches(node.metadata!.labels);
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const fitsAffinity = !terms || terms.some((t) => matchesTerm(node, t));
  if (!fitsSelector || !fitsAffinity) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = withTolerations(spec.tolerations, daemonPodTolerations(!!spec.hostNetwork));
  const taints = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  if (matchingTolerations(taints, tolerations).all) return { shouldRun: true, shouldContinueRunning: true };
  const noExecute = taints.filter((t) => t.effect === 'NoExecute');
  return { shouldRun: false, shouldContinueRunning: matchingTolerations(noExecute, tolerations).all };
}

/** GetTargetNodeName: spec.nodeName, or the node the daemon pod's affinity pins it to. */
function targetNode(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}

/**
 * The DaemonSet controller (pkg/controller/daemon): one pod per eligible node, created with the
 * daemon tolerations and pinned to its node by node affinity (`matchFields metadata.name`), so the
 * scheduler places it; pods removed from nodes that stop matching; failed pods replaced after a
 * back-off; RollingUpdate (maxUnavailable, default 1) or OnDelete; status counts.
 *
 * Why simpler: no ControllerRevision objects (the controller-revision-hash label is our template
 * hash) and no maxSurge during rolling updates.
 */
export class DaemonSetController implements Reconciler {
  readonly name = 'daemonset-controller';
  private readonly queue = new WorkQueue<string>();
  private readonly failedBackoff = new Map<string, { delay: number; until: number }>();
  private readonly requeue: RequeueTimers;
  private readonly index: PodsByController;

  constructor(readonly ctx: ClusterContext) {
    this.index = new PodsByController(ctx.store);
    this.requeue = new RequeueTimers(ctx.clock, this.queue, 'daemonset');
    for (const ds of ctx.store.values('DaemonSet')) this.queue.add(keyOf(ds));
    ctx.store.watch('DaemonSet', (ev) => this.queue.add(keyOf(ev.object)));
    ctx.store.watch('Pod', (ev) => enqueuePodController(this.queue, ev, 'DaemonSet'));
    ctx.store.watch('Node', (ev) => {
      const o = ev.old;
      const n = ev.object;
      const relevant =
        ev.type !== 'MODIFIED' ||
        !semanticEqual(o?.metadata?.labels, n.metadata?.labels) ||
        !semanticEqual(o?.spec?.taints, n.spec?.taints) ||
        o?.spec?.unschedulable !== n.spec?.unschedulable;
      if (relevant) for (const ds of ctx.store.values('DaemonSet')) this.queue.add(keyOf(ds));
    });
  }

  hasWork(): boolean {
    return this.queue.size > 0;
  }

  runOnce(): void {
    syncQueued(this.queue, this.ctx.store, 'DaemonSet', (ds) => this.sync(ds));
  }

  private sync(ds: DaemonSet): void {
    const nodes = this.ctx.store.list('Node');
    const hash = computeHash(ds.spec!.template);
    const byNode = this.podsByNode(ds);
    if (!ds.metadata!.deletionTimestamp) {
      this.manage(ds, nodes, byNode, hash);
      if ((ds.spec!.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') this.rollingUpdate(ds, nodes, this.podsByNode(ds), hash);
    }
    this.updateStatus(ds, nodes, this.podsByNode(ds), hash);
  }

  private podsByNode(ds: DaemonSet): Map<string, Pod[]> {
    const uid = ds.metadata!.uid!;
    const sel = selectorFromLabelSelector(ds.spec!.selector);
    const out = new Map<string, Pod[]>();
    for (const p of this.index.pods(uid)) {
      if (!sel.matches(p.metadata!.labels)) continue;
      const node = targetNode(p);
      if (!node) continue;
      if (!out.has(node)) out.set(node, []);
      out.get(node)!.push(p);
    }
    for (const pods of out.values()) pods.sort((a, b) => createdAt(a) - createdAt(b) || (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
    return out;
  }

  /** manage / podsShouldBeOnNode. */
  private manage(ds: DaemonSet, nodes: Node[], byNode: Map<string, Pod[]>, hash: string): void {
    const now = this.ctx.clock.now();
    const toCreate: string[] = [];
    const toDelete: Pod[] = [];
    const names = new Set(nodes.map((n) => n.metadata!.name!));
    for (const node of nodes) {
      const name = node.metadata!.name!;
      const pods = byNode.get(name) ?? [];
      const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
      if (shouldRun && pods.length === 0) {
        toCreate.push(name);
      } else if (shouldContinueRunning) {
        const running: Pod[] = [];
        for (const p of pods) {
          if (p.metadata!.deletionTimestamp) continue;
          if (p.status?.phase === 'Failed') {
            const key = `${keyOf(ds)}/${name}`;
            const b = this.failedBackoff.get(key);
            if (b && now < b.until) {
              this.requeue.addAt(keyOf(ds), b.until);
              continue;
            }
            const delay = b ? Math.min(b.delay * 2, FAILED_POD_BACKOFF_MAX) : FAILED_POD_BACKOFF;
            this.failedBackoff.set(key, { delay, until: now + delay });
            this.ctx.recorder.record(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${keyOf(p)} on node ${name}, will try to kill it`, COMPONENT);
            toDelete.push(p);
          } else if (p.status?.phase === 'Succeeded') {
            toDelete.push(p);
          } else running.push(p);
        }
        // More than one daemon pod on the node: keep the oldest.
        toDelete.push(...running.slice(1));
      } else {
        toDelete.push(...pods.filter((p) => !p.metadata!.deletionTimestamp));
      }
    }
    // Pods pinned to nodes that no longer exist.
    for (const [node, pods] of byNode) if (!names.has(node)) toDelete.push(...pods.filter((p) => !p.metadata!.deletionTimestamp));
    for (const p of toDelete) this.deletePod(ds, p);
    for (const node of toCreate) this.createPod(ds, node, hash);
  }

  /** rollingUpdate: replace out-of-date pods, at most maxUnavailable nodes without an available pod at once. */
  private rollingUpdate(ds: DaemonSet, nodes: Node[], byNode: Map<string, Pod[]>, hash: string): void {
    const now = this.ctx.clock.now();
    const minReady = ds.spec!.minReadySeconds ?? 0;
    const desired = nodes.filter((n) => nodeShouldRunDaemonPod(n, ds).shouldRun);
    let maxUnavailable: number;
    try {
      maxUnavailable = scaledValueFromIntOrPercent(ds.spec!.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, desired.length, true);
    } catch {
      maxUnavailable = 1;
    }
    if (maxUnavailable === 0) maxUnavailable = 1;
    let unavailable = 0;
    const oldAvailable: Pod[] = [];
    for (const node of desired) {
      const pods = (byNode.get(node.metadata!.name!) ?? []).filter((p) => !p.metadata!.deletionTimestamp);
      const pod = pods[0];
      if (!pod) {
        unavailable++;
        continue;
      }
      const updated = pod.metadata!.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash;
      const available = isPodAvailable(pod, minReady, now);
      if (updated) {
        if (!available) unavailable++;
      } else if (!available) {
        // An old pod that is not available anyway goes at once.
        this.deletePod(ds, pod);
        unavailable++;
      } else oldAvailable.push(pod);
    }
    for (const pod of oldAvailable) {
      if (unavailable >= maxUnavailable) break;
      this.deletePod(ds, pod);
      unavailable++;
    }
  }

  private createPod(ds: DaemonSet, node: string, hash: string): void {
    const t = ds.spec!.template;
    const spec = t.spec!;
    const affinity = {
      ...(spec.affinity ?? {}),
      nodeAffinity: {
        ...(spec.affinity?.nodeAffinity ?? {}),
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] },
      },
    };
    try {
      const pod = this.ctx.api.create('Pod', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          generateName: `${ds.metadata!.name}-`,
          namespace: ds.metadata!.namespace,
          labels: { ...(t.metadata?.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash, [POD_TEMPLATE_GENERATION_LABEL]: String(ds.metadata!.generation ?? 1) },
          ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
          ownerReferences: [newControllerRef(ds)],
        },
        spec: { ...JSON.parse(JSON.stringify(spec)), affinity, tolerations: withTolerations(spec.tolerations, daemonPodTolerations(!!spec.hostNetwork)) },
      });
      this.ctx.recorder.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata!.name}`, COMPONENT);
    } catch (e) {
      this.ctx.recorder.record(ds, 'Warning', 'FailedCreate', `Error creating: ${e instanceof Error ? e.message : String(e)}`, COMPONENT);
    }
  }

  private deletePod(ds: DaemonSet, pod: Pod): void {
    try {
      this.ctx.api.delete('Pod', pod.metadata!.namespace, pod.metadata!.name!);
      this.ctx.recorder.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata!.name}`, COMPONENT);
    } catch (e) {
      if (!(e instanceof ApiError && e.reason === 'NotFound')) throw e;
    }
  }

  private updateStatus(ds: DaemonSet, nodes: Node[], byNode: Map<string, Pod[]>, hash: string): void {
    const now = this.ctx.clock.now();
    const minReady = ds.spec!.minReadySeconds ?? 0;
    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let updated = 0;
    const scheduled: Pod[] = [];
    for (const node of nodes) {
      const pods = byNode.get(node.metadata!.name!) ?? [];
      const { shouldRun } = nodeShouldRunDaemonPod(node, ds);
      if (shouldRun) {
        desired++;
        if (!pods.length) continue;
        current++;
        const pod = pods[0];
        scheduled.push(pod);
        if (pod.metadata!.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash) updated++;
      } else if (pods.length) misscheduled++;
    }
    const { ready, available, nextAvailable } = countReadyAndAvailable(scheduled, minReady, now);
    const status: NonNullable<DaemonSet['status']> = {
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: desired,
      numberReady: ready,
      observedGeneration: ds.metadata!.generation,
      updatedNumberScheduled: updated,
      numberAvailable: available,
      numberUnavailable: desired - available,
    };
    const fresh = this.ctx.store.get('DaemonSet', ds.metadata!.namespace, ds.metadata!.name!);
    if (fresh && !semanticEqual(status, fresh.status ?? {})) this.ctx.api.updateStatus('DaemonSet', { ...fresh, status });
    // A pod counts as available minReadySeconds after it became ready: look again then.
    if (nextAvailable !== undefined) this.requeue.addAt(keyOf(ds), nextAvailable);
  }
}
