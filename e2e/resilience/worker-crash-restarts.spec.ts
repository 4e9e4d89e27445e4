// If the search worker dies, the page starts a new one from the stored bundle and search keeps working.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page, Worker } from 'playwright-core';
import { launchBrowser, newPage, openDemo, searchFor, serveDist, type StaticServer } from '../helpers.ts';

let browser: Browser;
let server: StaticServer;
before(async () => { server = await serveDist(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.close(); });

/**
 * The search worker. ORT's wasm threads run the same script under the name `em-pthread...` and may sit in
 * Atomics.wait, where evaluate never returns: ask each worker its name with a time limit.
 */
async function searchWorker(page: Page): Promise<Worker | undefined> {
  for (const w of page.workers()) {
    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve(''), 2000));
    const name = await Promise.race([w.evaluate(() => self.name).catch(() => ''), timeout]);
    if (name === 'geniza-search') return w;
  }
  return undefined;
}

test('search keeps working after the search worker crashes', async () => {
  const { context, page, errors } = await newPage(browser);
  try {
    await openDemo(page, server.url);
    assert.ok((await searchFor(page, 'install')).length > 0);
    const worker = await searchWorker(page);
    assert.ok(worker, `search worker found among ${page.workers().map((w) => w.url()).join(', ')}`);
    const closed = new Promise((resolve) => worker.once('close', resolve));
    await worker.evaluate(() => { setTimeout(() => { throw new Error('e2e: simulated worker crash'); }, 0); });
    await closed;
    const titles = await searchFor(page, 'training the model');
    assert.ok(titles.length > 0, 'a new worker answers');
    const restarted = await searchWorker(page);
    assert.ok(restarted && restarted !== worker, 'a new search worker runs');
    assert.deepEqual(errors.filter((e) => !/simulated worker crash/.test(e)), []);
  } finally {
    await context.close();
  }
});
