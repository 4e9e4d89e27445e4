// WebGPU is used only on a real GPU: with Chromium's software adapter (SwiftShader, a fallback adapter) the
// automatic choice is wasm. Forcing WebGPU there still gives the same top results as wasm (a correctness check).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPage, openDemo, searchFor, serveDist, type StaticServer } from '../helpers.ts';

let browser: Browser;
let server: StaticServer;
before(async () => { server = await serveDist(); browser = await launchBrowser(['--enable-unsafe-webgpu']); });
after(async () => { await browser?.close(); await server?.close(); });

const QUERIES = ['install', 'offline caching', 'beam search'];

test('a fallback WebGPU adapter is not used, and forced WebGPU ranks like wasm', async (t) => {
  const { context, page, errors } = await newPage(browser);
  try {
    await page.goto(server.url);
    const adapter = await page.evaluate(async () => {
      const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: { isFallbackAdapter?: boolean } } | null> } }).gpu;
      const a = await gpu?.requestAdapter();
      return a ? { fallback: a.info?.isFallbackAdapter ?? null } : null;
    });
    if (!adapter || adapter.fallback !== true) {
      t.skip(`needs Chromium's software WebGPU adapter (got ${JSON.stringify(adapter)})`);
      return;
    }
    const auto = await openDemo(page, server.url);
    assert.match(auto, /· wasm/);
    const wasmTop = [];
    for (const q of QUERIES) wasmTop.push((await searchFor(page, q))[0]);

    const forced = await openDemo(page, `${server.url}?ep=webgpu`, 120_000);
    t.diagnostic(forced);
    assert.match(forced, /· webgpu/);
    const gpuTop = [];
    for (const q of QUERIES) gpuTop.push((await searchFor(page, q, 120_000))[0]);
    assert.deepEqual(gpuTop, wasmTop);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
