/**
 * `geniza search` through the real CLI on a tiny bundle (three Markdown pages with facets, a model trained for
 * one step): --mode picks the ranking, --filter restricts the results by facet, hits show `page › section` and
 * their url, and bad --mode / --filter values fail naming the flag and the allowed values.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
/** The smallest model that builds: the lexical side does the ranking in these tests, except under --mode generative. */
const TINY = ['--d-model', '16', '--layers', '1', '--queries-per-doc', '2', '--epochs', '1', '--vocab-size', '100', '--quiet'];

const PAGES: Record<string, string> = {
  'install.md': '---\ntitle: Installing the tool\nfilters: version:2.x kind:guide\n---\n\n# Installing the tool\n\n'
    + 'Download the package and run the setup script.\n\n## System requirements\n\nYou need a recent kernel and four gigabytes of memory.\n',
  'old.md': '---\nfilters: version:1.x\n---\n\n# Legacy installation\n\nThe old installer asked for a licence key and a kernel upgrade.\n',
  'ref.md': '---\nfilters:\n  version: [1.x, 2.x]\n  kind: reference\n---\n\n# Configuration reference\n\n'
    + 'Every option of the settings file, with its default value.\n',
};

function geniza(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/geniza.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The result lines of a search (`1. title  (url)  score x`), without the count line. */
function hits(r: ReturnType<typeof geniza>): string[] {
  assert.equal(r.code, 0, `search failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => /^\s*\d+\. /.test(l)).map((l) => l.replace(/^\s*\d+\. /, '').replace(/\s+score -?[\d.]+$/, ''));
}

/** Asserts exit code 1 and one `geniza: ...` line matching every pattern. */
function assertFails(r: ReturnType<typeof geniza>, ...patterns: RegExp[]): void {
  assert.equal(r.code, 1, `exit code (stdout: ${r.stdout}, stderr: ${r.stderr})`);
  const lines = r.stderr.split('\n').filter((l) => l.trim());
  assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0], /^geniza: /);
  for (const re of patterns) assert.match(lines[0], re);
}

let dir = '';
let bundle = '';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'geniza-cli-search-'));
  mkdirSync(join(dir, 'site'));
  for (const [name, text] of Object.entries(PAGES)) writeFileSync(join(dir, 'site', name), text);
  bundle = join(dir, 'bundle');
  const built = geniza(['build', join(dir, 'site'), '--out', bundle, ...TINY]);
  assert.equal(built.code, 0, `geniza build failed: ${built.stderr}`);
});

after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

test('hits show page title › section title and the url', () => {
  const r = geniza(['search', bundle, 'kernel']);
  assert.deepEqual(hits(r).sort(), [
    'Installing the tool › System requirements  (install.html#system-requirements)',
    'Legacy installation  (old.html)',
  ]);
  assert.match(r.stdout, /^2 results in \d+ ms \(hybrid\)$/m);
});

test('--mode generative ranks with the model alone: every document, even without the word', () => {
  assert.equal(hits(geniza(['search', bundle, 'kernel', '--mode', 'lexical'])).length, 2);
  const gen = geniza(['search', bundle, 'kernel', '--mode=generative']);
  assert.equal(hits(gen).length, 4, gen.stdout);
  assert.ok(hits(gen).includes('Configuration reference  (ref.html)'), gen.stdout);
  assert.match(gen.stdout, /\(generative\)$/m);
});

test('--filter keeps documents with the value; repeated for one facet, any value matches; across facets, all must', () => {
  assert.deepEqual(hits(geniza(['search', bundle, 'kernel', '--filter', 'version:1.x'])), ['Legacy installation  (old.html)']);
  assert.deepEqual(hits(geniza(['search', bundle, 'kernel', '--filter', 'kind:guide'])), ['Installing the tool › System requirements  (install.html#system-requirements)']);
  assert.equal(hits(geniza(['search', bundle, 'kernel', '--filter', 'version:1.x', '--filter', 'version:2.x'])).length, 2);
  assert.deepEqual(hits(geniza(['search', bundle, 'settings default', '--filter', 'version:2.x', '--filter', 'kind:reference', '--mode', 'lexical'])),
    ['Configuration reference  (ref.html)']);
  // (lexical: hybrid answers a query no allowed document has a word of with the model's nearest documents)
  const none = geniza(['search', bundle, 'kernel', '--filter', 'version:2.x', '--filter', 'kind:reference', '--mode', 'lexical']);
  assert.equal(none.code, 0);
  assert.match(none.stdout, /^no results for "kernel" \(filter version:2\.x kind:reference\)$/m);
});

test('bad --mode and --filter values name the flag and the allowed values', () => {
  assertFails(geniza(['search', bundle, 'kernel', '--mode', 'fuzzy']), /--mode must be one of hybrid, generative, lexical \(got "fuzzy"\)/);
  assertFails(geniza(['search', bundle, 'kernel', '--filter', 'version']), /--filter must be facet:value, e\.g\. --filter version:2\.x \(got "version"\)/);
  assertFails(geniza(['search', bundle, 'kernel', '--filter', 'version:3.x']), /--filter version:3\.x: no document has this value \(values of version: 1\.x, 2\.x\)/);
  assertFails(geniza(['search', bundle, 'kernel', '--filter', 'lang:en']), /--filter lang:en: the bundle has no facet "lang" \(facets: kind, version\)/);
  assertFails(geniza(['search', bundle, 'kernel', '--filter']), /--filter needs a value/);
  const plain = join(dir, 'plain');
  writeFileSync(join(dir, 'plain.jsonl'), '{"id":"a","title":"Kernel","text":"kernel notes"}\n{"id":"b","title":"Memory","text":"memory notes"}\n');
  assert.equal(geniza(['build', join(dir, 'plain.jsonl'), '--out', plain, ...TINY]).code, 0);
  assertFails(geniza(['search', plain, 'kernel', '--filter', 'version:1.x']), /--filter: the bundle in .*plain has no filters/);
});

test('search --help lists --mode and --filter', () => {
  const r = geniza(['search', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--mode <mode> +ranking: hybrid .* \(default hybrid\)/s);
  assert.match(r.stdout, /--filter <facet:value>/);
});
