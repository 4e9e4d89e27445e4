#!/usr/bin/env node
// Prepares the demo site for the browser specs and `npm start`:
//   1. the demo bundle public/bundle/ (geniza's own docs/*.md, built with `geniza build`) exists and was built
//      from the current docs: a hash of the inputs is recorded in .cache/demo-bundle.json, and the bundle is
//      rebuilt when it is missing, when the inputs changed, or when GENIZA_REBUILD_DEMO=1;
//   2. `vite build` writes the site to dist/ (skip with GENIZA_SKIP_VITE_BUILD=1).
// The bundle is built into a temporary folder and moved into place only when complete.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const docsDir = join(root, 'docs');
const bundleDir = join(root, 'public', 'bundle');
const stampFile = join(root, '.cache', 'demo-bundle.json');

/** Hash of everything the demo bundle is built from: the docs and the bundle format version. */
function inputsHash() {
  const h = createHash('sha256');
  const names = existsSync(docsDir) ? readdirSync(docsDir).filter((n) => /\.(md|markdown)$/i.test(n)).sort() : [];
  if (names.length === 0) throw new Error(`e2e-prepare: no Markdown files in ${docsDir}; the demo indexes docs/*.md`);
  for (const name of names) {
    h.update(`${name}\0`);
    h.update(readFileSync(join(docsDir, name)));
    h.update('\0');
  }
  const manifestSrc = join(root, 'src', 'core', 'manifest.ts');
  const version = existsSync(manifestSrc) ? /FORMAT_VERSION\s*=\s*(\d+)/.exec(readFileSync(manifestSrc, 'utf8'))?.[1] : undefined;
  h.update(`formatVersion=${version ?? '?'}`);
  return { hash: h.digest('hex'), files: names.length };
}

function readJson(path) {
  try { return JSON.parse(readFileSync(path, 'utf8')); } catch { return null; }
}

/** Why the bundle must be rebuilt, or null when it is current. */
function staleReason(hash) {
  if (process.env.GENIZA_REBUILD_DEMO === '1') return 'GENIZA_REBUILD_DEMO=1';
  const manifest = readJson(join(bundleDir, 'manifest.json'));
  if (!manifest) return 'no bundle yet';
  const stamp = readJson(stampFile);
  if (!stamp || stamp.inputsHash !== hash) return 'docs/*.md changed since the bundle was built';
  if (stamp.bundleId !== manifest.bundleId) return 'public/bundle was replaced since it was recorded';
  for (const entry of Object.values(manifest.files ?? {})) {
    if (!existsSync(join(bundleDir, entry.path))) return `public/bundle/${entry.path} is missing`;
  }
  return null;
}

function run(cmd, args, what) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) throw new Error(`e2e-prepare: ${what} failed (exit ${r.status ?? r.signal})`);
  return (Date.now() - t0) / 1000;
}

function isRunning(pid) {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

/** Ensures the demo bundle is current, then builds the site into dist/. */
export function prepare() {
  // Half-written bundles of interrupted runs (Vite would copy them into dist/).
  for (const name of readdirSync(join(root, 'public'))) {
    const pid = /^\.bundle-tmp-(\d+)$/.exec(name)?.[1];
    if (pid && !isRunning(Number(pid))) rmSync(join(root, 'public', name), { recursive: true, force: true });
  }
  const { hash, files } = inputsHash();
  const reason = staleReason(hash);
  if (reason) {
    console.log(`e2e-prepare: building the demo bundle from ${files} docs (${reason})`);
    const tmp = join(root, 'public', `.bundle-tmp-${process.pid}`);
    rmSync(tmp, { recursive: true, force: true });
    try {
      const secs = run(process.execPath, [join(root, 'bin', 'geniza.js'), 'build', 'docs', '--out', tmp, '--time-budget', '120'], 'geniza build');
      rmSync(bundleDir, { recursive: true, force: true });
      renameSync(tmp, bundleDir);
      const manifest = readJson(join(bundleDir, 'manifest.json'));
      mkdirSync(join(root, '.cache'), { recursive: true });
      writeFileSync(stampFile, JSON.stringify({ inputsHash: hash, bundleId: manifest?.bundleId, builtAt: new Date().toISOString(), seconds: secs }, null, 2) + '\n');
      console.log(`e2e-prepare: demo bundle built in ${secs.toFixed(1)} s`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  } else {
    console.log('e2e-prepare: demo bundle is up to date');
  }
  if (process.env.GENIZA_SKIP_VITE_BUILD !== '1') {
    const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
    const secs = run(process.execPath, [vite, 'build', '--logLevel', 'warn'], 'vite build');
    console.log(`e2e-prepare: site built into dist/ in ${secs.toFixed(1)} s`);
    // The standalone <geniza-search> element (script-tag use), after the site build (which empties dist/).
    const wsecs = run(process.execPath, [vite, 'build', '--config', 'vite.widget.config.ts', '--logLevel', 'warn'], 'vite build (widget)');
    console.log(`e2e-prepare: <geniza-search> built into dist/widget/ in ${wsecs.toFixed(1)} s`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    prepare();
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
