import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The embed inside a host page on another origin. Host pages come from a tiny HTTP server started
 * by this file on loopback; the same server is reached as `localhost` (the allowed host) and as
 * `127.0.0.1` (a second, not allowed origin), so event.origin is real. (A page.route-fulfilled
 * host would count as a public page, which Chromium forbids to frame a local server.)
 */
let server: Server;
let HOST = '';
let EVIL = '';

test.beforeAll(async () => {
  server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const src = u.searchParams.get('src') ?? '';
    const sandbox = u.searchParams.get('sandbox');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><title>Host</title></head><body>
      <h1>Host page</h1>
      <iframe id="pp" title="Pod Playground" src="${src.replace(/"/g, '&quot;')}" ${sandbox !== null ? `sandbox="${sandbox}"` : ''} style="width:900px;height:700px;border:0"></iframe>
      <script>
        window.received = [];
        addEventListener('message', (e) => {
          if (e.data && e.data.source === 'pod-playground') window.received.push({ origin: e.origin, data: e.data });
        });
        window.send = (msg) => document.getElementById('pp').contentWindow.postMessage({ source: 'pod-playground', v: 1, ...msg }, '*');
      </script></body></html>`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  HOST = `http://localhost:${port}`;
  EVIL = `http://127.0.0.1:${port}`;
});

test.afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function openHost(page: Page, hostOrigin: string, iframeSrc: string, sandbox?: string) {
  const q = new URLSearchParams({ src: iframeSrc, ...(sandbox !== undefined ? { sandbox } : {}) });
  await page.goto(`${hostOrigin}/?${q}`);
}

type Received = { origin: string; data: { type: string; id?: unknown; output?: string; exitCode?: number; height?: number; state?: { nodes: { name: string }[] } } };
const received = (page: Page) => page.evaluate(() => (window as unknown as { received: Received[] }).received);
const ofType = async (page: Page, type: string) => (await received(page)).filter((m) => m.data.type === type);

test('a host on an allowed origin gets ready, sends a command and receives its result', async ({ page, baseURL }) => {
  await openHost(page, HOST, `${baseURL}/embed.html?origins=${HOST}&panels=console`);
  await expect.poll(async () => (await ofType(page, 'ready')).length).toBe(1);
  await page.evaluate(() => (window as unknown as { send: (m: object) => void }).send({ type: 'command', id: 'c1', line: 'sim add-node edge-1' }));
  await expect.poll(async () => (await ofType(page, 'result')).map((m) => m.data)).toEqual([
    { source: 'pod-playground', v: 1, type: 'result', id: 'c1', output: 'node/edge-1 added\n', exitCode: 0 },
  ]);
  // The canvas (or its summary) shows the new node, and a `state` summary names it.
  const frame = page.frameLocator('#pp');
  await expect(frame.getByText('edge-1', { exact: true })).toBeVisible();
  await expect.poll(async () => (await ofType(page, 'state')).some((m) => m.data.state!.nodes.some((n) => n.name === 'edge-1'))).toBe(true);
  // Auto-resize: the embed reported its content height.
  await expect.poll(async () => (await ofType(page, 'resize')).at(-1)?.data.height ?? 0).toBeGreaterThan(100);
  // Every message came from the embed's origin and was ours.
  for (const m of await received(page)) expect(m.origin).toBe(new URL(baseURL!).origin);
  // A malformed message of ours gets an error, not silence.
  await page.evaluate(() => (window as unknown as { send: (m: object) => void }).send({ type: 'explode', id: 9 }));
  await expect.poll(async () => (await ofType(page, 'error')).map((m) => m.data.id)).toEqual([9]);
});

test('messages from an origin that is not allowed are ignored', async ({ page, baseURL }) => {
  await openHost(page, EVIL, `${baseURL}/embed.html?origins=${HOST}&panels=console`);
  const frame = page.frameLocator('#pp');
  const input = frame.getByLabel('kubectl console');
  await expect(input).toBeVisible();
  await expect(frame.getByText('node-1', { exact: true })).toBeVisible();
  await page.evaluate(() => (window as unknown as { send: (m: object) => void }).send({ type: 'command', id: 'x', line: 'sim add-node evil-node' }));
  // A command typed afterwards by the user runs; by then the evil message has long been handled.
  await input.fill('sim add-node good-node');
  await input.press('Enter');
  await expect(frame.getByText('good-node', { exact: true })).toBeVisible();
  await expect(frame.getByText('evil-node')).toHaveCount(0);
  // The evil host heard nothing at all: no ready, no result, no state.
  expect(await received(page)).toEqual([]);
});

test('works inside <iframe sandbox="allow-scripts"> (no storage, no same-origin worker)', async ({ page, baseURL }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openHost(page, HOST, `${baseURL}/embed.html?origins=${HOST}&panels=console,yaml&theme=dark`, 'allow-scripts');
  await expect.poll(async () => (await ofType(page, 'ready')).length).toBe(1);
  const frame = page.frameLocator('#pp');
  await expect(frame.getByText('node-1', { exact: true })).toBeVisible();
  await expect(frame.getByRole('button', { name: 'Apply' })).toBeVisible();
  const input = frame.getByLabel('kubectl console');
  await input.fill('sim help');
  await input.press('Enter');
  await expect(frame.getByRole('log', { name: 'Console output' })).toContainText('sim advance DURATION');
  await page.evaluate(() => (window as unknown as { send: (m: object) => void }).send({ type: 'command', id: 2, line: 'sim kill-node node-2' }));
  await expect.poll(async () => (await ofType(page, 'result')).map((m) => m.data.output)).toEqual(['node/node-2 powered off\n']);
  expect(errors).toEqual([]);
});

test('embed page passes axe in light and dark themes', async ({ page }) => {
  for (const theme of ['light', 'dark']) {
    await page.goto(`/embed.html?panels=console,events&theme=${theme}`);
    await expect(page.getByLabel('kubectl console')).toBeVisible();
    await expect(page.getByText('node-1', { exact: true })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
});
