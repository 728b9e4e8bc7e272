import { Clock } from '../clock';

/**
 * HumanDuration from k8s.io/apimachinery/pkg/util/duration: the AGE column. It truncates, never
 * rounds: `<120s → 95s`, `<10m → 5m30s`, `<3h → 70m`, `<8h → 3h1m`, `<48h → 47h`, `<8d → 2d3h`,
 * `<2y → 367d`, `<8y → 2y1d`, else `8y`.
 *
 * @example humanDuration(190_000) // "3m10s"
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** translateTimestampSince: `<unknown>` for a missing timestamp, else HumanDuration(now − t). */
export function ageSince(timestamp: string | undefined, now: number): string {
  if (!timestamp) return '<unknown>';
  return humanDuration(now - toVirtualMs(timestamp));
}

/** Virtual ms of an RFC 3339 timestamp (t = 0 is the clock's epoch, 2026-01-01T00:00:00Z). */
export function toVirtualMs(timestamp: string): number {
  return Clock.parseRfc3339(timestamp);
}
