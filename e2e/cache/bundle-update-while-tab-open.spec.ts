// A new bundle version published while a tab is open: the open tab keeps answering from the version it loaded
// (its service worker still serves it that version's files, never the new ones), a new tab gets the new
// version only, and after a reload the first tab answers from the new version only; the old version's caches
// (service worker and IndexedDB) are removed once no tab uses it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { BundleManifest } from '../../src/core/types.ts';
import { build } from '../../src/indexer/build.ts';
import { DIST, cacheSummary, collectConsoleErrors, demoBundle, launchBrowser, openDemo, searchFor, serveDist, type StaticServer } from '../helpers.ts';
import { cacheNames, waitForServiceWorker } from '../offline/service-worker-state.ts';

/** Bundle B: a small bakery corpus, nothing like the demo's documentation (bundle A). */
const BAKERY = [
  ['Sourdough starter care', 'Feed the sourdough starter with flour and water every day; a lively starter doubles and smells sour.'],
  ['Laminated croissant dough', 'Fold cold butter into the croissant dough three times and rest it in the fridge between folds.'],
  ['Dense rye bread', 'Rye flour holds little gluten, so rye bread is dense; bake it in a pan after a long proof.'],
  ['Neapolitan pizza oven', 'A very hot pizza oven bakes a Neapolitan pizza in ninety seconds; stretch the dough by hand.'],
  ['Boiled bagels', 'Boil the bagels in water with barley malt before baking for a shiny and chewy crust.'],
  ['Olive oil focaccia', 'Dimple the focaccia dough with oily fingers, then add rosemary and coarse salt.'],
  ['Lye pretzels', 'Dip the pretzels in a weak lye bath for a deep brown, crisp crust.'],
  ['Brioche with butter', 'Brioche dough is rich in eggs and butter; knead it long before adding the butter.'],
].map(([title, text], i) => ({ id: `bakery-${i}`, title: title!, text: text!, url: `bakery-${i}.html` }));

let browser: Browser;
let server: StaticServer;
let site: string;
let bundleB: string;
before(async () => {
  site = mkdtempSync(join(tmpdir(), 'geniza-update-site-'));
  cpSync(DIST, site, { recursive: true });
  bundleB = join(site, 'bundle-next');
  await build({ docs: BAKERY, out: bundleB, epochs: 3, timeBudget: 10, vocabSize: 300, quiet: true });
  server = await serveDist({ root: site });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (site) rmSync(site, { recursive: true, force: true });
});

/** SHA-256 of what the page gets for `path` (through its service worker). */
function fetchedSha(page: Page, path: string): Promise<string> {
  return page.evaluate(async (p) => {
    const bytes = await (await fetch(p)).arrayBuffer();
    return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
  }, path);
}

test('an open tab keeps its bundle version after a new one is published; reloads switch whole versions', async (t) => {
  const a = await demoBundle();
  const manifestA = JSON.parse(readFileSync(join(site, 'bundle', 'manifest.json'), 'utf8')) as BundleManifest;
  const b = JSON.parse(readFileSync(join(bundleB, 'manifest.json'), 'utf8')) as BundleManifest;
  assert.notEqual(b.files.docs.sha256, manifestA.files.docs.sha256);
  assert.notEqual(b.files.trie.sha256, manifestA.files.trie.sha256, 'A and B have different tries');
  const titlesA = new Set(a.docs.flatMap((d) => [d.title, (d as { pageTitle?: string }).pageTitle ?? d.title]));
  const titlesB = new Set(BAKERY.map((d) => d.title));
  /** Every title is one of `own`'s and none of `other`'s (an empty answer passes: nothing was mixed in). */
  const onlyFrom = (titles: string[], own: Set<string>, other: Set<string>) => titles.every((x) => own.has(x) && !other.has(x));
  /** Results, all from `own`. */
  const answersFrom = (titles: string[], own: Set<string>, other: Set<string>) => titles.length > 0 && onlyFrom(titles, own, other);

  const context = await browser.newContext();
  const tab1 = await context.newPage();
  const errors = collectConsoleErrors(tab1);
  try {
    await openDemo(tab1, server.url);
    await waitForServiceWorker(tab1, a.manifest.bundleId);
    // Reload so the tab is controlled by the service worker (the first visit installs it).
    const loadedA = await openDemo(tab1, server.url);
    assert.match(loadedA, new RegExp(`bundle ${a.manifest.bundleId.slice(0, 12)}`));
    assert.ok(answersFrom(await searchFor(tab1, 'offline cache'), titlesA, titlesB), 'tab 1 answers from A');

    // The site publishes bundle B.
    renameSync(join(site, 'bundle'), join(site, 'bundle-old'));
    renameSync(bundleB, join(site, 'bundle'));

    assert.ok(answersFrom(await searchFor(tab1, 'install the command line tool'), titlesA, titlesB), 'tab 1 still answers from A');
    assert.ok(onlyFrom(await searchFor(tab1, 'sourdough starter'), titlesA, titlesB), 'tab 1 never answers from B');
    assert.equal(await fetchedSha(tab1, 'bundle/docs.json'), manifestA.files.docs.sha256, 'tab 1 is still served A\'s documents');

    const tab2 = await context.newPage();
    const errors2 = collectConsoleErrors(tab2);
    const loadedB = await openDemo(tab2, server.url);
    t.diagnostic(`new tab: ${loadedB}`);
    assert.match(loadedB, new RegExp(`bundle ${b.bundleId.slice(0, 12)}`));
    assert.ok(answersFrom(await searchFor(tab2, 'sourdough starter'), titlesB, titlesA), 'tab 2 answers from B only');
    assert.equal(await fetchedSha(tab2, 'bundle/docs.json'), b.files.docs.sha256, 'tab 2 is served B\'s documents');
    await waitForServiceWorker(tab2, b.bundleId);
    const both = (await cacheNames(tab2)).filter((n) => n.startsWith('geniza-bundle-'));
    assert.deepEqual(both.sort(), [`geniza-bundle-${a.manifest.bundleId}`, `geniza-bundle-${b.bundleId}`].sort(), 'A is kept while tab 1 uses it');

    assert.ok(onlyFrom(await searchFor(tab1, 'croissant dough butter'), titlesA, titlesB), 'tab 1 never answers from B');
    assert.ok(answersFrom(await searchFor(tab1, 'offline search'), titlesA, titlesB), 'tab 1 keeps answering from A');

    const reloaded = await openDemo(tab1, server.url);
    t.diagnostic(`tab 1 after reload: ${reloaded}`);
    assert.match(reloaded, new RegExp(`bundle ${b.bundleId.slice(0, 12)}`));
    assert.ok(answersFrom(await searchFor(tab1, 'sourdough starter'), titlesB, titlesA), 'tab 1 answers from B only after reload');
    assert.ok(onlyFrom(await searchFor(tab1, 'offline cache'), titlesB, titlesA), 'tab 1 never answers from A after reload');

    await tab1.waitForFunction(async (id) => !(await caches.keys()).includes(`geniza-bundle-${id}`), a.manifest.bundleId, { polling: 250, timeout: 30_000 });
    assert.deepEqual((await cacheNames(tab1)).filter((n) => n.startsWith('geniza-bundle-')), [`geniza-bundle-${b.bundleId}`], 'A\'s cache is gone once no tab uses it');
    const idb = await cacheSummary(tab1);
    assert.deepEqual(idb.bundles.map((x) => x.bundleId), [b.bundleId]);
    assert.deepEqual(Object.keys(idb.docs), [b.bundleId], 'IndexedDB holds B only');
    assert.deepEqual([...errors, ...errors2], []);
  } finally {
    await context.close();
  }
});

