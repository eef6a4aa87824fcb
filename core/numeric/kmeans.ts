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
import { kmeansLayout, type KMeansScratch, kmeansScratch } from "./_kmeans_scratch.ts";
import { type KMeansResult, labelledSqDists, lloyd, lloydSizes, sqDist } from "./kmeans_lloyd.ts";
import { kmeansPlusPlus, kmeansSeeder, seederSizes } from "./kmeans_plus_plus.ts";

export { kmeansPlusPlus, type KMeansResult, labelledSqDists, sqDist };

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
  /**
   * With `init`: kernel memory from {@link refinementMemory} whose rows already
   * hold x (Lloyd then reads them there: no copy of x).
   */
  memory?: KMeansScratch;
}

/** The regions of a Lloyd run from given centres, beside x. */
function refinementSizes(n: number, d: number, k: number): Record<string, number> {
  return { colSum: 8 * d, colSq: 8 * d, ...lloydSizes(n, d, k) };
}

/**
 * Kernel memory of its own for `kmeans(x, n', d, k', rng, { init, memory })`
 * with n' ≤ n rows and k' ≤ k centres; `rows` (n × d, row-major) is where the
 * caller writes x, and may keep using it (the memory is never grown): a large
 * sample is then held once, not in a JS array and again in kernel memory.
 */
export function refinementMemory(
  n: number,
  d: number,
  k: number,
): { memory: KMeansScratch; rows: Float64Array } {
  const memory = kmeansLayout(n, d, refinementSizes(n, d, k), true);
  return { memory, rows: new Float64Array(memory.buffer, memory.at.x, n * d) };
}

/**
 * Mean over the columns of the population variance of the rows `x` in `scratch`
 * (regions colSum, colSq of 8·d bytes): the column sums in the kernel
 * `colmoments`, each in ascending row order.
 */
function meanVariance(scratch: KMeansScratch, n: number, d: number): number {
  if (n === 0 || d === 0) return 0;
  const { kernels, buffer, at } = scratch;
  const s = new Float64Array(buffer, at.colSum, d).fill(0);
  const s2 = new Float64Array(buffer, at.colSq, d).fill(0);
  kernels.colmoments(at.x, d, n, at.colSum, at.colSq);
  let total = 0;
  for (let j = 0; j < d; j++) {
    const m = s[j] / n;
    total += Math.max(0, s2[j] / n - m * m);
  }
  return total / d;
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
  // x copied once into kernel memory, with the working regions of seeding and Lloyd.
  const init = options.init && options.init.length === kk * d ? options.init : null;
  const scratch = init && options.memory ? options.memory : kmeansScratch(x, n, d, {
    ...(init ? {} : seederSizes(n, d, kk)),
    ...refinementSizes(n, d, kk),
  });
  const tolAbs = (options.tol ?? 1e-4) * meanVariance(scratch, n, d);
  if (init) return lloyd(scratch, n, d, init.slice(), kk, maxIter, tolAbs);
  const seed = kmeansSeeder(scratch, n, d, kk);
  let best: KMeansResult | null = null;
  for (let r = 0; r < nInit; r++) {
    const centres = seed(rng);
    const result = lloyd(scratch, n, d, centres, kk, maxIter, tolAbs);
    if (best === null || result.inertia < best.inertia) best = result;
  }
  return best!;
}
