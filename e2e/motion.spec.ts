import { test, expect, type Page } from '@playwright/test';

async function run(page: Page, line: string) {
  const input = page.getByLabel('kubectl console');
  await input.fill(line);
  await input.press('Enter');
  await expect(page.getByRole('log', { name: 'Console output' })).toContainText(line);
}

/** A Service in front of the default Deployment, then node-2 killed until its pods are evicted. */
async function serviceThenEviction(page: Page) {
  await page.goto('/?paused=1');
  await expect(page.locator('[data-testid^="pod-"][data-phase]')).toHaveCount(6, { timeout: 30_000 });
  await run(page, 'kubectl expose deployment web --port 80');
  await run(page, 'sim advance 5s');
  await expect(page.locator('[data-testid^="pod-"][data-phase="Running"]')).toHaveCount(6);
}

test('traffic dots run along Service lines to ready pods; an eviction draws its trail', async ({ page }) => {
  await serviceThenEviction(page);
  // One dot per ready endpoint of Service web (6 pods).
  await expect(page.locator('.traffic-dot')).toHaveCount(6);
  await run(page, 'sim kill-node node-2');
  await run(page, 'sim advance 6m');
  // node-2's two pods were evicted: two labelled trails, each with its travelling dot.
  await expect(page.locator('.react-flow__edge.edge-trail')).toHaveCount(2);
  await expect(page.locator('.edge-label', { hasText: 'replaced by' })).toHaveCount(2);
  await expect(page.locator('.trail-dot')).toHaveCount(2);
  // Endpoints of the pods on the dead node are not ready: no dots on their lines.
  await expect(page.locator('.traffic-dot')).toHaveCount(4);
});

test('reduced motion: the same lines, standing still', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await serviceThenEviction(page);
  await expect(page.locator('.react-flow__edge.edge-endpoint')).toHaveCount(6);
  await expect(page.locator('.traffic-dot')).toHaveCount(0);
  await run(page, 'sim kill-node node-2');
  await run(page, 'sim advance 6m');
  await expect(page.locator('.react-flow__edge.edge-trail')).toHaveCount(2);
  await expect(page.locator('.trail-dot')).toHaveCount(0);
});

/** The viewport transforms drawn over the next `ms` (one entry per change, sampled every frame). */
async function transformsDuring(page: Page, ms: number, act: () => Promise<void>): Promise<string[]> {
  await page.evaluate((ms) => {
    const vp = document.querySelector<HTMLElement>('.react-flow__viewport')!;
    const seen: string[] = [vp.style.transform];
    (window as unknown as { __seen: string[] }).__seen = seen;
    const end = performance.now() + ms;
    const loop = () => {
      if (vp.style.transform !== seen[seen.length - 1]) seen.push(vp.style.transform);
      if (performance.now() < end) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  }, ms);
  await act();
  await page.waitForTimeout(ms + 100);
  return page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
}

test('a new node refits the view with an animated zoom; under reduced motion in one step', async ({ page }) => {
  for (const reduced of [false, true]) {
    await page.emulateMedia({ reducedMotion: reduced ? 'reduce' : 'no-preference' });
    await page.goto('/?paused=1');
    await expect(page.locator('[data-testid^="pod-"][data-phase]')).toHaveCount(6, { timeout: 30_000 });
    await page.waitForTimeout(600);
    const seen = await transformsDuring(page, 900, () => page.getByRole('button', { name: 'Add node' }).click());
    // The view moved to fit the new node: animated, it passes through several transforms; reduced, it jumps.
    expect(seen.length, `${reduced ? 'reduced' : 'animated'}: ${seen.join(' → ')}`).toBeGreaterThan(1);
    if (reduced) expect(seen.length).toBe(2);
    else expect(seen.length).toBeGreaterThan(3);
  }
});
