import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LOAD_LIMITS, type LogEntry } from '../../worker/protocol';
import { MAX_DECODED_BYTES, decodeShare, encodeShare, fromBase64Url, hasShare, shareUrl, toBase64Url, validate, type SharePayload } from './codec';

/** Deflate-raw + base64url of arbitrary JSON text: a link someone crafted. */
async function craft(text: string): Promise<string> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return `#share=1.${toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()))}`;
}

const entry: fc.Arbitrary<LogEntry> = fc.record(
  { t: fc.integer({ min: 0, max: 3_600_000 }), line: fc.string({ maxLength: 200, unit: 'grapheme' }), stdin: fc.string({ maxLength: 300, unit: 'binary' }) },
  { requiredKeys: ['t', 'line'] },
);
const payload: fc.Arbitrary<SharePayload> = fc
  .record({
    scenario: fc.constantFrom('default', 'empty', 'storm' as const),
    seed: fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
    extra: fc.integer({ min: 0, max: 60_000 }),
    log: fc.array(entry, { maxLength: 20 }),
  })
  .map(({ scenario, seed, extra, log }) => ({ scenario, seed, log, t: Math.max(0, ...log.map((e) => e.t)) + extra }));

const example: SharePayload = {
  scenario: 'default',
  seed: 1,
  t: 252_000,
  log: [
    { t: 3_000, line: 'kubectl scale deployment web --replicas=5' },
    { t: 20_000, line: 'kubectl apply -f -', stdin: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: café\n' },
    { t: 31_000, line: 'sim kill-node node-2' },
  ],
};

describe('share links', () => {
  it('round-trips any payload (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(payload, async (p) => {
        const fragment = await encodeShare(p);
        expect(fragment).toMatch(/^#share=1\.[A-Za-z0-9_-]+$/);
        expect(await decodeShare(fragment)).toEqual({ ok: true, payload: p });
      }),
      { numRuns: 60 },
    );
  });

  it('omits defaults and stays short for a workshop-sized log', async () => {
    const fragment = await encodeShare(example);
    expect(fragment.length).toBeLessThan(300);
    const inflated = JSON.parse(await new Response(new Blob([fromBase64Url(fragment.slice('#share=1.'.length))!]).stream().pipeThrough(new DecompressionStream('deflate-raw'))).text());
    expect(inflated).toEqual({ v: 1, t: 252_000, l: [[3000, 'kubectl scale deployment web --replicas=5'], [20000, 'kubectl apply -f -', example.log[1].stdin], [31000, 'sim kill-node node-2']] });
    expect(shareUrl(fragment, { origin: 'https://pp.example', pathname: '/', search: '?present=1' })).toBe(`https://pp.example/?present=1${fragment}`);
  });

  it('base64url round-trips any bytes and refuses other alphabets', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100_000 }), (b) => {
        expect(fromBase64Url(toBase64Url(b))).toEqual(b);
      }), { numRuns: 30 });
    expect(fromBase64Url('ab+/')).toBeUndefined();
    expect(fromBase64Url('abcde')).toBeUndefined(); // 4n+1 characters cannot be base64
  });

  it('never throws and never accepts a damaged link: any truncation of a real one (fast-check)', async () => {
    const fragment = await encodeShare(example);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: fragment.length - 1 }), async (n) => {
        const r = await decodeShare(fragment.slice(0, n));
        // A cut at the very end of the last byte can still inflate; anything shorter must fail.
        if (r.ok) expect(r.payload).toEqual(example);
        else expect(r.error).toMatch(/^(This is not a share link|The share link)/);
      }),
      { numRuns: 80 },
    );
  });

  it('never throws on arbitrary fragments (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 400 }), async (junk) => {
        for (const h of [junk, `#share=1.${junk}`, `#share=${junk}`]) {
          const r = await decodeShare(h);
          expect(typeof r.ok).toBe('boolean');
        }
      }),
      { numRuns: 60 },
    );
    // Random bytes that do inflate: still refused by validation.
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (v) => {
        const r = await decodeShare(await craft(JSON.stringify(v)));
        expect(r.ok).toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  const cases: [string, () => Promise<string> | string, RegExp][] = [
    ['a fragment that is not a share link', () => '#section-2', /not a share link/],
    ['no version', () => '#share=abc', /damaged \(no version\)/],
    ['another format version', () => '#share=9.abc', /another version/],
    ['characters outside base64url', () => '#share=1.ab$cd', /not valid base64url/],
    ['bytes that are not deflate', () => `#share=1.${toBase64Url(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]))}`, /does not decompress/],
    ['text that is not JSON', () => craft('{"v":1,'), /not readable/],
    ['an unknown scenario', () => craft('{"v":1,"s":"prod","t":0,"l":[]}'), /unknown scenario "prod"/],
    ['a scenario named like an Object method', () => craft('{"v":1,"s":"toString","t":0,"l":[]}'), /unknown scenario "toString"/],
    ['a fractional seed', () => craft('{"v":1,"r":1.5,"t":0,"l":[]}'), /seed/],
    ['a time past the limit', () => craft(`{"v":1,"t":${LOAD_LIMITS.maxT + 1},"l":[]}`), /time is out of range/],
    ['an entry after the shared time', () => craft('{"v":1,"t":10,"l":[[20,"sim kill-node node-1"]]}'), /command 1 is malformed/],
    ['an entry without a line', () => craft('{"v":1,"t":10,"l":[[0]]}'), /command 1 is malformed/],
    ['stdin that is not text', () => craft('{"v":1,"t":10,"l":[[0,"kubectl apply -f -",{}]]}'), /command 1 is malformed/],
    ['too many commands', () => craft(JSON.stringify({ v: 1, t: 0, l: Array.from({ length: LOAD_LIMITS.entries + 1 }, () => [0, 'k']) })), /501 commands/],
    ['an oversized payload (> 64 KB inflated)', () => craft(JSON.stringify({ v: 1, t: 0, l: [[0, 'kubectl apply -f -', 'x'.repeat(MAX_DECODED_BYTES)]] })), /more than 64 KB/],
    ['a zip bomb (tiny link, megabytes inflated)', () => craft(' '.repeat(50 * 1024 * 1024)), /more than 64 KB/],
    ['an oversized fragment', () => `#share=1.${'A'.repeat(200_000)}`, /too long/],
  ];
  it.each(cases)('refuses %s with a readable message', async (_name, make, message) => {
    const r = await decodeShare(await make());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it('hasShare tells share fragments from others', () => {
    expect(hasShare('#share=1.abc')).toBe(true);
    expect(hasShare('share=')).toBe(true);
    expect(hasShare('#shared')).toBe(false);
    expect(hasShare('')).toBe(false);
  });

  it('validate fills omitted defaults', () => {
    expect(validate({ v: 1, t: 5, l: [[1, 'sim advance 1s']] })).toEqual({ ok: true, payload: { scenario: 'default', seed: 1, t: 5, log: [{ t: 1, line: 'sim advance 1s' }] } });
  });
});
