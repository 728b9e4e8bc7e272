/**
 * Semantic equality of API values, as apimachinery's `equality.Semantic.DeepEqual` is used by
 * controllers and the kubelet to skip writes that change nothing.
 *
 * Two values are equal when they would serialise to the same JSON up to key order: a field set to
 * `undefined` is the same as a missing field. Unlike comparing `JSON.stringify` output it allocates
 * nothing, and stops at the first difference.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!semanticEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let defined = 0;
  for (const k in x) {
    const v = x[k];
    if (v === undefined) continue;
    defined++;
    if (!semanticEqual(v, y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined) defined--;
  return defined === 0;
}
