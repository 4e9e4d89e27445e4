import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGenizaError } from '../core/errors.ts';
import { main, resolveBuildSettings } from './cli.ts';
import { BUILD_OPTIONS, DEFAULT_SETTINGS, envName, readEnv } from './config.ts';

function withDir(files: Record<string, string>, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'geniza-config-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

async function refused(p: Promise<unknown>, ...patterns: RegExp[]): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isGenizaError(e), String(e));
    for (const re of patterns) assert.match(e.message, re);
    return true;
  });
}

test('settings: config file < environment < flags, defaults for the rest', async () => {
  await withDir({ 'geniza.config.json': JSON.stringify({ epochs: 30, seed: 7, timeBudget: 900, queriesPerDoc: 12, baseUrl: '/docs/', out: 'from-file' }) }, async (dir) => {
    const file = join(dir, 'geniza.config.json');
    const flags = new Map<string, string | true>([['config', file], ['epochs', '10'], ['quiet', true], ['sections', 'false']]);
    const s = await resolveBuildSettings(flags, { GENIZA_EPOCHS: '40', GENIZA_SEED: '9', GENIZA_UNRELATED: 'x', GENIZA_OUT: 'from-env' });
    assert.equal(s.epochs, 10, 'flag beats environment and file');
    assert.equal(s.seed, 9, 'environment beats file');
    assert.equal(s.out, 'from-env');
    assert.equal(s.timeBudget, 900, 'file beats default');
    assert.equal(s.baseUrl, '/docs/');
    assert.equal(s.queriesPerDoc, 12);
    assert.equal(s.quiet, true);
    assert.equal(s.sections, false);
    assert.equal(s.dModel, DEFAULT_SETTINGS.dModel);
    assert.equal(s.maxChars, 20_000);
  });
});

test('a geniza.config.ts in the working folder is found and its default export read', async () => {
  await withDir({ 'geniza.config.ts': 'const epochs: number = 3;\nexport default { epochs, sections: false, input: "site" };\n' }, async (dir) => {
    const s = await resolveBuildSettings(new Map(), {}, dir);
    assert.deepEqual([s.epochs, s.sections, s.input], [3, false, 'site']);
  });
  await withDir({ 'geniza.config.ts': 'export default { epochs: 3, colour: "red" };\n' }, async (dir) => {
    await refused(resolveBuildSettings(new Map(), {}, dir), /config file .*geniza\.config\.ts: unknown option "colour"/, /known: out, input, sections/);
  });
  await withDir({ 'geniza.config.ts': 'export const epochs = 3;\n' }, async (dir) => {
    await refused(resolveBuildSettings(new Map(), {}, dir), /geniza\.config\.ts has no default export/);
  });
  await withDir({ 'geniza.config.json': '{}', 'geniza.config.ts': 'export default {}' }, async (dir) => {
    await refused(resolveBuildSettings(new Map(), {}, dir), /found geniza\.config\.json and geniza\.config\.ts/, /keep one/);
  });
  await withDir({ 'c.json': '{"sections": "maybe"}' }, async (dir) => {
    await refused(resolveBuildSettings(new Map([['config', join(dir, 'c.json')]]), {}, dir), /c\.json: sections must be true or false \(got "maybe"\)/);
  });
});

test('environment values are checked and named', () => {
  assert.deepEqual(readEnv({ GENIZA_TIME_BUDGET: '90', GENIZA_QUIET: 'true', GENIZA_SECTIONS: '0' }), { timeBudget: 90, quiet: true, sections: false });
  assert.throws(() => readEnv({ GENIZA_BRANCHING: '1' }), /GENIZA_BRANCHING must be an integer from 2 to 256 \(got "1"\)/);
  assert.throws(() => readEnv({ GENIZA_LAYERS: '2.5' }), /GENIZA_LAYERS must be an integer/);
  assert.deepEqual(readEnv({ GENIZA_DOCIDS: 'atomic', GENIZA_INIT: 'random' }), { docids: 'atomic', init: 'random' });
  assert.throws(() => readEnv({ GENIZA_DOCIDS: 'tree' }), /GENIZA_DOCIDS must be one of "auto", "atomic", "semantic" \(got "tree"\)/);
});

test('geniza build --help documents every option with its default and environment variable', async () => {
  let out = '';
  const code = await main(['build', '--help'], { stdout: { write: (s: string) => { out += s; } }, stderr: { write: () => undefined }, env: {} });
  assert.equal(code, 0);
  for (const spec of BUILD_OPTIONS) {
    const flag = spec.kind === 'boolean' && DEFAULT_SETTINGS[spec.key] === true ? `--no-${spec.flag}` : `--${spec.flag}`;
    const line = out.split('\n').find((l) => l.trimStart().startsWith(flag));
    assert.ok(line, `help has a line for ${flag}:\n${out}`);
    assert.match(line, spec.key === 'out' ? /\(required; env / : /\(default [^;]+; env /, line);
    assert.ok(line.includes(envName(spec)), line);
  }
  assert.match(out, /--no-sections .*\(default on;/);
  assert.match(out, /--config <file> .*geniza\.config\.ts/);
});
