/**
 * geniza's Preact UI: `<SearchUI search={createSearch({ bundleUrl })} />` renders a search-as-you-type
 * combobox with results. Styles: `src/ui/search-ui.css` (class names `geniza-*`).
 */
export { SearchUI, type SearchUIProps } from './search-ui.tsx';
export { HighlightedText, splitHighlights, type HighlightedTextProps } from './highlighted-text.tsx';
export { describeError, formatProgress } from './messages.ts';
