/** <RecentList>: the recent searches, shown while the search box is empty; each can be removed, or all at once. */
import type { RecentSearch } from './recent-searches.ts';
import { optionId } from './grouped-results.tsx';

/** Props of `RecentList`. */
export interface RecentListProps {
  /** Prefix of element ids (shared with the results listbox: option i is `${id}-opt-${i}`). */
  id: string;
  /** The recent searches, newest first. */
  items: readonly RecentSearch[];
  /** Index of the active item, or -1. */
  active: number;
  /** Called when the pointer moves over item `index`. */
  onActivate?: (index: number) => void;
  /** Called when an item is chosen. */
  onPick: (item: RecentSearch) => void;
  /** Called when an item's remove button is pressed. */
  onRemove: (item: RecentSearch) => void;
  /** Called by the "Clear all" button. */
  onClear: () => void;
}

/** The recent searches as a listbox with remove buttons. */
export function RecentList({ id, items, active, onActivate, onPick, onRemove, onClear }: RecentListProps) {
  if (items.length === 0) return null;
  return (
    <section class="geniza-recent" aria-labelledby={`${id}-recent-title`}>
      <div class="geniza-recent__head">
        <span id={`${id}-recent-title`}>Recent searches</span>
        <button type="button" class="geniza-recent__clear" onClick={onClear}>Clear all</button>
      </div>
      <ul id={`${id}-listbox`} class="geniza-recent__list" role="listbox" aria-labelledby={`${id}-recent-title`}>
        {items.map((item, i) => (
          <li key={`${item.query}\0${item.url}`} class="geniza-recent__item" role="presentation">
            <div
              id={optionId(id, i)}
              role="option"
              class="geniza-option geniza-recent__option"
              aria-selected={i === active}
              onMouseDown={(e) => e.preventDefault()}
              onMouseMove={() => { if (i !== active) onActivate?.(i); }}
              onClick={() => onPick(item)}
            >
              <span class="geniza-option__title">{item.query}</span>
              <span class="geniza-option__url">{item.title}</span>
            </div>
            <button
              type="button"
              class="geniza-recent__remove"
              tabIndex={-1}
              aria-label={`Remove “${item.query}” from recent searches`}
              title="Remove"
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => onRemove(item)}
            >×</button>
          </li>
        ))}
      </ul>
    </section>
  );
}
