/** One row of `kubectl get events`. */
export interface EventRow {
  lastSeen: string;
  type: 'Normal' | 'Warning';
  reason: string;
  /** `kind/name`, e.g. `pod/web-7d4b9-abcde`. */
  object: string;
  message: string;
  count: number;
}

/**
 * k9s-style filter: space-separated terms must all match (case-insensitive) somewhere in the row;
 * a term starting with `!` must not match. `type:warning` style prefixes address one column.
 *
 * @example
 * filterEvents(rows, 'warning !node-2') // Warning events not mentioning node-2
 */
export function filterEvents<T extends EventRow>(rows: readonly T[], query: string): T[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return rows.slice();
  return rows.filter((r) => terms.every((t) => matches(r, t)));
}

const COLUMNS: Record<string, keyof EventRow> = { type: 'type', reason: 'reason', object: 'object', message: 'message' };

function matches(r: EventRow, term: string): boolean {
  if (term.startsWith('!') && term.length > 1) return !matches(r, term.slice(1));
  const colon = term.indexOf(':');
  if (colon > 0 && COLUMNS[term.slice(0, colon)]) return String(r[COLUMNS[term.slice(0, colon)]]).toLowerCase().includes(term.slice(colon + 1));
  return `${r.type} ${r.reason} ${r.object} ${r.message}`.toLowerCase().includes(term);
}
