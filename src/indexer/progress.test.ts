import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress, formatDuration } from './progress.ts';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { stream: { isTTY, columns: 200, write: (s: string) => { chunks.push(s); return true; } }, chunks };
}

test('without a TTY a line is printed about every 10%, after the first second', () => {
  let t = 0;
  const { stream, chunks } = sink(false);
  const p = createProgress({ stream, now: () => t });
  const bar = p.stage('train', 100, 'steps');
  for (let i = 1; i <= 100; i++) {
    t = i * 100; // 10 s in all
    bar.update(i, { extra: `loss ${(3 - i / 50).toFixed(2)}` });
  }
  bar.finish('100 steps');
  const lines = chunks.join('').trim().split('\n');
  assert.ok(lines.length >= 9 && lines.length <= 11, lines.join('\n'));
  assert.match(lines[0], /^train +\s+\d+%  \d+\/100  [\d.]+ steps\/s  ETA .*loss/);
  assert.match(lines.at(-1)!, /^train +done in 10s  100 steps$/);
});

test('on a TTY the bar redraws in place with percent, counts, rate and ETA', () => {
  let t = 0;
  const { stream, chunks } = sink(true);
  const p = createProgress({ stream, now: () => t, delayMs: 0, redrawMs: 0 });
  const bar = p.stage('encode', 10, 'pairs');
  t = 500;
  bar.update(1);
  t = 1500;
  bar.update(5);
  assert.match(chunks.at(-1)!, /^\r\x1b\[K.*encode.*\[#{12}-{12}\] +50%  5\/10  5\.00 pairs\/s  ETA 1\.0s/);
  assert.equal(chunks.filter((c) => c.includes('\n')).length, 0, 'no new lines while running');
  bar.finish();
  assert.match(chunks.join(''), /\r\x1b\[Kencode +done in 1\.5s\n$/);
});

test('quiet prints nothing; fast stages print only their summary line', () => {
  const q = sink(true);
  const quiet = createProgress({ stream: q.stream, quiet: true, delayMs: 0 });
  const b = quiet.stage('x', 3);
  b.update(2);
  b.finish('done');
  quiet.warn('hidden');
  assert.equal(q.chunks.length, 0);
  const f = sink(true);
  let t = 0;
  const fast = createProgress({ stream: f.stream, now: () => t });
  const s = fast.stage('docids', 10);
  t = 200;
  s.update(10);
  s.finish('K=32');
  assert.equal(f.chunks.join(''), 'docids          done in 0.2s  K=32\n');
});

test('durations are short and readable', () => {
  assert.equal(formatDuration(3.21), '3.2s');
  assert.equal(formatDuration(42.4), '42s');
  assert.equal(formatDuration(187), '3m07s');
  assert.equal(formatDuration(3720), '1h02m');
});
