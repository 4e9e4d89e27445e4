/**
 * Shared setup of the <geniza-search> specs: a plain static site in a temporary folder (the fixture page at
 * /site/guide/plain-page.html, and one page per document of the demo bundle at /site/<url>, titled like it),
 * served with the standalone element build at /widget/ and the demo bundle at /bundle/ (both from dist/).
 */
import { mkdir, mkdtemp, copyFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { DIST, ROOT, demoBundle, serveDist, type StaticServer } from '../helpers.ts';

/** The fixture page's path on the server. */
export const PLAIN_PAGE = 'site/guide/plain-page.html';

/** A served plain site; `close` also removes its folder. */
export interface WidgetSite extends StaticServer {
  /** The temporary folder served at /site/. */
  dir: string;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** Writes the plain site and serves it (not cross-origin isolated unless `isolated`). */
export async function serveWidgetSite(opts: { isolated?: boolean; mounts?: Record<string, string> } = {}): Promise<WidgetSite> {
  const dir = await mkdtemp(join(tmpdir(), 'geniza-widget-site-'));
  await mkdir(join(dir, 'guide'), { recursive: true });
  await copyFile(join(ROOT, 'e2e', 'widget', 'fixtures', 'plain-page.html'), join(dir, 'guide', 'plain-page.html'));
  const { docs } = await demoBundle();
  const pages = new Map<string, string>();
  for (const d of docs) {
    const url = d.url.split('#')[0]!;
    if (url && !pages.has(url)) pages.set(url, (d as { pageTitle?: string }).pageTitle ?? d.title);
  }
  for (const [url, title] of pages) {
    const file = join(dir, url);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1></body></html>`);
  }
  const server = await serveDist({
    isolated: opts.isolated ?? false,
    mounts: { '/site/': dir, '/widget/': join(DIST, 'widget'), '/bundle/': join(DIST, 'bundle'), ...opts.mounts },
  });
  return { ...server, dir, close: async () => { await server.close(); await rm(dir, { recursive: true, force: true }); } };
}

/** The widget's search box (inside its shadow root; Playwright's CSS locators pierce open shadow roots). */
export const WIDGET_INPUT = 'geniza-search input[role="combobox"]';
/** The widget's result options. */
export const WIDGET_OPTIONS = 'geniza-search [role="listbox"] [role="option"]';

/** Waits until the widget's box holds `query` and its answer is shown; returns the result titles in display order. */
export async function widgetResults(page: Page, query: string, timeoutMs = 60_000): Promise<string[]> {
  await page.waitForFunction((q) => {
    const root = document.querySelector('geniza-search')?.shadowRoot;
    const input = root?.querySelector('input[role="combobox"]') as HTMLInputElement | null;
    const status = root?.querySelector('[role="status"]')?.textContent ?? '';
    return input?.value === q && /result|No results/.test(status);
  }, query, { timeout: timeoutMs });
  return page.locator(`${WIDGET_OPTIONS} .geniza-option__title`).allTextContents();
}

/** What has focus, seen through the widget's shadow root: `input`, `trigger`, another role, or `page:<tag>`. */
export function focusInWidget(page: Page): Promise<string> {
  return page.evaluate(() => {
    const host = document.querySelector('geniza-search');
    if (document.activeElement !== host) return `page:${document.activeElement?.tagName.toLowerCase() ?? 'none'}`;
    const el = host!.shadowRoot!.activeElement;
    if (!el) return 'host';
    if (el.classList.contains('geniza-trigger')) return 'trigger';
    if (el.getAttribute('role') === 'combobox') return 'input';
    return el.tagName.toLowerCase();
  });
}

/** Polls `read` every 100 ms until it gives `want` or 5 s pass (the caller then asserts). */
export async function settle<T>(read: () => Promise<T>, want: T): Promise<void> {
  for (let i = 0; i < 50 && (await read()) !== want; i++) await new Promise((r) => setTimeout(r, 100));
}

/** Whether the widget's dialog is open. It opens and closes on the next render (a Preact effect), not inside the key event. */
export const dialogOpen = (page: Page): Promise<boolean> => page.locator('geniza-search dialog[open]').count().then((n) => n === 1);
