/** Truncated SVD of a sparse matrix by a seeded randomized range finder with power iterations. Pure. */
import { seededRandom } from './seeded-random.ts';

/** Sparse matrix in compressed sparse row form. */
export interface CsrMatrix {
  rows: number;
  cols: number;
  /** Row start offsets into `indices`/`values`, length rows + 1. */
  indptr: Int32Array;
  /** Column of each stored value. */
  indices: Int32Array;
  values: Float32Array;
}

/** Options of `truncatedSvd`. */
export interface SvdOptions {
  /** Extra random directions beyond `rank` (default 10). */
  oversample?: number;
  /** Power iterations sharpening the range (default 3). */
  powerIterations?: number;
  /** Seed of the random test matrix (default 42). */
  seed?: number;
}

/** Result of `truncatedSvd`: A ~ U diag(s) V^T, only U and s kept. */
export interface SvdResult {
  /** Number of components returned (<= requested rank). */
  rank: number;
  /** Left singular vectors, row-major rows x rank. */
  u: Float64Array;
  /** Singular values, descending. */
  s: Float64Array;
}

/** Orthonormalises the `l` columns of the row-major `m x l` matrix in place (modified Gram-Schmidt, twice). */
function orthonormalizeColumns(a: Float64Array, m: number, l: number): void {
  // Work on contiguous columns (cache-friendly), then write back.
  const cols: Float64Array[] = [];
  for (let j = 0; j < l; j++) {
    const c = new Float64Array(m);
    for (let i = 0; i < m; i++) c[i] = a[i * l + j];
    cols.push(c);
  }
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < l; j++) {
      const cj = cols[j];
      for (let p = 0; p < j; p++) {
        const cp = cols[p];
        let dot = 0;
        for (let i = 0; i < m; i++) dot += cj[i] * cp[i];
        if (dot !== 0) for (let i = 0; i < m; i++) cj[i] -= dot * cp[i];
      }
      let norm = 0;
      for (let i = 0; i < m; i++) norm += cj[i] * cj[i];
      norm = Math.sqrt(norm);
      const inv = norm > 1e-10 ? 1 / norm : 0;
      for (let i = 0; i < m; i++) cj[i] *= inv;
    }
  }
  for (let j = 0; j < l; j++) {
    const c = cols[j];
    for (let i = 0; i < m; i++) a[i * l + j] = c[i];
  }
}

/** out (rows x l) = A (rows x cols) * x (cols x l). */
function multiply(a: CsrMatrix, x: Float64Array, l: number): Float64Array {
  const out = new Float64Array(a.rows * l);
  for (let r = 0; r < a.rows; r++) {
    const o = r * l;
    for (let p = a.indptr[r]; p < a.indptr[r + 1]; p++) {
      const v = a.values[p];
      const xo = a.indices[p] * l;
      for (let j = 0; j < l; j++) out[o + j] += v * x[xo + j];
    }
  }
  return out;
}

/** out (cols x l) = A^T (cols x rows) * y (rows x l). */
function multiplyTransposed(a: CsrMatrix, y: Float64Array, l: number): Float64Array {
  const out = new Float64Array(a.cols * l);
  for (let r = 0; r < a.rows; r++) {
    const yo = r * l;
    for (let p = a.indptr[r]; p < a.indptr[r + 1]; p++) {
      const v = a.values[p];
      const o = a.indices[p] * l;
      for (let j = 0; j < l; j++) out[o + j] += v * y[yo + j];
    }
  }
  return out;
}

/** Eigen-decomposition of a symmetric l x l matrix (cyclic Jacobi). Returns eigenvalues and column eigenvectors. */
function symmetricEigen(mat: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(mat);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < l; i++) {
      diag += a[i * l + i] * a[i * l + i];
      for (let j = i + 1; j < l; j++) off += a[i * l + j] * a[i * l + j];
    }
    if (off <= 1e-22 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q];
        if (Math.abs(apq) < 1e-300) continue;
        const app = a[p * l + p];
        const aqq = a[q * l + q];
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p];
          const akq = a[k * l + q];
          a[k * l + p] = c * akp - s * akq;
          a[k * l + q] = s * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k];
          const aqk = a[q * l + k];
          a[p * l + k] = c * apk - s * aqk;
          a[q * l + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p];
          const vkq = v[k * l + q];
          v[k * l + p] = c * vkp - s * vkq;
          v[k * l + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(l);
  for (let i = 0; i < l; i++) values[i] = a[i * l + i];
  return { values, vectors: v };
}

/**
 * Top-`rank` left singular vectors and values of a sparse matrix (Halko, Martinsson & Tropp's randomized
 * range finder). Deterministic for a seed. Cost ~ (powerIterations + 2) * nnz * (rank + oversample).
 */
export function truncatedSvd(a: CsrMatrix, rank: number, opts: SvdOptions = {}): SvdResult {
  const l = Math.max(1, Math.min(rank + (opts.oversample ?? 10), a.rows, a.cols));
  const rng = seededRandom(opts.seed ?? 42);
  const omega = new Float64Array(a.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = rng.normal();
  let q = multiply(a, omega, l);
  orthonormalizeColumns(q, a.rows, l);
  for (let it = 0; it < (opts.powerIterations ?? 3); it++) {
    // Only the short side is re-orthonormalised: enough for a few iterations, and much cheaper.
    q = multiply(a, multiplyTransposed(a, q, l), l);
    orthonormalizeColumns(q, a.rows, l);
  }
  // B = Q^T A (l x cols); B B^T = Z^T Z with Z = A^T Q.
  const z = multiplyTransposed(a, q, l);
  const bbt = new Float64Array(l * l);
  for (let c = 0; c < a.cols; c++) {
    const o = c * l;
    for (let i = 0; i < l; i++) {
      const zi = z[o + i];
      if (zi === 0) continue;
      for (let j = i; j < l; j++) bbt[i * l + j] += zi * z[o + j];
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) bbt[i * l + j] = bbt[j * l + i];
  const { values, vectors } = symmetricEigen(bbt, l);
  const order = Array.from({ length: l }, (_, i) => i).sort((x, y) => values[y] - values[x] || x - y);
  const r = Math.min(rank, l);
  const u = new Float64Array(a.rows * r);
  const s = new Float64Array(r);
  for (let k = 0; k < r; k++) {
    const e = order[k];
    s[k] = Math.sqrt(Math.max(0, values[e]));
    for (let row = 0; row < a.rows; row++) {
      let acc = 0;
      for (let j = 0; j < l; j++) acc += q[row * l + j] * vectors[j * l + e];
      u[row * r + k] = acc;
    }
  }
  return { rank: r, u, s };
}
