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
import { type EwmaCarry, ewmaInputs } from "./ewma_inputs.ts";

/** Standardised sensor values (column-major rows × d; NaN where missing). */
export function standardise(
  values: Float64Array,
  rows: number,
  mean: Float64Array,
  std: Float64Array,
): Float64Array {
  const d = mean.length;
  const z = new Float64Array(rows * d);
  for (let j = 0; j < d; j++) {
    const m = mean[j], inv = 1 / std[j], base = j * rows;
    for (let i = 0; i < rows; i++) z[base + i] = (values[base + i] - m) * inv;
  }
  return z;
}

/**
 * Design matrix (column-major rows × d·(1+K)) of standardised values `z`
 * (rows × d), continuing the EWMA levels from `carry`.
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
  const ewma = ewmaInputs(z, rows, d, timestamps, tausMs, carry);
  const x = new Float64Array(rows * d * (1 + K));
  for (let j = 0; j < d; j++) {
    const base = j * rows;
    const fast = K > 0 ? ewma.out.subarray(j * rows, (j + 1) * rows) : null;
    for (let i = 0; i < rows; i++) {
      const v = z[base + i];
      if (v - v === 0) x[base + i] = v;
      else {
        const f = fast ? fast[i] : NaN;
        x[base + i] = f - f === 0 ? f : 0;
      }
    }
  }
  const off = rows * d;
  for (let c = 0; c < K * d; c++) {
    const src = c * rows, dst = off + c * rows;
    for (let i = 0; i < rows; i++) {
      const v = ewma.out[src + i];
      x[dst + i] = v - v === 0 ? v : 0;
    }
  }
  return { x, carry: ewma.carry };
}

/** Design columns that predict sensor `j`: every column except j's own value and EWMAs. */
export function predictorsOf(j: number, d: number, K: number): number[] {
  const out: number[] = [];
  for (let c = 0; c < d * (1 + K); c++) if (c % d !== j) out.push(c);
  return out;
}

/**
 * Predictions (column-major rows × d) of each target from the design `x`:
 * intercept[j] + Σ_c coef[j·p + c]·x[c].
 */
export function predict(
  x: Float64Array,
  rows: number,
  d: number,
  p: number,
  intercept: Float64Array,
  coef: Float64Array,
): Float64Array {
  const out = new Float64Array(rows * d);
  for (let j = 0; j < d; j++) {
    const dst = out.subarray(j * rows, (j + 1) * rows);
    dst.fill(intercept[j]);
    for (let c = 0; c < p; c++) {
      const b = coef[j * p + c];
      if (b === 0) continue;
      const src = c * rows;
      for (let i = 0; i < rows; i++) dst[i] += b * x[src + i];
    }
  }
  return out;
}
