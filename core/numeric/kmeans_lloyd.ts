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

/**
 * Squared distance of every row of `x` (row-major `n × d`) to its centre
 * `labels[i]` into `out[i]`, four rows at a time (independent sums, each in
 * sqDist's order: the same bits).
 */
export function labelledSqDists(
  x: Float64Array,
  n: number,
  d: number,
  centres: Float64Array,
  labels: Int32Array,
  out: Float64Array,
): void {
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const a0 = i * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
    const b0 = labels[i] * d, b1 = labels[i + 1] * d, b2 = labels[i + 2] * d;
    const b3 = labels[i + 3] * d;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = 0; j < d; j++) {
      const t0 = x[a0 + j] - centres[b0 + j], t1 = x[a1 + j] - centres[b1 + j];
      const t2 = x[a2 + j] - centres[b2 + j], t3 = x[a3 + j] - centres[b3 + j];
      s0 += t0 * t0;
      s1 += t1 * t1;
      s2 += t2 * t2;
      s3 += t3 * t3;
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (; i < n; i++) out[i] = sqDist(x, i, centres, labels[i], d);
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
    dist: 32 * pairs,
    list: 4 * n,
    bnd: 8 * n,
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
      kernels.clustersums(at.x, d, n, at.labels, at.sums, at.counts);
    }
    old.set(centres);
    let far2: Float64Array | null = null;
    let shift = 0;
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) {
        // Empty cluster: relocate to the row farthest from its centre (then forget that row).
        if (far2 === null) {
          far2 = new Float64Array(n);
          labelledSqDists(x, n, d, old, labels, far2);
        }
        let far = 0;
        for (let i = 1; i < n; i++) if (far2[i] > far2[far]) far = i;
        if (far2[far] > 0) {
          for (let j = 0; j < d; j++) {
            const v = x[far * d + j];
            shift += (v - centres[c * d + j]) ** 2;
            centres[c * d + j] = v;
          }
          far2[far] = 0;
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
      at.list,
      at.bnd,
    );
    if (shift <= tolAbs) break;
  }
  const dist2 = new Float64Array(buffer, at.bnd, n); // free after the last step
  labelledSqDists(x, n, d, centres, labels, dist2);
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += dist2[i];
  return { k, d, centres, labels: labels.slice(), inertia, iterations };
}
