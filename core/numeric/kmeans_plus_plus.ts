/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii, "k-means++: the advantages of
 * careful seeding", SODA 2007), the trials of each step evaluated together in
 * the WebAssembly kernel `seedtrials` (wasm/kernels.wat).
 */
import type { Rng } from "../rng.ts";
import { type KMeansScratch, kmeansScratch } from "./_kmeans_scratch.ts";
import { labelledSqDists, sqDist } from "./kmeans_lloyd.ts";

/**
 * Greedy k-means++ seeding: first centre uniform; for each next centre draw
 * 2 + ⌊ln k⌋ candidates with probability ∝ D(x)² and keep the one that lowers the
 * potential Σ D² most (the greedy variant Arthur & Vassilvitskii discuss, as in
 * scikit-learn), which avoids two seeds in one well-separated cluster.
 *
 * A candidate's distance to row x is not computed when the triangle inequality
 * already says it is farther than x's closest centre c: ‖p − c‖² > 4‖x − c‖²
 * (with a 1e-9 relative margin, far above the rounding of either sum) gives
 * ‖x − p‖ > ‖x − c‖, so min(D(x)², d(x, p)²) is D(x)² either way — the same
 * values, hence the same picks, as computing every distance (Elkan, "Using the
 * triangle inequality to accelerate k-means", ICML 2003, applied to seeding).
 *
 * The candidates of one step are drawn before any is evaluated (their draws
 * depend only on the D² of the chosen centres), then one pass over the rows
 * evaluates them all, two per f64x2, each lane the scalar sum: the same
 * potentials, compared in trial order, as evaluating one trial after another.
 */
export function kmeansPlusPlus(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Rng,
): Float64Array {
  return kmeansSeeder(kmeansScratch(x, n, d, seederSizes(n, d, k)), n, d, k)(rng);
}

/** The scratch regions (bytes) kmeansSeeder uses besides `x`. */
export function seederSizes(n: number, d: number, k: number): Record<string, number> {
  const kk = Math.max(1, Math.min(k, n)), slots = 2 * ((3 + Math.floor(Math.log(kk))) >> 1);
  return {
    seedClosest: 8 * n,
    seedOwner: 4 * n,
    seedOut: 8 * slots * n,
    seedOwnerOut: 4 * slots * n,
    seedCand: 8 * slots * d,
    seedTc: 8 * slots * kk,
    seedPots: 8 * slots,
    seedTmp: 64,
  };
}

/**
 * kmeansPlusPlus(x, n, d, k, ·) for several generators (restarts), `x` and the
 * regions of seederSizes in `scratch` (see kmeansScratch).
 */
export function kmeansSeeder(
  scratch: KMeansScratch,
  n: number,
  d: number,
  k: number,
): (rng: Rng) => Float64Array {
  const kk = Math.min(k, n);
  if (kk === 0) return () => new Float64Array(0);
  const trials = 2 + Math.floor(Math.log(kk));
  const P = (trials + 1) >> 1, slots = 2 * P;
  const { kernels, buffer: buf, at } = scratch;
  const x = new Float64Array(buf, at.x, n * d);
  const closest = new Float64Array(buf, at.seedClosest, n);
  const owner = new Int32Array(buf, at.seedOwner, n);
  const out = new Float64Array(buf, at.seedOut, slots * n);
  const oout = new Int32Array(buf, at.seedOwnerOut, slots * n);
  const cand = new Float64Array(buf, at.seedCand, slots * d);
  const tc = new Float64Array(buf, at.seedTc, slots * kk);
  const pots = new Float64Array(buf, at.seedPots, slots);
  return (rng) => {
    const centres = new Float64Array(kk * d);
    const first = rng.int(n);
    centres.set(x.subarray(first * d, first * d + d), 0);
    owner.fill(0); // every row's closest centre is the first
    labelledSqDists(x, n, d, centres, owner, closest);
    const picked = new Int32Array(kk);
    picked[0] = first;
    const picks = new Int32Array(slots);
    for (let c = 1; c < kk; c++) {
      let total = 0;
      for (let i = 0; i < n; i++) total += closest[i];
      for (let t = 0; t < trials; t++) {
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
        } else {
          pick = rng.int(n);
        }
        picks[t] = pick;
      }
      for (let t = trials; t < slots; t++) picks[t] = picks[trials - 1]; // padding lane
      for (let t = 0; t < slots; t++) {
        const pick = picks[t], o = (t >> 1) * 2 * d + (t & 1);
        for (let j = 0; j < d; j++) cand[o + 2 * j] = x[pick * d + j];
        // ‖candidate − centre q‖² with the margin, per chosen centre (the skip test).
        for (let q = 0; q < c; q++) {
          tc[t * kk + q] = sqDist(x, pick, x, picked[q], d) / (4 * (1 + 1e-9));
        }
      }
      pots.fill(0);
      kernels.seedtrials(
        at.x,
        d,
        n,
        at.seedCand,
        P,
        at.seedTc,
        kk,
        at.seedClosest,
        at.seedOwner,
        at.seedOut,
        at.seedOwnerOut,
        at.seedPots,
        c,
        at.seedTmp,
        trials,
      );
      let bestPot = Infinity, best = -1;
      for (let t = 0; t < trials; t++) {
        if (pots[t] < bestPot) {
          bestPot = pots[t];
          best = t;
        }
      }
      if (best < 0) best = 0; // every potential NaN (non-finite input, outside the contract)
      const bestPick = picks[best];
      centres.set(x.subarray(bestPick * d, bestPick * d + d), c * d);
      picked[c] = bestPick;
      closest.set(out.subarray(best * n, best * n + n));
      owner.set(oout.subarray(best * n, best * n + n));
    }
    return centres;
  };
}
