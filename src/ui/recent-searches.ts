/** Recent searches kept in localStorage, one list per bundle URL, newest first. */

/** The Web Storage subset used (localStorage in the page). */
export type RecentStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Searches kept per bundle. */
export const MAX_RECENT = 8;

/** One remembered search. */
export interface RecentSearch {
  /** The query as typed (trimmed). */
  query: string;
  /** Title of the result that was opened. */
  title: string;
  /** Url of the result that was opened. */
  url: string;
}

/** localStorage key of the recent searches of a bundle (by its absolute URL). */
export function recentKey(bundleUrl: string): string {
  return `geniza:recent:${bundleUrl}`;
}

/** Reads and writes the recent searches of one bundle; storage that fails (private mode, quota) reads as empty. */
export class RecentSearches {
  constructor(
    /** The storage key (see `recentKey`). */
    readonly key: string,
    private readonly storage: RecentStorage | null = defaultStorage(),
  ) {}

  /** The remembered searches, newest first. */
  list(): RecentSearch[] {
    try {
      const raw = JSON.parse(this.storage?.getItem(this.key) ?? '[]') as unknown;
      if (!Array.isArray(raw)) return [];
      return raw.filter((r): r is RecentSearch => typeof r?.query === 'string' && typeof r?.title === 'string' && typeof r?.url === 'string').slice(0, MAX_RECENT);
    } catch {
      return [];
    }
  }

  /** Remembers that `query` led to a result: moves it to the front (one entry per query and url). */
  add(entry: RecentSearch): RecentSearch[] {
    const e = { ...entry, query: entry.query.trim() };
    if (e.query === '') return this.list();
    const next = [e, ...this.list().filter((r) => !(r.query === e.query && r.url === e.url))].slice(0, MAX_RECENT);
    this.write(next);
    return next;
  }

  /** Forgets one entry (by query and url). */
  remove(entry: RecentSearch): RecentSearch[] {
    const next = this.list().filter((r) => !(r.query === entry.query && r.url === entry.url));
    this.write(next);
    return next;
  }

  /** Forgets all entries. */
  clear(): RecentSearch[] {
    try { this.storage?.removeItem(this.key); } catch { /* storage unavailable: nothing to forget */ }
    return [];
  }

  private write(list: RecentSearch[]): void {
    try {
      if (list.length === 0) this.storage?.removeItem(this.key);
      else this.storage?.setItem(this.key, JSON.stringify(list));
    } catch { /* storage full or blocked: recent searches are a convenience */ }
  }
}

function defaultStorage(): RecentStorage | null {
  try { return globalThis.localStorage ?? null; } catch { return null; }
}
