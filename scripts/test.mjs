#!/usr/bin/env node
// Runs the test suite with Node's own test runner (TypeScript through tsx).
//   node scripts/test.mjs          unit + integration + e2e (everything; what `npm test` runs)
//   node scripts/test.mjs unit     unit + integration tests only (no browser)
//   node scripts/test.mjs e2e      browser tests only
// Extra arguments after the mode are passed to `node --test` (e.g. --test-name-pattern=trie).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const mode = ['unit', 'e2e', 'all'].includes(process.argv[2]) ? process.argv[2] : 'all';
const extra = process.argv.slice(mode === process.argv[2] ? 3 : 2);

function find(dir, suffix, out = []) {
  let names;
  try { names = readdirSync(join(root, dir)); } catch { return out; }
  for (const name of names.sort()) {
    const rel = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(join(root, rel)).isDirectory()) find(rel, suffix, out);
    else if (name.endsWith(suffix)) out.push(rel);
  }
  return out;
}

const files = [];
if (mode !== 'e2e') for (const d of ['src', 'workers', 'test']) find(d, '.test.ts', files);
if (mode !== 'unit') {
  const prep = spawnSync(process.execPath, [join(root, 'scripts/e2e-prepare.mjs')], { stdio: 'inherit', cwd: root });
  if (prep.status !== 0) { console.error('e2e: preparing the demo failed (see above)'); process.exit(prep.status ?? 1); }
  find('e2e', '.spec.ts', files);
}
if (files.length === 0) { console.error('test: no test files found'); process.exit(1); }
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...extra, ...files], {
  stdio: 'inherit', cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' },
});
process.exit(r.status ?? 1);
