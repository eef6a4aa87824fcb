/**
 * Predictions of the condition model's targets from its design
 * (condition_design.ts): intercept[j] + Σ_c coef[j·p + c]·x[c], each value
 * summed one term at a time in ascending c with the zero coefficients skipped —
 * the order of a plain column-by-column sum — so blocking never changes a bit.
 * The sums run in the WebAssembly kernel `predict` (wasm/kernels.wat), two rows
 * per f64x2 lane pair, each lane the scalar sequence of operations; rows go in
 * blocks of 128 that keep every design column's block in cache.
 * `predictStream` builds the design block by block instead of materialising
 * rows × p values.
 */
import type { EwmaCarry } from "./ewma_inputs.ts";
import { forEachDesignBlock } from "./condition_design.ts";
import { KernelMemory } from "./wasm/kernels.ts";

/** Rows per block: one block of every design column stays in cache. */
const BLOCK = 128;

/** The predictor of coefficients `coef` (d × p row-major) and `intercept`, ready to run. */
export class Predictor {
  readonly d: number;
  readonly p: number;
  readonly #mem: KernelMemory;
  readonly #xb: Float64Array;
  readonly #out: Float64Array;
  readonly #at: { xb: number; out: number; count: number; col: number; beta: number; icpt: number };

  constructor(d: number, p: number, intercept: Float64Array, coef: Float64Array) {
    this.d = d;
    this.p = p;
    const bytes = [BLOCK * p * 8, BLOCK * d * 8, d * 4, d * p * 4, d * p * 8, d * 8];
    const mem = this.#mem = new KernelMemory(bytes.reduce((s, b) => s + b + 16, 0));
    const [xb, out, count, col, beta, icpt] = bytes.map((b) => mem.alloc(b));
    this.#at = { xb, out, count, col, beta, icpt };
    this.#xb = new Float64Array(mem.buffer, xb, BLOCK * p);
    this.#out = new Float64Array(mem.buffer, out, BLOCK * d);
    // The nonzero coefficients of each target, in column order.
    const counts = new Int32Array(mem.buffer, count, d);
    const cols = new Int32Array(mem.buffer, col, d * p);
    const betas = new Float64Array(mem.buffer, beta, d * p);
    for (let j = 0; j < d; j++) {
      let n = 0;
      for (let c = 0; c < p; c++) {
        const b = coef[j * p + c];
        if (b === 0) continue;
        cols[j * p + n] = c;
        betas[j * p + n] = b;
        n++;
      }
      counts[j] = n;
    }
    new Float64Array(mem.buffer, icpt, d).set(intercept.subarray(0, d));
  }

  /**
   * Writes the predictions of rows [x0, x0 + n) of the design `x` (column c's
   * rows at x[c·stride …]) into `out` (column-major rows × d) from row `o0` on.
   */
  predict(
    x: Float64Array,
    stride: number,
    x0: number,
    n: number,
    out: Float64Array,
    rows: number,
    o0: number,
  ): void {
    const { d, p } = this, xb = this.#xb, ob = this.#out, at = this.#at;
    for (let k = 0; k < n; k += BLOCK) {
      const m = Math.min(BLOCK, n - k), from = x0 + k;
      for (let c = 0; c < p; c++) {
        xb.set(x.subarray(c * stride + from, c * stride + from + m), c * BLOCK);
      }
      // An odd last row count runs one row more (row m < BLOCK of the block, discarded).
      this.#mem.kernels.predict(
        d,
        p,
        (m + 1) & ~1,
        at.xb,
        BLOCK,
        at.out,
        BLOCK,
        at.count,
        at.col,
        at.beta,
        at.icpt,
      );
      for (let j = 0; j < d; j++) out.set(ob.subarray(j * BLOCK, j * BLOCK + m), j * rows + o0 + k);
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
  new Predictor(d, p, intercept, coef).predict(x, rows, 0, rows, out, rows, 0);
  return out;
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
  const predictor = new Predictor(d, d * (1 + tausMs.length), intercept, coef);
  return forEachDesignBlock(z, rows, d, timestamps, tausMs, carry, BLOCK, (xb, i0, n) => {
    predictor.predict(xb, BLOCK, 0, n, out, rows, i0);
  });
}
