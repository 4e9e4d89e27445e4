/**
 * `geniza/element`: registers the `<geniza-search>` custom element (once) and exports its class.
 *
 * @example
 *   import 'geniza/element';
 *   // <geniza-search bundle="/geniza/"></geniza-search>
 */
import { GenizaSearchElement } from './geniza-search-element.tsx';

export { GenizaSearchElement, type GenizaSelectDetail } from './geniza-search-element.tsx';

if (typeof customElements !== 'undefined' && !customElements.get('geniza-search')) {
  customElements.define('geniza-search', GenizaSearchElement);
}

declare global {
  interface HTMLElementTagNameMap {
    'geniza-search': GenizaSearchElement;
  }
}
