/**
 * <GroupedResults>: search hits grouped by page, each page with its section sub-results, as an ARIA listbox
 * with one group per page. The options are the hits in `flattenGroups` order; `active` indexes that order.
 */
import type { SearchHit } from '../core/types.ts';
import { flattenGroups, type PageGroup } from './group-hits.ts';
import { HighlightedText } from './highlighted-text.tsx';

/** Props of `GroupedResults`. */
export interface GroupedResultsProps {
  /** Prefix of element ids (option i is `${id}-opt-${i}`). */
  id: string;
  /** The pages, from `groupHits`. */
  groups: readonly PageGroup[];
  /** Index of the active option in `flattenGroups(groups)`, or -1 for none. */
  active: number;
  /** Called when the pointer moves over option `index`. */
  onActivate?: (index: number) => void;
  /** Called when an option is clicked (`newTab`: with Ctrl/Cmd/Shift or the middle button). */
  onOpen: (hit: SearchHit, newTab: boolean) => void;
  /** Accessible name of the listbox. Default `Search results`. */
  label?: string;
  /** Resolves a hit's url for its link (href). Default: the url as is. */
  href?: (hit: SearchHit) => string;
}

/** The option id of position `index`. */
export function optionId(id: string, index: number): string {
  return `${id}-opt-${index}`;
}

/** The results listbox, grouped by page. */
export function GroupedResults({ id, groups, active, onActivate, onOpen, label = 'Search results', href = (h) => h.url }: GroupedResultsProps) {
  const order = flattenGroups(groups);
  const position = new Map(order.map((h, i) => [h, i]));
  const option = (hit: SearchHit, section: boolean) => {
    const i = position.get(hit)!;
    return (
      <li key={hit.docIndex} role="presentation">
        <a
          id={optionId(id, i)}
          role="option"
          class={`geniza-option${section ? ' geniza-option--section' : ''}`}
          aria-selected={i === active}
          href={href(hit)}
          tabIndex={-1}
          data-url={hit.url}
          onMouseDown={(e) => e.preventDefault()}
          onMouseMove={() => { if (i !== active) onActivate?.(i); }}
          onClick={(e) => {
            e.preventDefault();
            onOpen(hit, e.ctrlKey || e.metaKey || e.shiftKey || e.button === 1);
          }}
        >
          <span class="geniza-option__title"><HighlightedText text={hit.title} ranges={hit.titleHighlights} /></span>
          {hit.url !== '' && <span class="geniza-option__url">{hit.url}</span>}
          {hit.snippet.text !== '' && (
            <span class="geniza-option__snippet"><HighlightedText text={hit.snippet.text} ranges={hit.snippet.highlights} /></span>
          )}
        </a>
      </li>
    );
  };
  return (
    <div id={`${id}-listbox`} class="geniza-groups" role="listbox" aria-label={label}>
      {groups.map((g, gi) => (
        <ul key={`${g.pageUrl}\0${gi}`} class="geniza-group" role="group" aria-labelledby={`${id}-group-${gi}`}>
          <li role="presentation" id={`${id}-group-${gi}`} class="geniza-group__title">{g.pageTitle}</li>
          {g.page && option(g.page, false)}
          {g.sections.map((h) => option(h, g.page !== null))}
        </ul>
      ))}
    </div>
  );
}
