// The standalone element on a plain HTML page (one script tag, no framework, the script in another folder than
// the page): the button opens the search, a page title finds that page, and clicking the result lands on it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { demoBundle, launchBrowser, newPage } from '../helpers.ts';
import { PLAIN_PAGE, WIDGET_INPUT, WIDGET_OPTIONS, serveWidgetSite, widgetResults, type WidgetSite } from './widget-site.ts';

let browser: Browser;
let site: WidgetSite;
before(async () => { site = await serveWidgetSite(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await site?.close(); });

test('a script tag is all it takes: search from a plain page and land on the result', async () => {
  const { docs } = await demoBundle();
  const target = docs.find((d) => d.url === 'offline-and-caching.html') ?? docs.find((d) => !d.url.includes('#'))!;
  const { context, page, errors } = await newPage(browser);
  try {
    await page.goto(site.url + PLAIN_PAGE);
    const trigger = page.locator('geniza-search .geniza-trigger');
    await trigger.waitFor();
    assert.match((await trigger.textContent()) ?? '', /Search.*(Ctrl K|⌘K)/);
    await trigger.click();
    const input = page.locator(WIDGET_INPUT);
    await input.waitFor();
    assert.equal(await page.locator('geniza-search dialog[open]').count(), 1, 'the search opens as a dialog');
    await input.fill(target.title);
    const titles = await widgetResults(page, target.title);
    assert.ok(titles.includes(target.title), `"${target.title}" among ${JSON.stringify(titles)}`);
    assert.ok(await page.locator(`${WIDGET_OPTIONS} mark`).count() > 0, 'query words are highlighted');

    await page.locator(`${WIDGET_OPTIONS}[data-url="${target.url}"]`).click();
    await page.waitForURL(`${site.url}site/${target.url}`);
    assert.equal(await page.locator('h1').textContent(), target.title);
    // The standalone build found its worker and ORT's wasm next to the script, not next to the page.
    assert.ok(site.requests.some((p) => /^\/widget\/assets\/search\.worker-.*\.js$/.test(p)), 'worker loaded from /widget/assets/');
    assert.ok(site.requests.some((p) => /^\/widget\/assets\/ort-wasm.*\.wasm$/.test(p)), 'wasm loaded from /widget/assets/');
    assert.ok(!site.requests.some((p) => p.startsWith('/site/guide/assets/')), 'nothing is looked for next to the page');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a missing bundle attribute says what to write', async () => {
  const { context, page, errors } = await newPage(browser);
  try {
    await page.goto(site.url + PLAIN_PAGE);
    await page.locator('geniza-search .geniza-trigger').waitFor();
    await page.evaluate(() => {
      const el = document.createElement('geniza-search');
      el.id = 'broken';
      document.body.append(el);
    });
    const alert = page.locator('#broken [role="alert"]');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /bundle attribute is missing.*bundle="/);
    assert.ok(errors.some((e) => /bundle attribute is missing/.test(e)), 'and says so in the console');
  } finally {
    await context.close();
  }
});
