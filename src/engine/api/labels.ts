import type { LabelSelector } from './types';

/** A label selector compiled to a predicate. `matches({})` on an empty selector is true (selects everything). */
export interface Selector {
  matches(labels: Record<string, string> | undefined): boolean;
  /** True for a selector with no requirements. */
  readonly empty: boolean;
  toString(): string;
}

type Requirement =
  | { op: 'In' | 'NotIn'; key: string; values: string[] }
  | { op: 'Exists' | 'DoesNotExist'; key: string };

function compile(reqs: Requirement[], text: string): Selector {
  return {
    empty: reqs.length === 0,
    toString: () => text,
    matches(labels) {
      const l = labels ?? {};
      for (const r of reqs) {
        const has = Object.prototype.hasOwnProperty.call(l, r.key);
        switch (r.op) {
          case 'In':
            if (!has || !r.values.includes(l[r.key])) return false;
            break;
          case 'NotIn':
            if (has && r.values.includes(l[r.key])) return false;
            break;
          case 'Exists':
            if (!has) return false;
            break;
          case 'DoesNotExist':
            if (has) return false;
            break;
        }
      }
      return true;
    },
  };
}

/** metav1.LabelSelectorAsSelector: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist). */
export function selectorFromLabelSelector(sel: LabelSelector | undefined): Selector {
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(sel?.matchLabels ?? {})) reqs.push({ op: 'In', key, values: [value] });
  for (const e of sel?.matchExpressions ?? []) {
    if (e.operator === 'In' || e.operator === 'NotIn') reqs.push({ op: e.operator, key: e.key, values: e.values ?? [] });
    else if (e.operator === 'Exists' || e.operator === 'DoesNotExist') reqs.push({ op: e.operator, key: e.key });
  }
  // The text is canonical (it names every requirement), so it can key caches as well as print.
  const exprs = (sel?.matchExpressions ?? []).map((e) =>
    e.operator === 'In' ? `${e.key} in (${(e.values ?? []).join(',')})`
    : e.operator === 'NotIn' ? `${e.key} notin (${(e.values ?? []).join(',')})`
    : e.operator === 'Exists' ? e.key
    : `!${e.key}`,
  );
  const labels = Object.keys(sel?.matchLabels ?? {}).length ? [formatLabels(sel?.matchLabels)] : [];
  return compile(reqs, [...labels, ...exprs].join(',') || '<none>');
}

/** A selector from a plain map (Service.spec.selector, ReplicationController style). */
export function selectorFromMap(map: Record<string, string> | undefined): Selector {
  return selectorFromLabelSelector({ matchLabels: map ?? {} });
}

/**
 * Parse kubectl's `-l` syntax: `app=web,tier!=db,env in (prod,stage),!legacy,gpu`.
 * Throws an Error with kubectl's wording on malformed input.
 */
export function parseSelector(text: string): Selector {
  const reqs: Requirement[] = [];
  const parts = splitTopLevel(text.trim());
  for (const raw of parts) {
    const p = raw.trim();
    if (!p) continue;
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) {
      reqs.push({ op: m[2] === 'in' ? 'In' : 'NotIn', key: m[1], values: m[3].split(',').map((v) => v.trim()).filter(Boolean) });
    } else if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(p))) {
      reqs.push({ op: m[2] === '!=' ? 'NotIn' : 'In', key: m[1], values: [m[3]] });
    } else if ((m = /^!([\w./-]+)$/.exec(p))) {
      reqs.push({ op: 'DoesNotExist', key: m[1] });
    } else if ((m = /^([\w./-]+)$/.exec(p))) {
      reqs.push({ op: 'Exists', key: m[1] });
    } else {
      throw new Error(`unable to parse requirement: ${p}`);
    }
  }
  return compile(reqs, text);
}

/** Split a selector at its top-level commas (not those inside `in (a,b)`). */
export function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

/** `a=1,b=2` in key order, as kubectl prints label maps; `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined, none = '<none>'): string {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : none;
}
