/**
 * The exact-title metric of `geniza eval`: each sampled document's title is the query; the share of documents
 * ranked first (top-1) per ranking mode. Only documents with a real title (not their id, as in collections
 * without titles) that no other document shares are sampled; collections where most titles are ids are skipped.
 */
import { seededRandom, shuffleInPlace } from '../core/seeded-random.ts';
import type { SourceDoc } from '../core/types.ts';
import type { SearchEngine, SearchMode } from '../../workers/engine.ts';
import type { Progress } from './progress.ts';

/** Exact-title queries: top-1 rate per system. */
export interface ExactTitleResults {
  /** Documents sampled (with a real, unique title). */
  documents: number;
  /** Documents with a real title in the collection (not their id). */
  titled: number;
  /** Of those, documents whose title no other document has. */
  unique: number;
  /** Share of sampled documents ranked first by their own title, per system (geniza-hybrid, geniza, lexical). */
  top1: Record<string, number>;
}

const MODES: [string, SearchMode][] = [['geniza-hybrid', 'hybrid'], ['geniza', 'generative'], ['lexical', 'lexical']];

/** Runs the metric on up to `sample` documents (seeded); null when skipped or the titles are ids. */
export async function exactTitles(engine: SearchEngine, docs: readonly SourceDoc[], sample: number, progress: Progress): Promise<ExactTitleResults | null> {
  if (sample <= 0) return null;
  const key = (t: string) => t.replace(/\s+/g, ' ').trim().toLowerCase();
  const titled = docs.filter((d) => d.title.trim() !== '' && d.title !== d.id);
  if (titled.length < docs.length / 2) return null;
  const count = new Map<string, number>();
  for (const d of titled) count.set(key(d.title), (count.get(key(d.title)) ?? 0) + 1);
  const unique = titled.filter((d) => count.get(key(d.title)) === 1);
  const indexOf = new Map(engine.docs.map((d, i) => [d.id, i]));
  const picked = shuffleInPlace(unique.filter((d) => indexOf.has(d.id)), seededRandom(2718)).slice(0, sample);
  const bar = progress.stage('exact titles', picked.length * MODES.length, 'queries');
  const top1: Record<string, number> = {};
  for (const [name, mode] of MODES) {
    let first = 0;
    for (const d of picked) {
      const { hits } = await engine.search(d.title, { k: 1, mode, prefixLastWord: false });
      if (hits[0]?.docIndex === indexOf.get(d.id)) first++;
      bar.tick();
    }
    top1[name] = picked.length ? Math.round((first / picked.length) * 1e4) / 1e4 : 0;
  }
  bar.finish(Object.entries(top1).map(([n, v]) => `${n} ${(v * 100).toFixed(1)}%`).join(', '));
  return { documents: picked.length, titled: titled.length, unique: unique.length, top1 };
}
