/**
 * `<geniza-search bundle="/geniza/">`: the drop-in search widget as a custom element. It renders
 * <SearchWidget> (Preact) into an open shadow root whose styles are adopted inside it, so page CSS does not
 * reach in and its CSS does not leak out; theme it from the page through the `--geniza-*` custom properties.
 *
 * Attributes: `bundle` (required), `placeholder`, `k`, `theme` (auto|light|dark), `filters`
 * ("facet:value,value facet:value"), `shortcut` (on|off), `base-url`, `label`.
 * Events: `geniza-select` (cancelable; detail { hit, query, newTab }): call preventDefault() to handle the
 * navigation yourself.
 */
import { render } from 'preact';
import type { GenizaSearch, SearchHit } from '../client/index.ts';
import { parseFilters, type Filters } from '../ui/filters.ts';
import { SearchWidget } from '../ui/search-widget.tsx';
import { widgetCss } from '../ui/widget-styles.ts';

/** Detail of the `geniza-select` event. */
export interface GenizaSelectDetail {
  /** The chosen result. */
  hit: SearchHit;
  /** The query that found it. */
  query: string;
  /** True for Ctrl/Cmd+Enter or a modified click (open in a new tab). */
  newTab: boolean;
}

let sharedSheet: CSSStyleSheet | null = null;

/** Puts the widget's CSS into `root`: one constructed stylesheet shared by every instance, or a <style>. */
function adoptStyles(root: ShadowRoot): void {
  const css = widgetCss({ host: true });
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet !== 'undefined' && 'replaceSync' in CSSStyleSheet.prototype) {
    if (!sharedSheet) {
      sharedSheet = new CSSStyleSheet();
      sharedSheet.replaceSync(css);
    }
    root.adoptedStyleSheets = [sharedSheet];
  } else {
    const style = document.createElement('style');
    style.textContent = css;
    root.appendChild(style);
  }
}

/** The `<geniza-search>` element. */
export class GenizaSearchElement extends HTMLElement {
  /** Attributes that re-render the widget when they change. */
  static observedAttributes = ['bundle', 'placeholder', 'k', 'theme', 'filters', 'shortcut', 'base-url', 'label'];

  private readonly mount: HTMLElement;
  private shared: GenizaSearch | undefined;
  private isOpen = false;
  private connected = false;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    adoptStyles(root);
    this.mount = document.createElement('div');
    this.mount.setAttribute('part', 'root');
    root.appendChild(this.mount);
  }

  /** A search to use instead of creating one from `bundle` (e.g. one the page already has). */
  get search(): GenizaSearch | undefined {
    return this.shared;
  }
  set search(value: GenizaSearch | undefined) {
    this.shared = value;
    this.update();
  }

  /** Opens the search dialog. */
  open(): void {
    this.setOpen(true);
  }

  /** Closes the search dialog (focus returns to the button). */
  close(): void {
    this.setOpen(false);
  }

  connectedCallback(): void {
    this.connected = true;
    this.update();
  }

  disconnectedCallback(): void {
    this.connected = false;
    render(null, this.mount);
  }

  attributeChangedCallback(): void {
    this.update();
  }

  private setOpen(open: boolean): void {
    if (this.isOpen === open) return;
    this.isOpen = open;
    this.update();
  }

  private update(): void {
    if (!this.connected) return;
    const bundle = this.getAttribute('bundle')?.trim() ?? '';
    if (bundle === '') {
      this.fail('the bundle attribute is missing: write <geniza-search bundle="/path/to/bundle/"></geniza-search>, the folder that holds manifest.json');
      return;
    }
    let filters: Filters;
    try {
      filters = parseFilters(this.getAttribute('filters'));
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e));
      return;
    }
    const kText = this.getAttribute('k');
    let k: number | undefined;
    if (kText !== null) {
      k = Number(kText);
      if (!Number.isInteger(k) || k < 1 || k > 100) {
        this.fail(`k="${kText}" is not a whole number from 1 to 100 (the number of results); write e.g. k="10"`);
        return;
      }
    }
    const theme = this.getAttribute('theme');
    render(
      <SearchWidget
        bundleUrl={bundle}
        search={this.shared}
        k={k}
        placeholder={this.getAttribute('placeholder') ?? undefined}
        buttonLabel={this.getAttribute('label') ?? undefined}
        filters={filters}
        shortcut={this.getAttribute('shortcut') !== 'off'}
        theme={theme === 'light' || theme === 'dark' ? theme : 'auto'}
        baseUrl={this.getAttribute('base-url') ?? undefined}
        open={this.isOpen}
        onOpenChange={(open) => this.setOpen(open)}
        onSelect={(hit, query, newTab) => {
          const ev = new CustomEvent<GenizaSelectDetail>('geniza-select', { detail: { hit, query, newTab }, bubbles: true, composed: true, cancelable: true });
          return this.dispatchEvent(ev) ? undefined : false;
        }}
      />,
      this.mount,
    );
  }

  /** Shows a configuration error in place of the widget, and in the console. */
  private fail(message: string): void {
    console.error(`<geniza-search>: ${message}`);
    render(<p class="geniza-dialog__error" role="alert" data-code="BAD_OPTION">{`<geniza-search>: ${message}`}</p>, this.mount);
  }
}
