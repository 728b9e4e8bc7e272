/**
 * Share links: the whole cluster in the URL fragment, `#share=1.<base64url(deflate-raw(JSON))>`.
 *
 * The engine is deterministic, so a cluster is fully described by its scenario, its seed, the
 * command log and the virtual time: the link carries those, never cluster state. The fragment never
 * reaches a server. Decoding treats the fragment as untrusted input: its size is capped before and
 * while inflating (a small link must not inflate to megabytes), and every field is checked. Decoding
 * never throws: it returns a sentence a person can read.
 *
 * @example
 * const fragment = await encodeShare({ scenario: 'default', seed: 1, t: 252_000, log });
 * location.hash = fragment; // '#share=1.…'
 * const r = await decodeShare(location.hash);
 * if (r.ok) client.request({ type: 'load', ...r.payload });
 */
import { LOAD_LIMITS, type LogEntry, type Scenario } from '../../worker/protocol';

/** The format tag; a future format gets a new one and old links keep decoding. */
export const SHARE_VERSION = 1;
/** Largest decoded (inflated) payload accepted, in bytes. */
export const MAX_DECODED_BYTES = 64 * 1024;
/** Largest fragment accepted before inflating (deflate seldom shrinks below a fifth; base64 adds a third). */
export const MAX_FRAGMENT_CHARS = 128 * 1024;
/** Past this, some chat apps and mail clients cut links: the UI says so. */
export const LONG_LINK_CHARS = 2_000;

const PREFIX = 'share=';

/** What a link reproduces. */
export interface SharePayload {
  scenario: Scenario;
  seed: number;
  /** Virtual ms the link opens at. */
  t: number;
  log: LogEntry[];
}

export type DecodeResult = { ok: true; payload: SharePayload } | { ok: false; error: string };

/** Every scenario, checked by the compiler: a new Scenario must be added here. */
const KNOWN_SCENARIOS: Record<Scenario, true> = { default: true, empty: true, storm: true };

/**
 * On the wire, defaults are omitted and log entries are tuples, to keep links short:
 * `{ v: 1, s?: scenario ≠ 'default', r?: seed ≠ 1, t, l: [[t, line, stdin?], …] }`.
 */
interface Wire {
  v: number;
  s?: string;
  r?: number;
  t: number;
  l: [number, string, string?][];
}

/** Encode a payload as a URL fragment (with its leading `#`). */
export async function encodeShare(p: SharePayload): Promise<string> {
  const wire: Wire = {
    v: SHARE_VERSION,
    ...(p.scenario !== 'default' ? { s: p.scenario } : {}),
    ...(p.seed !== 1 ? { r: p.seed } : {}),
    t: Math.round(p.t),
    l: p.log.map((e) => (e.stdin !== undefined ? [e.t, e.line, e.stdin] : [e.t, e.line])),
  };
  const bytes = await pipe(new TextEncoder().encode(JSON.stringify(wire)), new CompressionStream('deflate-raw'));
  return `#${PREFIX}${SHARE_VERSION}.${toBase64Url(bytes)}`;
}

/** True when `hash` (e.g. `location.hash`) holds a share link, valid or not. */
export function hasShare(hash: string): boolean {
  return hash.replace(/^#/, '').startsWith(PREFIX);
}

/** Decode a fragment (`#share=…`, with or without `#`). Never throws. */
export async function decodeShare(hash: string): Promise<DecodeResult> {
  const fail = (error: string): DecodeResult => ({ ok: false, error });
  const body = hash.replace(/^#/, '');
  if (!body.startsWith(PREFIX)) return fail('This is not a share link.');
  const value = body.slice(PREFIX.length);
  if (value.length > MAX_FRAGMENT_CHARS) return fail(`The share link is too long (${value.length.toLocaleString('en')} characters).`);
  const dot = value.indexOf('.');
  if (dot < 0) return fail('The share link is damaged (no version).');
  if (value.slice(0, dot) !== String(SHARE_VERSION)) return fail(`The share link was made by another version of Pod Playground (format "${value.slice(0, dot).slice(0, 10)}").`);
  const bytes = fromBase64Url(value.slice(dot + 1));
  if (!bytes || bytes.length === 0) return fail('The share link is damaged (it is not valid base64url); it may have been cut short when copied.');
  let text: string;
  try {
    const inflated = await pipe(bytes, new DecompressionStream('deflate-raw'), MAX_DECODED_BYTES);
    if (inflated === 'too-big') return fail(`The share link holds more than ${MAX_DECODED_BYTES / 1024} KB of commands, more than a link may carry.`);
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch {
    return fail('The share link is damaged (it does not decompress); it may have been cut short when copied.');
  }
  let wire: unknown;
  try {
    wire = JSON.parse(text);
  } catch {
    return fail('The share link is damaged (its contents are not readable).');
  }
  return validate(wire);
}

/** Check every field of an untrusted wire payload. */
export function validate(wire: unknown): DecodeResult {
  const fail = (why: string): DecodeResult => ({ ok: false, error: `The share link is not valid: ${why}.` });
  if (!isObject(wire)) return fail('no payload');
  if (wire.v !== SHARE_VERSION) return fail(`unknown format ${JSON.stringify(wire.v)?.slice(0, 20)}`);
  const scenario = wire.s ?? 'default';
  if (typeof scenario !== 'string' || !Object.hasOwn(KNOWN_SCENARIOS, scenario)) return fail(`unknown scenario "${String(scenario).slice(0, 40)}"`);
  const seed = wire.r ?? 1;
  if (!Number.isSafeInteger(seed)) return fail('the seed is not a whole number');
  const t = wire.t;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t > LOAD_LIMITS.maxT) return fail('the time is out of range');
  if (!Array.isArray(wire.l)) return fail('no command log');
  if (wire.l.length > LOAD_LIMITS.entries) return fail(`${wire.l.length} commands (at most ${LOAD_LIMITS.entries})`);
  const log: LogEntry[] = [];
  for (const [i, e] of (wire.l as unknown[]).entries()) {
    const bad = fail(`command ${i + 1} is malformed`);
    if (!Array.isArray(e) || e.length < 2 || e.length > 3) return bad;
    const [et, line, stdin] = e as unknown[];
    if (typeof et !== 'number' || !Number.isFinite(et) || et < 0 || et > t) return bad;
    if (typeof line !== 'string' || line.length > LOAD_LIMITS.lineChars) return bad;
    if (stdin !== undefined && (typeof stdin !== 'string' || stdin.length > LOAD_LIMITS.stdinChars)) return bad;
    log.push({ t: et, line, ...(stdin !== undefined ? { stdin } : {}) });
  }
  return { ok: true, payload: { scenario: scenario as Scenario, seed: seed as number, t, log } };
}

/** The page URL with the fragment replaced by `fragment`. */
export function shareUrl(fragment: string, loc: Pick<Location, 'origin' | 'pathname' | 'search'> = location): string {
  return `${loc.origin}${loc.pathname}${loc.search}${fragment}`;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Run bytes through a (de)compression stream. With `limit`, stop reading once the output passes
 * it and answer `'too-big'` (a zip bomb is never inflated in full).
 */
async function pipe(input: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array>;
async function pipe(input: Uint8Array, stream: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array | 'too-big'>;
async function pipe(input: Uint8Array, stream: CompressionStream | DecompressionStream, limit = Infinity): Promise<Uint8Array | 'too-big'> {
  const writer = stream.writable.getWriter();
  // Write and close without awaiting: the reader below drains the other end. Their rejections
  // surface through the reader; the catch keeps them from being reported as unhandled.
  writer.write(input as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return 'too-big';
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** RFC 4648 §5 base64url, no padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Inverse of {@link toBase64Url}; `undefined` for anything that is not base64url. */
export function fromBase64Url(s: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return undefined;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}
