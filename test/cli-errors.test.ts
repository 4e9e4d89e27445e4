/**
 * The real CLI (`node bin/geniza.js`) on bad input: exit code 1, one line `geniza: <message>` naming the file,
 * id or option at fault, and never a stack trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;

function geniza(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/geniza.js'), ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Asserts exit code 1 and a single `geniza: ...` line on stderr that matches every pattern, without a stack trace. */
function assertFails(r: ReturnType<typeof geniza>, ...patterns: RegExp[]): void {
  assert.equal(r.code, 1, `exit code (stderr: ${r.stderr})`);
  const lines = r.stderr.split('\n').filter((l) => l.trim());
  assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
  assert.match(lines[0], /^geniza: /);
  assert.ok(!r.stderr.includes('    at '), `no stack trace:\n${r.stderr}`);
  for (const re of patterns) assert.match(lines[0], re);
}

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'geniza-cli-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

test('empty corpus: names the folder and the extensions looked for', () => {
  const dir = tempDir({ 'notes.txt': 'not a document' });
  try {
    assertFails(geniza(['build', dir, '--out', join(dir, 'out')]), new RegExp(`no documents found in ${dir}`), /\.md, \.markdown, \.html, \.htm/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('missing input and unreadable files are named', () => {
  assertFails(geniza(['build', '/no/such/folder', '--out', '/tmp/never-written']), /\/no\/such\/folder/, /no such file/);
  const dir = tempDir({ 'bad.md': '' });
  try {
    writeFileSync(join(dir, 'bad.md'), Buffer.from([0xc3, 0x28, 0xff]));
    assertFails(geniza(['build', dir, '--out', join(dir, 'out')]), /bad\.md/, /not valid UTF-8/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('duplicate ids: names the id and both places', () => {
  const dir = tempDir({ 'c.jsonl': '{"id":"intro","title":"A","text":"a"}\n{"id":"other","title":"B","text":"b"}\n{"id":"intro","title":"C","text":"c"}\n' });
  try {
    assertFails(geniza(['build', join(dir, 'c.jsonl'), '--out', join(dir, 'out')]), /duplicate document id "intro"/, /c\.jsonl:1/, /c\.jsonl:3/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('a document without text is named', () => {
  const dir = tempDir({ 'good.md': '# Good\n\nSome text.', 'guide/empty.md': '---\ntitle: Empty page\n---\n\n' });
  try {
    assertFails(geniza(['build', dir, '--out', join(dir, 'out')]), /document "guide\/empty\.md"/, /has no text/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('a bad JSONL line is named by file and line', () => {
  const dir = tempDir({ 'c.jsonl': '{"id":"a","title":"A","text":"a"}\n{not json}\n' });
  try {
    assertFails(geniza(['build', join(dir, 'c.jsonl'), '--out', join(dir, 'out')]), /c\.jsonl:2: invalid JSON/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('bad flags and values are named with the rule', () => {
  assertFails(geniza(['build', 'docs', '--out', '/tmp/x', '--epochs', 'x']), /--epochs must be an integer from 1 to 100000 \(got "x"\)/);
  assertFails(geniza(['build', 'docs', '--out', '/tmp/x', '--d-model', '30']), /--d-model must be .*divisible by 4 \(got "30"\)/);
  assertFails(geniza(['build', 'docs', '--out', '/tmp/x', '--epoch', '3']), /unknown option --epoch for geniza build/);
  assertFails(geniza(['build', 'docs']), /--out <dir> is required/);
  assertFails(geniza(['build', 'docs', '--out']), /--out needs a value/);
  assertFails(geniza(['frobnicate']), /unknown command "frobnicate"/);
  assertFails(geniza(['build', 'docs', '--out', '/tmp/x'], { GENIZA_EPOCHS: 'lots' }), /GENIZA_EPOCHS must be an integer .* \(got "lots"\)/);
  const dir = tempDir({ 'geniza.config.json': '{"epochs": 3, "colour": "red"}' });
  try {
    assertFails(geniza(['build', 'docs', '--out', '/tmp/x', '--config', join(dir, 'geniza.config.json')]), /unknown option "colour"/, /geniza\.config\.json/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('search on a folder that is not a bundle names the missing manifest', () => {
  assertFails(geniza(['search', '/no/such/bundle', 'query']), /\/no\/such\/bundle\/manifest\.json/);
});

test('--help documents every build option with its default, and --version prints the version', () => {
  const help = geniza(['build', '--help']);
  assert.equal(help.code, 0);
  for (const flag of ['--out', '--epochs', '--time-budget', '--seed', '--d-model', '--layers', '--branching', '--queries-per-doc', '--vocab-size', '--quiet', '--config']) {
    assert.ok(help.stdout.includes(flag), `help mentions ${flag}`);
  }
  assert.match(help.stdout, /--epochs <n> +passes over the training pairs \(default auto: one pass, at least 500 steps;/);
  assert.match(help.stdout, /--time-budget <seconds> +stop training after this many seconds .*\(default 1080;/);
  const v = geniza(['--version']);
  assert.equal(v.code, 0);
  assert.match(v.stdout.trim(), /^\d+\.\d+\.\d+/);
});
