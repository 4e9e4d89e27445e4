import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sha256Hex, sha256Js } from './sha256.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('the JavaScript SHA-256 fallback matches node:crypto across block boundaries', () => {
  for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 100_003]) {
    const bytes = new Uint8Array(n).map((_, i) => (i * 31 + 7) & 255);
    assert.equal(hex(sha256Js(bytes)), createHash('sha256').update(bytes).digest('hex'), `length ${n}`);
  }
});

test('sha256Hex gives the lowercase hex digest of "abc"', async () => {
  assert.equal(await sha256Hex(new TextEncoder().encode('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});
