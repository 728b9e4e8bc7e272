import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** Pods drawn on the canvas, as `name phase node`, sorted: what a person compares by eye. */
async function podsSeen(page: Page): Promise<string[]> {
  const rows = await page
    .locator('[data-testid^="pod-"][data-phase]')
    .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-testid')} ${e.getAttribute('data-phase')} ${e.getAttribute('data-node') ?? ''}`));
  return rows.sort();
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function run(page: Page, line: string) {
  const input = page.getByLabel('kubectl console');
  await input.fill(line);
  await input.press('Enter');
  await expect(page.getByRole('log', { name: 'Console output' })).toContainText(line);
}

/** A share link made in the page, from JSON (a crafted link, as someone could type one). */
async function craft(page: Page, json: string): Promise<string> {
  return page.evaluate(async (text) => {
    const buf = await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer();
    let bin = '';
    for (const b of new Uint8Array(buf)) bin += String.fromCharCode(b);
    return `/#share=1.${btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
  }, json);
}

const clock = (page: Page) => page.locator('.clock');

test('a shared link rebuilds the same cluster at the same time, paused', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  await page.goto('/?paused=1');
  await expect(page.locator('[data-testid^="pod-"][data-phase]')).toHaveCount(6);

  await run(page, 'kubectl scale deployment web --replicas=5');
  await page.getByRole('button', { name: 'Step' }).click();
  await page.getByRole('button', { name: 'Step' }).click();
  await run(page, 'sim kill-node node-2');
  // Time moves on: at 60× until node-2 is NotReady, then pause.
  await page.getByLabel('Speed').selectOption('60');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('node-node-2')).toHaveAttribute('data-status', 'NotReady', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await expect(page.locator('[data-testid^="pod-"][data-phase]')).toHaveCount(5);
  const before = await podsSeen(page);
  const time = await clock(page).textContent();

  // Share: keyboard-reachable, copies the link, says so.
  const share = page.getByRole('button', { name: /^Share/ });
  await share.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Link copied' })).toBeVisible();
  const url = await page.evaluate(() => navigator.clipboard.readText());
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:4173\/\?paused=1#share=1\.[A-Za-z0-9_-]+$/);
  expect(url.length).toBeLessThan(2_000);
  await expect(page.getByTestId('share-url')).toHaveValue(url);
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('share-url')).toHaveCount(0);

  // Someone else opens it.
  const other = await context.newPage();
  await other.goto(url);
  await expect(other.getByTestId('share-notice')).toContainText(/Shared cluster at 00:0\d:\d\d — 2 commands replayed/);
  await expect(clock(other)).toHaveText(time!);
  await expect(other.getByRole('button', { name: 'Play' })).toBeVisible();
  await expect(other.getByTestId('node-node-2')).toHaveAttribute('data-status', 'NotReady');
  await expect.poll(() => podsSeen(other)).toEqual(before);
  expect(await seriousViolations(other)).toEqual([]);
  // The replayed cluster goes on as the original would: the console history holds both commands.
  await run(other, 'kubectl get deployment web');
  await expect(other.getByRole('log', { name: 'Console output' })).toContainText(/web\s+\d\/5/);
});

test('without a clipboard the link is shown to copy by hand', async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true }));
  await page.goto('/?paused=1');
  await expect(page.locator('[data-testid^="pod-"][data-phase]')).toHaveCount(6);
  await page.getByRole('button', { name: /^Share/ }).click();
  await expect(page.getByText('Copy this link (the clipboard is not available here)')).toBeVisible();
  const field = page.getByRole('textbox', { name: 'Share link' });
  await expect(field).toBeFocused();
  await expect(field).toHaveAttribute('readonly', '');
  await expect(field).toHaveValue(/#share=1\./);
  await page.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('button', { name: /^Share/ })).toBeFocused();
});

test('a damaged or failing link says why and shows the default cluster', async ({ page }) => {
  await page.goto('/#share=1.q83MSS4uycnPS1cozy_KSQEA-corrupted');
  await expect(page.getByRole('alert')).toContainText('This share link could not be opened.');
  await expect(page.getByRole('alert')).toContainText('damaged');
  await expect(page.locator('[data-testid^="pod-"][data-phase]')).toHaveCount(6);
  for (const name of ['control-plane', 'node-1', 'node-2', 'node-3']) await expect(page.getByTestId(`node-${name}`)).toHaveAttribute('data-status', 'Ready');

  // Unknown scenario: refused before the engine sees it.
  await page.goto(await craft(page, '{"v":1,"s":"prod","t":0,"l":[]}'));
  await expect(page.getByRole('alert')).toContainText('unknown scenario "prod"');
  await expect(page.locator('[data-testid^="pod-"][data-phase]')).toHaveCount(6);

  // A log the engine cannot replay (a command logged before a time the replay already passed).
  await page.goto(await craft(page, '{"v":1,"t":60000,"l":[[0,"sim advance 30s"],[5000,"sim kill-node node-1"]]}'));
  await expect(page.getByRole('alert')).toContainText('The shared commands could not be replayed: command 2 ("sim kill-node node-1")');
  await expect(page.getByTestId('node-node-1')).toHaveAttribute('data-status', 'Ready');
  await expect(page.locator('[data-testid^="pod-"][data-phase]')).toHaveCount(6);
  await expect(clock(page)).toHaveText('t = 0s');

  // Oversized (more than 64 KB once inflated).
  await page.goto(await craft(page, JSON.stringify({ v: 1, t: 0, l: [[0, 'kubectl apply -f -', 'x'.repeat(70_000)]] })));
  await expect(page.getByRole('alert')).toContainText('more than 64 KB');
  await expect(page.locator('[data-testid^="pod-"][data-phase]')).toHaveCount(6);
  await page.getByRole('button', { name: 'Dismiss notice' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('presenter mode: the P key and the button toggle it, and it is remembered', async ({ page }) => {
  await page.goto('/');
  const app = page.locator('.app');
  const toggle = page.getByRole('button', { name: 'Presenter mode' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  const small = await clock(page).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

  await page.locator('body').press('p');
  await expect(app).toHaveClass(/\bpresenter\b/);
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const large = await clock(page).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(large / small).toBeGreaterThanOrEqual(1.4);
  await expect(page.getByTestId('canvas')).toBeVisible();
  await expect(page.getByLabel('kubectl console')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.reload();
  await expect(app).toHaveClass(/\bpresenter\b/);

  // In the console `p` is text, not a shortcut.
  const input = page.getByLabel('kubectl console');
  await input.fill('');
  await input.press('p');
  await expect(input).toHaveValue('p');
  await expect(app).toHaveClass(/\bpresenter\b/);

  await toggle.click();
  await expect(app).not.toHaveClass(/\bpresenter\b/);
  await page.reload();
  await expect(page.locator('.app')).not.toHaveClass(/\bpresenter\b/);

  // The URL turns it on for a projector bookmark.
  await page.goto('/?present=1');
  await expect(page.locator('.app')).toHaveClass(/\bpresenter\b/);
});

test('the panels step aside for the canvas and come back as they were; inspecting brings them back', async ({ page }) => {
  await page.goto('/?present=1');
  await expect(page.locator('[data-testid^="pod-"][data-ready="true"]')).toHaveCount(6, { timeout: 30_000 });
  const input = page.getByLabel('kubectl console');
  await input.fill('kubectl get nodes');
  await input.press('Enter');
  const output = page.getByRole('log', { name: 'Console output' });
  await expect(output).toContainText('node-1');
  const zoom = async () => Number(/scale\(([\d.]+)\)/.exec((await page.locator('.react-flow__viewport').getAttribute('style')) ?? '')?.[1]);
  const before = { width: (await page.getByTestId('canvas').boundingBox())!.width, zoom: await zoom() };

  const hide = page.getByRole('button', { name: 'Hide panels' });
  await expect(hide).toHaveAttribute('aria-expanded', 'true');
  await hide.click();
  await expect(page.getByRole('complementary', { name: 'Panels' })).toBeHidden();
  const show = page.getByRole('button', { name: 'Show panels' });
  await expect(show).toHaveAttribute('aria-expanded', 'false');
  // The canvas takes the room and the drawing is refitted larger.
  expect((await page.getByTestId('canvas').boundingBox())!.width).toBeGreaterThan(before.width * 1.4);
  await expect.poll(zoom, { timeout: 5_000 }).toBeGreaterThan(before.zoom * 1.2);
  expect(await seriousViolations(page)).toEqual([]);

  // Back as they were: the console keeps what it printed.
  await show.click();
  await expect(output).toContainText('node-1');
  await hide.click();
  // Inspecting a pod opens the inspector, so the panels come back.
  await page.locator('[data-testid^="pod-web-"]').first().click();
  await expect(page.getByRole('tab', { name: 'Inspect' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('button', { name: 'Hide panels' })).toBeVisible();
});
