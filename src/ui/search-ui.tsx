/**
 * <SearchUI>: a search-as-you-type combobox over a GenizaSearch. ARIA combobox + listbox, keyboard navigation
 * (ArrowUp/ArrowDown move the active result, Enter opens it, Escape clears), a loading state with download
 * progress, an empty state, a notice above results that are only related (no page contains the query's words), and
 * error messages that say what to do. Document text is rendered as text only.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { GenizaSearch, LoadProgress, ReadyInfo, SearchHit } from '../client/index.ts';
import type { GenizaError } from '../core/errors.ts';
import { HighlightedText } from './highlighted-text.tsx';
import { describeError, formatProgress, relatedNotice } from './messages.ts';
import { useLatestSearch } from './use-latest-search.ts';

/** Props of `SearchUI`. */
export interface SearchUIProps {
  /** The search to query (from `createSearch`). */
  search: GenizaSearch;
  /** Results shown. Default 10. */
  k?: number;
  /** Placeholder of the search box. Default `Search`. */
  placeholder?: string;
  /** Accessible label of the search box. Default `Search the documentation`. */
  label?: string;
  /** Called when a result is opened (Enter or click). Default: navigate to `hit.url` (a hit without a url stays put). */
  onSelect?: (hit: SearchHit, query: string) => void;
  /** Focus the search box on mount. Default false. */
  autoFocus?: boolean;
  /** Show only results that contain a word of the query, so gibberish gives the empty state. Default true. */
  requireTermMatch?: boolean;
}

type LoadState =
  | { state: 'loading'; progress: LoadProgress | null }
  | { state: 'ready'; info: ReadyInfo }
  | { state: 'error'; error: GenizaError };

let instances = 0;

/** The search box with its results list. */
export function SearchUI({ search, k = 10, placeholder = 'Search', label = 'Search the documentation', onSelect, autoFocus = false, requireTermMatch = true }: SearchUIProps) {
  const id = useMemo(() => `geniza-${++instances}`, []);
  const [load, setLoad] = useState<LoadState>({ state: 'loading', progress: null });
  const [query, setQuery] = useState('');
  const { response, error: searchError, pending, run: runLatest } = useLatestSearch(search);
  const [active, setActive] = useState(-1);
  const [listOpen, setListOpen] = useState(true);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);

  useEffect(() => {
    let live = true;
    const off = search.onProgress((progress) => {
      if (live) setLoad((s) => (s.state === 'loading' ? { state: 'loading', progress } : s));
    });
    search.ready.then(
      (info) => { if (live) setLoad({ state: 'ready', info }); },
      (error: GenizaError) => { if (live) setLoad({ state: 'error', error }); },
    );
    if (autoFocus) input.current?.focus();
    return () => { live = false; off(); };
  }, [search]);

  useEffect(() => {
    if (active < 0) return;
    list.current?.querySelector(`#${id}-opt-${active}`)?.scrollIntoView?.({ block: 'nearest' });
  }, [active]);

  function run(q: string) {
    runLatest(q, { k, requireTermMatch }, () => setActive(-1));
  }

  function clear() {
    setQuery('');
    run('');
  }

  const hits = query.trim() !== '' && response ? response.hits : [];
  const open = (hit: SearchHit) => {
    setListOpen(false);
    if (onSelect) onSelect(hit, query);
    else if (hit.url !== '') location.assign(hit.url);
  };

  function onKeyDown(e: KeyboardEvent) {
    switch (e.key) {
      case 'ArrowDown':
        if (hits.length === 0) return;
        e.preventDefault();
        if (!listOpen) { setListOpen(true); return; }
        setActive((a) => Math.min(hits.length - 1, a + 1));
        break;
      case 'ArrowUp':
        if (hits.length === 0 || !listOpen) return;
        e.preventDefault();
        setActive((a) => Math.max(-1, a - 1));
        break;
      case 'Enter': {
        const hit = listOpen ? hits[active >= 0 ? active : 0] : undefined;
        if (!hit) return;
        e.preventDefault();
        open(hit);
        break;
      }
      case 'Escape':
        if (query === '') return;
        e.preventDefault();
        clear();
        break;
    }
  }

  const expanded = hits.length > 0 && listOpen;
  const error = load.state === 'error' ? load.error : searchError;
  const described = error ? describeError(error) : null;
  let status = '';
  if (load.state === 'loading') status = formatProgress(load.progress);
  else if (load.state === 'ready' && query.trim() !== '' && response && !pending) {
    status = hits.length === 0
      ? `No results for “${query.trim()}”. Try other words, or fewer of them.`
      : `${hits.length} result${hits.length === 1 ? '' : 's'} in ${Math.max(1, Math.round(response.elapsedMs))} ms`;
  } else if (load.state === 'ready' && query.trim() === '') {
    status = `Search ${load.info.documents} page${load.info.documents === 1 ? '' : 's'}${load.info.offline ? ' (offline copy)' : ''}`;
  }

  return (
    <div class="geniza-search" data-state={load.state} aria-busy={load.state === 'loading' || pending}>
      <div class="geniza-search__field">
        <label class="geniza-visually-hidden" for={`${id}-input`}>{label}</label>
        <input
          id={`${id}-input`}
          ref={input}
          class="geniza-search__input"
          type="search"
          role="combobox"
          autoComplete="off"
          spellcheck={false}
          placeholder={placeholder}
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={`${id}-listbox`}
          aria-activedescendant={expanded && active >= 0 ? `${id}-opt-${active}` : undefined}
          aria-describedby={`${id}-status`}
          value={query}
          onInput={(e) => {
            const q = (e.currentTarget as HTMLInputElement).value;
            setQuery(q);
            setListOpen(true);
            run(q);
          }}
          onFocus={() => setListOpen(true)}
          onBlur={() => setListOpen(false)}
          onKeyDown={onKeyDown}
        />
        {query !== '' && (
          <button type="button" class="geniza-search__clear" aria-label="Clear search" onClick={() => { clear(); input.current?.focus(); }}>×</button>
        )}
      </div>
      {load.state === 'loading' && (
        <progress
          class="geniza-search__progress"
          max={load.progress?.totalBytes || 1}
          value={load.progress?.phase === 'download' ? load.progress.loadedBytes : undefined}
          aria-label="Loading the search index"
        />
      )}
      <div id={`${id}-status`} class="geniza-search__status" role="status" aria-live="polite">{status}</div>
      {described && (
        <div class="geniza-search__error" role="alert" data-code={error!.code}>
          <strong>{described.title}</strong>
          <p>{described.detail}</p>
        </div>
      )}
      {expanded && response?.related && <p class="geniza-search__related">{relatedNotice(response.query)}</p>}
      <ul id={`${id}-listbox`} ref={list} class="geniza-search__results" role="listbox" aria-label="Search results" hidden={!expanded}>
        {hits.map((hit, i) => (
          <li
            key={`${hit.docIndex}`}
            id={`${id}-opt-${i}`}
            class="geniza-result"
            role="option"
            aria-selected={i === active}
            onMouseDown={(e) => e.preventDefault()}
            onMouseMove={() => { if (i !== active) setActive(i); }}
            onClick={(e) => {
              if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
              e.preventDefault();
              open(hit);
            }}
          >
            <a class="geniza-result__link" href={hit.url} tabIndex={-1}>
              <span class="geniza-result__title"><HighlightedText text={hit.title} ranges={hit.titleHighlights} /></span>
              <span class="geniza-result__url">{hit.url}</span>
              <span class="geniza-result__snippet"><HighlightedText text={hit.snippet.text} ranges={hit.snippet.highlights} /></span>
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
