/**
 * Reading manifests as `kubectl apply -f` / `create -f` does: split the stream into YAML documents
 * (k8s.io/apimachinery yaml.YAMLReader), convert each to JSON (sigs.k8s.io/yaml, i.e. go-yaml v2),
 * check apiVersion and kind (kubectl's client-side validation), map the kind to a resource (the REST
 * mapper), and decode strictly (the API server's strict field validation). Every message is kubectl's.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';
import { decodeStrict, SCHEMAS } from './schema';
import { isKind, KINDS, type KObject } from './types';

/** One document of a manifest, with the 1-based line it starts on (for inline editor errors). */
export interface ManifestDocument {
  object: KObject;
  /** 1-based line in the whole text where the document's content starts. */
  line: number;
  /**
   * When the server would refuse to decode the object (unknown field, wrong type), the message kubectl
   * prints for it on create, e.g. `Error from server (BadRequest): error when creating "pod.yaml": Pod in
   * version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo"`.
   * Client-side, nothing is sent; kubectl reports this when it reaches the object. `object` is still set.
   */
  decodeError?: string;
  /** The server's part of {@link decodeError} alone (`Pod in version "v1" cannot be handled as a Pod: ...`). */
  decodeDetail?: string;
  /** 1-based line in the whole text of a field path inside this object, e.g. `spec.containers[0].image`. */
  lineOf(path: string): number;
}

/** A problem with one document, in kubectl's words, with the 1-based line to show it at. */
export interface ManifestError {
  message: string;
  line: number;
}

export interface ParsedManifests {
  documents: ManifestDocument[];
  errors: ManifestError[];
}

interface RawDocument {
  /** The document's text, as kubectl's YAMLReader hands it to the YAML → JSON conversion. */
  text: string;
  /** 0-based line in the whole text where `text` starts. */
  firstLine: number;
}

/** The separator check of apimachinery's YAMLReader: `---` at column 0, then only spaces or a comment. */
function splitDocuments(text: string): { docs: RawDocument[]; error?: { message: string; line: number } } {
  const lines = text.split('\n');
  const docs: RawDocument[] = [];
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    const line = lines[i];
    if (i === lines.length || line.startsWith('---')) {
      if (i < lines.length) {
        const rest = line.slice(3).trim();
        if (rest.length > 0 && rest[0] !== '#') {
          // The reader fails on this line: the document buffered before it is dropped too.
          return { docs, error: { message: `invalid Yaml document separator: ${rest}`, line: i + 1 } };
        }
      }
      docs.push({ text: lines.slice(start, i).join('\n'), firstLine: start });
      start = i + 1;
    }
  }
  return { docs };
}

/** True when a document holds nothing but blank lines and comments (kubectl skips it). */
function isBlank(text: string): boolean {
  return text.split('\n').every((l) => l.trim() === '' || l.trim().startsWith('#'));
}

/**
 * go-yaml v2's wording for a syntax error, from the `yaml` package's error code. go-yaml reports a
 * scanner error on its 1-based line but a parser error on its 0-based line (and no line at all when
 * that is 0): a real quirk of `parser.fail()` in gopkg.in/yaml.v2 that kubectl users see every day.
 * Why approximate: the two parsers do not fail at the same token; we map the common mistakes (tab
 * indent, `key: value: x`, missing colon, bad indentation, unclosed quote or bracket) and fall back to
 * "did not find expected key".
 */
function goYamlMessage(err: YAMLError, lc: LineCounter, text: string): { message: string; line: number } {
  const startLine = lc.linePos(err.pos[0]).line; // 1-based
  const endLine = lc.linePos(Math.max(err.pos[0], err.pos[1] - 1)).line;
  const scanner = (msg: string, line: number) => ({ message: `yaml: line ${line}: ${msg}`, line });
  const parser = (msg: string, line: number) => ({ message: line - 1 > 0 ? `yaml: line ${line - 1}: ${msg}` : `yaml: ${msg}`, line });
  const first = err.message.split('\n')[0];
  switch (err.code) {
    case 'TAB_AS_INDENT':
      return scanner('found character that cannot start any token', startLine);
    case 'BLOCK_AS_IMPLICIT_KEY':
      if (first.startsWith('Nested mappings')) {
        // go-yaml fails at the offending ':' itself, which may sit on a later line than the value it follows.
        const colon = /:(\s|$)/.exec(text.slice(err.pos[0]));
        return scanner('mapping values are not allowed in this context', colon ? lc.linePos(err.pos[0] + colon.index).line : startLine);
      }
      return parser('did not find expected key', startLine);
    case 'MULTILINE_IMPLICIT_KEY':
      return scanner("could not find expected ':'", endLine);
    case 'MISSING_CHAR':
      if (/quote/.test(first)) {
        const eofLine = text.split('\n').length;
        return scanner('found unexpected end of stream', eofLine);
      }
      if (/Flow map/.test(first)) return parser("did not find expected ',' or '}'", startLine);
      if (/Flow sequence/.test(first)) return parser("did not find expected ',' or ']'", startLine);
      if (/map values/.test(first)) return scanner("could not find expected ':'", startLine);
      return parser('did not find expected key', startLine);
    case 'BAD_INDENT':
      if (/Flow sequence/.test(first)) return parser("did not find expected ',' or ']'", startLine);
      if (/Flow map/.test(first)) return parser("did not find expected ',' or '}'", startLine);
      return parser('did not find expected key', startLine);
    case 'BAD_DQ_ESCAPE':
      return scanner('found unknown escape character', startLine);
    default:
      return parser('did not find expected key', startLine);
  }
}

/** Split a field path (`spec.containers[0].resources.limits[cpu]`) into keys and indices. */
export function parseFieldPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[([^\]]*)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path))) {
    if (m[1] !== undefined) out.push(m[1]);
    else out.push(/^\d+$/.test(m[2]) ? Number(m[2]) : m[2]);
  }
  return out;
}

/** 1-based line (in the whole text) of the deepest node of `path` that exists in `doc`. */
function lineInDocument(doc: Document, lc: LineCounter, firstLine: number, prefix: (string | number)[], path: string): number {
  let node: unknown = doc.contents;
  let line = node && (node as { range?: [number] }).range ? lc.linePos((node as { range: [number] }).range[0]).line : 1;
  for (const seg of [...prefix, ...parseFieldPath(path)]) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      if (isScalar(pair.key) && pair.key.range) line = lc.linePos(pair.key.range[0]).line;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      node = node.items[seg];
      const range = (node as { range?: [number] } | null)?.range;
      if (range) line = lc.linePos(range[0]).line;
    } else break;
  }
  return firstLine + line;
}

function firstContentLine(text: string): number {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  return i < 0 ? 0 : i;
}

function toJS(doc: Document): unknown {
  // sigs.k8s.io/yaml turns every key into a string (`80: x` → "80").
  return doc.toJS({ mapAsMap: false, maxAliasCount: 100 });
}

function decodeDocument(
  object: Record<string, unknown>,
  source: string,
  line: number,
  lineOf: (path: string) => number,
  errors: ManifestError[],
): ManifestDocument | undefined {
  const meta = (object.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const apiVersion = String(object.apiVersion);
  const kind = String(object.kind);
  const name = typeof meta.name === 'string' ? meta.name : '';
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : '';
  if (!isKind(kind) || KINDS[kind].apiVersion !== apiVersion) {
    errors.push({
      message: `error: resource mapping not found for name: "${name}" namespace: "${namespace}" from "${source}": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first`,
      line,
    });
    return undefined;
  }
  const schema = SCHEMAS[kind];
  if (!schema) return { object: object as KObject, line, lineOf };
  const result = decodeStrict(schema, object);
  const version = apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion;
  const head = `${kind} in version "${version}" cannot be handled as a ${kind}: `;
  let detail: string | undefined;
  if (result.typeError) detail = head + result.typeError;
  else if (result.unknownFields.length) detail = head + 'strict decoding error: ' + result.unknownFields.map((f) => `unknown field "${f}"`).join(', ');
  const doc: ManifestDocument = { object: result.value as KObject, line, lineOf };
  if (detail) {
    doc.decodeDetail = detail;
    doc.decodeError = `Error from server (BadRequest): error when creating "${source}": ${detail}`;
  }
  return doc;
}

/**
 * Parse a multi-document YAML (or KYAML / JSON) manifest as kubectl reads `-f FILE`.
 *
 * Like kubectl, a syntax error or a document without apiVersion/kind stops the reading of the file
 * (documents before it are kept); a kind the cluster does not serve is reported and the next document
 * is read. A `kind: List` expands to its items. Strict-decoding problems are attached to each document
 * as {@link ManifestDocument.decodeError}, because kubectl only learns them from the server on create.
 *
 * @param filename what kubectl prints as the source: the path given to `-f`, or `STDIN` for `-f -`.
 * @example
 * const { documents, errors } = parseManifests('apiVersion: v1\nkind: Pod\n...', 'pod.yaml');
 */
export function parseManifests(text: string, filename = 'STDIN'): ParsedManifests {
  const documents: ManifestDocument[] = [];
  const errors: ManifestError[] = [];
  const { docs, error: splitError } = splitDocuments(text.replace(/\r\n/g, '\n'));
  for (const raw of docs) {
    if (isBlank(raw.text)) continue;
    const lc = new LineCounter();
    // YAML 1.1 as go-yaml v2 reads it (`yes`/`on` are booleans); later duplicate keys win, as there.
    const doc = parseDocument(raw.text, { lineCounter: lc, version: '1.1', uniqueKeys: false, prettyErrors: false, strict: false });
    const startLine = raw.firstLine + firstContentLine(raw.text) + 1;
    if (doc.errors.length) {
      const { message, line } = goYamlMessage(doc.errors[0], lc, raw.text);
      errors.push({ message: `error: error parsing ${filename}: error converting YAML to JSON: ${message}`, line: raw.firstLine + line });
      return { documents, errors };
    }
    const value = toJS(doc);
    if (value === null || value === undefined) continue;
    const validation: string[] = [];
    if (typeof value !== 'object' || Array.isArray(value)) validation.push('invalid object to validate');
    else {
      const v = value as Record<string, unknown>;
      if (v.apiVersion === undefined || v.apiVersion === null) validation.push('apiVersion not set');
      else if (typeof v.apiVersion !== 'string') validation.push("apiVersion isn't string type");
      if (v.kind === undefined || v.kind === null) validation.push('kind not set');
      else if (typeof v.kind !== 'string') validation.push("kind isn't string type");
    }
    if (validation.length) {
      const agg = validation.length > 1 ? `[${validation.join(', ')}]` : validation[0];
      errors.push({
        message: `error: error validating "${filename}": error validating data: ${agg}; if you choose to ignore these errors, turn validation off with --validate=false`,
        line: startLine,
      });
      return { documents, errors };
    }
    const obj = value as Record<string, unknown>;
    if (obj.kind === 'List' && obj.apiVersion === 'v1') {
      const items = Array.isArray(obj.items) ? obj.items : [];
      items.forEach((item, i) => {
        const lineOf = (path: string) => lineInDocument(doc, lc, raw.firstLine, ['items', i], path);
        const itemLine = lineOf('');
        if (!item || typeof item !== 'object' || !(item as { kind?: unknown }).kind || !(item as { apiVersion?: unknown }).apiVersion) {
          const missing = [!(item as { apiVersion?: unknown })?.apiVersion && 'apiVersion not set', !(item as { kind?: unknown })?.kind && 'kind not set'].filter(Boolean);
          errors.push({
            message: `error: error validating "${filename}": error validating data: ${missing.length > 1 ? `[${missing.join(', ')}]` : missing[0]}; if you choose to ignore these errors, turn validation off with --validate=false`,
            line: itemLine,
          });
          return;
        }
        const d = decodeDocument(item as Record<string, unknown>, filename, itemLine, lineOf, errors);
        if (d) documents.push(d);
      });
      continue;
    }
    const lineOf = (path: string) => lineInDocument(doc, lc, raw.firstLine, [], path);
    const d = decodeDocument(obj, filename, startLine, lineOf, errors);
    if (d) documents.push(d);
  }
  if (splitError) {
    errors.push({ message: `error: error parsing ${filename}: ${splitError.message}`, line: splitError.line });
  }
  return { documents, errors };
}

/**
 * The 1-based line of a field path inside document `docIndex` (counting documents that hold an
 * object, as {@link parseManifests} returns them), so an editor can put a server-side validation error
 * (`spec.replicas: Invalid value: -1: ...`) on the right line. Falls back to the nearest existing parent.
 */
export function lineOfPath(text: string, docIndex: number, path: string): number | undefined {
  return parseManifests(text).documents[docIndex]?.lineOf(path);
}

/** The field path at the start of a validation cause (`spec.replicas: Invalid value: ...` → `spec.replicas`). */
export function fieldPathOfCause(cause: string): string {
  const i = cause.indexOf(': ');
  return i < 0 ? cause : cause.slice(0, i);
}

const CAUSE_TYPES = 'Invalid value|Required value|Unsupported value|Duplicate value|Forbidden|Not found|Too long|Too many|Internal error';

/**
 * Split a server validation message (`The Pod "web" is invalid: [a: Required value, b: Invalid value: ...]`)
 * into its causes. Undefined when the message is not an Invalid error.
 */
export function causesOfInvalid(message: string): string[] | undefined {
  const m = /^The \w+ "[^"]*" is invalid: ([\s\S]*)$/.exec(message.trim());
  if (!m) return undefined;
  let body = m[1];
  if (body.startsWith('[') && body.endsWith(']')) body = body.slice(1, -1);
  return body.split(new RegExp(`, (?=[\\w.\\[\\]/-]+: (?:${CAUSE_TYPES}))`));
}

/**
 * Put each cause of a server validation message on the line of its field in document `docIndex` of
 * `text`, for the editor: `[{message: 'spec.replicas: Invalid value: -1: ...', line: 11}]`.
 */
export function invalidCauseLines(text: string, docIndex: number, message: string): ManifestError[] {
  const doc = parseManifests(text).documents[docIndex];
  const causes = causesOfInvalid(message) ?? [message];
  return causes.map((cause) => ({ message: cause, line: doc ? doc.lineOf(fieldPathOfCause(cause)) : 1 }));
}
