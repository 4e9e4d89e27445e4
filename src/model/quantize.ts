/**
 * Symmetric int8 quantization of weight matrices: per output column (matmul weights, [in, out]) and per
 * row (embedding tables, [rows, dim]). value ~= q * scale, q in [-127, 127], zero point 0.
 */

/** An int8 matrix with one scale per column or per row. */
export interface QuantizedMatrix {
  /** Row-major int8 values, same layout as the float matrix. */
  q: Int8Array;
  /** Scales: one per column (`quantizeColumns`) or per row (`quantizeRows`). */
  scale: Float32Array;
  rows: number;
  cols: number;
}

function checkShape(w: Float32Array, rows: number, cols: number): void {
  if (w.length !== rows * cols) throw new Error(`quantize: matrix must hold rows*cols = ${rows * cols} values (got ${w.length})`);
}

/** Scale of a group whose largest magnitude is `maxAbs` (1 for an all-zero group, so q stays 0). */
function scaleFor(maxAbs: number): number {
  return maxAbs > 0 ? maxAbs / 127 : 1;
}

function toInt8(v: number, scale: number): number {
  return Math.max(-127, Math.min(127, Math.round(v / scale)));
}

/** Quantizes a [rows, cols] matrix with one symmetric scale per column (for y = x @ w). */
export function quantizeColumns(w: Float32Array, rows: number, cols: number): QuantizedMatrix {
  checkShape(w, rows, cols);
  const maxAbs = new Float32Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const a = Math.abs(w[r * cols + c]!);
      if (a > maxAbs[c]!) maxAbs[c] = a;
    }
  }
  const scale = maxAbs.map(scaleFor);
  const q = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) q[r * cols + c] = toInt8(w[r * cols + c]!, scale[c]!);
  return { q, scale, rows, cols };
}

/** Quantizes a [rows, cols] matrix with one symmetric scale per row (for embedding lookups). */
export function quantizeRows(w: Float32Array, rows: number, cols: number): QuantizedMatrix {
  checkShape(w, rows, cols);
  const scale = new Float32Array(rows);
  const q = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let m = 0;
    for (let c = 0; c < cols; c++) m = Math.max(m, Math.abs(w[r * cols + c]!));
    const s = scaleFor(m);
    scale[r] = s;
    for (let c = 0; c < cols; c++) q[r * cols + c] = toInt8(w[r * cols + c]!, s);
  }
  return { q, scale, rows, cols };
}

/** Back to float: q * scale (per column or per row, as quantized by `perRow`). */
export function dequantize(m: QuantizedMatrix, perRow: boolean): Float32Array {
  const out = new Float32Array(m.rows * m.cols);
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) out[r * m.cols + c] = m.q[r * m.cols + c]! * m.scale[perRow ? r : c]!;
  }
  return out;
}
