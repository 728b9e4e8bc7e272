/**
 * String interning for text the simulation repeats across thousands of pods (log lines, image
 * digests, timestamps): equal strings share one copy instead of one each.
 *
 * Why a bounded table: a cluster at Kubernetes' envelope (150,000 pods) writes millions of lines;
 * the table forgets everything when full, so it costs at most {@link INTERN_CAPACITY} entries and
 * the most recent (most often repeated) strings are shared again right away. Interning never changes
 * a value, only how many copies of it exist, so determinism is untouched.
 */
export const INTERN_CAPACITY = 20_000;
/** Longer strings are rarely repeated: keep them as they are. */
const MAX_INTERNED_LENGTH = 256;

const table = new Map<string, string>();

/** The shared copy of `s` (the first one seen since the table was last cleared). */
export function intern(s: string): string {
  if (s.length > MAX_INTERNED_LENGTH) return s;
  const shared = table.get(s);
  if (shared !== undefined) return shared;
  if (table.size >= INTERN_CAPACITY) table.clear();
  table.set(s, s);
  return s;
}
