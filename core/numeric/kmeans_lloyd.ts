/**
 * Lloyd iterations (Lloyd, IEEE Trans. Inf. Theory 28(2), 1982) with Hamerly's
 * bounds (Hamerly, "Making k-means even faster", SDM 2010), the assignment steps
 * in the WebAssembly kernels `nearest2` and `reassign` (wasm/kernels.wat): the
 * distances to all centres two per f64x2 (each lane the scalar sum), the bounds
 * and the sums in scalar f64 operations in the order of the plain loop.
 */
import type { KMeansScratch } from "./_kmeans_scratch.ts";

/** Lloyd iterations between full rebuilds of the incrementally kept cluster sums. */
const REBUILD = 16;

/** A fitted k-means partition. */
export interface KMeansResult {
  k: number;
  d: number;
  /** Row-major centres, `k × d`. */
  centres: Float64Array;
  /** Nearest-centre label of every input row. */
  labels: Int32Array;
  /** Sum of squared distances of rows to their centre. */
  inertia: number;
  /** Lloyd iterations of the winning restart. */
  iterations: number;
}

/** Squared Euclidean distance between row `i` of `x` and row `c` of `centres`. */
export function sqDist(x: Float64Array, i: number, centres: Float64Array, c: number, d: number) {
  let s = 0;
  const a = i * d, b = c * d;
  for (let j = 0; j < d; j++) {
    const t = x[a + j] - centres[b + j];
    s += t * t;
  }
  return s;
}

/** The scratch regions (bytes) lloyd uses besides `x`. */
export function lloydSizes(n: number, d: number, k: number): Record<string, number> {
  const pairs = (k + 1) >> 1;
  return {
    labels: 4 * n,
    upper: 8 * n,
    lower: 8 * n,
    centres: 8 * k * d,
    centrePairs: 16 * pairs * d,
    sums: 8 * k * d,
    counts: 4 * k,
    move: 8 * k,
    half: 8 * k,
    dist: 16 * pairs + 16,
  };
}

/** Writes `centres` (row-major `k × d`) into the scratch regions `centres` and `centrePairs`. */
function putCentres(s: KMeansScratch, centres: Float64Array, k: number, d: number): void {
  new Float64Array(s.buffer, s.at.centres, k * d).set(centres);
  const cp = new Float64Array(s.buffer, s.at.centrePairs, 2 * ((k + 1) >> 1) * d);
  for (let c = 0; c < 2 * ((k + 1) >> 1); c++) {
    const src = Math.min(c, k - 1) * d, o = (c >> 1) * 2 * d + (c & 1);
    for (let j = 0; j < d; j++) cp[o + 2 * j] = centres[src + j];
  }
}

/**
 * Lloyd iterations from `centres` (updated in place and returned) on the rows
 * `x` in `scratch` (with the regions of lloydSizes). Per row an upper bound on
 * the distance to its centre and a lower bound on the distance to any other; a
 * row whose upper bound is below max(lower bound, half the distance from its
 * centre to the nearest other centre) keeps its label without computing
 * distances. Centres are recomputed from the labels each iteration.
 */
export function lloyd(
  scratch: KMeansScratch,
  n: number,
  d: number,
  centres: Float64Array,
  k: number,
  maxIter: number,
  tolAbs: number,
): KMeansResult {
  const { kernels, buffer, at } = scratch;
  const x = new Float64Array(buffer, at.x, n * d);
  const labels = new Int32Array(buffer, at.labels, n);
  const sums = new Float64Array(buffer, at.sums, k * d);
  const counts = new Int32Array(buffer, at.counts, k);
  const move = new Float64Array(buffer, at.move, k), half = new Float64Array(buffer, at.half, k);
  putCentres(scratch, centres, k, d);
  kernels.nearest2(at.x, d, n, at.centrePairs, k, at.dist, at.labels, at.upper, at.lower);
  const old = new Float64Array(k * d);
  let iterations = 0;
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    // Cluster sums follow the label changes (see reassign); rebuilt from the rows
    // every REBUILD iterations so rounding from the updates cannot accumulate.
    if (it % REBUILD === 0) {
      sums.fill(0);
      counts.fill(0);
      for (let i = 0; i < n; i++) {
        const c = labels[i];
        counts[c]++;
        for (let j = 0; j < d; j++) sums[c * d + j] += x[i * d + j];
      }
    }
    old.set(centres);
    let dist2: Float64Array | null = null;
    let shift = 0;
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) {
        // Empty cluster: relocate to the row farthest from its centre (then forget that row).
        if (dist2 === null) {
          dist2 = new Float64Array(n);
          for (let i = 0; i < n; i++) dist2[i] = sqDist(x, i, old, labels[i], d);
        }
        let far = 0;
        for (let i = 1; i < n; i++) if (dist2[i] > dist2[far]) far = i;
        if (dist2[far] > 0) {
          for (let j = 0; j < d; j++) {
            const v = x[far * d + j];
            shift += (v - centres[c * d + j]) ** 2;
            centres[c * d + j] = v;
          }
          dist2[far] = 0;
        }
        continue;
      }
      for (let j = 0; j < d; j++) {
        const v = sums[c * d + j] / counts[c];
        shift += (v - centres[c * d + j]) ** 2;
        centres[c * d + j] = v;
      }
    }
    // One Hamerly assignment step after the centres moved from `old`: a row that
    // changes cluster moves its values between the cluster sums and counts, so
    // the next centre update costs O(changed rows), not O(n).
    let top = 0;
    for (let c = 0; c < k; c++) {
      move[c] = Math.sqrt(sqDist(centres, c, old, c, d));
      if (move[c] > move[top]) top = c;
      let near = Infinity;
      for (let c2 = 0; c2 < k; c2++) {
        if (c2 !== c) near = Math.min(near, sqDist(centres, c, centres, c2, d));
      }
      half[c] = 0.5 * Math.sqrt(near);
    }
    let second = 0;
    for (let c = 0; c < k; c++) if (c !== top && move[c] > second) second = move[c];
    putCentres(scratch, centres, k, d);
    kernels.reassign(
      at.x,
      d,
      n,
      at.centres,
      at.centrePairs,
      k,
      at.dist,
      at.labels,
      at.upper,
      at.lower,
      at.move,
      at.half,
      top,
      second,
      move[top],
      at.sums,
      at.counts,
    );
    if (shift <= tolAbs) break;
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += sqDist(x, i, centres, labels[i], d);
  return { k, d, centres, labels: labels.slice(), inertia, iterations };
}
