/**
 * Resource quantities (k8s.io/apimachinery/pkg/api/resource) as the simulation needs them:
 * CPU in millicores, everything else in bytes (or plain counts).
 */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const QUANTITY_RE = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

/** Parse a quantity to its plain numeric value (`"500m"` → 0.5, `"1Gi"` → 1073741824). Undefined if malformed. */
export function parseQuantity(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  const m = QUANTITY_RE.exec(q.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  if (m[3] !== undefined) return n * 10 ** Number(m[3]);
  const suffix = m[2] ?? '';
  return n * (BINARY[suffix] ?? DECIMAL[suffix]);
}

export function isQuantity(q: unknown): boolean {
  return (typeof q === 'string' || typeof q === 'number') && parseQuantity(q) !== undefined;
}

/** CPU quantity to integer millicores, rounding up as the API does (`"0.1"` → 100, `"1"` → 1000). */
export function milliCpu(q: string | number | undefined): number {
  const v = parseQuantity(q);
  return v === undefined ? 0 : Math.ceil(v * 1000 - 1e-9);
}

/** Memory (or any byte) quantity to integer bytes. */
export function bytes(q: string | number | undefined): number {
  const v = parseQuantity(q);
  return v === undefined ? 0 : Math.ceil(v - 1e-9);
}

/** Format millicores as kubectl prints them: `500m`, `2`. */
export function formatMilliCpu(m: number): string {
  return m % 1000 === 0 ? String(m / 1000) : `${m}m`;
}

/** Format bytes as kubectl prints memory: the largest exact binary suffix (`128Mi`, `2Gi`), else plain bytes. */
export function formatBytes(b: number): string {
  for (const s of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    if (b !== 0 && b % BINARY[s] === 0) return `${b / BINARY[s]}${s}`;
  }
  return String(b);
}
