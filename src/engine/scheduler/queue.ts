import type { Clock, TimerHandle } from '../clock';
import type { Pod } from '../api/types';
import { defaults } from '../config';
import { podPriority } from './framework/nodeInfo';
import { BinaryHeap } from '../heap';

/** pkg/scheduler/internal/queue: DefaultPodMaxInUnschedulablePodsDuration. */
export const POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION = 5 * 60 * 1000;
/** How often the real queue flushes unschedulable pods that waited too long. */
export const UNSCHEDULABLE_FLUSH_INTERVAL = 30 * 1000;

export type QueueName = 'active' | 'backoff' | 'unschedulable' | 'inFlight';

/** A pod waiting in (or popped from) the scheduling queue: framework.QueuedPodInfo. */
export interface QueuedPodInfo {
  readonly key: string;
  /** The pod's newest version; set it with {@link setQueuedPod}, which keeps `priority` in step. */
  pod: Pod;
  /** podPriority(pod), kept next to it: the active queue compares it on every push and pop (one read, not three). */
  priority: number;
  /** When the pod was last added or re-added (after a failure): orders the active queue and starts the backoff. */
  timestamp: number;
  /** When the pod first entered the queue. */
  readonly initialAttemptTimestamp: number;
  /** Scheduling attempts so far (incremented on every pop). */
  attempts: number;
  /** Plugins that rejected the pod in its last attempt (drives which cluster events requeue it); replaced, never changed. */
  unschedulablePlugins: ReadonlySet<string>;
  queue: QueueName;
  /** FIFO tie-breaker within one priority and timestamp. */
  seq: number;
  timer?: TimerHandle;
}

/** The rejecting plugins of a pod never rejected (shared: a pod's set is replaced, never changed). */
const NO_PLUGINS: ReadonlySet<string> = new Set();

/** What changed in the cluster, as framework.ClusterEvent, reduced to what our plugins react to. */
export interface ClusterEvent {
  /** e.g. `NodeAdd`, `NodeTaintChange`, `AssignedPodDelete`. */
  readonly label: string;
  /** Plugins whose rejection this event may undo; `'*'` for every plugin. */
  readonly plugins: ReadonlySet<string> | '*';
}

/** Point a queued pod at a newer version of its pod. */
export function setQueuedPod(p: QueuedPodInfo, pod: Pod): void {
  p.pod = pod;
  p.priority = podPriority(pod);
}

/** The active queue's order (queuesort.PrioritySort): whether `a` pops before `b`. */
export function before(a: Pick<QueuedPodInfo, 'priority' | 'timestamp' | 'seq'>, b: Pick<QueuedPodInfo, 'priority' | 'timestamp' | 'seq'>): boolean {
  // queuesort.PrioritySort: higher priority first, then earlier timestamp; then arrival order.
  const pa = a.priority;
  const pb = b.priority;
  if (pa !== pb) return pa > pb;
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp;
  return a.seq < b.seq;
}

/**
 * The active queue: pods in {@link before} order. Pods mostly arrive in that order already (one
 * priority, timestamps that never go back, rising seq), so those go to a FIFO run and only the
 * others to a binary heap; a pop takes the earlier of the two heads. The same order as one heap.
 * Why: with 20,000 pending pods a heap pop walks ~14 levels, two scattered pod records per level.
 *
 * @example
 * const q = new ActiveQueue(before); q.push(a); q.push(b); q.pop(); // whichever is before the other
 */
export class ActiveQueue<T> {
  private readonly heap: BinaryHeap<T>;
  /** Items in order from `head` on (entries before `head` were popped). */
  private run: (T | undefined)[] = [];
  private head = 0;

  constructor(private readonly before: (a: T, b: T) => boolean) {
    this.heap = new BinaryHeap(before);
  }

  get size(): number {
    return this.heap.size + this.run.length - this.head;
  }

  push(item: T): void {
    const run = this.run;
    if (run.length === this.head || !this.before(item, run[run.length - 1] as T)) run.push(item);
    else this.heap.push(item);
  }

  pop(): T | undefined {
    const run = this.run;
    const top = this.heap.peek();
    if (this.head < run.length) {
      const first = run[this.head] as T;
      if (top === undefined || this.before(first, top)) {
        run[this.head++] = undefined;
        if (this.head === run.length) {
          this.run = [];
          this.head = 0;
        } else if (this.head > 1024 && this.head * 2 > run.length) {
          this.run = run.slice(this.head);
          this.head = 0;
        }
        return first;
      }
    }
    return this.heap.pop();
  }

  /** Remove one item (by identity). O(n): for rare removals. */
  remove(item: T): boolean {
    const i = this.run.indexOf(item, this.head);
    if (i >= 0) {
      this.run.splice(i, 1);
      return true;
    }
    return this.heap.remove(item);
  }

  /** Restore the order after items' keys changed in place: everything goes to the heap. */
  reorder(): void {
    for (let i = this.head; i < this.run.length; i++) this.heap.push(this.run[i] as T);
    this.run = [];
    this.head = 0;
    this.heap.reorder();
  }
}

/**
 * The scheduling queue (PriorityQueue in pkg/scheduler/internal/queue): an active queue ordered by
 * priority then age, a backoff queue (1s doubling to 10s per attempt), and unschedulable pods that
 * wait for a cluster event that could help them, or for 5 minutes at most.
 *
 * Why simplified: a backoff ends exactly at its expiry (the real queue flushes every second);
 * queueing hints are reduced to "which plugins could this event un-reject"; there is no
 * in-flight event tracking because a scheduling cycle here takes no virtual time.
 */
export class SchedulingQueue {
  private readonly activeQ = new ActiveQueue<QueuedPodInfo>(before);
  private readonly pods = new Map<string, QueuedPodInfo>();
  private seq = 0;
  /** Called when a pod lands in the active queue from a timer (so the owner can note it has work). */
  onActivate: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    readonly initialBackoff = defaults.podInitialBackoff,
    readonly maxBackoff = defaults.podMaxBackoff,
  ) {}

  /** A new pending pod: straight into the active queue. */
  add(key: string, pod: Pod): void {
    const existing = this.pods.get(key);
    if (existing) {
      const priorityChanged = existing.priority !== podPriority(pod);
      setQueuedPod(existing, pod);
      if (priorityChanged && existing.queue === 'active') this.activeQ.reorder();
      return;
    }
    const now = this.clock.now();
    const p: QueuedPodInfo = {
      key,
      pod,
      priority: podPriority(pod),
      timestamp: now,
      initialAttemptTimestamp: now,
      attempts: 0,
      unschedulablePlugins: NO_PLUGINS,
      queue: 'active',
      seq: this.seq++,
    };
    this.pods.set(key, p);
    this.activeQ.push(p);
  }

  /** The pod object changed. When its spec or labels changed and it is waiting as unschedulable, retry it. */
  update(key: string, pod: Pod, specOrLabelsChanged: boolean): void {
    const p = this.pods.get(key);
    if (!p) return this.add(key, pod);
    const priorityChanged = p.priority !== podPriority(pod);
    setQueuedPod(p, pod);
    if (priorityChanged && p.queue === 'active') this.activeQ.reorder();
    if (specOrLabelsChanged && p.queue === 'unschedulable') this.requeue(p);
  }

  delete(key: string): void {
    const p = this.pods.get(key);
    if (!p) return;
    this.pods.delete(key);
    p.timer?.cancel();
    if (p.queue === 'active') this.activeQ.remove(p);
  }

  get(key: string): QueuedPodInfo | undefined {
    return this.pods.get(key);
  }

  hasActive(): boolean {
    return this.activeQ.size > 0;
  }

  /** Numbers of pods per queue, for the UI and tests. */
  sizes(): Record<QueueName, number> {
    const out: Record<QueueName, number> = { active: 0, backoff: 0, unschedulable: 0, inFlight: 0 };
    for (const p of this.pods.values()) out[p.queue]++;
    return out;
  }

  /** Take the next pod to schedule; it counts one more attempt. */
  pop(): QueuedPodInfo | undefined {
    const p = this.activeQ.pop();
    if (!p) return undefined;
    p.attempts++;
    p.queue = 'inFlight';
    return p;
  }

  /** The popped pod was bound (or no longer needs scheduling). */
  done(key: string): void {
    const p = this.pods.get(key);
    if (p && p.queue === 'inFlight') this.pods.delete(key);
  }

  /**
   * calculateBackoffDuration: `initial * 2^(attempts-1)`, capped at the maximum.
   * @example backoffDuration(1) === 1000; backoffDuration(5) === 10000
   */
  backoffDuration(attempts: number): number {
    let d = this.initialBackoff;
    for (let i = 1; i < attempts; i++) {
      d *= 2;
      if (d > this.maxBackoff) return this.maxBackoff;
    }
    return d;
  }

  /** When the pod's current backoff ends. */
  backoffExpiry(p: QueuedPodInfo): number {
    return p.timestamp + this.backoffDuration(p.attempts);
  }

  /**
   * A popped pod failed. Rejected by plugins: park it as unschedulable until an event may help
   * (AddUnschedulableIfNotPresent). An error (or no rejecting plugin): back off and retry.
   */
  addUnschedulable(p: QueuedPodInfo, plugins: Iterable<string>, error = false): void {
    if (!this.pods.has(p.key)) return; // deleted while in flight
    p.timestamp = this.clock.now();
    p.unschedulablePlugins = new Set(plugins);
    if (error) {
      this.toBackoff(p);
      return;
    }
    p.queue = 'unschedulable';
    // flushUnschedulablePodsLeftover runs every 30s and moves pods that waited more than 5 minutes.
    const due = p.timestamp + POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION;
    const flushAt = (Math.floor(due / UNSCHEDULABLE_FLUSH_INTERVAL) + 1) * UNSCHEDULABLE_FLUSH_INTERVAL;
    p.timer = this.clock.at(flushAt, () => {
      p.timer = undefined;
      if (this.pods.get(p.key) === p && p.queue === 'unschedulable') this.requeue(p);
    }, 'scheduler/unschedulable-leftover');
  }

  /** MoveAllToActiveOrBackoffQueue, filtered by which plugins rejected each pod. */
  moveAllToActiveOrBackoff(event: ClusterEvent): number {
    let moved = 0;
    for (const p of this.pods.values()) {
      if (p.queue !== 'unschedulable') continue;
      if (event.plugins !== '*' && p.unschedulablePlugins.size > 0) {
        let hit = false;
        for (const name of p.unschedulablePlugins) if (event.plugins.has(name)) hit = true;
        if (!hit) continue;
      }
      this.requeue(p);
      moved++;
    }
    return moved;
  }

  /** Unschedulable → backoff (if still backing off) or active. */
  private requeue(p: QueuedPodInfo): void {
    p.timer?.cancel();
    p.timer = undefined;
    if (this.backoffExpiry(p) > this.clock.now()) this.toBackoff(p);
    else this.activate(p);
  }

  private toBackoff(p: QueuedPodInfo): void {
    p.timer?.cancel();
    p.queue = 'backoff';
    p.timer = this.clock.at(this.backoffExpiry(p), () => {
      p.timer = undefined;
      if (this.pods.get(p.key) === p && p.queue === 'backoff') this.activate(p);
    }, 'scheduler/backoff');
  }

  private activate(p: QueuedPodInfo): void {
    p.timer?.cancel();
    p.timer = undefined;
    p.queue = 'active';
    this.activeQ.push(p);
    this.onActivate?.();
  }

}
