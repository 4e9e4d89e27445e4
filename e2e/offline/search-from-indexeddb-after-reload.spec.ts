// After one visit the bundle lives in IndexedDB: with every request for bundle files blocked, a reload still
// loads the index (offline) and search still works.
// The demo's service worker is blocked here: this is the client's own IndexedDB cache, which works without one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { cacheSummary, demoBundle, launchBrowser, newPage, openDemo, searchFor, serveDist, type StaticServer } from '../helpers.ts';

let browser: Browser;
let server: StaticServer;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

test('search works from IndexedDB after a reload with the bundle unreachable', async (t) => {
  const { manifest } = await demoBundle();
  const { context, page, errors } = await newPage(browser, { serviceWorkers: 'block' });
  try {
    const first = await openDemo(page, server.url);
    t.diagnostic(`first visit: ${first}`);
    assert.match(first, /downloaded/);
    const cache = await cacheSummary(page);
    assert.deepEqual(cache.bundles.map((b) => b.bundleId), [manifest.bundleId]);
    assert.equal(cache.docs[manifest.bundleId], manifest.corpus.documents, 'every document is stored');
    assert.equal(cache.files.length, 4, 'encoder, decoder, tokenizer and trie are stored');

    await page.route('**/bundle/**', (route) => route.abort('internetdisconnected'));
    const seen = server.requests.length;
    const second = await openDemo(page, server.url);
    t.diagnostic(`reload, bundle blocked: ${second}`);
    assert.match(second, /loaded from IndexedDB \(offline\)/);
    assert.deepEqual(server.requests.slice(seen).filter((p) => p.includes('/bundle/')), []);

    const titles = await searchFor(page, 'offline cache');
    assert.ok(titles.length > 0, 'search answers from the stored bundle');
    // The browser itself logs the blocked manifest request; nothing else may be logged as an error.
    assert.deepEqual(errors.filter((e) => !/\/bundle\/manifest\.json: Failed to load resource: net::ERR_INTERNET_DISCONNECTED/.test(e)), []);
  } finally {
    await context.close();
  }
});
