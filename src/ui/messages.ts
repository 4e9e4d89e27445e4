/** User-facing texts of the search UI: loading progress, notices about results, and error explanations. */
import type { GenizaError } from '../core/errors.ts';
import type { LoadProgress } from '../client/index.ts';

/** "Loading the search index… 42% (1.2 of 2.9 MB)" style text for a progress event (null: just starting). */
export function formatProgress(p: LoadProgress | null): string {
  if (!p) return 'Loading the search index…';
  switch (p.phase) {
    case 'manifest': return 'Checking for the latest search index…';
    case 'cache': return 'Opening the stored search index…';
    case 'download': {
      if (p.totalBytes <= 0) return 'Downloading the search index…';
      const pct = Math.floor((100 * p.loadedBytes) / p.totalBytes);
      return `Downloading the search index… ${pct}% (${mb(p.loadedBytes)} of ${mb(p.totalBytes)} MB)`;
    }
    case 'store': return 'Saving the search index for offline use…';
    case 'model': return 'Starting the search model…';
    case 'ready': return 'Ready';
  }
}

/**
 * The line above results that are the model's nearest documents because no page contains the query's words
 * (`SearchResponse.related`): `No pages contain “zebra”. Related pages:`.
 */
export function relatedNotice(query: string): string {
  return `No pages contain “${query.trim()}”. Related pages:`;
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/** A title and a sentence saying what happened and what to do, for an error code. */
export function describeError(e: GenizaError): { title: string; detail: string } {
  switch (e.code) {
    case 'BUNDLE_VERSION':
      return { title: 'This search index was built by another version of geniza.', detail: `${e.message} Rebuild it with \`geniza build <input> --out <dir>\` and reload the page.` };
    case 'HASH_MISMATCH':
      return { title: 'The search index is damaged or changed while it was loading.', detail: `${e.message} Reload the page; if this persists, rebuild the bundle with \`geniza build\`.` };
    case 'BAD_BUNDLE':
      return { title: 'The search index is not valid.', detail: `${e.message} Rebuild it with \`geniza build <input> --out <dir>\`.` };
    case 'NETWORK':
      return { title: 'The search index could not be downloaded.', detail: `${e.message} Check your connection and reload the page.` };
    case 'MODEL':
      return { title: 'The search model could not run in this browser.', detail: e.message };
    default:
      return { title: 'Search failed.', detail: e.message };
  }
}
