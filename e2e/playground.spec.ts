import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** Reference images are rewritten only on request (UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean. */
const SHOTS = process.env.UPDATE_SCREENSHOTS ? 'e2e/screenshots' : 'test-results/screenshots';

/** Pods drawn on the canvas (detail cards and zoomed-out dots carry the same hooks). */
const pods = (page: Page) => page.locator('[data-testid^="pod-"][data-phase]');

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.length} × ${v.help}: ${v.nodes.slice(0, 6).map((n) => `${n.target.join(' ')} (${n.failureSummary?.split('\n').slice(1).join(' ').slice(0, 120)})`).join('; ')}`);
}

/** The inspector shows the first web pod's describe, and "Why" gives the scheduler's decision in words, agreeing with where it runs. */
async function expectInspectorExplainsFirstPod(page: Page) {
  await expect(page.getByRole('tab', { name: 'Inspect' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'Inspect' })).toContainText(/Name:\s+web-/);
  // "Why is it here": the scheduler's own decision, in words, agreeing with where the pod runs.
  const node = await page.locator('[data-testid^="pod-web-"]').first().getAttribute('data-node');
  await page.getByRole('tab', { name: 'Why' }).click();
  await expect(page.getByRole('tabpanel', { name: 'Why' })).toContainText(`placed it on ${node}`);
  await expect(page.getByRole('tabpanel', { name: 'Why' })).toContainText('untolerated taint');
}

test('a new user kills a node and watches Kubernetes replace its pods', async ({ page }) => {
  await page.goto('/');

  // The default scenario: a control plane, three workers, and web = nginx × 6.
  for (const name of ['control-plane', 'node-1', 'node-2', 'node-3']) {
    await expect(page.getByTestId(`node-${name}`)).toHaveAttribute('data-status', 'Ready');
  }
  await expect(pods(page)).toHaveCount(6);
  await expect(page.locator('[data-testid^="pod-"][data-ready="true"]')).toHaveCount(6, { timeout: 30_000 });
  await expect(page.locator('[data-testid^="container-web-"]').first()).toBeVisible();
  await expect(page.locator('[data-testid^="volume-web-"]').first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/01-running.png` });

  const onNode2 = await page.locator('[data-testid^="pod-"][data-node="node-2"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
  expect(onNode2.length).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Kill node node-2' }).click();
  await expect(page.getByRole('button', { name: 'Start node node-2' })).toBeVisible();
  await page.getByLabel('Speed').selectOption('60');

  // After the 50 s grace period the node lifecycle controller marks it NotReady.
  await expect(page.getByTestId('node-node-2')).toHaveAttribute('data-status', 'NotReady', { timeout: 30_000 });
  await page.screenshot({ path: `${SHOTS}/02-node-notready.png` });

  // After the 300 s default toleration its pods are evicted: Terminating (no kubelet confirms)…
  for (const id of onNode2) {
    await expect(page.getByTestId(id!)).toHaveAttribute('data-status', 'Terminating', { timeout: 45_000 });
  }
  // …and the ReplicaSet's replacements run on the other nodes.
  const readyElsewhere = page.locator('[data-testid^="pod-"][data-ready="true"]:not([data-node="node-2"])');
  await expect(readyElsewhere).toHaveCount(6, { timeout: 30_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/03-replaced.png` });

  // The console agrees with the canvas.
  const input = page.getByLabel('kubectl console');
  await input.fill('kubectl get pods -o wide');
  await input.press('Enter');
  const log = page.getByRole('log', { name: 'Console output' });
  for (const id of onNode2) {
    const name = id!.replace(/^pod-/, '');
    await expect(log).toContainText(new RegExp(`${name}\\s+1/1\\s+Terminating[^\\n]*node-2`));
  }
  const runningElsewhere = await readyElsewhere.evaluateAll((els) => els.map((e) => [e.getAttribute('data-testid')!.replace(/^pod-/, ''), e.getAttribute('data-node')!]));
  for (const [name, node] of runningElsewhere) {
    await expect(log).toContainText(new RegExp(`${name}\\s+1/1\\s+Running[^\\n]*${node}`));
  }
  await page.screenshot({ path: `${SHOTS}/04-console.png` });

  expect(await seriousViolations(page)).toEqual([]);
});

test('time controls: step, timeline, keyboard', async ({ page }) => {
  await page.goto('/?paused=1');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  const clock = page.getByText(/^t = /);
  await expect(clock).toHaveText('t = 0s');
  await page.getByRole('button', { name: 'Step' }).click();
  await expect(clock).toHaveText('t = 1s');
  await page.locator('body').press('.');
  await expect(clock).toHaveText('t = 2s');
  await page.getByRole('button', { name: 'Skip to next change' }).click();
  await expect(clock).not.toHaveText('t = 2s');

  // The timeline: a keyboard-operable slider from 0 to now; Home rewinds by replaying the log.
  const timeline = page.getByRole('slider', { name: 'Timeline' });
  await timeline.focus();
  await timeline.press('Home');
  await expect(clock).toHaveText('t = 0s');

  // Space toggles play (when focus is not on a control).
  await page.locator('.app-header h1').click();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.keyboard.press('l');
  await expect(page.getByLabel('Speed')).toHaveValue('10');
  await page.keyboard.press('j');
  await expect(page.getByLabel('Speed')).toHaveValue('1');
});

test('narrow screen (360 px) and dark theme: panels stack under the canvas', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  await page.goto('/');
  await expect(page.getByTestId('node-node-1')).toHaveAttribute('data-status', 'Ready');
  if ((await page.locator('html').getAttribute('data-theme')) !== 'dark') await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByLabel('kubectl console')).toBeVisible();
  const canvas = await page.getByTestId('canvas').boundingBox();
  const panel = await page.getByRole('complementary', { name: 'Panels' }).boundingBox();
  expect(panel!.y).toBeGreaterThanOrEqual(canvas!.y + canvas!.height - 1);
  await page.screenshot({ path: `${SHOTS}/05-narrow-dark.png`, fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
});

test('actions where a person looks for them: scale, cordon, add node, inspect', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('[data-testid^="pod-"][data-ready="true"]')).toHaveCount(6, { timeout: 30_000 });

  await page.getByRole('button', { name: 'Scale deployment web up' }).first().click();
  await expect(pods(page)).toHaveCount(7);

  await page.getByRole('button', { name: 'Cordon node node-1' }).click();
  await expect(page.getByTestId('node-node-1')).toHaveAttribute('aria-label', /SchedulingDisabled/);
  await expect(page.getByRole('button', { name: 'Uncordon node node-1' })).toBeVisible();

  await page.getByRole('button', { name: 'Add node' }).click();
  await expect(page.getByTestId('node-node-4')).toHaveAttribute('data-status', 'Ready');

  // Every action went through the console's interpreter, so the command log shows it.
  const recent = page.getByText(/Commands run/);
  await expect(recent).toBeVisible();
  await expect(page.locator('.recent')).toContainText('kubectl cordon node-1');
  await expect(page.locator('.recent')).toContainText('sim add-node node-4');

  // Clicking a pod opens the inspector with kubectl describe.
  await page.locator('[data-testid^="pod-web-"]').first().click();
  await expectInspectorExplainsFirstPod(page);

  // State changes are announced.
  await expect(page.getByTestId('announcer')).not.toBeEmpty();
});

test('keyboard: a pod card is reachable with Tab and opens the inspector with Enter', async ({ page }) => {
  await page.goto('/?paused=1');
  const first = page.locator('.react-flow__node-pod').first();
  await expect(first).toBeVisible();
  await first.focus();
  await page.keyboard.press('Enter');
  await expectInspectorExplainsFirstPod(page);
});
