/**
 * Presentation helpers: how an object's fields read on screen (tone, icon, countdowns). Nothing
 * here decides Kubernetes behaviour; each countdown names the field it is computed from.
 */
import type { Node, Pod } from '../engine/api/types';
import { nodeStatusText, podStatusText } from '../engine/kubectl/printers';
import type { NodeWorld, RuntimeView } from '../worker/protocol';
import { Clock } from '../engine/clock';

/** Virtual ms of an RFC 3339 timestamp on an object, or undefined. */
export function virtualMs(ts: string | undefined): number | undefined {
  return ts ? Clock.parseRfc3339(ts) : undefined;
}

/** Lens/Headlamp colour families. */
export type Tone = 'ok' | 'warn' | 'done' | 'bad' | 'gone';

const BAD = /CrashLoopBackOff|Error|Failed|ImagePullBackOff|ErrImagePull|OOMKilled|ExitCode|Signal|Evicted|InvalidImageName|CreateContainerConfigError/;

const statusCache = new WeakMap<Pod, string>();
const toneCache = new WeakMap<Pod, Tone>();

/**
 * The STATUS text kubectl prints for a pod (kubectl's own function, so the canvas and kubectl
 * agree). Cached per object: stored objects are immutable, so identity is the change signal.
 */
export function podStatus(pod: Pod): string {
  let s = statusCache.get(pod);
  if (s === undefined) statusCache.set(pod, (s = podStatusText(pod)));
  return s;
}

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Tone of a pod from its kubectl STATUS and Ready condition. */
export function podTone(pod: Pod): Tone {
  let t = toneCache.get(pod);
  if (t === undefined) toneCache.set(pod, (t = computeTone(pod)));
  return t;
}

function computeTone(pod: Pod): Tone {
  const status = podStatus(pod);
  if (status === 'Terminating' || status === 'Unknown') return 'gone';
  if (BAD.test(status)) return 'bad';
  if (status === 'Completed' || status === 'Succeeded') return 'done';
  if (status === 'Running' && isPodReady(pod)) return 'ok';
  return 'warn';
}

export const TONE_ICON: Record<Tone, string> = { ok: '✔', warn: '◔', done: '✓', bad: '✖', gone: '⊘' };

/** The icon shown with a node's status (with the text, never instead of it). */
export const NODE_STATUS_ICON: Record<'Ready' | 'NotReady' | 'Unknown', string> = { Ready: '✔', NotReady: '✖', Unknown: '?' };

/** `Ready`, `NotReady` or `Unknown`: the first word of kubectl's node STATUS. */
export function nodeStatus(node: Node): 'Ready' | 'NotReady' | 'Unknown' {
  return nodeStatusFull(node).split(',')[0] as 'Ready' | 'NotReady' | 'Unknown';
}

const nodeStatusCache = new WeakMap<Node, string>();

/** kubectl's node STATUS (`Ready,SchedulingDisabled`), cached per object like {@link podStatus}. */
export function nodeStatusFull(node: Node): string {
  let s = nodeStatusCache.get(node);
  if (s === undefined) nodeStatusCache.set(node, (s = nodeStatusText(node)));
  return s;
}

export function nodeRolesText(node: Node): string {
  const roles = Object.keys(node.metadata?.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean);
  return roles.length ? roles.join(',') : 'worker';
}

export function nodeZone(node: Node): string | undefined {
  return node.metadata?.labels?.['topology.kubernetes.io/zone'];
}

/** One countdown shown on screen: what happens, and at which virtual ms. */
export interface Countdown {
  label: string;
  at: number;
}

/**
 * What a node is waiting for:
 * - `NotReady in 12s`: the node can no longer reach the control plane and is still Ready; the engine's
 *   node lifecycle controller says when it will mark it (`NodeWorld.notReadyAt`).
 * - `eviction in 4:48`: the soonest eviction the engine's taint-eviction controller has scheduled for
 *   a pod on it (`NodeWorld.evictions`).
 */
export function nodeCountdowns(node: Node, world: NodeWorld | undefined): Countdown[] {
  const out: Countdown[] = [];
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const cut = world && (world.power === 'Off' || world.partitioned);
  if (cut && ready?.status === 'True' && world?.notReadyAt !== undefined) {
    out.push({ label: 'NotReady in', at: world.notReadyAt });
  }
  const soonest = world?.evictions?.[0];
  if (soonest) out.push({ label: 'eviction in', at: soonest.at });
  return out;
}

/** A pod's key in the store's maps: `namespace/name`. */
export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name}`;
}

/** When the taint-eviction controller will evict this pod (from its node's world), if it will. */
export function podEvictionAt(pod: Pod, world: NodeWorld | undefined): number | undefined {
  if (!world?.evictions) return undefined;
  const key = podKey(pod);
  return world.evictions.find((e) => e.pod === key)?.at;
}

/** What a pod is waiting for: eviction, the end of its grace period, a back-off restart. */
export function podCountdowns(pod: Pod, node: Node | undefined, world: NodeWorld | undefined, view: RuntimeView | undefined): Countdown[] {
  const out: Countdown[] = [];
  const ev = podEvictionAt(pod, world);
  if (ev !== undefined) out.push({ label: 'eviction in', at: ev });
  const del = virtualMs(pod.metadata?.deletionTimestamp);
  const reachable = !world || (world.power === 'On' && !world.partitioned);
  if (del !== undefined && reachable) out.push({ label: 'killed in', at: del });
  for (const c of view?.containers ?? []) {
    if (c.nextAttemptAt !== undefined) out.push({ label: c.state === 'waiting' && /Image|Pull/.test(c.reason ?? '') ? `pull ${c.name} retry in` : `restart ${c.name} in`, at: c.nextAttemptAt });
  }
  return out;
}

/** A container as drawn: from the kubelet's runtime view when present, else from spec + status. */
export interface DrawnContainer {
  name: string;
  state: 'waiting' | 'running' | 'terminated' | 'unknown';
  reason?: string;
  ready: boolean;
  restarts: number;
  ports: number[];
  mounts: string[];
  kind: 'init' | 'sidecar' | 'main';
  restartAt?: number;
}

export function drawnContainers(pod: Pod, view: RuntimeView | undefined): DrawnContainer[] {
  const statuses = new Map([...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].map((s) => [s.name, s]));
  const fromView = new Map((view?.containers ?? []).map((c) => [c.name, c]));
  const specs = [
    ...(pod.spec?.initContainers ?? []).map((c) => ({ c, kind: (c.restartPolicy === 'Always' ? 'sidecar' : 'init') as DrawnContainer['kind'] })),
    ...(pod.spec?.containers ?? []).map((c) => ({ c, kind: 'main' as const })),
  ];
  return specs.map(({ c, kind }) => {
    const s = statuses.get(c.name);
    const v = fromView.get(c.name);
    const stateKey = v?.state ?? (s?.state?.running ? 'running' : s?.state?.terminated ? 'terminated' : s?.state?.waiting ? 'waiting' : 'unknown');
    const state = (['waiting', 'running', 'terminated'].includes(stateKey) ? stateKey : 'unknown') as DrawnContainer['state'];
    return {
      name: c.name,
      state,
      reason: v?.reason ?? s?.state?.waiting?.reason ?? s?.state?.terminated?.reason,
      ready: v?.ready ?? s?.ready ?? false,
      restarts: v?.restartCount ?? s?.restartCount ?? 0,
      ports: v ? v.ports : (c.ports ?? []).map((p) => p.containerPort),
      mounts: (v?.mounts?.map((m) => m.volume) ?? c.volumeMounts?.map((m) => m.name) ?? []).filter(Boolean),
      kind,
      ...(v?.nextAttemptAt !== undefined ? { restartAt: v.nextAttemptAt } : {}),
    };
  });
}

/** Volumes as drawn: name and type (`emptyDir`, `configMap`, …). */
export function drawnVolumes(pod: Pod, view: RuntimeView | undefined): { name: string; type: string }[] {
  if (view?.volumes?.length) return view.volumes.map((v) => ({ name: v.name, type: v.type ?? 'volume' }));
  return (pod.spec?.volumes ?? []).map((v) => ({ name: v.name, type: Object.keys(v).find((k) => k !== 'name') ?? 'volume' }));
}

export const CONTAINER_ICON: Record<DrawnContainer['state'], string> = { running: '▶', waiting: '◌', terminated: '■', unknown: '?' };
