/**
 * The message protocol between the UI (main thread) and the engine's Web Worker.
 *
 * Every message is a discriminated union member with a `type` tag and the protocol version `v`.
 * Requests carry an `id`; the worker echoes it in the `result` (or `error`) reply. The worker
 * announces itself with `ready` before it accepts commands, and pushes `diff` messages (at most
 * one per animation frame) whose size follows what changed, not the size of the cluster.
 *
 * Import this file type-only from the main thread (`import type`), except for the small runtime
 * helpers at the bottom.
 */
import type { RuntimeView } from '../engine/kubelet/kubelet';
import type { Deployment, Node, Pod, ReplicaSet, Service, EndpointSlice } from '../engine/api/types';

export const PROTOCOL_VERSION = 1 as const;
export type V = typeof PROTOCOL_VERSION;

/** The kinds the canvas draws; only these travel in diffs. Leases and Events travel compactly. */
export type DrawnKind = 'Node' | 'Pod' | 'Service' | 'Deployment' | 'ReplicaSet' | 'EndpointSlice';
export const DRAWN_KINDS: readonly DrawnKind[] = ['Node', 'Pod', 'Service', 'Deployment', 'ReplicaSet', 'EndpointSlice'];

export interface DrawnKindMap {
  Node: Node;
  Pod: Pod;
  Service: Service;
  Deployment: Deployment;
  ReplicaSet: ReplicaSet;
  EndpointSlice: EndpointSlice;
}

/** A drawn object as it travels: its kind, its store key (`ns/name` or `name`) and the object. */
export type DrawnObject = { [K in DrawnKind]: { kind: K; key: string; object: DrawnKindMap[K] } }[DrawnKind];

/** The scenarios a playground can start from. */
export type Scenario =
  /** The default Session cluster (control-plane + node-1..3) with `web` = nginx × 6. */
  | 'default'
  /** The same cluster, empty. */
  | 'empty'
  /** 100 nodes, 1,000 pods: for the UI benchmark's node-kill storm. */
  | 'storm';

/** What the kubelet shows of a pod's runtime (containers, volumes, network, countdowns). */
export type { RuntimeView, ContainerView } from '../engine/kubelet/kubelet';

/** One Event, compactly: what `kubectl get events` prints. */
export interface CompactEvent {
  /** Store key of the Event object; the same key again means count/lastSeen changed. */
  key: string;
  /** Virtual ms of lastTimestamp. */
  last: number;
  type: 'Normal' | 'Warning';
  reason: string;
  /** `pod/web-abc`. */
  object: string;
  message: string;
  count: number;
}

/** The world under a node (not Kubernetes): power and network. */
export interface NodeWorld {
  power: 'On' | 'Off';
  partitioned: boolean;
  /** Virtual ms of the node Lease's last renewTime, if any. */
  leaseRenew?: number;
  /** While the node is cut off: when the node lifecycle controller will mark it NotReady (virtual ms). */
  notReadyAt?: number;
  /** Pending taint-based evictions of its pods (pod key, virtual ms), soonest first, from the engine's controller. */
  evictions?: { pod: string; at: number }[];
}

/** One line of the command log: what ran at which virtual time (the timeline replays it). */
export interface LogEntry {
  t: number;
  line: string;
  stdin?: string;
}

/** State pushed by the worker: a batched diff since the previous one. */
export interface DiffMessage {
  v: V;
  type: 'diff';
  /** True when the receiver must drop everything it has first (after a reset or a seek). */
  reset: boolean;
  now: number;
  playing: boolean;
  speed: number;
  upserted: DrawnObject[];
  removed: { kind: DrawnKind; key: string }[];
  /** Runtime views of pods whose object changed (null = none any more). */
  runtime: { key: string; view: RuntimeView | null }[];
  events: CompactEvent[];
  world: { node: string; state: NodeWorld }[];
  /** Command-log entries added since the previous diff. */
  log: LogEntry[];
}

export interface ReadyMessage {
  v: V;
  type: 'ready';
  seed: number;
}

export interface ResultMessage {
  v: V;
  type: 'result';
  id: number;
  output: string;
  exitCode: number;
  /** Per-line manifest errors (apply only). */
  errors?: { line: number; message: string }[];
}

export interface InspectMessage {
  v: V;
  type: 'inspected';
  id: number;
  describe: string;
  yaml: string;
  logs?: string;
  explanation?: unknown;
}

export interface ErrorMessage {
  v: V;
  type: 'error';
  id?: number;
  message: string;
}

export type WorkerMessage = DiffMessage | ReadyMessage | ResultMessage | InspectMessage | ErrorMessage;

type Req<T extends string, P = object> = { v: V; type: T; id: number } & P;

export type Request =
  | Req<'exec', { line: string; stdin?: string }>
  | Req<'apply', { text: string }>
  | Req<'inspect', { kind: string; namespace?: string; name: string }>
  | Req<'setSpeed', { speed: number }>
  | Req<'play'>
  | Req<'pause'>
  /** Advance 1 virtual second. */
  | Req<'step'>
  /** Advance to the next time a drawn object changes (at most 10 minutes). */
  | Req<'skipToNextChange'>
  /** Rewind or move to virtual time `t` by replaying the command log (deterministic engine). */
  | Req<'seek', { t: number }>
  /** The first message must be a reset: the worker builds nothing before it. */
  | Req<'reset', { scenario: Scenario; seed?: number; playing?: boolean }>
  /**
   * Rebuild `scenario` with `seed`, replay `log` and stop at virtual time `t`, paused (a share link).
   * Added in protocol v1 without a version bump: older workers answer it with an `error`. When the
   * log cannot be replayed the worker rebuilds the scenario with an empty log and answers `error`.
   */
  | Req<'load', { scenario: Scenario; seed: number; log: LogEntry[]; t: number }>;

export type RequestType = Request['type'];

/** Exhaustiveness check for `switch (msg.type)`. */
export function assertNever(x: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(x)}`);
}

/**
 * What a `load` request (a share link) may ask for: a link is untrusted input, and these bound the
 * work it can make the worker do (a virtual hour of the default cluster replays in about half a second).
 */
export const LOAD_LIMITS = { entries: 500, lineChars: 4_000, stdinChars: 32 * 1024, maxT: 24 * 3_600_000 } as const;

/** Speeds offered by the UI (virtual seconds per real second). */
export const SPEEDS = [1, 10, 60] as const;

/** Store key of a (namespaced) object, as ApiStore keys it. */
export function keyOf(obj: { metadata?: { namespace?: string; name?: string } }): string {
  const m = obj.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name}` : (m.name ?? '');
}
