/**
 * useLatestSearch: the search-as-you-type state shared by the search box and the search dialog. Each `run` supersedes
 * the ones before it: only the answer (or error) of the latest query is kept, so a slow older query never overwrites
 * a newer one, and an empty query clears the results without searching.
 */
import { useRef, useState } from 'preact/hooks';
import type { GenizaSearch, SearchOptions, SearchResponse } from '../client/index.ts';
import type { GenizaError } from '../core/errors.ts';

/** What `useLatestSearch` returns. */
export interface LatestSearch {
  /** Answer to the latest query (null before any, or after an empty query). */
  response: SearchResponse | null;
  /** Error of the latest query, if it failed. */
  error: GenizaError | null;
  /** True while the latest query is running. */
  pending: boolean;
  /** Searches `query` (an empty or blank query clears); `onSettled` runs when this query's answer is shown or cleared. */
  run(query: string, options: SearchOptions, onSettled?: () => void): void;
}

/** The latest-query-wins search state over `search`. */
export function useLatestSearch(search: GenizaSearch): LatestSearch {
  const [response, setResponse] = useState<SearchResponse | null>(null);
  const [error, setError] = useState<GenizaError | null>(null);
  const [pending, setPending] = useState(false);
  const latest = useRef(0);

  function run(query: string, options: SearchOptions, onSettled?: () => void) {
    const mine = ++latest.current;
    if (query.trim() === '') {
      setResponse(null);
      setError(null);
      setPending(false);
      onSettled?.();
      return;
    }
    setPending(true);
    search.search(query, options).then(
      (res) => {
        if (res === null || mine !== latest.current) return;
        setResponse(res);
        setError(null);
        setPending(false);
        onSettled?.();
      },
      (e: GenizaError) => {
        if (mine !== latest.current) return;
        setError(e);
        setPending(false);
      },
    );
  }

  return { response, error, pending, run };
}
