/**
 * Standard scaler with mergeable statistics: per column the count of finite
 * values, their mean and the sum of squared deviations M2. Batches combine with
 * the pairwise update of Chan, Golub & LeVeque, "Algorithms for computing the
 * sample variance" (1983): n = nₐ + n_b, δ = x̄_b − x̄ₐ, x̄ = x̄ₐ + δ n_b/n,
 * M2 = M2ₐ + M2_b + δ² nₐ n_b / n. NaN values are skipped.
 */

/** Per-column count, mean and M2 (sum of squared deviations from the mean). */
export interface ScalerStats {
  count: Float64Array;
  mean: Float64Array;
  m2: Float64Array;
}

/**
 * Statistics of each column of a column-major matrix (two-pass per column).
 * With `fill`, a non-finite value counts as `fill[j]` (imputation without a copy).
 */
export function scalerStats(
  values: Float64Array,
  rows: number,
  cols: number,
  fill?: Float64Array,
): ScalerStats {
  const count = new Float64Array(cols);
  const mean = new Float64Array(cols);
  const m2 = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    const base = j * rows, f = fill ? fill[j] : NaN;
    let s = 0, n = 0;
    for (let i = 0; i < rows; i++) {
      let x = values[base + i];
      if (x - x !== 0) x = f;
      if (x - x === 0) {
        s += x;
        n++;
      }
    }
    const m = n === 0 ? 0 : s / n;
    let ss = 0;
    for (let i = 0; i < rows; i++) {
      let x = values[base + i];
      if (x - x !== 0) x = f;
      if (x - x === 0) ss += (x - m) * (x - m);
    }
    count[j] = n;
    mean[j] = n === 0 ? NaN : m;
    m2[j] = ss;
  }
  return { count, mean, m2 };
}

/** Chan et al. merge of two statistics over the same columns (new object). */
export function mergeScalerStats(a: ScalerStats, b: ScalerStats): ScalerStats {
  const cols = a.count.length;
  const count = new Float64Array(cols);
  const mean = new Float64Array(cols);
  const m2 = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    const na = a.count[j], nb = b.count[j], n = na + nb;
    count[j] = n;
    if (nb === 0) {
      mean[j] = a.mean[j];
      m2[j] = a.m2[j];
    } else if (na === 0) {
      mean[j] = b.mean[j];
      m2[j] = b.m2[j];
    } else {
      const delta = b.mean[j] - a.mean[j];
      mean[j] = a.mean[j] + (delta * nb) / n;
      m2[j] = a.m2[j] + b.m2[j] + (delta * delta * na * nb) / n;
    }
  }
  return { count, mean, m2 };
}

/** Standard deviation per column, divisor count − ddof; NaN where count ≤ ddof. */
export function scalerStd(stats: ScalerStats, ddof = 0): Float64Array {
  const out = new Float64Array(stats.count.length);
  for (let j = 0; j < out.length; j++) {
    const dn = stats.count[j] - ddof;
    out[j] = dn > 0 ? Math.sqrt(stats.m2[j] / dn) : NaN;
  }
  return out;
}

/**
 * True where a column has (numerically) no spread: std ≤ 1e-9 · max(1, |mean|),
 * or no finite value. Such columns cannot be standardised.
 */
export function constantColumns(mean: Float64Array, std: Float64Array): Uint8Array {
  const out = new Uint8Array(mean.length);
  for (let j = 0; j < mean.length; j++) {
    const s = std[j];
    out[j] = !(s > 1e-9 * Math.max(1, Math.abs(mean[j]))) ? 1 : 0;
  }
  return out;
}
