/** <SearchButton>: the trigger that opens the search dialog, with its keyboard shortcut hint (⌘K / Ctrl K). */
import type { Ref } from 'preact';
import { shortcutHint } from './shortcut.ts';

/** Props of `SearchButton`. */
export interface SearchButtonProps {
  /** Called on click. */
  onClick: () => void;
  /** Text of the button. Default `Search`. */
  label?: string;
  /** Shortcut hint shown at the end; null hides it. Default `⌘K` on Apple platforms, else `Ctrl K`. */
  hint?: string | null;
  /** Called when the pointer or focus shows intent to search (to start loading early). */
  onIntent?: () => void;
  /** Ref to the <button> (to give focus back to it). */
  buttonRef?: Ref<HTMLButtonElement>;
  /** Whether the dialog it opens is shown (aria-expanded). Default false. */
  expanded?: boolean;
}

/** A magnifier icon (decorative). */
export function SearchIcon() {
  return (
    <svg class="geniza-trigger__icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <circle cx="8.5" cy="8.5" r="5.5" fill="none" stroke="currentColor" stroke-width="2" />
      <path d="M13 13l4.5 4.5" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
    </svg>
  );
}

/** The trigger button. */
export function SearchButton({ onClick, label = 'Search', hint = shortcutHint(), onIntent, buttonRef, expanded = false }: SearchButtonProps) {
  const keys = hint ? (hint.startsWith('⌘') ? 'Meta+K' : 'Control+K') : undefined;
  return (
    <button
      ref={buttonRef}
      type="button"
      class="geniza-trigger"
      aria-haspopup="dialog"
      aria-expanded={expanded}
      aria-keyshortcuts={keys}
      onClick={onClick}
      onPointerEnter={onIntent}
      onFocus={onIntent}
    >
      <SearchIcon />
      <span class="geniza-trigger__label">{label}</span>
      {hint && <kbd class="geniza-kbd">{hint}</kbd>}
    </button>
  );
}
