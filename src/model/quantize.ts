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

/** Scale of a group whose largest magnitude is `maxAbs`, for levels -qMax..qMax (1 for an all-zero group, so q stays 0). */
function scaleFor(maxAbs: number, qMax = 127): number {
  return maxAbs > 0 ? maxAbs / qMax : 1;
}

/** The level of `v` at `scale`, rounded and clamped to -qMax..qMax. */
function toLevel(v: number, scale: number, qMax = 127): number {
  return Math.max(-qMax, Math.min(qMax, Math.round(v / scale)));
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
  const scale = maxAbs.map((m) => scaleFor(m));
  const q = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) q[r * cols + c] = toLevel(w[r * cols + c]!, scale[c]!);
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
    for (let c = 0; c < cols; c++) q[r * cols + c] = toLevel(w[r * cols + c]!, s);
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

/**
 * A [rows, cols] matrix in 4 bits: per row, groups of `group` consecutive columns share one symmetric scale and every
 * value is q * scale with q in [-7, 7]. Two values share a byte: byte j of a row holds column j in its low nibble and
 * column j + cols / 2 in its high nibble, each stored as q + 8 (so a row unpacks as [low nibbles, high nibbles]).
 */
export interface Int4Matrix {
  /** rows * cols / 2 bytes, row-major. */
  packed: Uint8Array;
  /** rows * cols / group scales, row-major ([rows, cols / group]). */
  scale: Float32Array;
  rows: number;
  cols: number;
  group: number;
}

/** Largest magnitude of a 4-bit value. */
export const INT4_MAX = 7;

/** Quantizes a [rows, cols] matrix to 4 bits with one scale per `group` columns of a row (cols even, group divides cols). */
export function quantizeRowsInt4(w: Float32Array, rows: number, cols: number, group: number): Int4Matrix {
  checkShape(w, rows, cols);
  if (cols % 2 !== 0) throw new Error(`quantize: 4-bit rows need an even number of columns (got ${cols})`);
  if (!Number.isInteger(group) || group < 1 || cols % group !== 0) throw new Error(`quantize: group must divide cols = ${cols} (got ${group})`);
  const groups = cols / group;
  const half = cols / 2;
  const scale = new Float32Array(rows * groups);
  const packed = new Uint8Array((rows * cols) / 2);
  const q = new Int8Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let g = 0; g < groups; g++) {
      let m = 0;
      for (let c = g * group; c < (g + 1) * group; c++) m = Math.max(m, Math.abs(w[r * cols + c]!));
      const s = scaleFor(m, INT4_MAX);
      scale[r * groups + g] = s;
      for (let c = g * group; c < (g + 1) * group; c++) q[c] = toLevel(w[r * cols + c]!, s, INT4_MAX);
    }
    for (let j = 0; j < half; j++) packed[r * half + j] = (q[j]! + 8) | ((q[j + half]! + 8) << 4);
  }
  return { packed, scale, rows, cols, group };
}

/** Back to float: the values a 4-bit matrix stands for. */
export function dequantizeInt4(m: Int4Matrix): Float32Array {
  const out = new Float32Array(m.rows * m.cols);
  const half = m.cols / 2;
  const groups = m.cols / m.group;
  for (let r = 0; r < m.rows; r++) {
    for (let j = 0; j < half; j++) {
      const b = m.packed[r * half + j]!;
      for (const [c, nibble] of [[j, b & 15], [j + half, b >> 4]] as const) {
        out[r * m.cols + c] = (nibble - 8) * m.scale[r * groups + Math.floor(c / m.group)]!;
      }
    }
  }
  return out;
}
