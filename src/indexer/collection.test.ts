import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenizaError } from '../core/errors.ts';
import { readCollection } from './collection.ts';

const CORPUS = [
  '{"id": "d1", "title": "Heat transfer", "text": "Heat moves through slabs."}',
  '{"id": 2, "title": "", "text": "A body without a title."}',
  '',
  '{"id": "d3", "title": "Only a title", "text": ""}',
  '{"id": "d4", "title": "", "text": ""}',
].join('\n');
const QUERIES = ['{"id": "q1", "text": "heat slabs"}', '{"id": "q2", "text": "no judgments"}', '{"id": "q3", "text": "titles"}'].join('\n');
const QRELS = 'query-id\tcorpus-id\tscore\nq1\td1\t2\nq1\t2\t1\nq3\td3\t1\nq9\td1\t1\n';

async function withCollection(files: Record<string, string>, fn: (dir: string) => Promise<void>): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'geniza-collection-'));
  const dir = join(root, 'tiny');
  try {
    await mkdir(dir);
    for (const [name, content] of Object.entries(files)) {
      await mkdir(join(dir, name, '..'), { recursive: true });
      await writeFile(join(dir, name), content);
    }
    await fn(dir);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function rejectsWith(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof GenizaError, String(e));
    assert.equal(e.code, code);
    assert.match(e.message, message);
    return true;
  });
}

test('readCollection keeps every document, falls back to the id for an empty title, and keeps judged queries only', async () => {
  await withCollection({ 'corpus.jsonl': CORPUS, 'queries.jsonl': QUERIES, 'qrels.tsv': QRELS }, async (dir) => {
    const c = await readCollection(dir);
    assert.equal(c.name, 'tiny');
    assert.deepEqual(c.docs.map((d) => [d.id, d.title, d.text]), [
      ['d1', 'Heat transfer', 'Heat moves through slabs.'],
      ['2', '2', 'A body without a title.'],
      ['d3', 'Only a title', ''],
      ['d4', 'd4', ''],
    ]);
    assert.deepEqual(c.docs.map((d) => d.untitled === true), [false, true, false, true], 'an id shown as the title is marked untitled');
    assert.match(c.docs[2].source ?? '', /corpus\.jsonl:4$/);
    assert.deepEqual(c.queries, [{ id: 'q1', text: 'heat slabs' }, { id: 'q3', text: 'titles' }]);
    assert.deepEqual([...c.qrels.keys()], ['q1', 'q3']);
    assert.deepEqual([...c.qrels.get('q1')!], [['d1', 2], ['2', 1]]);
  });
});

test('BEIR layout: qrels/test.tsv is read when qrels.tsv is absent; `_id` works as the id', async () => {
  const corpus = '{"_id": "a", "title": "T", "text": "x"}\n';
  const queries = '{"_id": "1", "text": "x"}\n';
  await withCollection({ 'corpus.jsonl': corpus, 'queries.jsonl': queries, 'qrels/test.tsv': '1\ta\t1\n' }, async (dir) => {
    const c = await readCollection(dir);
    assert.deepEqual(c.docs.map((d) => d.id), ['a']);
    assert.deepEqual(c.qrels.get('1'), new Map([['a', 1]]));
  });
});

test('a missing file is an UNREADABLE_FILE error naming it', async () => {
  await withCollection({ 'corpus.jsonl': CORPUS, 'qrels.tsv': QRELS }, async (dir) => {
    await rejectsWith(readCollection(dir), 'UNREADABLE_FILE', /queries .*queries\.jsonl: no such file/);
  });
  await withCollection({ 'corpus.jsonl': CORPUS, 'queries.jsonl': QUERIES }, async (dir) => {
    await rejectsWith(readCollection(dir), 'UNREADABLE_FILE', /judgments .*qrels\.tsv: no such file/);
  });
  await rejectsWith(readCollection(join(tmpdir(), 'geniza-no-such-collection')), 'UNREADABLE_FILE', /corpus .*corpus\.jsonl/);
});

test('bad lines are BAD_INPUT errors naming file:line', async () => {
  const badJson = '{"id": "d1", "title": "a", "text": "b"}\n{"id": "d2", "title": \n';
  await withCollection({ 'corpus.jsonl': badJson, 'queries.jsonl': QUERIES, 'qrels.tsv': QRELS }, async (dir) => {
    await rejectsWith(readCollection(dir), 'BAD_INPUT', /corpus\.jsonl:2: invalid JSON/);
  });
  await withCollection({ 'corpus.jsonl': '{"id": "d1", "text": 5}\n', 'queries.jsonl': QUERIES, 'qrels.tsv': QRELS }, async (dir) => {
    await rejectsWith(readCollection(dir), 'BAD_INPUT', /corpus\.jsonl:1: "text" must be a string \(document "d1"\)/);
  });
  await withCollection({ 'corpus.jsonl': CORPUS, 'queries.jsonl': '{"text": "no id"}\n', 'qrels.tsv': QRELS }, async (dir) => {
    await rejectsWith(readCollection(dir), 'BAD_INPUT', /queries\.jsonl:1: "id" must be/);
  });
  await withCollection({ 'corpus.jsonl': CORPUS, 'queries.jsonl': QUERIES, 'qrels.tsv': 'q1\td1\t1\nq1 d2\n' }, async (dir) => {
    await rejectsWith(readCollection(dir), 'BAD_INPUT', /qrels\.tsv:2: expected "query-id <TAB> doc-id <TAB> grade"/);
  });
  await withCollection({ 'corpus.jsonl': CORPUS, 'queries.jsonl': QUERIES, 'qrels.tsv': 'q1\td1\thigh\n' }, async (dir) => {
    await rejectsWith(readCollection(dir), 'BAD_INPUT', /qrels\.tsv:1: grade must be a number \(got "high"\)/);
  });
});

test('duplicate document ids, an empty corpus and queries without judgments are errors', async () => {
  const dup = '{"id": "d1", "title": "a", "text": "b"}\n{"id": "d1", "title": "c", "text": "d"}\n';
  await withCollection({ 'corpus.jsonl': dup, 'queries.jsonl': QUERIES, 'qrels.tsv': QRELS }, async (dir) => {
    await rejectsWith(readCollection(dir), 'DUPLICATE_ID', /"d1" at .*corpus\.jsonl:1 and .*corpus\.jsonl:2/);
  });
  await withCollection({ 'corpus.jsonl': '\n', 'queries.jsonl': QUERIES, 'qrels.tsv': QRELS }, async (dir) => {
    await rejectsWith(readCollection(dir), 'EMPTY_CORPUS', /no documents in .*corpus\.jsonl/);
  });
  await withCollection({ 'corpus.jsonl': CORPUS, 'queries.jsonl': QUERIES, 'qrels.tsv': 'x\td1\t1\n' }, async (dir) => {
    await rejectsWith(readCollection(dir), 'BAD_INPUT', /no query of .*queries\.jsonl has judgments/);
  });
});
