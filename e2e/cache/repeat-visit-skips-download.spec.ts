// A repeat visit revalidates manifest.json only and loads everything else from IndexedDB.
// The demo's service worker is blocked here: this is the client's own IndexedDB cache, which works without one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPage, openDemo, searchFor, serveDist, type StaticServer } from '../helpers.ts';

let browser: Browser;
let server: StaticServer;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

test('a second visit fetches only manifest.json and starts from IndexedDB', async (t) => {
  const { context, page, errors } = await newPage(browser, { serviceWorkers: 'block' });
  try {
    const t0 = Date.now();
    const first = await openDemo(page, server.url);
    t.diagnostic(`first visit: ready after ${Date.now() - t0} ms wall (${first})`);
    const bundleFiles = server.requests.filter((p) => p.includes('/bundle/'));
    assert.ok(bundleFiles.length >= 6, `first visit downloads the bundle (${bundleFiles.join(', ')})`);

    const again = await context.newPage();
    const seen = server.requests.length;
    const t1 = Date.now();
    const second = await openDemo(again, server.url);
    t.diagnostic(`second visit: ready after ${Date.now() - t1} ms wall (${second})`);
    assert.match(second, /loaded from IndexedDB/);
    assert.doesNotMatch(second, /offline/);
    assert.deepEqual(server.requests.slice(seen).filter((p) => p.includes('/bundle/')), ['/bundle/manifest.json']);
    const q0 = Date.now();
    const titles = await searchFor(again, 'install');
    t.diagnostic(`query after cached load: ${Date.now() - q0} ms wall, ${await again.locator('.geniza-search__status').textContent()}`);
    assert.ok(titles.length > 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
