/**
 * Plain-loop references for the k-means kernels (the scalar JavaScript the
 * WebAssembly paths must match bit for bit): greedy k-means++ computing every
 * distance, and Lloyd iterations with Hamerly's bounds one row after another.
 */
import type { Rng } from "../../../core/rng.ts";

/** Squared distance between row i of a and row c of b (ascending columns). */
export function refSqDist(a: Float64Array, i: number, b: Float64Array, c: number, d: number) {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = a[i * d + j] - b[c * d + j];
    s += t * t;
  }
  return s;
}

/** Greedy k-means++ computing every distance (no triangle-inequality skip), one trial after another. */
export function plainPlusPlus(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Rng,
): Float64Array {
  k = Math.min(k, n);
  const centres = new Float64Array(k * d);
  if (k === 0) return centres;
  const first = rng.int(n);
  centres.set(x.subarray(first * d, first * d + d));
  let closest = Float64Array.from({ length: n }, (_, i) => refSqDist(x, i, x, first, d));
  for (let c = 1; c < k; c++) {
    const total = closest.reduce((a, b) => a + b, 0);
    let bestPot = Infinity, bestPick = -1, best = closest;
    for (let t = 0; t < 2 + Math.floor(Math.log(k)); t++) {
      let pick = n - 1;
      if (total > 0) {
        let r = rng.next() * total;
        for (let i = 0; i < n; i++) {
          r -= closest[i];
          if (r < 0) {
            pick = i;
            break;
          }
        }
      } else pick = rng.int(n);
      const cand = closest.map((v, i) => {
        const dd = refSqDist(x, i, x, pick, d);
        return dd < v ? dd : v;
      });
      const pot = cand.reduce((a, b) => a + b, 0);
      if (pot < bestPot) [bestPot, bestPick, best] = [pot, pick, cand];
    }
    centres.set(x.subarray(bestPick * d, bestPick * d + d), c * d);
    closest = best;
  }
  return centres;
}

/** Nearest (ties: lower index) and second-nearest centre of row i, distances not squared. */
function nearestTwo(x: Float64Array, i: number, d: number, centres: Float64Array, k: number) {
  let best = 0, bestD = Infinity, second = Infinity;
  for (let c = 0; c < k; c++) {
    const dd = refSqDist(x, i, centres, c, d);
    if (dd < bestD) [second, bestD, best] = [bestD, dd, c];
    else if (dd < second) second = dd;
  }
  return [best, Math.sqrt(bestD), Math.sqrt(second)];
}

/** Lloyd iterations with Hamerly's bounds, row by row (the algorithm of kmeans_lloyd.ts). */
export function plainLloyd(
  x: Float64Array,
  n: number,
  d: number,
  centres: Float64Array,
  k: number,
  maxIter: number,
  tolAbs: number,
) {
  const labels = new Int32Array(n), upper = new Float64Array(n), lower = new Float64Array(n);
  for (let i = 0; i < n; i++) [labels[i], upper[i], lower[i]] = nearestTwo(x, i, d, centres, k);
  const sums = new Float64Array(k * d), counts = new Int32Array(k);
  const move = new Float64Array(k), half = new Float64Array(k), old = new Float64Array(k * d);
  let iterations = 0;
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    if (it % 16 === 0) {
      sums.fill(0);
      counts.fill(0);
      for (let i = 0; i < n; i++) {
        counts[labels[i]]++;
        for (let j = 0; j < d; j++) sums[labels[i] * d + j] += x[i * d + j];
      }
    }
    old.set(centres);
    let dist2: Float64Array | null = null, shift = 0;
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) {
        dist2 ??= Float64Array.from({ length: n }, (_, i) => refSqDist(x, i, old, labels[i], d));
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
    let top = 0;
    for (let c = 0; c < k; c++) {
      move[c] = Math.sqrt(refSqDist(centres, c, old, c, d));
      if (move[c] > move[top]) top = c;
      let near = Infinity;
      for (let c2 = 0; c2 < k; c2++) {
        if (c2 !== c) near = Math.min(near, refSqDist(centres, c, centres, c2, d));
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
      upper[i] = Math.sqrt(refSqDist(x, i, centres, a, d));
      if (upper[i] <= bound) continue;
      const [c, near, sec] = nearestTwo(x, i, d, centres, k);
      [labels[i], upper[i], lower[i]] = [c, near, sec];
      if (c === a) continue;
      counts[a]--;
      counts[c]++;
      for (let j = 0; j < d; j++) {
        sums[a * d + j] -= x[i * d + j];
        sums[c * d + j] += x[i * d + j];
      }
    }
    if (shift <= tolAbs) break;
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += refSqDist(x, i, centres, labels[i], d);
  return { centres, labels, inertia, iterations };
}

/** Mean feature variance (as kmeans() scales `tol` by). */
export function refMeanVariance(x: Float64Array, n: number, d: number): number {
  if (n === 0 || d === 0) return 0;
  let total = 0;
  for (let j = 0; j < d; j++) {
    let s = 0, s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i * d + j];
      s += v;
      s2 += v * v;
    }
    total += Math.max(0, s2 / n - (s / n) * (s / n));
  }
  return total / d;
}
