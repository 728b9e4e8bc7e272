/**
 * Virtual time and the discrete-event queue. Nothing in the engine reads a wall clock:
 * time moves only when a caller advances this clock, so a run is replayable.
 *
 * Times are milliseconds since the simulation's start (t = 0). {@link Clock.wallTime}
 * turns them into the RFC 3339 timestamps Kubernetes objects carry.
 *
 * @example
 * const clock = new Clock();
 * clock.after(10_000, () => console.log('10s later'));
 * clock.advanceTo(15_000); // runs the callback at t = 10s, then stops at 15s
 */
import { BinaryHeap } from './heap';

/** The last second {@link Clock.rfc3339} formatted (shared by every clock: the text depends on the second only). */
let lastStamp = { second: Number.NaN, text: '' };

export class Clock {
  /** The simulated wall time of t = 0: 2026-01-01T00:00:00Z. Fixed, so output is reproducible. */
  static readonly EPOCH_MS = Date.UTC(2026, 0, 1, 0, 0, 0);

  private nowMs = 0;
  private seq = 0;
  private readonly heap = new BinaryHeap<TimerEntry>(before);
  /** Called after every fired timer batch at one instant; the engine settles its controllers here. */
  onInstant: (() => void) | undefined;

  now(): number {
    return this.nowMs;
  }

  /** RFC 3339 timestamp (seconds precision, as the API server writes) for a virtual time. */
  static rfc3339(ms: number): string {
    const second = Math.floor(ms / 1000);
    // Why the one-entry cache: a busy instant stamps thousands of objects with the same second;
    // they share one string instead of formatting (and keeping) a copy each.
    if (second !== lastStamp.second) lastStamp = { second, text: new Date(Clock.EPOCH_MS + second * 1000).toISOString().replace('.000Z', 'Z') };
    return lastStamp.text;
  }

  /** Virtual ms for an RFC 3339 timestamp written by {@link Clock.rfc3339}. */
  static parseRfc3339(ts: string): number {
    return Date.parse(ts) - Clock.EPOCH_MS;
  }

  timestamp(): string {
    return Clock.rfc3339(this.nowMs);
  }

  /** Run `fn` at absolute virtual time `at` (never in the past). */
  at(at: number, fn: () => void, label = ''): TimerHandle {
    const entry: TimerEntry = { at: Math.max(at, this.nowMs), seq: this.seq++, fn, label, cancelled: false };
    this.heap.push(entry);
    return { cancel: () => void (entry.cancelled = true), at: entry.at };
  }

  /** Run `fn` `delayMs` from now. */
  after(delayMs: number, fn: () => void, label = ''): TimerHandle {
    return this.at(this.nowMs + Math.max(0, delayMs), fn, label);
  }

  /** The time of the next pending timer, or undefined when nothing is scheduled. */
  nextTime(): number | undefined {
    this.dropCancelled();
    return this.heap.peek()?.at;
  }

  pending(): number {
    return this.heap.values().filter((e) => !e.cancelled).length;
  }

  /**
   * Fire every timer due up to and including `target`, in time order (FIFO within an instant),
   * then leave the clock at `target`. Timers scheduled while running are honoured if due.
   */
  advanceTo(target: number): void {
    if (target < this.nowMs) return;
    for (;;) {
      this.dropCancelled();
      const top = this.heap.peek();
      if (!top || top.at > target) break;
      this.nowMs = top.at;
      // Fire everything due at this instant, then let the engine settle once.
      while (this.heap.size && this.heap.peek()!.at === this.nowMs) {
        const e = this.heap.pop()!;
        if (!e.cancelled) e.fn();
      }
      this.onInstant?.();
    }
    this.nowMs = target;
  }

  advanceBy(deltaMs: number): void {
    this.advanceTo(this.nowMs + Math.max(0, deltaMs));
  }

  private dropCancelled(): void {
    while (this.heap.size && this.heap.peek()!.cancelled) this.heap.pop();
  }
}

export interface TimerHandle {
  cancel(): void;
  readonly at: number;
}

interface TimerEntry {
  at: number;
  seq: number;
  fn: () => void;
  label: string;
  cancelled: boolean;
}

function before(a: TimerEntry, b: TimerEntry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** Parse a Go-style duration as the CLI and kubectl flags take it: `45s`, `5m`, `1h30m`, `500ms`. */
export function parseDuration(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  if (!text) return undefined;
  while ((m = re.exec(text))) {
    const n = Number(m[1]);
    total += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000;
    matched = re.lastIndex;
  }
  if (matched !== text.length) return undefined;
  return Math.round(total);
}
