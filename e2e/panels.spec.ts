import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/**
 * The panels (console, YAML editor, events) as a person uses them. They are mounted by the embed
 * page with every panel on, which makes them testable on their own, whatever the main app shows.
 */
const PANELS = '/embed.html?panels=yaml,console,events&theme=light';

async function run(page: Page, line: string) {
  const input = page.getByLabel('kubectl console');
  await input.fill(line);
  await input.press('Enter');
}

const lastOutput = (page: Page) => page.locator('.pp-console-entry').last();

test('console: commands run, history walks back and forth, Ctrl+L clears', async ({ page }) => {
  await page.goto(PANELS);
  const input = page.getByLabel('kubectl console');
  const log = page.getByRole('log', { name: 'Console output' });
  await run(page, 'sim add-node extra-1');
  await expect(log).toContainText('node/extra-1 added');
  await run(page, 'sim nonsense');
  await expect(lastOutput(page)).toContainText('error: unknown command "sim nonsense"');
  await expect(lastOutput(page)).toHaveAttribute('data-exit-code', '1');
  await expect(lastOutput(page).locator('pre')).toHaveClass(/pp-console-error/);

  await input.fill('half typed');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('sim nonsense');
  await input.press('ArrowUp');
  await expect(input).toHaveValue('sim add-node extra-1');
  await input.press('ArrowDown');
  await input.press('ArrowDown');
  await expect(input).toHaveValue('half typed');

  await input.press('Control+l');
  await expect(page.locator('.pp-console-entry')).toHaveCount(0);
  await run(page, 'sim help');
  await expect(page.locator('.pp-console-entry')).toHaveCount(1);
  await run(page, 'clear');
  await expect(page.locator('.pp-console-entry')).toHaveCount(0);
});

test('console: Tab completes commands, flags and node names', async ({ page }) => {
  await page.goto(PANELS);
  const input = page.getByLabel('kubectl console');
  await expect(page.getByText('node-3', { exact: true }).first()).toBeVisible();
  await input.fill('kubectl ge');
  await input.press('Tab');
  await expect(input).toHaveValue('kubectl get ');
  await expect(input).toBeFocused();
  await input.fill('kubectl get pods --sho');
  await input.press('Tab');
  await expect(input).toHaveValue('kubectl get pods --show-labels ');
  await input.fill('sim kill-node node');
  await input.press('Tab');
  await expect(input).toHaveValue('sim kill-node node-');
  await expect(page.locator('.pp-candidates')).toHaveText('node-1  node-2  node-3');
  await input.press('3');
  await input.press('Tab');
  await expect(input).toHaveValue('sim kill-node node-3 ');
});

test('console: a multi-line paste runs every command in order', async ({ page }) => {
  await page.goto(PANELS);
  const input = page.getByLabel('kubectl console');
  await input.focus();
  await page.evaluate(() => {
    const el = document.querySelector<HTMLInputElement>('input[aria-label="kubectl console"]')!;
    const data = new DataTransfer();
    data.setData('text/plain', '# two nodes\nsim add-node paste-1\nsim add-node paste-2\n');
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  const entries = page.locator('.pp-console-entry');
  await expect(entries).toHaveCount(2);
  await expect(entries.nth(0)).toContainText('node/paste-1 added');
  await expect(entries.nth(1)).toContainText('node/paste-2 added');
});

test('YAML: a broken manifest shows its error at the right line and changes nothing', async ({ page }) => {
  // Paused, so `kubectl get pods` prints the same AGE before and after.
  await page.goto(`${PANELS}&paused=1`);
  await expect(page.getByText('node-1', { exact: true }).first()).toBeVisible();
  await run(page, 'kubectl get pods');
  await expect(lastOutput(page)).toHaveAttribute('data-exit-code', /\d/);
  const before = await lastOutput(page).innerText();
  const podsBefore = await page.locator('.embed-pod').count();

  const editor = page.getByRole('textbox', { name: 'YAML manifest' });
  await expect(editor).toHaveClass(/cm-content/); // CodeMirror has loaded (lazily)
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText('apiVersion: v1\nkind: Pod\nmetadata:\n  name: broken\n  labels: app: web\nspec:\n  containers:\n  - name: c\n    image: nginx\n');
  await page.getByRole('button', { name: 'Apply' }).click();

  const result = page.locator('.pp-yaml-result');
  await expect(result.locator('.pp-error-list')).toContainText('Line 5:');
  await expect(result.locator('.pp-error-list li')).toHaveCount(1);
  await expect(result.locator('.pp-error-list')).toContainText('mapping values are not allowed');
  // The gutter marks line 5, and only line 5.
  const gutterLines = page.locator('.cm-lineNumbers .cm-gutterElement');
  const marker = page.locator('.cm-gutter-lint .cm-gutterElement:has(.cm-lint-marker-error)');
  await expect(marker).toHaveCount(1);
  const markerBox = (await marker.boundingBox())!;
  const line5 = (await gutterLines.filter({ hasText: /^5$/ }).boundingBox())!;
  expect(Math.abs(markerBox.y - line5.y)).toBeLessThan(4);
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(1);
  await expect(page.locator('.cm-lintRange-error')).toHaveText('labels: app: web');

  await run(page, 'kubectl get pods');
  await expect(page.locator('.pp-console-entry')).toHaveCount(2);
  await expect.poll(() => lastOutput(page).innerText()).toBe(before);
  await expect(page.locator('.embed-pod')).toHaveCount(podsBefore);
  await expect(page.getByRole('region', { name: 'Cluster' }).getByText('broken')).toHaveCount(0);

  // Ctrl+Enter applies too; the example menu replaces the text.
  await page.getByLabel('Examples').selectOption('pod');
  await expect(editor).toContainText('name: hello');
  await editor.click();
  await page.keyboard.press('Control+Enter');
  await expect(result.locator('.pp-error-list')).toHaveCount(0);
});

test('events: filter with "/" and a Warning is marked with text, not colour alone', async ({ page }) => {
  await page.goto(PANELS);
  await run(page, 'sim kill-node node-2');
  await expect(lastOutput(page)).toContainText('node/node-2 powered off');
  await page.getByRole('heading', { name: /Events/ }).click();
  await page.keyboard.press('/');
  const filter = page.getByRole('searchbox', { name: 'Filter events' });
  await expect(filter).toBeFocused();
  await filter.fill('zzz-no-such-event');
  await expect(page.locator('.pp-events-table tbody tr')).toHaveCount(0);
  await filter.press('Escape');
  await expect(filter).toHaveValue('');
});

test('panels pass axe (light and dark) and fit a 360 px screen', async ({ page }) => {
  for (const theme of ['light', 'dark']) {
    await page.goto(PANELS.replace('theme=light', `theme=${theme}`));
    await expect(page.getByRole('textbox', { name: 'YAML manifest' })).toHaveClass(/cm-content/);
    await run(page, 'sim nonsense');
    await expect(lastOutput(page)).toHaveAttribute('data-exit-code', '1');
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
  await page.setViewportSize({ width: 360, height: 800 });
  await page.goto(PANELS);
  await expect(page.getByLabel('kubectl console')).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // Panels clip their content, so also check that controls stay inside their panel.
  const select = (await page.getByLabel('Examples').boundingBox())!;
  const panel = (await page.locator('.pp-yaml').boundingBox())!;
  expect(select.x + select.width).toBeLessThanOrEqual(panel.x + panel.width);
});
