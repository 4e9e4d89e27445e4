/**
 * <SearchDialog>: the modal search of the widget. A native <dialog> opened with showModal (the page behind is
 * inert, focus stays inside), an ARIA combobox over a listbox of results grouped by page with section
 * sub-results (introduced as related when no page contains the query's words), recent searches while the box is
 * empty, a facet selector when the bundle lists facets, and the loading / empty / error states. Keys: arrows,
 * Home/End, Enter opens, Ctrl/Cmd+Enter opens in a new tab, Delete removes the active recent search, Escape closes. Its content is rendered only while it is open (its state,
 * such as the query, is kept).
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { GenizaSearch, LoadProgress, ReadyInfo, SearchHit, SearchOptions } from '../client/index.ts';
import type { GenizaError } from '../core/errors.ts';
import { isEmptyFilters, mergeFilters, type Filters } from './filters.ts';
import { GroupedResults, optionId } from './grouped-results.tsx';
import { flattenGroups, groupHits } from './group-hits.ts';
import { describeError, formatProgress, relatedNotice } from './messages.ts';
import { useLatestSearch } from './use-latest-search.ts';
import { RecentList } from './recent-list.tsx';
import type { RecentSearch, RecentSearches } from './recent-searches.ts';
import { SearchIcon } from './search-button.tsx';

/** Props of `SearchDialog`. */
export interface SearchDialogProps {
  /** The search to query (from `createSearch`). */
  search: GenizaSearch;
  /** Whether the dialog is shown (it is modal while shown). */
  open: boolean;
  /** Called when the user asks to close it (Escape, the close button, a click on the backdrop). */
  onClose: () => void;
  /** Called when a result is chosen; `newTab` for Ctrl/Cmd+Enter or a modified click. */
  onSelect: (hit: SearchHit, query: string, newTab: boolean) => void;
  /** Results asked for. Default 10. */
  k?: number;
  /** Placeholder of the search box. Default `Search`. */
  placeholder?: string;
  /** Accessible name of the dialog and its search box. Default `Search the site`. */
  label?: string;
  /** Filters always applied (e.g. from the `filters` attribute); the facet selector narrows per facet. Default none. */
  filters?: Filters;
  /** Recent searches store; null keeps none. Default null. */
  recent?: RecentSearches | null;
  /** Keep only hits containing a query word (see SearchUI). Default true. */
  requireTermMatch?: boolean;
  /** The href of a result link. Default: the hit's url as is. */
  href?: (hit: SearchHit) => string;
}

type LoadState =
  | { state: 'loading'; progress: LoadProgress | null }
  | { state: 'ready'; info: ReadyInfo }
  | { state: 'error'; error: GenizaError };

/** Search options with the `filters` option of the engine (see PLAN/contract: facet -> accepted values). */
type FilteredSearchOptions = SearchOptions & { filters?: Record<string, string | string[]> };

let dialogs = 0;

/** Focusable elements inside `root`, in tab order (for the focus trap). */
function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('input, select, button, textarea, a[href], [tabindex]')]
    .filter((el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0);
}

/** The modal search dialog. */
export function SearchDialog({
  search, open, onClose, onSelect, k = 10, placeholder = 'Search', label = 'Search the site', filters = {}, recent = null,
  requireTermMatch = true, href,
}: SearchDialogProps) {
  const id = useMemo(() => `geniza-dialog-${++dialogs}`, []);
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const [load, setLoad] = useState<LoadState>({ state: 'loading', progress: null });
  const [query, setQuery] = useState('');
  const { response, error: searchError, pending, run: runLatest } = useLatestSearch(search);
  const [active, setActive] = useState(-1);
  const [facetChoice, setFacetChoice] = useState<Record<string, string>>({});
  const [recentItems, setRecentItems] = useState<RecentSearch[]>(() => recent?.list() ?? []);

  useEffect(() => {
    let live = true;
    setLoad({ state: 'loading', progress: null });
    const off = search.onProgress((progress) => {
      if (live) setLoad((s) => (s.state === 'loading' ? { state: 'loading', progress } : s));
    });
    search.ready.then(
      (info) => { if (live) setLoad({ state: 'ready', info }); },
      (error: GenizaError) => { if (live) setLoad({ state: 'error', error }); },
    );
    return () => { live = false; off(); };
  }, [search]);

  useEffect(() => { setRecentItems(recent?.list() ?? []); }, [recent, open]);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      input.current?.focus();
      input.current?.select();
    } else if (!open && d.open) {
      d.close();
    }
  }, [open]);

  const effectiveFilters = useMemo(() => mergeFilters(filters, facetChoice), [filters, facetChoice]);

  function run(q: string, f: Filters = effectiveFilters) {
    const opts: FilteredSearchOptions = { k, requireTermMatch };
    if (!isEmptyFilters(f)) opts.filters = f;
    runLatest(q, opts, () => setActive(-1));
  }

  const showingRecent = query.trim() === '';
  const groups = useMemo(() => (!showingRecent && response ? groupHits(response.hits) : []), [response, showingRecent]);
  const order = useMemo(() => flattenGroups(groups), [groups]);
  const count = showingRecent ? recentItems.length : order.length;

  useEffect(() => {
    if (active < 0) return;
    body.current?.querySelector(`#${optionId(id, active)}`)?.scrollIntoView?.({ block: 'nearest' });
  }, [active]);

  function choose(hit: SearchHit, newTab: boolean) {
    if (recent) setRecentItems(recent.add({ query, title: hit.title, url: hit.url }));
    onSelect(hit, query, newTab);
  }

  function pickRecent(item: RecentSearch) {
    setQuery(item.query);
    run(item.query);
    input.current?.focus();
  }

  function onInputKeyDown(e: KeyboardEvent) {
    switch (e.key) {
      case 'ArrowDown':
        if (count === 0) return;
        e.preventDefault();
        setActive((a) => Math.min(count - 1, a + 1));
        break;
      case 'ArrowUp':
        if (count === 0) return;
        e.preventDefault();
        setActive((a) => Math.max(-1, a - 1));
        break;
      case 'Home':
      case 'End':
        if (count === 0 || active < 0) return;
        e.preventDefault();
        setActive(e.key === 'Home' ? 0 : count - 1);
        break;
      case 'Enter': {
        if (e.isComposing) return;
        if (showingRecent) {
          const item = recentItems[active];
          if (!item) return;
          e.preventDefault();
          pickRecent(item);
          return;
        }
        const hit = order[active >= 0 ? active : 0];
        if (!hit || pending) return;
        e.preventDefault();
        choose(hit, e.ctrlKey || e.metaKey);
        break;
      }
      case 'Delete':
        if (!showingRecent || !recent || !recentItems[active]) return;
        e.preventDefault();
        setRecentItems(recent.remove(recentItems[active]!));
        setActive((a) => Math.min(a, recentItems.length - 2));
        break;
      case 'Escape':
        e.preventDefault();
        onClose();
        break;
    }
  }

  /** Keeps Tab inside the dialog (wrapping at both ends). */
  function onDialogKeyDown(e: KeyboardEvent) {
    if (e.key !== 'Tab' || !dialog.current) return;
    const list = focusables(dialog.current);
    if (list.length === 0) return;
    const root = dialog.current.getRootNode() as Document | ShadowRoot;
    const current = root.activeElement;
    const i = list.indexOf(current as HTMLElement);
    if (e.shiftKey && (i <= 0)) { e.preventDefault(); list[list.length - 1]!.focus(); }
    else if (!e.shiftKey && (i === list.length - 1 || i < 0)) { e.preventDefault(); list[0]!.focus(); }
  }

  const facets = load.state === 'ready' ? load.info.manifest.corpus.facets ?? {} : {};
  const facetNames = Object.keys(facets).filter((f) => (facets[f]?.length ?? 0) > 0);
  const error = load.state === 'error' ? load.error : searchError;
  const described = error ? describeError(error) : null;
  const expanded = count > 0;
  let status = '';
  if (load.state === 'loading') status = formatProgress(load.progress);
  else if (load.state === 'ready' && !showingRecent && response && !pending) {
    const hits = order.length;
    const pages = groups.length;
    status = hits === 0
      ? `No results for “${query.trim()}”. Try other words, or fewer of them.`
      : `${hits} result${hits === 1 ? '' : 's'}${pages !== hits ? ` on ${pages} page${pages === 1 ? '' : 's'}` : ''} in ${Math.max(1, Math.round(response.elapsedMs))} ms`;
  } else if (load.state === 'ready' && showingRecent) {
    const n = load.info.manifest.corpus.pages ?? load.info.documents;
    status = `Search ${n} page${n === 1 ? '' : 's'}${load.info.offline ? ' (offline copy)' : ''}`;
  }

  return (
    <dialog
      ref={dialog}
      class="geniza-dialog"
      aria-label={label}
      onCancel={(e) => { e.preventDefault(); onClose(); }}
      onClose={() => { if (open) onClose(); }}
      onKeyDown={onDialogKeyDown}
      onClick={(e) => { if (e.target === dialog.current) onClose(); }}
    >
      {open && <>
      <div class="geniza-dialog__head">
        <div class="geniza-dialog__field">
          <SearchIcon />
          <label class="geniza-visually-hidden" for={`${id}-input`}>{label}</label>
          <input
            id={`${id}-input`}
            ref={input}
            class="geniza-dialog__input"
            type="search"
            role="combobox"
            autoComplete="off"
            spellcheck={false}
            enterKeyHint="go"
            placeholder={placeholder}
            aria-autocomplete="list"
            aria-expanded={expanded}
            aria-controls={`${id}-listbox`}
            aria-activedescendant={expanded && active >= 0 ? optionId(id, active) : undefined}
            aria-describedby={`${id}-status`}
            value={query}
            onInput={(e) => {
              const q = (e.currentTarget as HTMLInputElement).value;
              setQuery(q);
              setActive(-1);
              run(q);
            }}
            onKeyDown={onInputKeyDown}
          />
        </div>
        <button type="button" class="geniza-dialog__close" onClick={onClose} aria-label="Close search">Esc</button>
        {facetNames.length > 0 && (
          <div class="geniza-facets" role="group" aria-label="Filters">
            {facetNames.map((f) => (
              <label key={f} class="geniza-facet">
                <span>{f}</span>
                <select
                  value={facetChoice[f] ?? ''}
                  data-facet={f}
                  onChange={(e) => {
                    const next = { ...facetChoice, [f]: (e.currentTarget as HTMLSelectElement).value };
                    setFacetChoice(next);
                    run(query, mergeFilters(filters, next));
                  }}
                >
                  <option value="">{filters[f] ? `${filters[f]!.join(', ')}` : 'all'}</option>
                  {facets[f]!.map((v) => <option key={v} value={v}>{v}</option>)}
                </select>
              </label>
            ))}
          </div>
        )}
      </div>
      {load.state === 'loading' && (
        <progress
          class="geniza-dialog__progress"
          max={load.progress?.totalBytes || 1}
          value={load.progress?.phase === 'download' ? load.progress.loadedBytes : undefined}
          aria-label="Loading the search index"
        />
      )}
      <div id={`${id}-status`} class="geniza-dialog__status" role="status" aria-live="polite">{status}</div>
      <div class="geniza-dialog__body" ref={body}>
        {described && (
          <div class="geniza-dialog__error" role="alert" data-code={error!.code}>
            <strong>{described.title}</strong>
            <p>{described.detail}</p>
          </div>
        )}
        {showingRecent ? (
          <RecentList
            id={id}
            items={recentItems}
            active={active}
            onActivate={setActive}
            onPick={pickRecent}
            onRemove={(item) => { if (recent) setRecentItems(recent.remove(item)); input.current?.focus(); }}
            onClear={() => { if (recent) setRecentItems(recent.clear()); setActive(-1); input.current?.focus(); }}
          />
        ) : (
          order.length > 0 && <>
            {response?.related && <p class="geniza-dialog__related">{relatedNotice(response.query)}</p>}
            <GroupedResults id={id} groups={groups} active={active} onActivate={setActive} onOpen={choose} href={href} />
          </>
        )}
      </div>
      <div class="geniza-dialog__foot" aria-hidden="true">
        <span><kbd class="geniza-kbd">↑</kbd> <kbd class="geniza-kbd">↓</kbd> to move</span>
        <span><kbd class="geniza-kbd">Enter</kbd> to open</span>
        <span><kbd class="geniza-kbd">Esc</kbd> to close</span>
      </div>
      </>}
    </dialog>
  );
}
