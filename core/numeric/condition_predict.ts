/**
 * Predictions of the condition model's targets from its design
 * (condition_design.ts): intercept[j] + Σ_c coef[j·p + c]·x[c], each value
 * summed one term at a time in ascending c with the zero coefficients skipped —
 * the order of a plain column-by-column sum — so blocking never changes a bit.
 * Rows go in blocks of 128 that keep every design column's block in cache, and
 * eight columns are added per pass over a block (then four, then one). `predictStream` builds the
 * design block by block instead of materialising rows × p values.
 */
import type { EwmaCarry } from "./ewma_inputs.ts";
import { forEachDesignBlock } from "./condition_design.ts";

/** Rows per block: one block of every design column stays in cache. */
const BLOCK = 128;

/** The nonzero coefficients of each target, in column order. */
export interface Plan {
  d: number;
  p: number;
  count: Int32Array;
  col: Int32Array;
  beta: Float64Array;
}

/** The plan of coefficients `coef` (d × p row-major) for `predictBlock`. */
export function planOf(d: number, p: number, coef: Float64Array): Plan {
  const count = new Int32Array(d), col = new Int32Array(d * p), beta = new Float64Array(d * p);
  for (let j = 0; j < d; j++) {
    let n = 0;
    for (let c = 0; c < p; c++) {
      const b = coef[j * p + c];
      if (b === 0) continue;
      col[j * p + n] = c;
      beta[j * p + n] = b;
      n++;
    }
    count[j] = n;
  }
  return { d, p, count, col, beta };
}

/**
 * n rows of predictions: design column c's rows at x[c·xStride + x0 …], target
 * j's at out[j·outStride + o0 …].
 */
function kernel(
  plan: Plan,
  intercept: Float64Array,
  x: Float64Array,
  xStride: number,
  x0: number,
  out: Float64Array,
  outStride: number,
  o0: number,
  n: number,
): void {
  const { d, p, count, col, beta } = plan;
  for (let j = 0; j < d; j++) {
    const dst = j * outStride + o0, m = count[j], at = j * p;
    const b0 = intercept[j];
    for (let i = 0; i < n; i++) out[dst + i] = b0;
    let k = 0;
    for (; k + 8 <= m; k += 8) {
      const c0 = col[at + k] * xStride + x0, c1 = col[at + k + 1] * xStride + x0;
      const c2 = col[at + k + 2] * xStride + x0, c3 = col[at + k + 3] * xStride + x0;
      const c4 = col[at + k + 4] * xStride + x0, c5 = col[at + k + 5] * xStride + x0;
      const c6 = col[at + k + 6] * xStride + x0, c7 = col[at + k + 7] * xStride + x0;
      const w0 = beta[at + k], w1 = beta[at + k + 1], w2 = beta[at + k + 2];
      const w3 = beta[at + k + 3], w4 = beta[at + k + 4], w5 = beta[at + k + 5];
      const w6 = beta[at + k + 6], w7 = beta[at + k + 7];
      for (let i = 0; i < n; i++) {
        let s = out[dst + i];
        s += w0 * x[c0 + i];
        s += w1 * x[c1 + i];
        s += w2 * x[c2 + i];
        s += w3 * x[c3 + i];
        s += w4 * x[c4 + i];
        s += w5 * x[c5 + i];
        s += w6 * x[c6 + i];
        s += w7 * x[c7 + i];
        out[dst + i] = s;
      }
    }
    for (; k + 4 <= m; k += 4) {
      const c0 = col[at + k] * xStride + x0, c1 = col[at + k + 1] * xStride + x0;
      const c2 = col[at + k + 2] * xStride + x0, c3 = col[at + k + 3] * xStride + x0;
      const w0 = beta[at + k], w1 = beta[at + k + 1], w2 = beta[at + k + 2];
      const w3 = beta[at + k + 3];
      for (let i = 0; i < n; i++) {
        let s = out[dst + i];
        s += w0 * x[c0 + i];
        s += w1 * x[c1 + i];
        s += w2 * x[c2 + i];
        s += w3 * x[c3 + i];
        out[dst + i] = s;
      }
    }
    for (; k < m; k++) {
      const c0 = col[at + k] * xStride + x0, w0 = beta[at + k];
      for (let i = 0; i < n; i++) out[dst + i] += w0 * x[c0 + i];
    }
  }
}

/** Predictions (column-major rows × d) of each target from the design `x` (rows × p). */
export function predict(
  x: Float64Array,
  rows: number,
  d: number,
  p: number,
  intercept: Float64Array,
  coef: Float64Array,
): Float64Array {
  const out = new Float64Array(rows * d);
  predictRows(x, rows, d, p, intercept, coef, 0, rows, out);
  return out;
}

/** Writes the predictions of rows [from, to) into `out` (column-major rows × d, same row positions). */
export function predictRows(
  x: Float64Array,
  rows: number,
  d: number,
  p: number,
  intercept: Float64Array,
  coef: Float64Array,
  from: number,
  to: number,
  out: Float64Array,
): void {
  const plan = planOf(d, p, coef);
  for (let i0 = from; i0 < to; i0 += BLOCK) {
    kernel(plan, intercept, x, rows, i0, out, rows, i0, Math.min(to, i0 + BLOCK) - i0);
  }
}

/**
 * The predictions of `designMatrix(z, …, carry)` followed by `predict`, written
 * into `out` (column-major rows × d), with the design built one block of rows
 * at a time (the same values: EWMA levels advanced in row order, a missing
 * value replaced by its fastest EWMA or 0, EWMA NaN read as 0). Returns the
 * EWMA levels after the last row.
 */
export function predictStream(
  z: Float64Array,
  rows: number,
  d: number,
  timestamps: Float64Array,
  tausMs: readonly number[],
  carry: EwmaCarry | null,
  intercept: Float64Array,
  coef: Float64Array,
  out: Float64Array,
): EwmaCarry {
  const plan = planOf(d, d * (1 + tausMs.length), coef);
  return forEachDesignBlock(z, rows, d, timestamps, tausMs, carry, BLOCK, (xb, i0, n) => {
    kernel(plan, intercept, xb, BLOCK, 0, out, rows, i0, n);
  });
}

/**
 * Writes the predictions of `n` rows of a design block (column c's rows at
 * xb[c·stride + x0 …]) into `out` (column-major rows × d) from row `o0` on.
 */
export function predictBlock(
  plan: Plan,
  intercept: Float64Array,
  xb: Float64Array,
  stride: number,
  x0: number,
  out: Float64Array,
  rows: number,
  o0: number,
  n: number,
): void {
  for (let k = 0; k < n; k += BLOCK) {
    kernel(plan, intercept, xb, stride, x0 + k, out, rows, o0 + k, Math.min(n, k + BLOCK) - k);
  }
}
