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
 * had no finite value yet. With `into`, the columns are written there from
 * element `offset` on (no allocation; the caller's buffer is returned as `out`).
 */
export function ewmaInputs(
  values: Float64Array,
  rows: number,
  d: number,
  timestamps: Float64Array,
  tausMs: readonly number[],
  carry: EwmaCarry | null,
  into: Float64Array | null = null,
  offset = 0,
): { out: Float64Array; carry: EwmaCarry } {
  const out = into ?? new Float64Array(rows * tausMs.length * d);
  const next = ewmaPass(values, rows, d, timestamps, tausMs, carry, out, into ? offset : 0);
  return { out, carry: next };
}

/** The levels after the last row only (what `ewmaInputs` returns as `carry`), without the columns. */
export function ewmaLevels(
  values: Float64Array,
  rows: number,
  d: number,
  timestamps: Float64Array,
  tausMs: readonly number[],
  carry: EwmaCarry | null,
): EwmaCarry {
  return ewmaPass(values, rows, d, timestamps, tausMs, carry, null, 0);
}

function ewmaPass(
  values: Float64Array,
  rows: number,
  d: number,
  timestamps: Float64Array,
  tausMs: readonly number[],
  carry: EwmaCarry | null,
  out: Float64Array | null,
  base: number,
): EwmaCarry {
  const levels = initialLevels(carry, tausMs.length, d);
  const { alpha, last } = ewmaWeights(timestamps, rows, tausMs, carry);
  advanceEwma(values, rows, d, tausMs.length, alpha, levels, 0, rows, out, rows, base);
  return { t: last, levels };
}

/** The levels to start from: the carry's (copied), or NaN (no value yet). */
export function initialLevels(carry: EwmaCarry | null, K: number, d: number): Float64Array {
  return carry && carry.levels.length === K * d
    ? carry.levels.slice()
    : new Float64Array(K * d).fill(NaN);
}

/**
 * Smoothing weight a = 1 − exp(−Δt/τ_k) of every row (`alpha[k·rows + i]`, 1 for
 * the first row ever or τ ≤ 0), and the timestamp of the last row.
 */
export function ewmaWeights(
  timestamps: Float64Array,
  rows: number,
  tausMs: readonly number[],
  carry: EwmaCarry | null,
): { alpha: Float64Array; last: number } {
  const K = tausMs.length;
  const alpha = new Float64Array(rows * K);
  let last = carry ? carry.t : NaN;
  for (let i = 0; i < rows; i++) {
    const t = timestamps[i];
    const dt = Number.isFinite(last) ? Math.max(0, t - last) : Infinity;
    for (let k = 0; k < K; k++) {
      alpha[k * rows + i] = tausMs[k] > 0 ? 1 - Math.exp(-dt / tausMs[k]) : 1;
    }
    last = t;
  }
  return { alpha, last };
}

/**
 * Advances `levels` (K·d, in place) over rows [from, to) of `values` with the
 * weights of `ewmaWeights`; with `out`, writes the level of column c = k·d + j
 * after row i at out[base + c·stride + (i − from)] (one sequential pass per
 * column), so the columns can go to a whole-chunk buffer or a block of rows.
 */
export function advanceEwma(
  values: Float64Array,
  rows: number,
  d: number,
  K: number,
  alpha: Float64Array,
  levels: Float64Array,
  from: number,
  to: number,
  out: Float64Array | null,
  stride: number,
  base: number,
): void {
  for (let k = 0; k < K; k++) {
    const a0 = k * rows;
    for (let j = 0; j < d; j++) {
      const c = k * d + j, src = j * rows, dst = base + c * stride - from;
      let level = levels[c];
      if (out) {
        for (let i = from; i < to; i++) {
          const x = values[src + i];
          if (x - x === 0) level = level - level === 0 ? level + alpha[a0 + i] * (x - level) : x;
          out[dst + i] = level;
        }
      } else {
        for (let i = from; i < to; i++) {
          const x = values[src + i];
          if (x - x === 0) level = level - level === 0 ? level + alpha[a0 + i] * (x - level) : x;
        }
      }
      levels[c] = level;
    }
  }
}
