/**
 * The demo site (index.html): geniza's own documentation, searchable with geniza. A page list on the left,
 * the search box on top, and a reader pane that shows the chosen page from the bundle's document store
 * (so reading works offline too). Routes are hashes: `#/getting-started.html?q=install`.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { createSearch, type DocumentSummary, type ReadyInfo, type StoredDoc } from '../client/index.ts';
import { highlightRanges, queryTerms } from '../core/snippet.ts';
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

function Reader({ doc, query }: { doc: StoredDoc | null; query: string }) {
  const terms = query ? queryTerms(query) : [];
  useEffect(() => {
    document.querySelector('.demo-reader mark')?.scrollIntoView({ block: 'center' });
  }, [doc, query]);
  if (!doc) return <article class="demo-reader demo-reader--empty"><p>Choose a page on the left, or search above.</p></article>;
  return (
    <article class="demo-reader" aria-labelledby="demo-doc-title" data-doc-url={doc.url}>
      <h1 id="demo-doc-title"><HighlightedText text={doc.title} ranges={highlightRanges(doc.title, terms)} /></h1>
      {paragraphs(doc.text).map((p, i) => (
        <p key={i}><HighlightedText text={p} ranges={highlightRanges(p, terms)} /></p>
      ))}
    </article>
  );
}

function App() {
  const route = useRoute();
  const [docs, setDocs] = useState<DocumentSummary[]>([]);
  const [info, setInfo] = useState<ReadyInfo | null>(null);
  const [doc, setDoc] = useState<StoredDoc | null>(null);

  useEffect(() => {
    search.ready.then(async (i) => {
      setInfo(i);
      setDocs(await search.listDocuments());
    }, () => {});
  }, []);

  const url = route.url || (docs.some((d) => d.url === HOME) ? HOME : docs[0]?.url ?? '');
  useEffect(() => {
    const summary = docs.find((d) => d.url === url);
    if (!summary) { setDoc(null); return; }
    let live = true;
    search.getDocument(summary.docIndex).then((d) => {
      if (!live) return;
      setDoc(d);
      document.title = `${d.title} · geniza docs`;
    }, () => {});
    return () => { live = false; };
  }, [url, docs]);

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
      </header>
      <nav class="demo-nav" aria-label="Pages">
        <ul>
          {docs.map((d) => (
            <li key={d.docIndex}>
              <a href={routeHash(d.url)} aria-current={d.url === url ? 'page' : undefined}>{d.title}</a>
            </li>
          ))}
        </ul>
      </nav>
      <main class="demo-main">
        <Reader doc={doc} query={route.query} />
      </main>
      <footer class="demo-footer" data-testid="index-info" title={info ? `manifest ${Math.round(info.timings.manifestMs)} ms, files ${Math.round(info.timings.filesMs)} ms, model ${Math.round(info.timings.modelMs)} ms` : undefined}>
        {info
          ? `${info.documents} pages · ${info.fromCache ? 'loaded from IndexedDB' : 'downloaded'}${info.offline ? ' (offline)' : ''} in ${Math.round(info.loadMs)} ms · ${info.executionProvider} × ${info.numThreads} thread${info.numThreads === 1 ? '' : 's'} · bundle ${info.bundleId.slice(0, 12)}`
          : 'Loading the search index…'}
      </footer>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
