import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatestOnly } from './latest-only.ts';

test('a newer query aborts the running one and older queries are refused', () => {
  const gate = new LatestOnly();
  const first = gate.begin(1)!;
  assert.equal(first.aborted, false);
  const second = gate.begin(2)!;
  assert.equal(first.aborted, true, 'query 1 is aborted when query 2 starts');
  assert.equal(second.aborted, false);
  assert.equal(gate.begin(1), null, 'a late query 1 is refused');
  assert.equal(second.aborted, false, 'refusing a stale query leaves the newest running');
  assert.equal(gate.isLatest(2), true);
  assert.equal(gate.isLatest(1), false);
});
