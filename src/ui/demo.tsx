/**
 * The demo site (index.html): geniza's own documentation, searchable with geniza. A page list on the left,
 * the search box on top, and a reader pane that shows the chosen page from the bundle's document store
 * (so reading works offline too), assembled from its sections when the bundle split pages at headings, and the
 * `<geniza-search>` widget (Ctrl/Cmd+K) in the header. Routes are hashes: `#/getting-started.html%23install?q=install`.
 */
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { createSearch, type DocumentSummary, type ReadyInfo, type StoredDoc } from '../client/index.ts';
import { registerGenizaServiceWorker } from '../pwa/register.ts';
import { highlightRanges, queryTerms } from '../core/snippet.ts';
import type { GenizaSelectDetail } from '../element/index.ts';
import '../element/index.ts';
import { pageUrlOf } from './group-hits.ts';
import { HighlightedText } from './highlighted-text.tsx';
import { SearchUI } from './search-ui.tsx';
import './search-ui.css';
import './demo.css';

/** Page shown when the hash names none. */
const HOME = 'getting-started.html';

const params = new URLSearchParams(location.search);
/** `?ep=webgpu` or `?ep=wasm` forces an ORT backend (for testing); default: automatic. */
const ep = params.get('ep');
/** `?bundle=<url>` loads another bundle of this site (e.g. bench/browser.ts); default `./bundle/`. Other origins are ignored. */
function bundleUrlParam(): string {
  const raw = params.get('bundle');
  if (!raw) return './bundle/';
  try {
    const url = new URL(raw.endsWith('/') ? raw : `${raw}/`, location.href);
    return url.origin === location.origin ? url.href : './bundle/';
  } catch {
    return './bundle/';
  }
}
const search = createSearch({ bundleUrl: bundleUrlParam(), executionProvider: ep === 'webgpu' || ep === 'wasm' ? ep : 'auto' });
/** The demo's search client, for the browser console and the latency benchmark (bench/demo.ts). */
(globalThis as { genizaDemo?: typeof search }).genizaDemo = search;
/** Offline PWA: the service worker (built by geniza/vite, `vite build` only) installs once the index is ready. */
void registerGenizaServiceWorker({ after: search.ready });

interface Route { url: string; query: string }

function parseRoute(hash: string): Route {
  const m = /^#\/([^?]*)(?:\?q=(.*))?$/.exec(hash);
  if (!m) return { url: '', query: '' };
  return { url: decodeURIComponent(m[1]!), query: m[2] ? decodeURIComponent(m[2]) : '' };
}

function routeHash(url: string, query = ''): string {
  return `#/${encodeURIComponent(url)}${query ? `?q=${encodeURIComponent(query)}` : ''}`;
}

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** Splits plain document text into paragraphs (the indexer writes one block of the page per line). */
function paragraphs(text: string): string[] {
  return text.split(/\n+/).map((p) => p.trim()).filter((p) => p !== '');
}

/** One page of the site: its url (no `#fragment`), title, and the documents (sections) it was split into, in doc order. */
interface SitePage { url: string; title: string; docs: DocumentSummary[] }

/**
 * Groups the bundle's documents into pages by url without `#fragment` (an unsectioned bundle has one document
 * per page). The page title is the lead section's title (the document whose url has no fragment), else the
 * `pageTitle` of its first section.
 */
async function sitePages(docs: DocumentSummary[]): Promise<SitePage[]> {
  const byUrl = new Map<string, DocumentSummary[]>();
  for (const d of docs) {
    const key = d.url === '' ? `\0${d.docIndex}` : pageUrlOf(d.url);
    const list = byUrl.get(key) ?? [];
    list.push(d);
    byUrl.set(key, list);
  }
  return Promise.all([...byUrl.values()].map(async (list) => {
    const sorted = [...list].sort((a, b) => a.docIndex - b.docIndex);
    const url = pageUrlOf(sorted[0]!.url);
    const lead = sorted.find((d) => d.url === url);
    const title = lead ? lead.title : ((await search.getDocument(sorted[0]!.docIndex).catch(() => null))?.pageTitle ?? sorted[0]!.title);
    return { url, title, docs: sorted };
  }));
}

/** The fragment of a url (without `#`), or ''. */
function fragmentOf(url: string): string {
  const i = url.indexOf('#');
  return i < 0 ? '' : url.slice(i + 1);
}

/** A page assembled from its sections: the page title, the lead text, then each section under a heading whose id is its anchor. */
function Reader({ page, sections, anchor, query }: { page: SitePage | null; sections: StoredDoc[] | null; anchor: string; query: string }) {
  const terms = query ? queryTerms(query) : [];
  useEffect(() => {
    if (!sections) return;
    const target = anchor ? document.getElementById(anchor) : null;
    const section = target?.closest('section') ?? document.querySelector('.demo-reader');
    const mark = section?.querySelector('mark');
    if (target) target.scrollIntoView({ block: 'start' });
    else mark?.scrollIntoView({ block: 'center' });
  }, [sections, anchor, query]);
  if (!page || !sections) return <article class="demo-reader demo-reader--empty"><p>Choose a page on the left, or search above.</p></article>;
  return (
    <article class="demo-reader" aria-labelledby="demo-doc-title" data-doc-url={page.url}>
      <h1 id="demo-doc-title"><HighlightedText text={page.title} ranges={highlightRanges(page.title, terms)} /></h1>
      {sections.map((doc) => {
        const id = fragmentOf(doc.url);
        const body = paragraphs(doc.text).map((p, i) => <p key={i}><HighlightedText text={p} ranges={highlightRanges(p, terms)} /></p>);
        if (!id) return <div key={doc.url} class="demo-section demo-section--lead">{body}</div>;
        return (
          <section key={doc.url} class="demo-section" aria-labelledby={id} data-current={id === anchor ? 'true' : undefined}>
            <h2 id={id}><a href={routeHash(doc.url, query)} class="demo-anchor"><HighlightedText text={doc.title} ranges={highlightRanges(doc.title, terms)} /></a></h2>
            {body}
          </section>
        );
      })}
    </article>
  );
}

function App() {
  const route = useRoute();
  const [pages, setPages] = useState<SitePage[]>([]);
  const [info, setInfo] = useState<ReadyInfo | null>(null);
  const [sections, setSections] = useState<StoredDoc[] | null>(null);
  const widget = useRef<HTMLElement & { search?: typeof search }>(null);

  useEffect(() => {
    search.ready.then(async (i) => {
      setInfo(i);
      setPages(await sitePages(await search.listDocuments()));
    }, () => {});
  }, []);

  // The header's <geniza-search> shares the page's search and opens hits in the reader instead of leaving.
  useEffect(() => {
    const el = widget.current;
    if (!el) return;
    el.search = search;
    const onSelect = (e: Event) => {
      const { hit, query, newTab } = (e as CustomEvent<GenizaSelectDetail>).detail;
      e.preventDefault();
      if (newTab) window.open(new URL(routeHash(hit.url, query), location.href).href, '_blank', 'noopener');
      else location.hash = routeHash(hit.url, query);
    };
    el.addEventListener('geniza-select', onSelect);
    return () => el.removeEventListener('geniza-select', onSelect);
  }, []);

  const pageUrl = pageUrlOf(route.url) || (pages.some((p) => p.url === HOME) ? HOME : pages[0]?.url ?? '');
  const page = pages.find((p) => p.url === pageUrl) ?? null;
  useEffect(() => {
    if (!page) { setSections(null); return; }
    let live = true;
    Promise.all(page.docs.map((d) => search.getDocument(d.docIndex))).then((docs) => {
      if (!live) return;
      setSections(docs);
      document.title = `${page.title} · geniza docs`;
    }, () => {});
    return () => { live = false; };
  }, [page]);

  return (
    <div class="demo">
      <header class="demo-header">
        <a class="demo-brand" href={routeHash(HOME)}>geniza <span>docs</span></a>
        <div class="demo-search">
          <SearchUI
            search={search}
            placeholder="Search the docs (try “offline”)"
            autoFocus
            onSelect={(hit, query) => { location.hash = routeHash(hit.url, query); }}
          />
        </div>
        <geniza-search ref={widget} class="demo-widget" bundle={bundleUrlParam()} placeholder="Search the docs" />
      </header>
      <nav class="demo-nav" aria-label="Pages">
        <ul>
          {pages.map((p) => (
            <li key={p.url}>
              <a href={routeHash(p.url)} aria-current={p.url === pageUrl ? 'page' : undefined}>{p.title}</a>
            </li>
          ))}
        </ul>
      </nav>
      <main class="demo-main">
        <Reader page={page} sections={page && sections && sections.length === page.docs.length ? sections : null} anchor={fragmentOf(route.url)} query={route.query} />
      </main>
      <footer class="demo-footer" data-testid="index-info" title={info ? `manifest ${Math.round(info.timings.manifestMs)} ms, files ${Math.round(info.timings.filesMs)} ms, model ${Math.round(info.timings.modelMs)} ms` : undefined}>
        {info
          ? `${info.manifest.corpus.pages ?? info.documents} pages · ${info.manifest.corpus.pages ? `${info.documents} sections · ` : ''}${info.fromCache ? 'loaded from IndexedDB' : 'downloaded'}${info.offline ? ' (offline)' : ''} in ${Math.round(info.loadMs)} ms · ${info.executionProvider} × ${info.numThreads} thread${info.numThreads === 1 ? '' : 's'} · bundle ${info.bundleId.slice(0, 12)}`
          : 'Loading the search index…'}
      </footer>
    </div>
  );
}

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
      /** The custom element (src/element), typed for the demo's JSX. */
      'geniza-search': HTMLAttributes<HTMLElement> & { bundle: string; placeholder?: string; k?: string; theme?: string; filters?: string; shortcut?: string };
    }
  }
}

render(<App />, document.getElementById('app')!);
