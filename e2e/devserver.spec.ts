import { expect, test } from '@playwright/test';

/**
 * `npm start` serves the app through Vite's dev server, where React's StrictMode mounts every
 * component twice. The playground must still start its engine and draw the cluster there.
 */
test('the dev server (npm start) draws the default cluster', async ({ page }) => {
  await page.goto('http://127.0.0.1:4175/');
  await expect(page.getByTestId('node-node-1')).toHaveAttribute('data-status', 'Ready', { timeout: 45_000 });
  await expect(page.locator('[data-testid^="pod-web-"]').first()).toBeVisible({ timeout: 45_000 });
});
