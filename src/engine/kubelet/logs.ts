import { Clock } from '../clock';
import { intern } from '../intern';

/** Lines kept per container instance: enough for `kubectl logs`, bounded so a chatty loop cannot eat memory. */
export const MAX_LOG_LINES = 2000;

/** The log of one container instance (what `kubectl logs` reads; `--previous` reads the one before). */
export class ContainerLog {
  // Why two parallel arrays of interned lines: thousands of pods run the same image and log the same
  // lines, often at the same second; one object per line would cost more than the text.
  private readonly times: number[] = [];
  private readonly texts: string[] = [];

  append(t: number, text: string): void {
    // A process may write several lines at once.
    for (const part of text.split('\n')) {
      this.times.push(t);
      this.texts.push(intern(part));
    }
    // Why chunks: trimming 10% at a time keeps appends amortised O(1).
    if (this.texts.length > MAX_LOG_LINES) {
      const drop = this.texts.length - Math.floor(MAX_LOG_LINES * 0.9);
      this.times.splice(0, drop);
      this.texts.splice(0, drop);
    }
  }

  get length(): number {
    return this.texts.length;
  }

  /** The text `kubectl logs` prints: `tail` last lines (-1 or undefined: all), optional RFC 3339 nano timestamps. */
  render(opts: { tail?: number; timestamps?: boolean } = {}): string {
    const n = this.texts.length;
    const from = opts.tail !== undefined && opts.tail >= 0 ? Math.max(0, n - opts.tail) : 0;
    if (from >= n) return '';
    let out = '';
    for (let i = from; i < n; i++) out += (opts.timestamps ? `${rfc3339Nano(this.times[i])} ${this.texts[i]}` : this.texts[i]) + '\n';
    return out;
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
