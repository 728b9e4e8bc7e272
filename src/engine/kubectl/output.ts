/**
 * Structured output of `-o yaml|json|name|jsonpath=…`. kubectl prints objects as unstructured maps, so
 * keys come out sorted (apiVersion, kind, metadata, spec, status) and YAML follows sigs.k8s.io/yaml:
 * sequences not indented under their key, strings quoted only when they would read as another type.
 */
import { Document, isScalar, parse as parseYaml, visit } from 'yaml';
import { KINDS, type Kind, type KObject } from '../api/types';

/** A deep copy with object keys sorted, as Go's encoding of map[string]interface{} orders them. */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

function needsDoubleQuotes(s: string): boolean {
  if (s === '') return true;
  try {
    // YAML 1.1 (go-yaml v2) would read it as a bool, number, null or timestamp.
    return typeof parseYaml(s, { version: '1.1', schema: 'yaml-1.1' }) !== 'string';
  } catch {
    return false;
  }
}

/** YAML as `kubectl get -o yaml` prints it. */
export function toYaml(obj: unknown): string {
  const doc = new Document(sortKeys(obj), { version: '1.1' });
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || !isScalar(node) || typeof node.value !== 'string') return;
      if (node.value.includes('\n')) node.type = 'BLOCK_LITERAL';
      else if (needsDoubleQuotes(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ indentSeq: false, lineWidth: 0, singleQuote: true, directives: false });
}

/** JSON as `kubectl get -o json` prints it (4-space indent, sorted keys). */
export function toJson(obj: unknown): string {
  return JSON.stringify(sortKeys(obj), null, 4) + '\n';
}

/** `kind.group` as kubectl names a resource in messages: `pod`, `deployment.apps`, `job.batch`. */
export function kindGroup(kind: Kind): string {
  const api = KINDS[kind].apiVersion;
  const group = api.includes('/') ? api.split('/')[0] : '';
  return group ? `${kind.toLowerCase()}.${group}` : kind.toLowerCase();
}

/** `plural.group` as the API names a resource in errors: `pods`, `deployments.apps`. */
export function pluralGroup(kind: Kind): string {
  const api = KINDS[kind].apiVersion;
  const group = api.includes('/') ? api.split('/')[0] : '';
  return group ? `${KINDS[kind].plural}.${group}` : KINDS[kind].plural;
}

/** `-o name`: `pod/web`, `deployment.apps/web`. */
export function objectName(obj: KObject): string {
  return `${kindGroup(obj.kind as Kind)}/${obj.metadata!.name}`;
}

/** A List wrapper as kubectl prints several objects. */
export function asList(items: KObject[]): unknown {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

/**
 * A small JSONPath as kubectl's `-o jsonpath=` template: literal text, `{.a.b}`, `{.items[*].x}`,
 * `{.a[0]}`, `{range .items[*]}…{end}`, `{"\n"}`. Results of a list are joined by spaces.
 */
export function jsonPath(template: string, data: unknown): string {
  const tokens: { text?: string; expr?: string }[] = [];
  const re = /\{([^}]*)\}/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(template))) {
    if (m.index > last) tokens.push({ text: template.slice(last, m.index) });
    tokens.push({ expr: m[1].trim() });
    last = re.lastIndex;
  }
  if (last < template.length) tokens.push({ text: template.slice(last) });
  const run = (from: number, to: number, ctx: unknown): string => {
    let out = '';
    for (let i = from; i < to; i++) {
      const t = tokens[i];
      if (t.text !== undefined) {
        out += t.text;
        continue;
      }
      const expr = t.expr!;
      if (expr.startsWith('range ')) {
        let depth = 1;
        let j = i + 1;
        for (; j < to; j++) {
          const e = tokens[j].expr;
          if (e?.startsWith('range ')) depth++;
          if (e === 'end' && --depth === 0) break;
        }
        for (const item of evalPath(expr.slice(6).trim(), ctx)) out += run(i + 1, j, item);
        i = j;
        continue;
      }
      if (/^".*"$/.test(expr)) {
        out += JSON.parse(expr) as string;
        continue;
      }
      out += evalPath(expr, ctx).map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))).join(' ');
    }
    return out;
  };
  return run(0, tokens.length, data);
}

/** Values a JSONPath expression (`.a.b`, `.a[*]`, `.a[0]`, `.a[?(@.type=="Ready")]`) selects from `root`. */
export function evalPath(path: string, root: unknown): unknown[] {
  let current: unknown[] = [root];
  const parts = path.replace(/^\$/, '').match(/\.[^.[\]]+|\[\?\([^)]*\)\]|\[[^\]]*\]/g) ?? [];
  for (const p of parts) {
    const next: unknown[] = [];
    for (const c of current) {
      if (c === null || c === undefined) continue;
      if (p.startsWith('.')) {
        const v = (c as Record<string, unknown>)[p.slice(1)];
        if (v !== undefined) next.push(v);
      } else {
        const inner = p.slice(1, -1);
        if (!Array.isArray(c)) continue;
        const filter = /^\?\(@\.([\w.]+)\s*(==|!=)\s*(?:"([^"]*)"|'([^']*)'|([\w.-]+))\)$/.exec(inner);
        if (filter) {
          const want = filter[3] ?? filter[4] ?? filter[5];
          for (const item of c) {
            const got = evalPath(`.${filter[1]}`, item)[0];
            if ((String(got) === want) === (filter[2] === '==')) next.push(item);
          }
        } else if (inner === '*') next.push(...c);
        else if (/^-?\d+$/.test(inner)) {
          const n = Number(inner);
          const v = c[n < 0 ? c.length + n : n];
          if (v !== undefined) next.push(v);
        }
      }
    }
    current = next;
  }
  return current;
}

/** `-o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName`: rows of cells, `<none>` when empty. */
export function customColumns(spec: string, objects: unknown[]): string[][] {
  const cols = spec.split(',').map((c) => {
    const i = c.indexOf(':');
    if (i <= 0) throw new Error(`custom-columns format specified, but no custom columns given`);
    return { header: c.slice(0, i), path: c.slice(i + 1).replace(/^\{(.*)\}$/, '$1') };
  });
  const rows = [cols.map((c) => c.header)];
  for (const o of objects) {
    rows.push(cols.map((c) => {
      const vals = evalPath(c.path.startsWith('.') ? c.path : `.${c.path}`, o);
      if (!vals.length || vals.every((v) => v === null || v === undefined)) return '<none>';
      return vals.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
    }));
  }
  return rows;
}
