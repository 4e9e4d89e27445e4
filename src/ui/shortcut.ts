/** The keyboard shortcut that opens the search: Cmd+K on Apple platforms, Ctrl+K elsewhere, and `/`. */

/** True on macOS / iOS (where the shortcut is ⌘K). */
export function isApplePlatform(nav: { platform?: string; userAgent?: string } | undefined = globalThis.navigator): boolean {
  const p = `${nav?.platform ?? ''} ${nav?.userAgent ?? ''}`;
  return /Mac|iPhone|iPad|iPod/i.test(p);
}

/** The hint shown on the trigger button: `⌘K` or `Ctrl K`. */
export function shortcutHint(apple = isApplePlatform()): string {
  return apple ? '⌘K' : 'Ctrl K';
}

/** True when `el` takes text input (typing `/` there must type a slash). */
export function isTextField(el: Element | null): boolean {
  if (!el) return false;
  if ((el as HTMLElement).isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = ((el as HTMLInputElement).type || 'text').toLowerCase();
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file', 'image'].includes(type);
}

/** The element that really has focus, looking inside shadow roots. */
export function deepActiveElement(doc: Document = document): Element | null {
  let el: Element | null = doc.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

/** True when a keydown should open the search: Cmd/Ctrl+K anywhere, `/` outside text fields. */
export function isOpenShortcut(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>, focused: Element | null): boolean {
  if (e.altKey) return false;
  if ((e.key === 'k' || e.key === 'K') && (e.ctrlKey || e.metaKey) && !e.shiftKey) return true;
  return e.key === '/' && !e.ctrlKey && !e.metaKey && !isTextField(focused);
}
