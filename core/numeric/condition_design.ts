/**
 * The design of the condition model: each sensor standardised with its training
 * mean and std, and the regression inputs of every row — the standardised
 * sensors themselves and their exponentially weighted means over K time
 * constants (dynamic inputs: a sensor that follows another with a thermal lag
 * is predicted from the other's EWMA). Column layout of the design (p = d·(1+K)):
 * sensor j at j, its EWMA over τ_k at d + k·d + j. A missing sensor value is
 * replaced in the design by its fastest EWMA (its recent level), or by 0 (the
 * training mean) before it has any; the target keeps the NaN.
 */
import {
  advanceEwma,
  type EwmaCarry,
  ewmaInputs,
  ewmaWeights,
  initialLevels,
} from "./ewma_inputs.ts";

/** Standardised sensor values (column-major rows × d; NaN where missing), into `into` when given. */
export function standardise(
  values: Float64Array,
  rows: number,
  mean: Float64Array,
  std: Float64Array,
  into: Float64Array | null = null,
): Float64Array {
  const d = mean.length;
  const z = into ?? new Float64Array(rows * d);
  for (let j = 0; j < d; j++) {
    const m = mean[j], inv = 1 / std[j], base = j * rows;
    for (let i = 0; i < rows; i++) z[base + i] = (values[base + i] - m) * inv;
  }
  return z;
}

/**
 * Design matrix (column-major rows × d·(1+K)) of standardised values `z`
 * (rows × d), continuing the EWMA levels from `carry`. The EWMA columns are
 * written in place into the design's tail, then their NaN become 0.
 */
export function designMatrix(
  z: Float64Array,
  rows: number,
  d: number,
  timestamps: Float64Array,
  tausMs: readonly number[],
  carry: EwmaCarry | null,
): { x: Float64Array; carry: EwmaCarry } {
  const K = tausMs.length;
  const x = new Float64Array(rows * d * (1 + K));
  const off = rows * d;
  const ewma = ewmaInputs(z, rows, d, timestamps, tausMs, carry, x, off);
  completeDesign(z, rows, 0, x, rows, rows, d, K);
  return { x, carry: ewma.carry };
}

/**
 * Fills rows [0, n) of a design block `x` (column c's rows at x[c·stride …];
 * the EWMA columns d.. already written) from the standardised values z (column
 * j's rows at z[j·zStride + z0 …]): sensor j's column is its value, or where
 * that is missing its fastest EWMA (column d + j), or 0 (the training mean)
 * before it has any; the EWMA columns' NaN become 0.
 */
function completeDesign(
  z: Float64Array,
  zStride: number,
  z0: number,
  x: Float64Array,
  stride: number,
  n: number,
  d: number,
  K: number,
): void {
  for (let j = 0; j < d; j++) {
    const src = j * zStride + z0, dst = j * stride, fast = (d + j) * stride;
    for (let i = 0; i < n; i++) {
      const v = z[src + i];
      if (v - v === 0) x[dst + i] = v;
      else {
        const f = K > 0 ? x[fast + i] : NaN;
        x[dst + i] = f - f === 0 ? f : 0;
      }
    }
  }
  for (let c = d; c < d * (1 + K); c++) {
    const at = c * stride;
    for (let i = 0; i < n; i++) {
      const v = x[at + i];
      if (v - v !== 0) x[at + i] = 0;
    }
  }
}

/**
 * The rows of `designMatrix(z, …, carry)` built one block of at most
 * `blockRows` rows at a time (the same values: EWMA levels advanced in row
 * order, a missing value replaced by its fastest EWMA or 0, EWMA NaN read as
 * 0), so a caller never holds rows × p values. `visit(xb, i0, n)` sees rows
 * [i0, i0 + n) with design column c's rows at xb[c·blockRows …]; the buffer is
 * reused for the next block. Returns the EWMA levels after the last row.
 */
export function forEachDesignBlock(
  z: Float64Array,
  rows: number,
  d: number,
  timestamps: Float64Array,
  tausMs: readonly number[],
  carry: EwmaCarry | null,
  blockRows: number,
  visit: (xb: Float64Array, i0: number, n: number) => void,
): EwmaCarry {
  const K = tausMs.length, p = d * (1 + K);
  const levels = initialLevels(carry, K, d);
  const { alpha, last } = ewmaWeights(timestamps, rows, tausMs, carry);
  const xb = new Float64Array(blockRows * p);
  for (let i0 = 0; i0 < rows; i0 += blockRows) {
    const i1 = Math.min(rows, i0 + blockRows), n = i1 - i0;
    advanceEwma(z, rows, d, K, alpha, levels, i0, i1, xb, blockRows, d * blockRows);
    completeDesign(z, rows, i0, xb, blockRows, n, d, K);
    visit(xb, i0, n);
  }
  return { t: last, levels };
}

/** Design columns that predict sensor `j`: every column except j's own value and EWMAs. */
export function predictorsOf(j: number, d: number, K: number): number[] {
  const out: number[] = [];
  for (let c = 0; c < d * (1 + K); c++) if (c % d !== j) out.push(c);
  return out;
}
