#!/usr/bin/env node
// Runs the test suite with Node's own test runner (TypeScript through tsx).
//   node scripts/test.mjs          unit + integration + e2e (everything; what `npm test` runs)
//   node scripts/test.mjs unit     unit + integration tests only (no browser)
//   node scripts/test.mjs e2e      browser tests only
// Extra arguments after the mode are passed to `node --test` (e.g. --test-name-pattern=trie).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
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

// Type check first (whole repo, and src/core against the ES library only): a type error fails the suite.
if (mode !== 'e2e') {
  for (const project of ['tsconfig.json', 'src/core/tsconfig.json']) {
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { stdio: 'inherit', cwd: root });
    if (tsc.status !== 0) { console.error(`test: type check of ${project} failed`); process.exit(tsc.status ?? 1); }
  }
  console.log('test: type check passed');
}

const files = [];
if (mode !== 'e2e') for (const d of ['src', 'workers', 'test', 'bench']) find(d, '.test.ts', files);
/** Finds Chromium for the browser tests, installing Debian's package when missing and allowed; exits with the fix otherwise. */
function ensureChromium() {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (existsSync(path)) return;
  if (process.env.CHROMIUM_PATH) {
    console.error(`test: CHROMIUM_PATH is ${path}, which does not exist; point it at a Chromium or Chrome binary`);
    process.exit(1);
  }
  const canApt = existsSync('/usr/bin/apt-get') && process.getuid?.() === 0;
  if (!canApt) {
    console.error('test: the browser tests need Chromium. On Debian/Ubuntu: `sudo apt-get install -y chromium`;'
      + ' elsewhere set CHROMIUM_PATH to a Chromium or Chrome binary (e.g. CHROMIUM_PATH=/usr/bin/google-chrome npm test).');
    process.exit(1);
  }
  console.log('test: Chromium not found at /usr/bin/chromium; installing Debian\'s chromium package (apt-get)...');
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) { console.error(`test: apt-get ${args.join(' ')} failed; install Chromium or set CHROMIUM_PATH`); process.exit(1); }
  }
}

if (mode !== 'unit') {
  ensureChromium();
  const prep = spawnSync(process.execPath, [join(root, 'scripts/e2e-prepare.mjs')], { stdio: 'inherit', cwd: root });
  if (prep.status !== 0) { console.error('e2e: preparing the demo failed (see above)'); process.exit(prep.status ?? 1); }
  find('e2e', '.spec.ts', files);
}
if (files.length === 0) { console.error('test: no test files found'); process.exit(1); }
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...extra, ...files], {
  stdio: 'inherit', cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' },
});
process.exit(r.status ?? 1);
