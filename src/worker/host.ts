/**
 * The thin adapter between the engine (a {@link Session}) and the message protocol. It owns the
 * simulation loop: at speed S it advances virtual time by S × real elapsed time, collects watch
 * events, and flushes at most one {@link DiffMessage} per frame. The engine knows nothing of this.
 *
 * It runs anywhere: the Web Worker entry gives it `postMessage` and real timers; tests give it a
 * fake clock and drive `tick()` themselves.
 */
import { Clock } from '../engine/clock';
import type { Cluster } from '../engine/cluster';
import { parseManifests } from '../engine/api/manifest';
import type { WatchEvent } from '../engine/api/store';
import type { Event as KEvent, Kind, KObject, Lease } from '../engine/api/types';
import { Session } from '../engine/session';
import {
  DRAWN_KINDS,
  LOAD_LIMITS,
  PROTOCOL_VERSION,
  assertNever,
  keyOf,
  type CompactEvent,
  type DiffMessage,
  type DrawnKind,
  type DrawnObject,
  type LogEntry,
  type NodeWorld,
  type Request,
  type RuntimeView,
  type Scenario,
  type WorkerMessage,
} from './protocol';

/** What the host needs from its surroundings. */
export interface HostEnv {
  post(msg: WorkerMessage): void;
  /** Real (wall) milliseconds, monotonic: `performance.now()` in a browser. */
  realNow(): number;
  /** Call `fn` at the next frame (or ~16 ms later). Returns a cancel function. */
  nextFrame(fn: () => void): () => void;
}

/** Longest real gap a frame may account for: a backgrounded tab does not jump an hour ahead. */
const MAX_FRAME_GAP_MS = 250;
/** `step` advances one virtual second, as PhET's step button moves one tick. */
export const STEP_MS = 1_000;
/** `skipToNextChange` never moves further than this. */
export const SKIP_CAP_MS = 10 * 60_000;
/** Events kept for a fresh snapshot (the UI shows a rolling window). */
const SNAPSHOT_EVENTS = 200;

/** Why a `load` was refused; the host has rebuilt the scenario's starting cluster when this is thrown. */
export class LoadError extends Error {}

/** `00:04:12` for virtual ms (the share notice's format). */
export function hhmmss(ms: number): string {
  const s = Math.floor(ms / 1000);
  return [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0')).join(':');
}

/** The setup lines of each scenario, run at t = 0 (and again on every replay). */
export const SCENARIOS: Record<Scenario, string[]> = {
  default: ['kubectl create deployment web --image=nginx --replicas=6'],
  empty: [],
  storm: ['sim cluster --nodes 100', 'kubectl create deployment web --image=nginx --replicas=1000'],
};

interface KubeletWithView {
  runtimeView?: (namespace: string, name: string) => RuntimeView | undefined;
}
interface SchedulerWithExplain {
  explain?: (namespace: string, name: string) => unknown;
}

/**
 * Drives one {@link Session} for one playground and speaks the protocol.
 *
 * @example
 * const host = new EngineHost({ post: (m) => self.postMessage(m), realNow: () => performance.now(), nextFrame });
 * host.start('default');
 * self.onmessage = (e) => host.handle(e.data);
 */
export class EngineHost {
  session!: Session;
  private cluster!: Cluster;
  private unwatch: (() => void)[] = [];
  private seed = 1;
  private scenario: Scenario = 'default';
  private playing = true;
  private speed = 1;
  private log: LogEntry[] = [];
  private newLog: LogEntry[] = [];
  private pending = new Map<string, { kind: DrawnKind; key: string; object: KObject | null }>();
  private pendingEvents = new Map<string, KEvent>();
  private pendingWorld = new Set<string>();
  private readonly sentNotReadyAt = new Map<string, number | undefined>();
  /** The evictions last sent per node, as text (see refreshEvictions). */
  private readonly sentEvictions = new Map<string, string>();
  private leaseRenew = new Map<string, number>();
  private needsReset = true;
  private lastSentNow = -1;
  private lastSentPlaying = true;
  private lastSentSpeed = 1;
  private lastFrame = 0;
  private cancelFrame: (() => void) | undefined;
  /** Signature of visible state, per object, used by skipToNextChange. */
  private visibleChanged = false;
  private started = false;

  constructor(private readonly env: HostEnv) {}

  /** Build the scenario, say `ready`, send the first snapshot and start the loop. */
  start(scenario: Scenario = 'default', seed = 1, playing = true): void {
    this.started = true;
    this.playing = playing;
    this.build(scenario, seed, []);
    this.env.post({ v: PROTOCOL_VERSION, type: 'ready', seed });
    this.flush();
    this.lastFrame = this.env.realNow();
    this.schedule();
  }

  /**
   * Handle one request from the UI. Unknown versions are refused with an `error`. Before the host
   * has started, the first `reset` starts it (scenario, seed, playing) and answers `ready`.
   */
  handle(req: Request): void {
    if (!req || req.v !== PROTOCOL_VERSION) {
      this.env.post({ v: PROTOCOL_VERSION, type: 'error', id: (req as { id?: number })?.id, message: `unsupported protocol version ${(req as { v?: unknown })?.v}` });
      return;
    }
    if (!this.started) {
      if (req.type === 'reset') {
        this.start(req.scenario, req.seed ?? 1, req.playing ?? true);
        return;
      }
      this.start('default', 1, true);
    }
    try {
      this.dispatch(req);
    } catch (e) {
      this.env.post({ v: PROTOCOL_VERSION, type: 'error', id: req.id, message: (e as Error).message });
    }
    this.flush();
    this.schedule();
  }

  private dispatch(req: Request): void {
    const reply = (output: string, exitCode: number, errors?: { line: number; message: string }[]) =>
      this.env.post({ v: PROTOCOL_VERSION, type: 'result', id: req.id, output, exitCode, ...(errors ? { errors } : {}) });
    switch (req.type) {
      case 'exec': {
        const r = this.exec(req.line, req.stdin);
        reply(r.output, r.exitCode);
        return;
      }
      case 'apply': {
        const parsed = parseManifests(req.text);
        if (parsed.errors.length) {
          // Nothing is applied when any document is malformed, as kubectl refuses a file it cannot decode.
          reply(parsed.errors.map((e) => `error: line ${e.line}: ${e.message}`).join('\n') + '\n', 1, parsed.errors);
          return;
        }
        const r = this.exec('kubectl apply -f -', req.text);
        reply(r.output, r.exitCode, []);
        return;
      }
      case 'inspect': {
        const res = req.kind.toLowerCase();
        const nsArgs = req.namespace ? ['-n', req.namespace] : [];
        const k = this.session.kubectl;
        const describe = k.run(['describe', res, req.name, ...nsArgs]);
        const yaml = k.run(['get', res, req.name, ...nsArgs, '-o', 'yaml']);
        const logs = res === 'pod' ? k.run(['logs', req.name, ...nsArgs, '--all-containers']) : undefined;
        const explain = res === 'pod' ? (this.cluster.scheduler as SchedulerWithExplain).explain?.(req.namespace ?? 'default', req.name) : undefined;
        this.env.post({
          v: PROTOCOL_VERSION,
          type: 'inspected',
          id: req.id,
          describe: describe.combined,
          yaml: yaml.combined,
          ...(logs ? { logs: logs.combined } : {}),
          ...(explain !== undefined ? { explanation: explain } : {}),
        });
        return;
      }
      case 'setSpeed':
        if (!(req.speed >= 0 && req.speed <= 3600)) throw new Error(`speed must be between 0 and 3600, got ${req.speed}`);
        this.speed = req.speed;
        break;
      case 'play':
        this.playing = true;
        this.lastFrame = this.env.realNow();
        break;
      case 'pause':
        this.playing = false;
        break;
      case 'step':
        this.cluster.advance(STEP_MS);
        break;
      case 'skipToNextChange':
        this.skipToNextChange();
        break;
      case 'seek':
        this.seek(req.t);
        break;
      case 'load': {
        const n = this.load(req.scenario, req.seed, req.log, req.t);
        reply(`replayed ${n} command${n === 1 ? '' : 's'} to ${hhmmss(this.now())}\n`, 0);
        return;
      }
      case 'reset':
        if (req.playing !== undefined) this.playing = req.playing;
        this.build(req.scenario, req.seed ?? this.seed, []);
        break;
      default:
        assertNever(req);
    }
    reply('', 0);
  }

  /** Run one console line, log it at the current virtual time, and follow a `sim cluster` rebuild. */
  exec(line: string, stdin?: string): { output: string; exitCode: number } {
    const entry: LogEntry = { t: this.cluster.clock.now(), line, ...(stdin !== undefined ? { stdin } : {}) };
    this.log.push(entry);
    this.newLog.push(entry);
    const r = this.session.exec(line, stdin);
    if (this.session.cluster !== this.cluster) this.attach();
    return r;
  }

  /** Virtual now. */
  now(): number {
    return this.cluster.clock.now();
  }

  /** Run one frame: advance virtual time by speed × real elapsed, then flush. Exposed for tests. */
  tick(): void {
    const real = this.env.realNow();
    const gap = Math.min(Math.max(real - this.lastFrame, 0), MAX_FRAME_GAP_MS);
    this.lastFrame = real;
    if (this.playing && this.speed > 0 && gap > 0) this.cluster.advance(Math.round(gap * this.speed));
    this.flush();
  }

  private schedule(): void {
    if (this.cancelFrame) return;
    this.cancelFrame = this.env.nextFrame(() => {
      this.cancelFrame = undefined;
      this.tick();
      if (this.playing || this.hasPending()) this.schedule();
    });
  }

  private hasPending(): boolean {
    return this.needsReset || this.pending.size > 0 || this.pendingEvents.size > 0 || this.pendingWorld.size > 0 || this.newLog.length > 0;
  }

  /**
   * Rebuild `scenario` with `seed`, replay `log` strictly and stop at `t`, paused: what a share link
   * asks for. Every field is checked (the request may come from a crafted link); an entry logged
   * before the time the replay has already reached means the log was not recorded by this engine.
   * On any failure the scenario's starting cluster (or the default one) is built and a
   * {@link LoadError} thrown. Returns the number of commands replayed.
   */
  load(scenario: Scenario, seed: number, log: LogEntry[], t: number): number {
    this.playing = false;
    const known = typeof scenario === 'string' && Object.hasOwn(SCENARIOS, scenario);
    try {
      if (!known) throw new LoadError(`unknown scenario "${String(scenario)}"`);
      if (!Number.isSafeInteger(seed)) throw new LoadError(`seed must be a whole number, got ${String(seed)}`);
      if (!(Number.isFinite(t) && t >= 0 && t <= LOAD_LIMITS.maxT)) throw new LoadError(`time must be between 0 and ${hhmmss(LOAD_LIMITS.maxT)}`);
      if (!Array.isArray(log)) throw new LoadError('the command log is not a list');
      if (log.length > LOAD_LIMITS.entries) throw new LoadError(`the command log has ${log.length} commands (at most ${LOAD_LIMITS.entries})`);
      log.forEach((e, i) => {
        const bad = (why: string) => new LoadError(`command ${i + 1} ${why}`);
        if (!e || typeof e !== 'object') throw bad('is not a log entry');
        if (typeof e.line !== 'string' || e.line.length > LOAD_LIMITS.lineChars) throw bad('has no command line (or one too long)');
        if (e.stdin !== undefined && (typeof e.stdin !== 'string' || e.stdin.length > LOAD_LIMITS.stdinChars)) throw bad('has bad stdin');
        if (!(Number.isFinite(e.t) && e.t >= 0 && e.t <= t)) throw bad(`("${e.line}") has a time outside 0…${hhmmss(t)}`);
      });
      this.build(scenario, seed, log, true);
      const now = this.cluster.clock.now();
      if (now > t) throw new LoadError(`the replay reached ${hhmmss(now)}, past the shared time ${hhmmss(t)}`);
      this.cluster.advance(t - now);
      return log.length;
    } catch (e) {
      this.build(known ? scenario : 'default', known && Number.isSafeInteger(seed) ? seed : 1, []);
      if (e instanceof LoadError) throw e;
      throw new LoadError(`the command log could not be replayed: ${(e as Error).message}`);
    }
  }

  private build(scenario: Scenario, seed: number, log: LogEntry[], strict = false): void {
    this.scenario = scenario;
    this.seed = seed;
    this.session = new Session({ seed });
    this.attach();
    for (const line of SCENARIOS[scenario]) {
      this.session.exec(line);
      if (this.session.cluster !== this.cluster) this.attach();
    }
    this.log = [];
    this.newLog = [];
    for (const [i, e] of log.entries()) {
      const now = this.cluster.clock.now();
      if (strict && e.t < now) throw new LoadError(`command ${i + 1} ("${e.line}") was logged at ${hhmmss(e.t)}, but the replay had already reached ${hhmmss(now)}`);
      if (e.t > now) this.cluster.advance(e.t - now);
      this.exec(e.line, e.stdin);
    }
    this.needsReset = true;
  }

  /** Go to virtual time `t`: forward by advancing, backward by replaying the log (same seed ⇒ same past). */
  private seek(t: number): void {
    const target = Math.max(0, Math.round(t));
    const now = this.cluster.clock.now();
    if (target >= now) {
      this.cluster.advance(target - now);
      return;
    }
    // Replay: the engine is deterministic, so the same commands at the same times rebuild the past.
    // Whatever happened after `target` is dropped: time continues on a new branch from there.
    const kept = this.log.filter((e) => e.t <= target);
    this.build(this.scenario, this.seed, kept);
    const after = this.cluster.clock.now();
    if (target > after) this.cluster.advance(target - after);
  }

  private skipToNextChange(): void {
    const start = this.cluster.clock.now();
    const limit = start + SKIP_CAP_MS;
    this.visibleChanged = false;
    while (!this.visibleChanged) {
      const next = this.cluster.clock.nextTime();
      const now = this.cluster.clock.now();
      if (next === undefined || next > limit) {
        this.cluster.advance(limit - now);
        return;
      }
      this.cluster.advance(Math.max(next - now, 0));
      if (this.cluster.clock.now() >= limit) return;
      // A timer due now that fires nothing would loop forever: always make progress.
      if (next <= now) this.cluster.advance(1);
    }
  }

  /** Subscribe to the (possibly new) cluster and schedule a full snapshot. */
  private attach(): void {
    for (const u of this.unwatch) u();
    this.cluster = this.session.cluster;
    this.pending.clear();
    this.sentNotReadyAt.clear();
    this.sentEvictions.clear();
    this.pendingEvents.clear();
    this.pendingWorld.clear();
    this.leaseRenew.clear();
    this.needsReset = true;
    this.unwatch = [
      this.cluster.store.watch('*', (ev) => this.onWatch(ev)),
      this.cluster.faults.onChange((node) => {
        this.pendingWorld.add(node);
        this.visibleChanged = true;
      }),
    ];
  }

  private onWatch(ev: WatchEvent): void {
    const kind = ev.kind as Kind;
    if (kind === 'Event') {
      this.pendingEvents.set(keyOf(ev.object), ev.object as KEvent);
      return;
    }
    if (kind === 'Lease') {
      const lease = ev.object as Lease;
      if (lease.metadata?.namespace === 'kube-node-lease' && lease.metadata.name) {
        const renew = lease.spec?.renewTime ? Date.parse(lease.spec.renewTime) - Clock.EPOCH_MS : undefined;
        if (ev.type === 'DELETED') this.leaseRenew.delete(lease.metadata.name);
        else if (renew !== undefined) this.leaseRenew.set(lease.metadata.name, renew);
        this.pendingWorld.add(lease.metadata.name);
      }
      return;
    }
    if (!(DRAWN_KINDS as readonly string[]).includes(kind)) return;
    const key = keyOf(ev.object);
    this.pending.set(`${kind}\u0000${key}`, { kind: kind as DrawnKind, key, object: ev.type === 'DELETED' ? null : ev.object });
    if (!this.visibleChanged && isVisibleChange(ev)) this.visibleChanged = true;
  }

  private worldOf(node: string): NodeWorld {
    const f = this.cluster.faults;
    const renew = this.leaseRenew.get(node);
    const notReadyAt = f.reachesControlPlane(node) ? undefined : this.cluster.nodeLifecycle.notReadyAt(node);
    const evictions = this.cluster.taintEviction.scheduledEvictionsOn(node);
    return {
      power: f.powerOf(node),
      partitioned: f.isPartitioned(node),
      ...(renew !== undefined ? { leaseRenew: renew } : {}),
      ...(notReadyAt !== undefined ? { notReadyAt } : {}),
      ...(evictions.length ? { evictions } : {}),
    };
  }

  /**
   * Pending evictions change when a node is tainted or a pod comes or goes, without the node's
   * world changing: re-send a node's world when the text of its evictions moved. Only tainted nodes
   * (and those that had some) are looked at.
   */
  private refreshEvictions(): void {
    const nodes = new Set([...this.cluster.taintEviction.taintedNodeNames(), ...this.sentEvictions.keys()]);
    for (const node of nodes) {
      const text = this.cluster.taintEviction.scheduledEvictionsOn(node).map((e) => `${e.pod}@${e.at}`).join(',');
      if (text === (this.sentEvictions.get(node) ?? '')) continue;
      if (text) this.sentEvictions.set(node, text);
      else this.sentEvictions.delete(node);
      this.pendingWorld.add(node);
    }
  }

  /**
   * A cut-off node's NotReady deadline moves when the controller observes its last heartbeat (up to
   * one monitor period after the cut), without any object changing: re-send it when it moved.
   */
  private refreshNotReadyDeadlines(): void {
    for (const node of this.sentNotReadyAt.keys()) {
      if (this.cluster.faults.reachesControlPlane(node)) this.sentNotReadyAt.delete(node);
    }
    for (const n of this.cluster.store.values('Node')) {
      const name = n.metadata!.name!;
      if (this.cluster.faults.reachesControlPlane(name)) continue;
      const at = this.cluster.nodeLifecycle.notReadyAt(name);
      if (at !== this.sentNotReadyAt.get(name)) {
        this.sentNotReadyAt.set(name, at);
        this.pendingWorld.add(name);
      }
    }
  }

  private runtimeOf(pod: KObject | null): RuntimeView | null {
    if (!pod || pod.kind !== 'Pod') return null;
    const node = pod.spec?.nodeName;
    if (!node) return null;
    const kubelet = this.cluster.kubelets.get(node) as unknown as KubeletWithView | undefined;
    return kubelet?.runtimeView?.(pod.metadata?.namespace ?? 'default', pod.metadata?.name ?? '') ?? null;
  }

  /** Send what changed since the last flush, if anything (or the clock moved to a new second). */
  flush(): void {
    const now = this.cluster.clock.now();
    const msg: DiffMessage = {
      v: PROTOCOL_VERSION,
      type: 'diff',
      reset: this.needsReset,
      now,
      playing: this.playing,
      speed: this.speed,
      upserted: [],
      removed: [],
      runtime: [],
      events: [],
      world: [],
      log: this.newLog,
    };
    if (this.needsReset) {
      for (const kind of DRAWN_KINDS) {
        for (const object of this.cluster.store.values(kind)) {
          msg.upserted.push({ kind, key: keyOf(object), object } as DrawnObject);
          if (kind === 'Pod') {
            const view = this.runtimeOf(object);
            if (view) msg.runtime.push({ key: keyOf(object), view });
          }
        }
      }
      for (const lease of this.cluster.store.values('Lease')) {
        if (lease.metadata?.namespace === 'kube-node-lease' && lease.spec?.renewTime) {
          this.leaseRenew.set(lease.metadata.name!, Date.parse(lease.spec.renewTime) - Clock.EPOCH_MS);
        }
      }
      for (const node of this.cluster.store.values('Node')) msg.world.push({ node: node.metadata!.name!, state: this.worldOf(node.metadata!.name!) });
      const events = [...this.cluster.store.values('Event')].map(compactEvent).sort((a, b) => a.last - b.last);
      msg.events = events.slice(-SNAPSHOT_EVENTS);
      msg.log = this.log.slice();
    } else {
      for (const p of this.pending.values()) {
        if (p.object) {
          msg.upserted.push({ kind: p.kind, key: p.key, object: p.object } as DrawnObject);
          if (p.kind === 'Pod') msg.runtime.push({ key: p.key, view: this.runtimeOf(p.object) });
        } else {
          msg.removed.push({ kind: p.kind, key: p.key });
          if (p.kind === 'Pod') msg.runtime.push({ key: p.key, view: null });
        }
      }
      for (const ev of this.pendingEvents.values()) msg.events.push(compactEvent(ev));
      this.refreshNotReadyDeadlines();
      this.refreshEvictions();
      for (const node of this.pendingWorld) msg.world.push({ node, state: this.worldOf(node) });
    }
    const empty =
      !msg.reset && !msg.upserted.length && !msg.removed.length && !msg.events.length && !msg.world.length && !msg.log.length;
    const secondChanged = Math.floor(now / 1000) !== Math.floor(this.lastSentNow / 1000);
    if (empty && !secondChanged && this.playing === this.lastSentPlaying && this.speed === this.lastSentSpeed) return;
    this.pending = new Map();
    this.pendingEvents = new Map();
    this.pendingWorld = new Set();
    this.newLog = [];
    this.needsReset = false;
    this.lastSentNow = now;
    this.lastSentPlaying = this.playing;
    this.lastSentSpeed = this.speed;
    this.env.post(msg);
  }
}

function compactEvent(ev: KEvent): CompactEvent {
  const ts = ev.lastTimestamp ?? ev.eventTime ?? ev.firstTimestamp ?? ev.metadata?.creationTimestamp;
  const io = ev.involvedObject;
  return {
    key: keyOf(ev),
    last: ts ? Date.parse(ts) - Clock.EPOCH_MS : 0,
    type: ev.type === 'Warning' ? 'Warning' : 'Normal',
    reason: ev.reason ?? '',
    object: `${(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`,
    message: ev.message ?? '',
    count: ev.count ?? 1,
  };
}

/**
 * Whether a watch event changes what the canvas shows (not heartbeat timestamps): skipToNextChange
 * stops at these. Node: condition statuses, taints, unschedulable; Pod: phase, node, deletion,
 * container states; other drawn kinds: any change.
 */
export function isVisibleChange(ev: WatchEvent): boolean {
  if (ev.type !== 'MODIFIED' || !ev.old) return true;
  return visibleSignature(ev.old) !== visibleSignature(ev.object);
}

function visibleSignature(obj: KObject): string {
  if (obj.kind === 'Node') {
    const conds = (obj.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`).join(',');
    const taints = (obj.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).join(',');
    return `${conds}|${taints}|${obj.spec?.unschedulable ?? false}`;
  }
  if (obj.kind === 'Pod') {
    const cs = [...(obj.status?.initContainerStatuses ?? []), ...(obj.status?.containerStatuses ?? [])]
      .map((c) => `${c.name}:${Object.keys(c.state ?? {}).join()}:${c.state?.waiting?.reason ?? c.state?.terminated?.reason ?? ''}:${c.ready}:${c.restartCount}`)
      .join(',');
    const conds = (obj.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`).join(',');
    return `${obj.status?.phase}|${obj.status?.reason ?? ''}|${obj.spec?.nodeName ?? ''}|${obj.metadata?.deletionTimestamp ?? ''}|${cs}|${conds}`;
  }
  return obj.metadata?.resourceVersion ?? '';
}
