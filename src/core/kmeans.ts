/** Seeded k-means with k-means++ initialisation over dense row-major vectors. Pure and deterministic. */
import { seededRandom } from './seeded-random.ts';

/** Options of `kmeans`. */
export interface KMeansOptions {
  /** Seed of the k-means++ initialisation (default 42). */
  seed?: number;
  /** Maximum Lloyd iterations (default 30). */
  maxIterations?: number;
}

/** Result of `kmeans`. */
export interface KMeansResult {
  /** Cluster of each point, in [0, k). */
  assignments: Int32Array;
  /** Centroids, row-major k x dims. */
  centroids: Float32Array;
  /** Number of clusters actually used (= min(k, n)). */
  k: number;
  /** Lloyd iterations run. */
  iterations: number;
  /** Sum of squared distances of points to their centroid. */
  inertia: number;
}

function sqDist(a: Float32Array, ai: number, b: Float32Array, bi: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const x = a[ai + j] - b[bi + j];
    s += x * x;
  }
  return s;
}

/**
 * Clusters `n` points of `dims` dimensions (row-major in `data`) into `k` clusters.
 * Ties go to the lowest cluster index; an emptied cluster is re-seeded with the point farthest from its centroid.
 * @example kmeans(new Float32Array([0, 0, 0, 1, 9, 9, 9, 8]), 4, 2, 2).assignments // [0, 0, 1, 1] (or [1, 1, 0, 0])
 */
export function kmeans(data: Float32Array, n: number, dims: number, k: number, opts: KMeansOptions = {}): KMeansResult {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`kmeans: k must be an integer >= 1 (got ${k})`);
  if (data.length < n * dims) throw new RangeError(`kmeans: data has ${data.length} values, need n * dims = ${n * dims}`);
  const rng = seededRandom(opts.seed ?? 42);
  const maxIterations = opts.maxIterations ?? 30;
  k = Math.min(k, n);
  const centroids = new Float32Array(k * dims);
  const assignments = new Int32Array(n);
  if (n === 0) return { assignments, centroids, k: 0, iterations: 0, inertia: 0 };

  // Greedy k-means++: first centre uniform; each next one is the best (lowest total potential) of a few
  // candidates drawn with probability proportional to D(x)^2.
  const candidates = 2 + Math.floor(Math.log(k));
  const best = new Float64Array(n);
  const trial = new Float64Array(n);
  const bestTrial = new Float64Array(n);
  const first = rng.int(n);
  centroids.set(data.subarray(first * dims, first * dims + dims), 0);
  for (let i = 0; i < n; i++) best[i] = sqDist(data, i * dims, data, first * dims, dims);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += best[i];
    let pick = -1;
    let pickPotential = Infinity;
    for (let t = 0; t < candidates; t++) {
      let cand = n - 1;
      if (total > 0) {
        let r = rng.next() * total;
        for (let i = 0; i < n; i++) {
          r -= best[i];
          if (r < 0) { cand = i; break; }
        }
      } else {
        cand = rng.int(n);
      }
      let potential = 0;
      for (let i = 0; i < n; i++) {
        const dd = Math.min(best[i], sqDist(data, i * dims, data, cand * dims, dims));
        trial[i] = dd;
        potential += dd;
      }
      if (potential < pickPotential) {
        pickPotential = potential;
        pick = cand;
        bestTrial.set(trial);
      }
    }
    centroids.set(data.subarray(pick * dims, pick * dims + dims), c * dims);
    best.set(bestTrial);
  }

  const sums = new Float64Array(k * dims);
  const counts = new Int32Array(k);
  const dist = new Float64Array(n);
  let iterations = 0;
  let inertia = 0;
  for (let it = 0; it < maxIterations; it++) {
    iterations = it + 1;
    let changed = 0;
    inertia = 0;
    for (let i = 0; i < n; i++) {
      let bc = 0;
      let bd = Infinity;
      for (let c = 0; c < k; c++) {
        const dd = sqDist(data, i * dims, centroids, c * dims, dims);
        if (dd < bd) { bd = dd; bc = c; }
      }
      if (it === 0 || assignments[i] !== bc) changed++;
      assignments[i] = bc;
      dist[i] = bd;
      inertia += bd;
    }
    if (changed === 0 && it > 0) break;
    // Update step.
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assignments[i];
      counts[c]++;
      const o = c * dims;
      const p = i * dims;
      for (let j = 0; j < dims; j++) sums[o + j] += data[p + j];
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) {
        // Re-seed an empty cluster with the point farthest from its own centroid.
        let far = 0;
        for (let i = 1; i < n; i++) if (dist[i] > dist[far]) far = i;
        centroids.set(data.subarray(far * dims, far * dims + dims), c * dims);
        dist[far] = 0;
        continue;
      }
      for (let j = 0; j < dims; j++) centroids[c * dims + j] = sums[c * dims + j] / counts[c];
    }
  }
  return { assignments, centroids, k, iterations, inertia };
}
