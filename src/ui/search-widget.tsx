/**
 * <SearchWidget>: the whole drop-in search: a trigger button, the Cmd/Ctrl+K (and `/`) shortcut, and the modal
 * <SearchDialog>. It creates its search on the first sign of intent (pointer over or focus on the button, the
 * shortcut) unless one is given, remembers recent searches per bundle, and opens results by navigating to them.
 * `<geniza-search>` renders this inside its shadow root; render it yourself for a Preact page (with
 * `<style>{widgetCss({ host: false })}</style>`, or your own CSS).
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createSearch, type GenizaSearch, type SearchHit } from '../client/index.ts';
import type { Filters } from './filters.ts';
import { RecentSearches, recentKey } from './recent-searches.ts';
import { SearchButton } from './search-button.tsx';
import { SearchDialog } from './search-dialog.tsx';
import { deepActiveElement, isOpenShortcut } from './shortcut.ts';

/** Props of `SearchWidget`. */
export interface SearchWidgetProps {
  /** URL of the bundle folder (resolved against the page); used to create the search and as the recent-searches key. */
  bundleUrl: string;
  /** A search to use instead of creating one (e.g. shared with the rest of the page). Default: created on first intent. */
  search?: GenizaSearch;
  /** Results asked for. Default 10. */
  k?: number;
  /** Placeholder of the search box. Default `Search`. */
  placeholder?: string;
  /** Text of the trigger button. Default `Search`. */
  buttonLabel?: string;
  /** Filters always applied to searches. Default none. */
  filters?: Filters;
  /** Listen for Cmd/Ctrl+K and `/` on the document. Default true. */
  shortcut?: boolean;
  /** Remember recent searches in localStorage. Default true. */
  recent?: boolean;
  /** `auto` (follow prefers-color-scheme), `light` or `dark`; sets `data-theme` on the wrapper. Default `auto`. */
  theme?: 'auto' | 'light' | 'dark';
  /** URL that relative result urls are resolved against. Default: the document's base URL. */
  baseUrl?: string;
  /** Called when a result is chosen; return false to stop the default navigation. Default: none. */
  onSelect?: (hit: SearchHit, query: string, newTab: boolean) => boolean | void;
  /** Controlled open state (with `onOpenChange`). Default: the widget keeps its own. */
  open?: boolean;
  /** Called when the widget wants to open or close. */
  onOpenChange?: (open: boolean) => void;
}

/** Absolute URL of a hit (relative urls resolved against `base`, itself resolved against the page); '' for a hit without a url. */
export function resolveHitUrl(url: string, base?: string): string {
  if (url === '') return '';
  try { return new URL(url, new URL(base ?? '', document.baseURI)).href; } catch { return url; }
}

/** The trigger button plus the modal search. */
export function SearchWidget(props: SearchWidgetProps) {
  const { bundleUrl, k, placeholder, buttonLabel, filters, shortcut = true, recent = true, theme = 'auto', baseUrl, onSelect } = props;
  const [ownOpen, setOwnOpen] = useState(false);
  const open = props.open ?? ownOpen;
  const setOpen = (v: boolean) => { if (props.open === undefined) setOwnOpen(v); props.onOpenChange?.(v); };
  const [created, setCreated] = useState<GenizaSearch | null>(null);
  const search = props.search ?? created;
  const button = useRef<HTMLButtonElement>(null);
  const absoluteBundle = useMemo(() => resolveHitUrl(bundleUrl.endsWith('/') ? bundleUrl : `${bundleUrl}/`), [bundleUrl]);
  const store = useMemo(() => (recent ? new RecentSearches(recentKey(absoluteBundle)) : null), [absoluteBundle, recent]);
  const wasOpen = useRef(false);

  function ensureSearch() {
    if (!props.search && !created) setCreated(createSearch({ bundleUrl: absoluteBundle }));
  }
  useEffect(() => () => created?.close(), [created]);
  useEffect(() => { if (open) ensureSearch(); }, [open]);

  // Focus goes back to the trigger when the dialog closes.
  useEffect(() => {
    if (wasOpen.current && !open) button.current?.focus();
    wasOpen.current = open;
  }, [open]);

  useEffect(() => {
    if (!shortcut) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || !isOpenShortcut(e, deepActiveElement())) return;
      if (open) {
        // Pressed again inside the dialog: keep the browser's own Ctrl+K (address bar search) from taking over.
        if (e.key !== '/') e.preventDefault();
        return;
      }
      e.preventDefault();
      setOpen(true);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [shortcut, open, props.open]);

  function select(hit: SearchHit, query: string, newTab: boolean) {
    if (onSelect?.(hit, query, newTab) === false) { setOpen(false); return; }
    const url = resolveHitUrl(hit.url, baseUrl);
    if (newTab) {
      if (url) window.open(url, '_blank', 'noopener');
      return;
    }
    setOpen(false);
    if (url) location.assign(url);
  }

  return (
    <div class="geniza-widget" data-theme={theme}>
      <SearchButton
        buttonRef={button}
        label={buttonLabel}
        hint={shortcut ? undefined : null}
        expanded={open}
        onIntent={ensureSearch}
        onClick={() => { ensureSearch(); setOpen(true); }}
      />
      {search && (
        <SearchDialog
          search={search}
          open={open}
          onClose={() => setOpen(false)}
          onSelect={select}
          k={k}
          placeholder={placeholder}
          filters={filters}
          recent={store}
          href={(h) => resolveHitUrl(h.url, baseUrl)}
        />
      )}
    </div>
  );
}
