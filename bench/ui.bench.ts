/**
 * UI benchmark (`npx tsx bench/ui.bench.ts`, after `npx vite build`): the built app served by
 * `vite preview`, driven in headless Chromium (playwright-core, the system browser).
 *
 * Figures:
 * - initial JS (gzip) of the app and of the embed entry, from dist/ (entry script + its static imports);
 * - time to first drawn cluster (navigation start → every default pod drawn);
 * - frame time p50/p95 during a node-kill storm: 1,000 pods on 100 nodes, 10 nodes killed at 60×,
 *   and the share of late frames (an interval over 25 ms: a display refresh missed);
 * - worker diff bytes per second during that storm (the worker sends diffs, so this follows what
 *   changed, not the cluster's size);
 * - how the storm was drawn: the zoom React Flow fitted the 100 nodes to (far below the level-of-
 *   detail threshold, so pods are dots) and how many dots were on screen; and the machine's 1-minute
 *   load average around the storm (the machine is shared: frame times stretch with its load).
 * Printed, and written to bench/results/ui.json. Frame times depend on the machine: compare runs
 * on the same one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Page } from 'playwright-core';

const ROOT = new URL('..', import.meta.url).pathname;
const DIST = join(ROOT, 'dist');
const PORT = 4179;
const BASE = `http://127.0.0.1:${PORT}`;
const STORM_WINDOW_MS = 12_000;

/** Gzip size of an HTML entry's initial JS: its module script and every static import, recursively. */
function initialJsGzip(html: string): { files: string[]; bytes: number } {
  const seen = new Set<string>();
  const queue: string[] = [];
  const text = readFileSync(join(DIST, html), 'utf8');
  for (const m of text.matchAll(/<(?:script[^>]*type="module"[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g)) queue.push(m[1]);
  while (queue.length) {
    const f = queue.pop()!.replace(/^\.?\//, '');
    if (seen.has(f)) continue;
    seen.add(f);
    const code = readFileSync(join(DIST, f), 'utf8');
    // Static imports only (`import … from "./x.js"` / `import "./x.js"`); dynamic import() is lazy by design.
    for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g)) queue.push(join(dirname(f), m[1]));
    for (const m of code.matchAll(/\bfrom\s*["']\.\/([^"']+\.js)["']/g)) queue.push(join(dirname(f), m[1]));
  }
  let bytes = 0;
  for (const f of seen) bytes += gzipSync(readFileSync(join(DIST, f))).length;
  return { files: [...seen].sort(), bytes };
}

function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function startPreview(): Promise<ChildProcess> {
  const child = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { cwd: ROOT, stdio: 'ignore', detached: true });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(BASE)).ok) return child;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('vite preview did not start');
}

async function timeToFirstCluster(page: Page): Promise<number> {
  await page.goto(`${BASE}/`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid^="pod-"][data-phase]').length >= 6 && document.querySelectorAll('[data-testid^="node-"][data-status]').length >= 4, undefined, { timeout: 60_000, polling: 'raf' });
  return page.evaluate(() => performance.now());
}

async function storm(page: Page) {
  await page.goto(`${BASE}/?scenario=storm&speed=60`);
  const hook = 'globalThis.__podPlayground';
  const t0 = Date.now();
  // Wait until the 1,000 pods are running and ready (the engine's own speed decides how long).
  await page.waitForFunction(
    `(() => { const h = ${hook}; if (!h) return false; const s = h.store.getState(); let r = 0; for (const p of s.pods.values()) if (p.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True')) r++; return s.nodes.size >= 100 && r >= 1000; })()`,
    undefined,
    { timeout: 600_000, polling: 1000 },
  );
  console.log(`… 1,000 pods ready after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const load0 = loadavg()[0];
  // Passed as source text: tsx would otherwise wrap named functions with a helper the page lacks.
  const result = (await page.evaluate(`(async () => {
    const h = globalThis.__podPlayground;
    const frames = [];
    const bytes0 = h.diffBytes();
    const virtual0 = h.store.getState().now;
    const t0 = performance.now();
    let last = t0;
    let running = true;
    const loop = (t) => { frames.push(t - last); last = t; if (running) requestAnimationFrame(loop); };
    requestAnimationFrame(loop);
    for (let i = 1; i <= 10; i++) await h.exec('sim kill-node node-' + i * 10);
    await new Promise((r) => setTimeout(r, ${STORM_WINDOW_MS}));
    running = false;
    const elapsed = performance.now() - t0;
    const zoom = Number(/scale\\(([\\d.]+)\\)/.exec(document.querySelector('.react-flow__viewport')?.style.transform ?? '')?.[1]);
    return { frames: frames.slice(1), bytes: h.diffBytes() - bytes0, elapsed, virtual: h.store.getState().now - virtual0, zoom, dots: document.querySelectorAll('.ov-pod').length };
  })()`)) as { frames: number[]; bytes: number; elapsed: number; virtual: number; zoom: number; dots: number };
  return { ...result, load: [load0, loadavg()[0]] };
}

async function main() {
  if (!existsSync(join(DIST, 'index.html'))) {
    console.error('bench/ui.bench.ts: no dist/ — run `npx vite build` first');
    process.exitCode = 1;
    return;
  }
  const app = initialJsGzip('index.html');
  const embed = existsSync(join(DIST, 'embed.html')) ? initialJsGzip('embed.html') : { files: [], bytes: 0 };
  const preview = await startPreview();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // Count diff bytes in production builds too (off by default: it costs a JSON.stringify per diff).
    await page.addInitScript(() => ((globalThis as { __ppMeasure?: boolean }).__ppMeasure = true));
    console.log('… time to first drawn cluster');
    const ttfc = await timeToFirstCluster(page);
    console.log('… storm: waiting for 1,000 ready pods, then killing 10 nodes');
    const s = await storm(page);
    const results = {
      date: new Date().toISOString(),
      initialJsGzipBytes: { app: app.bytes, embed: embed.bytes },
      timeToFirstDrawnClusterMs: Math.round(ttfc),
      storm: {
        nodes: 100,
        pods: 1000,
        killed: 10,
        speed: 60,
        windowMs: Math.round(s.elapsed),
        virtualMsCovered: s.virtual,
        frames: s.frames.length,
        frameMsP50: Number(percentile(s.frames, 50).toFixed(1)),
        frameMsP95: Number(percentile(s.frames, 95).toFixed(1)),
        // A frame interval can be no shorter than the display's (16.7 ms at 60 Hz; rAF times jitter
        // by ±0.1 ms): a p95 of one interval means fewer than 5 % of frames were late. Late = the
        // interval spanned at least one more display refresh (over 1.5 intervals).
        lateFramesPercent: Number(((100 * s.frames.filter((f) => f > 25).length) / Math.max(1, s.frames.length)).toFixed(1)),
        workerBytesPerSecond: Math.round(s.bytes / (s.elapsed / 1000)),
        zoom: Number(s.zoom.toFixed(3)),
        podDotsDrawn: s.dots,
        loadAverage1m: s.load.map((l) => Number(l.toFixed(2))),
      },
    };
    console.log(`initial JS (gzip): app ${(app.bytes / 1024).toFixed(1)} KiB, embed ${(embed.bytes / 1024).toFixed(1)} KiB`);
    console.log(`time to first drawn cluster: ${results.timeToFirstDrawnClusterMs} ms`);
    console.log(`node-kill storm (1,000 pods / 100 nodes, 10 killed, 60×): frame p50 ${results.storm.frameMsP50} ms, p95 ${results.storm.frameMsP95} ms over ${results.storm.frames} frames (${results.storm.lateFramesPercent} % late, over 25 ms)`);
    console.log(`drawn at zoom ${results.storm.zoom} (${s.dots} pods as dots in the overview); machine load average ${results.storm.loadAverage1m.join(' → ')} (2 cores)`);
    console.log(`worker diffs: ${(results.storm.workerBytesPerSecond / 1024).toFixed(1)} KiB/s (virtual time covered: ${(s.virtual / 1000).toFixed(0)} s)`);
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench/results/ui.json'), JSON.stringify(results, null, 2) + '\n');
  } finally {
    await browser.close();
    if (preview.pid) process.kill(-preview.pid);
  }
}

await main();
