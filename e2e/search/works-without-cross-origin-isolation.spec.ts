// On a static host that cannot send COOP/COEP headers the page is not cross-origin isolated: search runs on
// one wasm thread and still works.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPage, openDemo, searchFor, serveDist, type StaticServer } from '../helpers.ts';

let browser: Browser;
let server: StaticServer;
before(async () => { server = await serveDist({ isolated: false }); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

test('search works on a host without cross-origin isolation headers', async (t) => {
  const { context, page, errors } = await newPage(browser);
  try {
    const info = await openDemo(page, server.url);
    t.diagnostic(info);
    assert.equal(await page.evaluate(() => crossOriginIsolated), false);
    assert.match(info, /wasm/);
    assert.ok((await searchFor(page, 'training')).length > 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
