// The demo as an installed PWA: after one visit its service worker has cached the site, the wasm runtime and
// the bundle; with the server gone and the browser offline, a reload opens the page and search answers, and
// even with IndexedDB cleared the bundle comes from the service worker's verified cache.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { collectConsoleErrors, demoBundle, launchBrowser, newPage, openDemo, searchFor, serveDist, type StaticServer } from '../helpers.ts';
import { cacheNames, waitForServiceWorker } from './service-worker-state.ts';

let browser: Browser;
let server: StaticServer;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

test('after install the demo loads and searches with the network off', async (t) => {
  const { manifest } = await demoBundle();
  const { context, page, errors } = await newPage(browser);
  try {
    const first = await openDemo(page, server.url);
    t.diagnostic(`first visit: ${first}`);
    const installable = await page.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
      return link ? (await (await fetch(link.href)).json()) as { name?: string; start_url?: string; display?: string; icons?: unknown[] } : null;
    });
    assert.ok(installable?.name && installable.start_url && installable.display === 'standalone' && installable.icons?.length, 'the page links a web app manifest');
    await waitForServiceWorker(page, manifest.bundleId);
    const names = await cacheNames(page);
    t.diagnostic(`caches: ${names.join(', ')}`);
    assert.deepEqual(names.filter((n) => n.startsWith('geniza-bundle-')), [`geniza-bundle-${manifest.bundleId}`]);

    // Network off: the server is gone and the browser is offline.
    await server.close();
    await context.setOffline(true);
    await context.route('**/*', (route) => route.abort('internetdisconnected'));

    const second = await openDemo(page, server.url);
    t.diagnostic(`offline reload: ${second}`);
    assert.equal(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), true, 'the page came from the service worker');
    assert.match(second, /\(offline\)/, 'the page says it searches an offline copy');
    assert.ok((await searchFor(page, 'offline cache')).length > 0, 'search answers offline');

    // Without the IndexedDB copy, the bundle comes from the service worker's cache (checked by the client).
    await page.close();
    await context.addInitScript(() => { indexedDB.deleteDatabase('geniza'); });
    const fresh = await context.newPage();
    const freshErrors = collectConsoleErrors(fresh);
    const third = await openDemo(fresh, server.url);
    t.diagnostic(`offline, IndexedDB cleared: ${third}`);
    assert.match(third, /downloaded \(offline\)/);
    assert.ok((await searchFor(fresh, 'install the command line tool')).length > 0);
    assert.deepEqual([...errors, ...freshErrors], []);
  } finally {
    await context.close();
  }
});
