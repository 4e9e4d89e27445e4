/**
 * What the engine's lexical index costs at load: builds it (workers/lexical-source.ts, as SearchEngine.create does)
 * from the docs.json of each bundle given, 4 times in one process (the first is the cold one a page pays).
 *
 *   node --import tsx bench/lexical-load.ts .cache/eval/scifact/bundle .cache/eval/nfcorpus/bundle
 */
import { readBundle } from '../src/indexer/read-bundle.ts';
import { buildLexical } from '../workers/lexical-source.ts';
import { parseDocs } from '../workers/parse-docs.ts';

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  process.stderr.write('usage: node --import tsx bench/lexical-load.ts <bundle-dir>...\n');
  process.exit(1);
}
for (const dir of dirs) {
  const files = await readBundle(dir);
  const docs = parseDocs(files.docs);
  const ms: number[] = [];
  for (let i = 0; i < 4; i++) {
    const t = performance.now();
    buildLexical(docs);
    ms.push(performance.now() - t);
  }
  const chars = docs.reduce((s, d) => s + d.text.length + d.title.length, 0);
  console.log(`${dir}: ${docs.length} documents, ${(chars / 2 ** 20).toFixed(1)} MiB of text; build ms: first ${ms[0].toFixed(0)}, then ${ms.slice(1).map((x) => x.toFixed(0)).join(' / ')}`);
}
