// When the site publishes a new bundle, the next visit stores it (reusing files whose hash did not change)
// and removes the old version from IndexedDB.
// The demo's service worker is blocked here: this is the client's own IndexedDB cache, which works without one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { cacheSummary, demoBundle, launchBrowser, newPage, openDemo, searchFor, serveDist, type StaticServer } from '../helpers.ts';

let browser: Browser;
let server: StaticServer;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

test('a new bundle id replaces the stored one and the old documents are cleaned up', async () => {
  const { manifest } = await demoBundle();
  const newId = [...manifest.bundleId].reverse().join('');
  const { context, page, errors } = await newPage(browser, { serviceWorkers: 'block' });
  try {
    await openDemo(page, server.url);
    assert.deepEqual((await cacheSummary(page)).bundles.map((b) => b.bundleId), [manifest.bundleId]);

    // The "rebuilt" bundle: same files, new bundle id (as if only its metadata changed).
    await page.route('**/bundle/manifest.json', async (route) => {
      const res = await route.fetch();
      const json = await res.json();
      await route.fulfill({ response: res, json: { ...json, bundleId: newId } });
    });
    const seen = server.requests.length;
    const info = await openDemo(page, server.url);
    assert.match(info, /downloaded/);
    assert.deepEqual(
      server.requests.slice(seen).filter((p) => p.includes('/bundle/')).sort(),
      ['/bundle/docs.json', '/bundle/manifest.json'],
      'files already stored under the same SHA-256 are not downloaded again',
    );
    await page.waitForFunction(async (oldId) => {
      const db = await new Promise<IDBDatabase>((resolve) => { const r = indexedDB.open('geniza'); r.onsuccess = () => resolve(r.result); });
      const n = await new Promise<number>((resolve) => {
        const r = db.transaction('docs').objectStore('docs').count(IDBKeyRange.bound([oldId, 0], [oldId, Infinity]));
        r.onsuccess = () => resolve(r.result);
      });
      db.close();
      return n === 0;
    }, manifest.bundleId);
    const cache = await cacheSummary(page);
    assert.deepEqual(cache.bundles.map((b) => b.bundleId), [newId]);
    assert.deepEqual(Object.keys(cache.docs), [newId]);
    assert.equal(cache.docs[newId], manifest.corpus.documents);
    assert.equal(cache.files.length, 4);
    assert.ok((await searchFor(page, 'install')).length > 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
