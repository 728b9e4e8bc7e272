import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** Reference images are written to e2e/screenshots with UPDATE_SCREENSHOTS=1 (reviewed by a person), else to test-results. */
const SHOTS = process.env.UPDATE_SCREENSHOTS ? 'e2e/screenshots' : 'test-results/screenshots';

/** Pods drawn on the canvas (detail cards and zoomed-out dots carry the same hooks). */
const pods = (page: Page) => page.locator('[data-testid^="pod-"][data-phase]');

/** The canvas's zoom, from React Flow's viewport transform. */
async function zoom(page: Page): Promise<number> {
  const t = await page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
  return Number(/scale\(([\d.]+)\)/.exec(t)?.[1]);
}

/** Zoom with the wheel over the canvas's centre until the zoom passes `target` in the given direction. */
async function wheelTo(page: Page, target: number, out: boolean) {
  const box = (await page.getByTestId('canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 40 && (out ? (await zoom(page)) >= target : (await zoom(page)) <= target); i++) {
    await page.mouse.wheel(0, out ? 300 : -300);
    await page.waitForTimeout(50);
  }
}

test('zoomed out, pods are coloured dots with the same hooks; zoomed back in, their containers return', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('[data-testid^="pod-"][data-ready="true"]')).toHaveCount(6, { timeout: 30_000 });
  // Default zoom: detail cards with containers and volumes, no dots.
  await expect(page.locator('.ov-pod')).toHaveCount(0);
  await expect(page.locator('[data-testid^="container-web-"]').first()).toBeVisible();

  await wheelTo(page, 0.45, true);
  expect(await zoom(page)).toBeLessThan(0.45);

  // Every pod is now a dot inside its node's card: same test id, phase, node and readiness.
  await expect(page.locator('.ov-pod')).toHaveCount(6);
  await page.screenshot({ path: `${SHOTS}/06-overview.png` });
  await expect(pods(page)).toHaveCount(6);
  await expect(page.locator('.ov-pod[data-testid^="pod-web-"][data-phase="Running"][data-ready="true"]')).toHaveCount(6);
  for (const dot of await page.locator('.ov-pod').all()) {
    const node = await dot.getAttribute('data-node');
    await expect(page.getByTestId(`node-${node}`).locator(`[data-testid="${await dot.getAttribute('data-testid')}"]`)).toHaveCount(1);
    await expect(dot).toHaveClass(/tone-ok/);
  }
  // No containers, volumes or localhost lanes at this level; node cards keep their status hooks.
  await expect(page.locator('[data-testid^="container-"]')).toHaveCount(0);
  await expect(page.locator('[data-testid^="volume-"]')).toHaveCount(0);
  await expect(page.locator('.lane')).toHaveCount(0);
  await expect(page.getByTestId('node-node-1')).toHaveAttribute('data-status', 'Ready');
  // The dots are named buttons (pod and status) and pass axe like the detail view.
  await expect(page.locator('.ov-pod').first()).toHaveAttribute('aria-label', /^Pod web-\S+, Running$/);
  const axe = await new AxeBuilder({ page }).include('[data-testid="canvas"]').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  // A dot is a pod: clicking it inspects that pod, not its node.
  const first = page.locator('.ov-pod').first();
  const name = (await first.getAttribute('data-testid'))!.slice('pod-'.length);
  await first.click();
  await expect(page.getByRole('tab', { name: 'Inspect' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'Inspect' })).toContainText(new RegExp(`Name:\\s+${name}`));
  await expect(first).toHaveClass(/selected/);

  // The view stays where the person put it (no refit while pods change underneath).
  await page.getByRole('button', { name: 'Scale deployment web up' }).first().click();
  await expect(pods(page)).toHaveCount(7);
  await page.waitForTimeout(800);
  expect(await zoom(page)).toBeLessThan(0.45);

  await wheelTo(page, 0.45, false);
  await expect(page.locator('.ov-pod')).toHaveCount(0);
  await expect(pods(page)).toHaveCount(7);
  await expect(page.locator('[data-testid^="container-web-"]').first()).toBeVisible();
});

test('zoomed out, the keyboard walks the overview: one tab stop, arrow keys move, Enter inspects', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('[data-testid^="pod-"][data-ready="true"]')).toHaveCount(6, { timeout: 30_000 });
  await wheelTo(page, 0.45, true);
  await expect(page.locator('.ov-pod')).toHaveCount(6);

  // One item of the overview is in the tab order (the first card), not one per pod.
  const stop = page.locator('.overview [data-item][tabindex="0"]');
  await expect(stop).toHaveCount(1);
  await expect(stop).toHaveAttribute('aria-label', /^Node control-plane, Ready, 0 pods$/);
  await stop.focus();
  // control-plane has no pods: the next item is node-1's card, then its first pod.
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('.overview [data-item]:focus')).toHaveAttribute('aria-label', /^Node node-1, Ready, 2 pods$/);
  await page.keyboard.press('ArrowDown');
  const focusedPod = page.locator('.overview [data-item]:focus');
  await expect(focusedPod).toHaveAttribute('data-node', 'node-1');
  const name = (await focusedPod.getAttribute('data-testid'))!.slice('pod-'.length);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tabpanel', { name: 'Inspect' })).toContainText(new RegExp(`Name:\\s+${name}`));
  await expect(page.getByTestId(`pod-${name}`)).toHaveClass(/selected/);
  // PageDown jumps to the next node's card; the tab stop follows the focus.
  await page.keyboard.press('PageDown');
  await expect(page.locator('.overview [data-item]:focus')).toHaveAttribute('aria-label', /^Node node-2, /);
  await expect(stop).toHaveCount(1);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tabpanel', { name: 'Inspect' })).toContainText(/Name:\s+node-2/);
});

test('zoomed in on a large cluster, cards off screen are not drawn, not even for a frame when they change', async ({ page }) => {
  await page.goto('/?paused=1');
  await expect(page.locator('[data-testid^="pod-"][data-phase]')).toHaveCount(6, { timeout: 30_000 });
  const input = page.getByLabel('kubectl console');
  for (const line of ['sim cluster --nodes 30', 'kubectl create deployment web --image=nginx --replicas=300', 'sim advance 30s']) {
    await input.fill(line);
    await input.press('Enter');
  }
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as { __podPlayground: { store: { getState(): { pods: Map<string, unknown> } } } }).__podPlayground.store.getState().pods.size), { timeout: 30_000 }).toBe(300);
  // Zoom in on the top-left corner (node cards in full), then let the view settle.
  await wheelTo(page, 0.6, false);
  const box = (await page.getByTestId('canvas').boundingBox())!;
  await page.mouse.move(box.x + 60, box.y + 60);
  await page.waitForTimeout(800);
  const drawnBefore = await page.locator('.react-flow__node').count();
  expect(drawnBefore).toBeLessThan(120);
  // Thirty more pods land on every node: every card grows, most of them far off screen.
  await page.evaluate(() => {
    const log: { added: string[]; removedAfterAdd: string[] } = { added: [], removedAfterAdd: [] };
    (window as unknown as { __mounts: typeof log }).__mounts = log;
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) if (n instanceof HTMLElement && n.classList.contains('react-flow__node')) log.added.push(n.dataset.id ?? '');
        for (const n of r.removedNodes) if (n instanceof HTMLElement && n.classList.contains('react-flow__node') && log.added.includes(n.dataset.id ?? '')) log.removedAfterAdd.push(n.dataset.id ?? '');
      }
    }).observe(document.querySelector('.react-flow__nodes')!, { childList: true });
  });
  await input.fill('kubectl scale deployment web --replicas=330');
  await input.press('Enter');
  await input.fill('sim advance 10s');
  await input.press('Enter');
  await page.waitForTimeout(1500);
  const { added, removedAfterAdd } = await page.evaluate(() => (window as unknown as { __mounts: { added: string[]; removedAfterAdd: string[] } }).__mounts);
  // A card drawn is a card on screen (one that came into view as the rows grew, or a new pod there):
  // none was drawn and then removed, as cards off screen were when React Flow drew them to measure.
  expect(removedAfterAdd, `drawn then removed: ${removedAfterAdd.join(' ')}`).toEqual([]);
  for (const id of added) await expect(page.locator(`.react-flow__node[data-id="${id}"]`)).toHaveCount(1);
  expect(added.length).toBeLessThan(60);
});
