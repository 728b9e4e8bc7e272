import { Clock } from '../clock';

/** Lines kept per container instance: enough for `kubectl logs`, bounded so a chatty loop cannot eat memory. */
export const MAX_LOG_LINES = 2000;

/** The log of one container instance (what `kubectl logs` reads; `--previous` reads the one before). */
export class ContainerLog {
  private readonly lines: { t: number; text: string }[] = [];

  append(t: number, text: string): void {
    // A process may write several lines at once.
    for (const part of text.split('\n')) this.lines.push({ t, text: part });
    // Why chunks: trimming 10% at a time keeps appends amortised O(1).
    if (this.lines.length > MAX_LOG_LINES) this.lines.splice(0, this.lines.length - Math.floor(MAX_LOG_LINES * 0.9));
  }

  get length(): number {
    return this.lines.length;
  }

  /** The text `kubectl logs` prints: `tail` last lines (-1 or undefined: all), optional RFC 3339 nano timestamps. */
  render(opts: { tail?: number; timestamps?: boolean } = {}): string {
    let sel = this.lines;
    if (opts.tail !== undefined && opts.tail >= 0) sel = opts.tail === 0 ? [] : sel.slice(-opts.tail);
    if (!sel.length) return '';
    return sel.map((l) => (opts.timestamps ? `${rfc3339Nano(l.t)} ${l.text}` : l.text)).join('\n') + '\n';
  }
}

/** `2026-01-01T00:00:05.120000000Z`: the container runtime's log timestamps (nanoseconds; ours are ms). */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(Clock.EPOCH_MS + ms).toISOString(); // 2026-01-01T00:00:05.120Z
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}000000Z`;
}

/** busybox/coreutils `date` output: `Thu Jan  1 00:00:05 UTC 2026`. */
export function unixDate(ms: number): string {
  const d = new Date(Clock.EPOCH_MS + ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
