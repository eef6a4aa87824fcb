/**
 * Exponentially weighted means of every input column over a few time constants,
 * on irregular timestamps: level ← level + a·(x − level) with a = 1 − exp(−Δt/τ)
 * (the continuous-time EWMA, Hunter 1986, J. Quality Technology 18; for uneven
 * sampling see Eckner 2019, "Algorithms for unevenly spaced time series", §3).
 * A missing value leaves the level unchanged; a level starts at the first finite
 * value. The levels after the last row are returned, so a next chunk continues
 * exactly (a dynamic regression input that models thermal lags).
 */

/** Levels after the last row: `levels[k·d + j]` for time constant k, column j. */
export interface EwmaCarry {
  /** Timestamp (epoch ms) of the last row seen; NaN before any row. */
  t: number;
  levels: Float64Array;
}

/**
 * EWMA columns of `values` (column-major rows × d) for each time constant
 * `tausMs[k]`: column-major rows × (K·d), column k·d + j. NaN where column j has
 * had no finite value yet.
 */
export function ewmaInputs(
  values: Float64Array,
  rows: number,
  d: number,
  timestamps: Float64Array,
  tausMs: readonly number[],
  carry: EwmaCarry | null,
): { out: Float64Array; carry: EwmaCarry } {
  const K = tausMs.length;
  const levels = carry && carry.levels.length === K * d
    ? carry.levels.slice()
    : new Float64Array(K * d).fill(NaN);
  let last = carry ? carry.t : NaN;
  const out = new Float64Array(rows * K * d);
  const alpha = new Float64Array(K);
  for (let i = 0; i < rows; i++) {
    const t = timestamps[i];
    const dt = Number.isFinite(last) ? Math.max(0, t - last) : Infinity;
    for (let k = 0; k < K; k++) alpha[k] = tausMs[k] > 0 ? 1 - Math.exp(-dt / tausMs[k]) : 1;
    for (let j = 0; j < d; j++) {
      const x = values[j * rows + i];
      const finite = x - x === 0;
      for (let k = 0; k < K; k++) {
        const c = k * d + j;
        let level = levels[c];
        if (finite) level = level - level === 0 ? level + alpha[k] * (x - level) : x;
        levels[c] = level;
        out[c * rows + i] = level;
      }
    }
    last = t;
  }
  return { out, carry: { t: last, levels } };
}
