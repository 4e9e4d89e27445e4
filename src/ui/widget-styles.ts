/**
 * The stylesheet of the search widget (trigger button, modal dialog, grouped results), as a string so it can be
 * adopted inside a shadow root (`<geniza-search>`) or put in a <style> for the Preact components.
 * Theme through custom properties; every one has a light and a dark default. Sizes are in em from a fixed 16px,
 * and the text properties are reset on the widget, so page rules (even on `html` or on the host) do not reach in.
 */

/** The custom properties of the widget and their light / dark defaults. */
export const THEME_PROPERTIES: Record<string, { light: string; dark: string; doc: string }> = {
  '--geniza-font': { light: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", dark: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", doc: 'font family' },
  '--geniza-text': { light: '#1d2330', dark: '#e6e9f0', doc: 'text colour' },
  '--geniza-muted': { light: '#5b6475', dark: '#a2abbd', doc: 'secondary text (urls, hints, status)' },
  '--geniza-bg': { light: '#ffffff', dark: '#1b1f29', doc: 'background of the dialog and the button' },
  '--geniza-surface': { light: '#f4f6fa', dark: '#242a37', doc: 'background of the results area and key hints' },
  '--geniza-border': { light: '#c9cfdb', dark: '#3a4254', doc: 'borders' },
  '--geniza-accent': { light: '#2f5dd3', dark: '#8fb0ff', doc: 'links, focus rings, the active result' },
  '--geniza-active': { light: '#e3eafc', dark: '#2d3a5c', doc: 'background of the active result' },
  '--geniza-mark': { light: '#ffe58a', dark: '#6b5a12', doc: 'background of highlighted words' },
  '--geniza-backdrop': { light: 'rgb(20 28 45 / 45%)', dark: 'rgb(0 0 0 / 60%)', doc: 'the backdrop behind the dialog' },
  '--geniza-radius': { light: '10px', dark: '10px', doc: 'corner radius' },
  '--geniza-shadow': { light: '0 12px 40px rgb(20 30 60 / 25%)', dark: '0 12px 40px rgb(0 0 0 / 60%)', doc: 'shadow of the dialog' },
};

function vars(which: 'light' | 'dark'): string {
  return Object.entries(THEME_PROPERTIES).map(([name, v]) => `${name}: ${v[which]};`).join(' ');
}

/**
 * The widget's CSS. `host: true` (inside a shadow root): defaults on `:host`, so a page rule such as
 * `geniza-search { --geniza-accent: teal }` overrides them, and `theme` is the host's attribute.
 * `host: false` (light DOM, Preact components): defaults on `.geniza-widget`, theme from its `data-theme`.
 */
export function widgetCss({ host }: { host: boolean }): string {
  const scope = host ? ':host' : '.geniza-widget';
  const theme = (t: string) => (host ? `:host([theme="${t}"])` : `.geniza-widget[data-theme="${t}"]`);
  const auto = host ? ':host(:not([theme="light"]):not([theme="dark"]))' : '.geniza-widget:not([data-theme="light"]):not([data-theme="dark"])';
  return `
${scope} { ${host ? 'all: initial; display: inline-block;' : ''} ${vars('light')} color-scheme: light;
  font-family: var(--geniza-font); font-size: 16px; line-height: 1.4; color: var(--geniza-text); }
${theme('dark')} { ${vars('dark')} color-scheme: dark; }
@media (prefers-color-scheme: dark) { ${auto} { ${vars('dark')} color-scheme: dark; } }
*, *::before, *::after { box-sizing: border-box; }
.geniza-widget, .geniza-dialog { font-family: var(--geniza-font); font-size: 16px; font-weight: 400; font-style: normal; line-height: 1.4;
  color: var(--geniza-text); letter-spacing: normal; word-spacing: normal; text-transform: none; text-align: left; text-indent: 0;
  text-shadow: none; white-space: normal; visibility: visible; cursor: auto; direction: ltr; }
.geniza-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.geniza-trigger { display: inline-flex; align-items: center; gap: 0.5em; margin: 0; padding: 0.4em 0.55em 0.4em 0.7em;
  font: inherit; font-size: 0.95em; color: var(--geniza-muted); background: var(--geniza-bg); border: 1px solid var(--geniza-border);
  border-radius: var(--geniza-radius); cursor: pointer; min-width: 10em; }
.geniza-trigger:hover { border-color: var(--geniza-accent); color: var(--geniza-text); }
.geniza-trigger:focus-visible { outline: 2px solid var(--geniza-accent); outline-offset: 2px; }
.geniza-trigger__icon { width: 1em; height: 1em; flex: none; }
.geniza-trigger__label { flex: 1; text-align: left; }
.geniza-kbd { font: inherit; font-size: 0.75em; padding: 0.1em 0.4em; border: 1px solid var(--geniza-border); border-radius: 4px;
  background: var(--geniza-surface); color: var(--geniza-muted); white-space: nowrap; }
.geniza-dialog { padding: 0; margin: 8vh auto auto; width: min(44em, calc(100vw - 1.5em)); max-height: 84vh; border: 1px solid var(--geniza-border);
  border-radius: var(--geniza-radius); background: var(--geniza-bg); color: var(--geniza-text); box-shadow: var(--geniza-shadow);
  font-family: var(--geniza-font); font-size: 16px; line-height: 1.4; overflow: hidden; }
.geniza-dialog[open] { display: flex; flex-direction: column; }
.geniza-dialog::backdrop { background: var(--geniza-backdrop); }
.geniza-dialog__head { display: flex; flex-wrap: wrap; gap: 0.5em; align-items: center; padding: 0.75em; border-bottom: 1px solid var(--geniza-border); }
.geniza-dialog__field { position: relative; flex: 1 1 16em; display: flex; align-items: center; }
.geniza-dialog__field .geniza-trigger__icon { position: absolute; left: 0.7em; color: var(--geniza-muted); pointer-events: none; }
.geniza-dialog__input { width: 100%; margin: 0; padding: 0.6em 0.8em 0.6em 2.2em; font: inherit; font-size: 1.05em; color: var(--geniza-text);
  background: var(--geniza-bg); border: 1px solid var(--geniza-border); border-radius: calc(var(--geniza-radius) - 2px); }
.geniza-dialog__input:focus { outline: 2px solid var(--geniza-accent); outline-offset: 0; }
.geniza-dialog__input::-webkit-search-cancel-button { display: none; }
.geniza-dialog__close { font: inherit; font-size: 0.8em; padding: 0.35em 0.5em; color: var(--geniza-muted); background: var(--geniza-surface);
  border: 1px solid var(--geniza-border); border-radius: 6px; cursor: pointer; }
.geniza-dialog__close:focus-visible, .geniza-facet select:focus-visible, .geniza-recent__clear:focus-visible { outline: 2px solid var(--geniza-accent); }
.geniza-facets { display: flex; flex-wrap: wrap; gap: 0.5em; width: 100%; }
.geniza-facet { display: inline-flex; align-items: center; gap: 0.35em; font-size: 0.85em; color: var(--geniza-muted); }
.geniza-facet select { font: inherit; color: var(--geniza-text); background: var(--geniza-bg); border: 1px solid var(--geniza-border); border-radius: 6px; padding: 0.2em 0.4em; }
.geniza-dialog__status { padding: 0.4em 0.9em; font-size: 0.85em; color: var(--geniza-muted); min-height: 1.9em; }
.geniza-dialog__progress { display: block; width: calc(100% - 1.8em); height: 4px; margin: 0 0.9em 0.4em; }
.geniza-dialog__body { overflow-y: auto; padding: 0 0.6em 0.6em; flex: 1; min-height: 0; }
.geniza-dialog__related { margin: 0.5em 0.5em 0; font-size: 0.9em; }
.geniza-dialog__error { margin: 0.4em 0.3em; padding: 0.6em 0.8em; border: 1px solid #e3a2a2; border-radius: 8px; background: #fff3f3; color: #7a1d1d; }
.geniza-dialog__error p { margin: 0.3em 0 0; font-size: 0.9em; overflow-wrap: anywhere; }
.geniza-dialog__foot { display: flex; gap: 1em; flex-wrap: wrap; padding: 0.5em 0.9em; border-top: 1px solid var(--geniza-border);
  font-size: 0.78em; color: var(--geniza-muted); background: var(--geniza-surface); }
.geniza-groups, .geniza-group, .geniza-recent__list { list-style: none; margin: 0; padding: 0; }
.geniza-group { margin-top: 0.5em; }
.geniza-group__title { padding: 0.3em 0.5em; font-size: 0.8em; font-weight: 600; color: var(--geniza-muted); text-transform: uppercase; letter-spacing: 0.03em; }
.geniza-option { display: block; margin: 2px 0; padding: 0.5em 0.7em; border-radius: 8px; background: var(--geniza-surface); color: inherit;
  text-decoration: none; cursor: pointer; border: 1px solid transparent; }
.geniza-option--section { margin-left: 1.1em; }
.geniza-option[aria-selected="true"] { background: var(--geniza-active); border-color: var(--geniza-accent); }
.geniza-option__title { display: block; font-weight: 600; color: var(--geniza-accent); }
.geniza-option__url { display: block; font-size: 0.75em; color: var(--geniza-muted); overflow-wrap: anywhere; }
.geniza-option__snippet { display: block; margin-top: 0.15em; font-size: 0.88em; line-height: 1.4; overflow-wrap: anywhere; }
.geniza-dialog mark { background: var(--geniza-mark); color: inherit; border-radius: 2px; padding: 0 1px; }
.geniza-recent__head { display: flex; justify-content: space-between; align-items: center; padding: 0.3em 0.5em; font-size: 0.8em; font-weight: 600; color: var(--geniza-muted); }
.geniza-recent__clear { font: inherit; font-weight: 400; color: var(--geniza-accent); background: none; border: 0; cursor: pointer; padding: 0.1em 0.3em; }
.geniza-recent__item { display: flex; align-items: center; gap: 0.4em; }
.geniza-recent__item .geniza-option { flex: 1; min-width: 0; }
.geniza-recent__remove { flex: none; font: inherit; font-size: 1.1em; line-height: 1; color: var(--geniza-muted); background: none; border: 0; cursor: pointer; padding: 0.3em 0.45em; border-radius: 6px; }
.geniza-recent__remove:hover, .geniza-recent__remove:focus-visible { color: var(--geniza-text); background: var(--geniza-surface); outline: none; }
.geniza-empty { padding: 1.2em 0.6em; text-align: center; color: var(--geniza-muted); }
@media (max-width: 600px) { .geniza-dialog { margin-top: 0; width: 100vw; max-height: 100vh; border-radius: 0; } .geniza-trigger { min-width: 0; } .geniza-trigger__label { display: none; } }
`;
}
