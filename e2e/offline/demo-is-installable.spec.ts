// The demo meets Chromium's PWA install criteria once its service worker is active: a web app manifest with
// name, icon, start_url and display, served over a secure origin, controlled by a service worker.
// (A persistent profile: Chromium never offers installation in an incognito-like context.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, collectConsoleErrors, demoBundle, openDemo, serveDist, type StaticServer } from '../helpers.ts';
import { waitForServiceWorker } from './service-worker-state.ts';

let server: StaticServer;
let profile: string;
before(async () => { server = await serveDist(); profile = mkdtempSync(join(tmpdir(), 'geniza-profile-')); });
after(async () => { await server?.close(); if (profile) rmSync(profile, { recursive: true, force: true }); });

test('Chromium reports no installability errors for the demo', async (t) => {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS,
  });
  try {
    const page = await context.newPage();
    const errors = collectConsoleErrors(page);
    await openDemo(page, server.url);
    await waitForServiceWorker(page, (await demoBundle()).manifest.bundleId);
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest') as { url: string; errors: unknown[] };
    t.diagnostic(`web app manifest ${manifest.url}`);
    assert.match(manifest.url, /manifest\.webmanifest$/);
    assert.deepEqual(manifest.errors, []);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
