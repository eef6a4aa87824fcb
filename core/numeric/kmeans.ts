/**
 * k-means clustering: greedy k-means++ seeding (Arthur & Vassilvitskii, "k-means++: the
 * advantages of careful seeding", SODA 2007) followed by Lloyd iterations (Lloyd,
 * IEEE Trans. Inf. Theory 28(2), 1982), best of `nInit` seeded restarts by inertia.
 *
 * Data is row-major (`n × d`). Degenerate input: `n = 0` gives no centres; `k > n`
 * is clipped to `n`; identical points give duplicate centres (empty clusters keep
 * their centre). Non-finite values must be imputed by the caller.
 */
import type { Rng } from "../rng.ts";
import { kmeansPlusPlus, kmeansSeeder } from "./kmeans_plus_plus.ts";

export { kmeansPlusPlus };

/** Lloyd iterations between full rebuilds of the incrementally kept cluster sums. */
const REBUILD = 16;

/** Tuning of {@link kmeans}. */
export interface KMeansOptions {
  /** Seeded restarts; the one with the lowest inertia wins (default 4). */
  nInit?: number;
  /** Lloyd iterations per restart (default 100). */
  maxIter?: number;
  /** Stop when the summed squared centre shift ≤ tol × mean feature variance (default 1e-4). */
  tol?: number;
  /**
   * Starting centres (row-major `k × d`, e.g. from a fit on a sample): Lloyd runs
   * once from them, without k-means++ seeding or restarts. Not modified.
   */
  init?: Float64Array;
}

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
 * Writes each row's nearest centre into `labels` and its squared distance into `dist2`;
 * returns the inertia (sum of `dist2`).
 */
export function assignNearest(
  x: Float64Array,
  n: number,
  d: number,
  centres: Float64Array,
  k: number,
  labels: Int32Array,
  dist2: Float64Array,
): number {
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = 0, bestD = Infinity;
    for (let c = 0; c < k; c++) {
      const dd = sqDist(x, i, centres, c, d);
      if (dd < bestD) {
        bestD = dd;
        best = c;
      }
    }
    labels[i] = best;
    dist2[i] = bestD;
    inertia += bestD;
  }
  return inertia;
}

function meanVariance(x: Float64Array, n: number, d: number): number {
  if (n === 0 || d === 0) return 0;
  // Row by row (contiguous reads), each column's sums still in ascending row order.
  const s = new Float64Array(d), s2 = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const a = i * d;
    for (let j = 0; j < d; j++) {
      const v = x[a + j];
      s[j] += v;
      s2[j] += v * v;
    }
  }
  let total = 0;
  for (let j = 0; j < d; j++) {
    const m = s[j] / n;
    total += Math.max(0, s2[j] / n - m * m);
  }
  return total / d;
}

/** nearestTwo()'s results (module scratch: no array per call on the hot path). */
let twoBest = 0, twoNear = 0, twoSecond = 0;
/** Squared distances of one row to every centre (module scratch, grown as needed). */
let toAll = new Float64Array(8);

/**
 * Squared distances from row `i` of `x` to the `k` centres into `out[0..k)`, four
 * centres at a time: four independent sums sharing each load of the row, each in
 * sqDist's order (the same bits).
 */
export function sqDistAll(
  x: Float64Array,
  i: number,
  d: number,
  centres: Float64Array,
  k: number,
  out: Float64Array,
): void {
  const a = i * d;
  let c = 0;
  for (; c + 3 < k; c += 4) {
    const b0 = c * d, b1 = b0 + d, b2 = b1 + d, b3 = b2 + d;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = 0; j < d; j++) {
      const v = x[a + j];
      const t0 = v - centres[b0 + j], t1 = v - centres[b1 + j];
      const t2 = v - centres[b2 + j], t3 = v - centres[b3 + j];
      s0 += t0 * t0;
      s1 += t1 * t1;
      s2 += t2 * t2;
      s3 += t3 * t3;
    }
    out[c] = s0;
    out[c + 1] = s1;
    out[c + 2] = s2;
    out[c + 3] = s3;
  }
  if (c + 1 < k) {
    const b0 = c * d, b1 = b0 + d;
    let s0 = 0, s1 = 0;
    for (let j = 0; j < d; j++) {
      const v = x[a + j];
      const t0 = v - centres[b0 + j], t1 = v - centres[b1 + j];
      s0 += t0 * t0;
      s1 += t1 * t1;
    }
    out[c] = s0;
    out[c + 1] = s1;
    c += 2;
  }
  if (c < k) out[c] = sqDist(x, i, centres, c, d);
}

/**
 * Nearest and second-nearest centre of row `i` (Euclidean, not squared); ties keep
 * the lower index. Sets `twoBest`, `twoNear` and `twoSecond`.
 */
function nearestTwo(x: Float64Array, i: number, d: number, centres: Float64Array, k: number): void {
  if (toAll.length < k) toAll = new Float64Array(k);
  const dist = toAll;
  sqDistAll(x, i, d, centres, k, dist);
  let best = 0, bestD = Infinity, second = Infinity;
  for (let c = 0; c < k; c++) {
    const dd = dist[c];
    if (dd < bestD) {
      second = bestD;
      bestD = dd;
      best = c;
    } else if (dd < second) second = dd;
  }
  twoBest = best;
  twoNear = Math.sqrt(bestD);
  twoSecond = Math.sqrt(second);
}

/**
 * Lloyd iterations with Hamerly's bounds (Hamerly, "Making k-means even faster",
 * SDM 2010): per row an upper bound on the distance to its centre and a lower
 * bound on the distance to any other; a row whose upper bound is below
 * max(lower bound, half the distance from its centre to the nearest other
 * centre) keeps its label without computing distances. Same labels as plain
 * Lloyd; centres are recomputed from the labels each iteration.
 */
function lloyd(
  x: Float64Array,
  n: number,
  d: number,
  centres: Float64Array,
  k: number,
  maxIter: number,
  tolAbs: number,
): KMeansResult {
  const labels = new Int32Array(n);
  const upper = new Float64Array(n), lower = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    nearestTwo(x, i, d, centres, k);
    labels[i] = twoBest;
    upper[i] = twoNear;
    lower[i] = twoSecond;
  }
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  const move = new Float64Array(k), half = new Float64Array(k);
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
    reassign(x, n, d, centres, old, k, labels, upper, lower, move, half, sums, counts);
    if (shift <= tolAbs) break;
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += sqDist(x, i, centres, labels[i], d);
  return { k, d, centres, labels, inertia, iterations };
}

/**
 * One Hamerly assignment step after the centres moved from `old` to `centres`;
 * a row that changes cluster moves its values between the cluster `sums` and
 * `counts`, so the next centre update costs O(changed rows), not O(n).
 */
function reassign(
  x: Float64Array,
  n: number,
  d: number,
  centres: Float64Array,
  old: Float64Array,
  k: number,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  move: Float64Array,
  half: Float64Array,
  sums: Float64Array,
  counts: Int32Array,
): void {
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
  for (let i = 0; i < n; i++) {
    const a = labels[i];
    upper[i] += move[a];
    lower[i] -= a === top ? second : move[top];
    const bound = half[a] > lower[i] ? half[a] : lower[i];
    if (upper[i] <= bound) continue;
    upper[i] = Math.sqrt(sqDist(x, i, centres, a, d));
    if (upper[i] <= bound) continue;
    nearestTwo(x, i, d, centres, k);
    const c = twoBest;
    labels[i] = c;
    upper[i] = twoNear;
    lower[i] = twoSecond;
    if (c === a) continue;
    counts[a]--;
    counts[c]++;
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j];
      sums[a * d + j] -= v;
      sums[c * d + j] += v;
    }
  }
}

/** Seeded k-means (k-means++ then Lloyd), best of `nInit` restarts by inertia; or Lloyd from `init`. */
export function kmeans(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Rng,
  options: KMeansOptions = {},
): KMeansResult {
  const nInit = Math.max(1, options.nInit ?? 4);
  const maxIter = Math.max(1, options.maxIter ?? 100);
  const tolAbs = (options.tol ?? 1e-4) * meanVariance(x, n, d);
  const kk = Math.max(0, Math.min(k, n));
  if (kk === 0) {
    return {
      k: 0,
      d,
      centres: new Float64Array(0),
      labels: new Int32Array(n),
      inertia: 0,
      iterations: 0,
    };
  }
  if (options.init && options.init.length === kk * d) {
    return lloyd(x, n, d, options.init.slice(), kk, maxIter, tolAbs);
  }
  let best: KMeansResult | null = null;
  const seed = kmeansSeeder(x, n, d, kk);
  for (let r = 0; r < nInit; r++) {
    const centres = seed(rng);
    const result = lloyd(x, n, d, centres, kk, maxIter, tolAbs);
    if (best === null || result.inertia < best.inertia) best = result;
  }
  return best!;
}
