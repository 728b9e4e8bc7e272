/**
 * Per-key exponential back-off as client-go's flowcontrol.Backoff does it for the kubelet (container
 * restarts and image pulls): 10s, doubling, capped at 300s; an entry whose last update is more
 * than twice the cap (10 minutes) old starts over. No jitter (the kubelet uses none).
 *
 * @example
 * const b = new Backoff(10_000, 300_000);
 * b.isInBackOffSince('pod/app', finishedAt, now); // false the first time: restart at once
 * b.next('pod/app', now);                          // the next crash waits 10s, then 20s, 40s …
 */
export class Backoff {
  private readonly entries = new Map<string, { backoff: number; lastUpdate: number }>();

  constructor(
    readonly initialMs: number,
    readonly maxMs: number,
  ) {}

  private expired(eventTime: number, lastUpdate: number): boolean {
    return eventTime - lastUpdate > 2 * this.maxMs;
  }

  /** Record a (re)start at `now` after an event at `eventTime`: double the delay, or reset it if expired. */
  next(id: string, eventTime: number, now: number): void {
    const e = this.entries.get(id);
    if (!e || this.expired(eventTime, e.lastUpdate)) this.entries.set(id, { backoff: this.initialMs, lastUpdate: now });
    else this.entries.set(id, { backoff: Math.min(e.backoff * 2, this.maxMs), lastUpdate: now });
  }

  /** True while `now` is within the current delay counted from `eventTime` (e.g. the container's finishedAt). */
  isInBackOffSince(id: string, eventTime: number, now: number): boolean {
    const e = this.entries.get(id);
    if (!e || this.expired(eventTime, e.lastUpdate)) return false;
    return now - eventTime < e.backoff;
  }

  /** The current delay for `id` (0 when none). */
  get(id: string): number {
    return this.entries.get(id)?.backoff ?? 0;
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  /** Forget every key starting with `prefix` (a pod's containers when the pod goes away). */
  deletePrefix(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}

/** Go's time.Duration String() for the durations the kubelet prints: `733ms`, `1.2s`, `1m30s`, `5m0s`. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const totalSec = ms / 1000;
  const h = Math.floor(totalSec / 3600);
  const m = Math.floor((totalSec - h * 3600) / 60);
  const s = Math.round((totalSec - h * 3600 - m * 60) * 1000) / 1000;
  const sec = `${s}s`;
  if (h) return `${h}h${m}m${sec}`;
  if (m) return `${m}m${sec}`;
  return sec;
}
