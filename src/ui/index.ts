/**
 * geniza's Preact UI. Two ready-made interfaces and the pieces they are made of:
 *   - `<SearchUI search={createSearch({ bundleUrl })} />`: a search-as-you-type combobox with results
 *     (styles: `src/ui/search-ui.css`, class names `geniza-*`);
 *   - `<SearchWidget bundleUrl="/geniza/" />`: a trigger button, Cmd/Ctrl+K, and a modal search with results
 *     grouped by page, recent searches and facet filters (styles: `widgetCss({ host: false })`); the
 *     `<geniza-search>` element (`geniza/element`) is this widget in a shadow root.
 */
export { SearchUI, type SearchUIProps } from './search-ui.tsx';
export { SearchWidget, resolveHitUrl, type SearchWidgetProps } from './search-widget.tsx';
export { SearchDialog, type SearchDialogProps } from './search-dialog.tsx';
export { SearchButton, SearchIcon, type SearchButtonProps } from './search-button.tsx';
export { GroupedResults, optionId, type GroupedResultsProps } from './grouped-results.tsx';
export { RecentList, type RecentListProps } from './recent-list.tsx';
export { RecentSearches, recentKey, MAX_RECENT, type RecentSearch, type RecentStorage } from './recent-searches.ts';
export { groupHits, flattenGroups, pageUrlOf, isPageHit, type PageGroup } from './group-hits.ts';
export { parseFilters, mergeFilters, isEmptyFilters, type Filters } from './filters.ts';
export { isOpenShortcut, shortcutHint, isApplePlatform, isTextField, deepActiveElement } from './shortcut.ts';
export { widgetCss, THEME_PROPERTIES } from './widget-styles.ts';
export { HighlightedText, splitHighlights, type HighlightedTextProps } from './highlighted-text.tsx';
export { describeError, formatProgress, relatedNotice } from './messages.ts';
