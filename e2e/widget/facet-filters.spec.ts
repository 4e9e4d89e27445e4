// Filters: a bundle whose documents carry facets (built here from in-memory documents with a small training
// budget) shows a facet selector in the dialog; choosing a value restricts the results to that value's
// documents, and the filters attribute restricts them from the start.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { SourceDoc } from '../../src/core/types.ts';
import { build } from '../../src/indexer/build.ts';
import { DIST, launchBrowser, newPage, serveDist, type StaticServer } from '../helpers.ts';
import { WIDGET_INPUT, WIDGET_OPTIONS, widgetResults } from './widget-site.ts';

const TOPICS = [
  ['install', 'Installing Kestrel', 'Install the kestrel package with npm and run the install script once.'],
  ['config', 'Configuring Kestrel', 'The config file sets the port, the cache folder and the install prefix.'],
  ['upgrade', 'Upgrading Kestrel', 'To upgrade, install the new release over the old one and migrate the config.'],
] as const;
const DOCS: SourceDoc[] = ['1.x', '2.x'].flatMap((version) => TOPICS.map(([slug, title, text]) => ({
  id: `v${version[0]}/${slug}`,
  title: `${title} ${version}`,
  text: `${text} This page is about version ${version}.`,
  url: `v${version[0]}/${slug}.html`,
  filters: { version: [version] },
})));

let browser: Browser;
let server: StaticServer;
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'geniza-facets-'));
  await build({ docs: DOCS, input: 'facet docs', out: join(dir, 'bundle'), quiet: true, timeBudget: 15, epochs: 40, dModel: 32, layers: 1, queriesPerDoc: 8, seed: 7 });
  const page = (attrs: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>facets</title>
    <script type="module" src="/widget/geniza-search.js"></script></head><body><geniza-search bundle="/t/bundle/" ${attrs}></geniza-search></body></html>`;
  await writeFile(join(dir, 'any.html'), page(''));
  await writeFile(join(dir, 'only-1x.html'), page('filters="version:1.x"'));
  server = await serveDist({ isolated: false, mounts: { '/t/': dir, '/widget/': join(DIST, 'widget') } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function open(page: Page, path: string): Promise<void> {
  await page.goto(server.url + path);
  await page.locator('geniza-search .geniza-trigger').click();
  await page.locator(WIDGET_INPUT).waitFor();
  await page.locator('geniza-search [role="status"]').filter({ hasText: /^Search \d+ page/ }).waitFor({ timeout: 60_000 });
}

const urls = (page: Page) => page.locator(WIDGET_OPTIONS).evaluateAll((els) => els.map((e) => e.getAttribute('data-url') ?? ''));

test('the facet selector lists the bundle\'s facets and restricts results to the chosen value', async () => {
  const { context, page, errors } = await newPage(browser);
  try {
    await open(page, 't/any.html');
    const select = page.locator('geniza-search select[data-facet="version"]');
    assert.deepEqual(await select.locator('option').allTextContents(), ['all', '1.x', '2.x']);
    await page.locator(WIDGET_INPUT).fill('install');
    await widgetResults(page, 'install');
    const all = await urls(page);
    assert.ok(all.some((u) => u.startsWith('v1/')) && all.some((u) => u.startsWith('v2/')), `both versions without a filter: ${all}`);

    await select.selectOption('2.x');
    await page.waitForFunction(() => {
      const root = document.querySelector('geniza-search')!.shadowRoot!;
      const opts = [...root.querySelectorAll('[role="option"]')];
      return opts.length > 0 && opts.every((o) => o.getAttribute('data-url')!.startsWith('v2/'));
    }, undefined, { timeout: 30_000 });
    const v2 = await urls(page);
    assert.ok(v2.length >= 2 && v2.every((u) => u.startsWith('v2/')), `only 2.x documents: ${v2}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the filters attribute restricts results from the first query', async () => {
  const { context, page, errors } = await newPage(browser);
  try {
    await open(page, 't/only-1x.html');
    await page.locator(WIDGET_INPUT).fill('install');
    await widgetResults(page, 'install');
    const got = await urls(page);
    assert.ok(got.length >= 2 && got.every((u) => u.startsWith('v1/')), `only 1.x documents: ${got}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
