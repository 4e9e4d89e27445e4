/**
 * `geniza widget --out <dir>` through the real CLI: the standalone <geniza-search> element lands in <dir> with
 * the worker and wasm files it loads, and the command prints what it wrote and the HTML to paste. dist/widget/ is
 * reused when current (scripts/e2e-prepare.mjs builds it) and built with Vite (about a second) otherwise.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;

function geniza(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/geniza.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('copies geniza-search.js with the worker and wasm it loads, and prints the HTML to paste', () => {
  const dir = mkdtempSync(join(tmpdir(), 'geniza-widget-'));
  try {
    const out = join(dir, 'site', 'search-widget');
    const r = geniza(['widget', '--out', out, '--bundle-url', '/docs/geniza']);
    assert.equal(r.code, 0, `geniza widget failed: ${r.stderr}`);

    const script = join(out, 'geniza-search.js');
    assert.ok(existsSync(script), `${script} was written`);
    // The copy is the built element, byte for byte.
    assert.deepEqual(readFileSync(script), readFileSync(join(ROOT, 'dist/widget/geniza-search.js')));
    const assets = readdirSync(join(out, 'assets'));
    const worker = assets.find((n) => /^search\.worker-[\w-]+\.js$/.test(n));
    assert.ok(worker, `a search worker in assets/ (got ${assets.join(', ')})`);
    assert.ok(readFileSync(script, 'utf8').includes(worker), `geniza-search.js loads assets/${worker}`);
    // The worker names onnxruntime's wasm by its emitted (hashed) file name, and that file was copied in full.
    const named = new Set(readFileSync(join(out, 'assets', worker), 'utf8').match(/ort-wasm[\w.-]*\.wasm/g) ?? []);
    const wasm = assets.filter((n) => named.has(n));
    assert.ok(wasm.length > 0, `the wasm the worker loads is in assets/ (worker names ${[...named].join(', ')}; assets/ has ${assets.join(', ')})`);
    for (const w of wasm) assert.ok(statSync(join(out, 'assets', w)).size > 1_000_000, `assets/${w} is the whole wasm`);

    // Every file written is listed, and the two lines of HTML point at the folder and the bundle.
    const n = 1 + assets.length;
    assert.match(r.stdout, new RegExp(`^wrote ${n} files \\(.+\\) to ${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:$`, 'm'));
    for (const name of ['geniza-search.js', ...assets.map((a) => `assets/${a}`)]) assert.match(r.stdout, new RegExp(`^  ${name.replace(/\./g, '\\.')} `, 'm'));
    assert.match(r.stdout, /^  <script type="module" src="\/search-widget\/geniza-search\.js"><\/script>$/m);
    assert.match(r.stdout, /^  <geniza-search bundle="\/docs\/geniza\/"><\/geniza-search>$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--url sets the script path; a missing --out or a stray argument is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'geniza-widget-'));
  try {
    const r = geniza(['widget', '--out', join(dir, 'w'), '--url', '/static/geniza/']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /<script type="module" src="\/static\/geniza\/geniza-search\.js"><\/script>/);
    assert.match(r.stdout, /<geniza-search bundle="\/geniza\/"><\/geniza-search>/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const missing = geniza(['widget']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^geniza: widget: --out <dir> is required/);
  const stray = geniza(['widget', 'public', '--out', '/tmp/never-written-widget']);
  assert.equal(stray.code, 1);
  assert.match(stray.stderr, /^geniza: widget: takes no arguments \(got "public"\)/);
  assert.ok(!existsSync('/tmp/never-written-widget'));
});
