/**
 * Silhouette coefficient (Rousseeuw, "Silhouettes: a graphical aid to the
 * interpretation and validation of cluster analysis", J. Comput. Appl. Math. 20,
 * 1987): per row s = (b − a) / max(a, b), a = mean distance to the other members of
 * its cluster, b = lowest mean distance to another cluster; s = 0 for a singleton
 * cluster. The score is the mean s, Euclidean distances.
 *
 * With `sampleSize < n` the score is computed on a seeded sample of rows (distances
 * only within the sample, as scikit-learn's `sample_size`). Rows labelled < 0 are
 * ignored. Returns NaN when fewer than 2 or more than m − 1 clusters are present.
 */
import type { Rng } from "../rng.ts";
import { sampleWithoutReplacement } from "./_sample.ts";

/** Options of {@link silhouetteScore}. */
export interface SilhouetteOptions {
  /** Rows to sample; all rows when absent or ≥ n (then `rng` is not needed). */
  sampleSize?: number;
  /** Generator for the sample. */
  rng?: Rng;
}

/** Mean silhouette of row-major `x` (`n × d`) under `labels`; NaN when undefined. */
export function silhouetteScore(
  x: Float64Array,
  n: number,
  d: number,
  labels: Int32Array,
  options: SilhouetteOptions = {},
): number {
  let rows: Int32Array;
  const m0 = options.sampleSize ?? n;
  if (m0 < n) {
    if (!options.rng) throw new TypeError("Cannot sample silhouette rows: no rng given");
    rows = sampleWithoutReplacement(n, Math.max(0, Math.floor(m0)), options.rng);
  } else {
    rows = sampleWithoutReplacement(n, n, options.rng as Rng);
  }
  rows = rows.filter((i) => labels[i] >= 0);
  const m = rows.length;
  // Dense cluster ids 0..L-1 for the sampled rows.
  const remap = new Map<number, number>();
  const lab = new Int32Array(m);
  for (let r = 0; r < m; r++) {
    const l = labels[rows[r]];
    let c = remap.get(l);
    if (c === undefined) {
      c = remap.size;
      remap.set(l, c);
    }
    lab[r] = c;
  }
  const L = remap.size;
  if (L < 2 || L > m - 1) return NaN;
  const size = new Int32Array(L);
  for (let r = 0; r < m; r++) size[lab[r]]++;
  // Summed distance from each sampled row to each cluster; each pair computed once.
  const sums = new Float64Array(m * L);
  for (let r = 0; r < m; r++) {
    const a0 = rows[r] * d, lr = lab[r];
    for (let q = r + 1; q < m; q++) {
      const b0 = rows[q] * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = x[a0 + j] - x[b0 + j];
        s += t * t;
      }
      const dist = Math.sqrt(s);
      sums[r * L + lab[q]] += dist;
      sums[q * L + lr] += dist;
    }
  }
  let total = 0;
  for (let r = 0; r < m; r++) {
    const own = lab[r];
    if (size[own] <= 1) continue; // singleton: s = 0
    const a = sums[r * L + own] / (size[own] - 1);
    let b = Infinity;
    for (let c = 0; c < L; c++) {
      if (c !== own) b = Math.min(b, sums[r * L + c] / size[c]);
    }
    const den = Math.max(a, b);
    total += den > 0 ? (b - a) / den : 0;
  }
  return total / m;
}
