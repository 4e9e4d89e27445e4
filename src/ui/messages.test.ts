import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GenizaError } from '../core/errors.ts';
import { describeError, formatProgress, relatedNotice } from './messages.ts';

test('a bundle version mismatch tells the user how to rebuild', () => {
  const { title, detail } = describeError(new GenizaError('BUNDLE_VERSION', 'bundle: formatVersion 9 is not supported (this geniza reads 1)'));
  assert.match(title, /another version/);
  assert.match(detail, /formatVersion 9/);
  assert.match(detail, /geniza build/);
});

test('download progress shows percent and megabytes', () => {
  assert.equal(formatProgress({ phase: 'download', loadedBytes: 1_200_000, totalBytes: 2_900_000 }), 'Downloading the search index… 41% (1.2 of 2.9 MB)');
  assert.equal(formatProgress(null), 'Loading the search index…');
});

test('related results are introduced as related, naming the query the pages do not contain', () => {
  assert.equal(relatedNotice('  acrylamide '), 'No pages contain “acrylamide”. Related pages:');
});
