/**
 * Fusion kernels over calibrated head z-scores (each head a Float64Array of rows).
 * Both return the fused series and each head's additive share per row, so every
 * fused value can be traced back to the heads that made it (provenance).
 */

/** Fused values plus, per head, its additive contribution on each row. */
export interface Fused {
  fused: Float64Array;
  contributions: Record<string, Float64Array>;
}

/**
 * Weighted mean: fused = Σ w_h·f(z_h) / Σ w_h over the heads present with w_h > 0,
 * where f clips negative z to 0 when `positiveOnly` (a head that is calmer than in
 * training is not evidence against another head's anomaly). Weights are renormalised
 * over the heads present; no head present → fused 0.
 */
export function weightedMean(
  z: Record<string, Float64Array>,
  rows: number,
  weights: Record<string, number>,
  positiveOnly: boolean,
): Fused {
  const heads = Object.keys(z).filter((h) => (weights[h] ?? 0) > 0);
  const total = heads.reduce((s, h) => s + weights[h], 0);
  const fused = new Float64Array(rows);
  const contributions: Record<string, Float64Array> = {};
  for (const h of Object.keys(z)) contributions[h] = new Float64Array(rows);
  if (total <= 0) return { fused, contributions };
  for (const h of heads) {
    const w = weights[h] / total;
    const src = z[h];
    const dst = contributions[h];
    for (let i = 0; i < rows; i++) {
      const v = src[i];
      const x = positiveOnly && v < 0 ? 0 : v;
      const c = Number.isFinite(x) ? w * x : 0;
      dst[i] = c;
      fused[i] += c;
    }
  }
  return { fused, contributions };
}

/**
 * Maximum: fused = max_h w_h·z_h over heads with w_h > 0 (weights act as
 * per-head sensitivity). The winning head carries the whole value on that row.
 */
export function weightedMax(
  z: Record<string, Float64Array>,
  rows: number,
  weights: Record<string, number>,
): Fused {
  const heads = Object.keys(z).filter((h) => (weights[h] ?? 0) > 0);
  const fused = new Float64Array(rows);
  const contributions: Record<string, Float64Array> = {};
  for (const h of Object.keys(z)) contributions[h] = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = -Infinity, who = -1;
    for (let k = 0; k < heads.length; k++) {
      const v = weights[heads[k]] * z[heads[k]][i];
      if (Number.isFinite(v) && v > best) {
        best = v;
        who = k;
      }
    }
    if (who >= 0) {
      fused[i] = best;
      contributions[heads[who]][i] = best;
    }
  }
  return { fused, contributions };
}

/** Weights for every head: the configured ones, `defaultWeight` for heads not named. */
export function resolveWeights(
  heads: readonly string[],
  configured: Record<string, number>,
  defaultWeight: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const h of heads) out[h] = configured[h] ?? defaultWeight;
  return out;
}
