/**
 * Helpers of the service-worker specs: wait until the demo's service worker is active with its caches filled,
 * and read what Cache Storage holds.
 */
import type { Page } from 'playwright-core';

/** Names of the page origin's caches, sorted. */
export function cacheNames(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await caches.keys()).sort());
}

/** Waits until a service worker is active and the version `bundleId` of the bundle is completely cached. */
export async function waitForServiceWorker(page: Page, bundleId: string, timeoutMs = 60_000): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await page.waitForFunction(async (id) => {
    const names = await caches.keys();
    if (!names.some((n) => n.startsWith('geniza-app-'))) return false;
    if (!names.includes(`geniza-bundle-${id}`)) return false;
    const cache = await caches.open(`geniza-bundle-${id}`);
    return (await cache.keys()).some((r) => r.url.endsWith('/manifest.json'));
  }, bundleId, { timeout: timeoutMs, polling: 250 });
}

/** The bundleId of the manifest the page gets for `bundle/manifest.json` now (through its service worker). */
export function servedBundleId(page: Page): Promise<string> {
  return page.evaluate(async () => ((await (await fetch('bundle/manifest.json', { cache: 'no-cache' })).json()) as { bundleId: string }).bundleId);
}
