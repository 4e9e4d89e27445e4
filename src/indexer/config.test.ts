import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveBuildSettings } from './cli.ts';
import { DEFAULT_SETTINGS, readEnv } from './config.ts';

test('settings: config file < environment < flags, defaults for the rest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'geniza-config-'));
  try {
    const file = join(dir, 'geniza.config.json');
    writeFileSync(file, JSON.stringify({ epochs: 30, seed: 7, timeBudget: 900, queriesPerDoc: 12 }));
    const flags = new Map<string, string | true>([['config', file], ['epochs', '10'], ['quiet', true]]);
    const s = resolveBuildSettings(flags, { GENIZA_EPOCHS: '40', GENIZA_SEED: '9', GENIZA_UNRELATED: 'x' });
    assert.equal(s.epochs, 10, 'flag beats environment and file');
    assert.equal(s.seed, 9, 'environment beats file');
    assert.equal(s.timeBudget, 900, 'file beats default');
    assert.equal(s.queriesPerDoc, 12);
    assert.equal(s.quiet, true);
    assert.equal(s.dModel, DEFAULT_SETTINGS.dModel);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('environment values are checked and named', () => {
  assert.deepEqual(readEnv({ GENIZA_TIME_BUDGET: '90', GENIZA_QUIET: 'true' }), { timeBudget: 90, quiet: true });
  assert.throws(() => readEnv({ GENIZA_BRANCHING: '1' }), /GENIZA_BRANCHING must be an integer from 2 to 256 \(got "1"\)/);
  assert.throws(() => readEnv({ GENIZA_LAYERS: '2.5' }), /GENIZA_LAYERS must be an integer/);
});
