import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dequantize, dequantizeInt4, quantizeColumns, quantizeRows, quantizeRowsInt4 } from './quantize.ts';
import { Rng } from './init.ts';

function randomMatrix(rows: number, cols: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const w = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const rowScale = 0.01 + r * 0.1; // rows of very different magnitude
    for (let c = 0; c < cols; c++) w[r * cols + c] = rng.normal() * rowScale * (1 + c);
  }
  return w;
}

test('per-column quantization reconstructs every weight within half a step of its column scale', () => {
  const rows = 7;
  const cols = 5;
  const w = randomMatrix(rows, cols, 1);
  const m = quantizeColumns(w, rows, cols);
  assert.equal(m.scale.length, cols);
  const back = dequantize(m, false);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      assert.ok(Math.abs(back[i]! - w[i]!) <= m.scale[c]! / 2 + 1e-7, `w[${r},${c}]`);
      assert.ok(m.q[i]! >= -127 && m.q[i]! <= 127);
    }
  }
  // the largest magnitude of each column maps to +-127
  for (let c = 0; c < cols; c++) {
    let best = 0;
    for (let r = 0; r < rows; r++) best = Math.max(best, Math.abs(m.q[r * cols + c]!));
    assert.equal(best, 127);
  }
});

test('per-row quantization keeps small rows precise next to large ones', () => {
  const rows = 6;
  const cols = 16;
  const w = randomMatrix(rows, cols, 2);
  const m = quantizeRows(w, rows, cols);
  assert.equal(m.scale.length, rows);
  const back = dequantize(m, true);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      assert.ok(Math.abs(back[i]! - w[i]!) <= m.scale[r]! / 2 + 1e-7, `w[${r},${c}]`);
    }
  }
});

test('an all-zero column or row quantizes to zeros with a finite scale', () => {
  const w = new Float32Array([0, 1, 0, -2]); // [2, 2]: column 0 and row 0... column 0 is zero
  const cols = quantizeColumns(w, 2, 2);
  assert.deepEqual([...cols.q], [0, 64, 0, -127]);
  assert.ok(Number.isFinite(cols.scale[0]!) && cols.scale[0]! > 0);
  const rows = quantizeRows(new Float32Array([0, 0, 3, -3]), 2, 2);
  assert.deepEqual([...rows.q], [0, 0, 127, -127]);
  assert.deepEqual([...dequantize(rows, true)], [0, 0, 3, -3]);
});

test('a matrix of the wrong size is refused', () => {
  assert.throws(() => quantizeColumns(new Float32Array(5), 2, 3), /rows\*cols = 6 values \(got 5\)/);
});

test('4-bit rows: every value within half a step of its group scale, two values per byte', () => {
  const rows = 6;
  const cols = 16;
  const w = randomMatrix(rows, cols, 3);
  const m = quantizeRowsInt4(w, rows, cols, 8);
  assert.equal(m.packed.length, (rows * cols) / 2);
  assert.equal(m.scale.length, rows * 2);
  const back = dequantizeInt4(m);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const s = m.scale[r * 2 + Math.floor(c / 8)]!;
      assert.ok(Math.abs(back[i]! - w[i]!) <= s / 2 + 1e-7, `w[${r},${c}]: ${back[i]} vs ${w[i]}`);
    }
    // each group's largest magnitude maps to +-7 exactly
    for (let g = 0; g < 2; g++) {
      let m0 = 0;
      for (let c = g * 8; c < g * 8 + 8; c++) m0 = Math.max(m0, Math.abs(w[r * cols + c]!));
      assert.ok(Math.abs(m.scale[r * 2 + g]! * 7 - m0) < 1e-6 * Math.max(1, m0));
    }
  }
  // columns 3 and 11 of row 0 share byte 3: low nibble, high nibble
  const b = m.packed[3]!;
  assert.equal(((b & 15) - 8) * m.scale[0]!, back[3]);
  assert.equal(((b >> 4) - 8) * m.scale[1]!, back[11]);
  assert.throws(() => quantizeRowsInt4(w, rows, cols, 5), /group must divide cols/);
});
