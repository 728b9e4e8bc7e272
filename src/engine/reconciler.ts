import type { Clock, TimerHandle } from './clock';

/**
 * A control loop the engine runs to quiescence after every instant of virtual time.
 * Each controller, the scheduler and each kubelet's sync loop is one. Watch handlers only enqueue
 * keys; the work happens in {@link Reconciler.runOnce}, so there is no re-entrancy.
 */
export interface Reconciler {
  readonly name: string;
  /** True while the loop has queued keys to process at the current instant. */
  hasWork(): boolean;
  /** Process what is queued now. Must make progress (drain or shrink the queue). */
  runOnce(): void;
}

/** A de-duplicating FIFO of keys, like client-go's workqueue (without rate limiting: use the Clock). */
export class WorkQueue<T = string> {
  private readonly items = new Set<T>();

  add(item: T): void {
    this.items.add(item);
  }

  get size(): number {
    return this.items.size;
  }

  /** Take every queued key (FIFO order) and clear the queue. */
  drain(): T[] {
    const out = [...this.items];
    this.items.clear();
    return out;
  }
}

/**
 * The delaying side of client-go's workqueue (AddAfter, at an instant of virtual time): put a key
 * back on a {@link WorkQueue} when its timer fires. One pending timer per key: asking again for the
 * same instant keeps it, asking for another moves it there.
 */
export class RequeueTimers {
  private readonly timers = new Map<string, TimerHandle>();

  /** `label` prefixes each timer's label (`daemonset default/fluentd`). */
  constructor(
    private readonly clock: Clock,
    private readonly queue: WorkQueue<string>,
    private readonly label: string,
  ) {}

  addAt(key: string, at: number): void {
    const t = this.timers.get(key);
    if (t && t.at === at) return;
    t?.cancel();
    this.timers.set(key, this.clock.at(at, () => {
      this.timers.delete(key);
      this.queue.add(key);
    }, `${this.label} ${key}`));
  }
}
