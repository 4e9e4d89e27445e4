// A bundle the page cannot use is refused with a message that says what is wrong and how to fix it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { cacheSummary, launchBrowser, newPage, serveDist, type StaticServer } from '../helpers.ts';

let browser: Browser;
let server: StaticServer;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

test('a bundle of an unknown format version says to rebuild it with geniza build', async () => {
  const { context, page, errors } = await newPage(browser);
  try {
    await page.route('**/bundle/manifest.json', async (route) => {
      const res = await route.fetch();
      await route.fulfill({ response: res, json: { ...(await res.json()), formatVersion: 99 } });
    });
    await page.goto(server.url);
    const alert = page.locator('[role="alert"][data-code="BUNDLE_VERSION"]');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    assert.match(text, /version 99/);
    assert.match(text, /geniza build/);
    assert.equal(server.requests.filter((p) => /\.(onnx|bin)$/.test(p)).length, 0, 'no model file is downloaded');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a bundle file whose bytes do not match the manifest is refused, naming the file', async () => {
  const { context, page, errors } = await newPage(browser);
  try {
    await page.route('**/bundle/trie.bin', async (route) => {
      const res = await route.fetch();
      const body = Buffer.from(await res.body());
      body[body.length - 1] ^= 0xff;
      await route.fulfill({ response: res, body });
    });
    await page.goto(server.url);
    const alert = page.locator('[role="alert"][data-code="HASH_MISMATCH"]');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /trie\.bin/);
    const cache = await cacheSummary(page);
    assert.deepEqual(cache.bundles, [], 'nothing is stored for a bundle that failed verification');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
