import { deepStrictEqual, strictEqual } from "node:assert/strict";
import {
  accumulate,
  accumulateRows,
  addAccumulated,
  covarianceOf,
  emptyStats,
  ridgeFromCovariance,
  ridgeFromStats,
  statsAccumulator,
} from "../../../core/numeric/regression_stats.ts";

function columns(rows: number, p: number): Float64Array {
  let seed = 11;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const x = new Float64Array(rows * p);
  for (let c = 0; c < p; c++) {
    for (let i = 0; i < rows; i++) x[c * rows + i] = rand() * 3 + (c % 3) * x[i];
  }
  return x;
}

Deno.test("accumulate() sums each cross-product over the used rows in row order, bit for bit", () => {
  for (const [p, rows] of [[1, 97], [2, 97], [5, 97], [7, 97], [10, 97], [7, 2600]]) {
    const x = columns(rows, p);
    const use = Uint8Array.from({ length: rows }, (_, i) => (i % 5 === 2 ? 0 : 1));
    const s = emptyStats(p);
    const to = rows - 7; // more than one gathered chunk of 1024 rows when rows = 2600
    accumulate(s, x, rows, 3, to, use);
    const cross = new Float64Array(p * p), sum = new Float64Array(p);
    let n = 0;
    for (let i = 3; i < to; i++) if (use[i]) n++;
    for (let a = 0; a < p; a++) {
      for (let i = 3; i < to; i++) if (use[i]) sum[a] += x[a * rows + i];
      for (let b = 0; b <= a; b++) {
        let t = 0;
        for (let i = 3; i < to; i++) if (use[i]) t += x[a * rows + i] * x[b * rows + i];
        cross[a * p + b] = t;
        cross[b * p + a] = t;
      }
    }
    strictEqual(s.n, n);
    deepStrictEqual(s.sum, sum);
    deepStrictEqual(s.cross, cross);
  }
});

Deno.test("accumulateRows() continued over blocks of rows gives the bits of one accumulate()", () => {
  const rows = 2600, p = 7;
  const x = columns(rows, p);
  const use = Uint8Array.from({ length: rows }, (_, i) => (i % 3 === 1 ? 0 : 1));
  const whole = emptyStats(p);
  accumulate(whole, x, rows, 0, rows, use);
  // Blocks of 300 rows copied out with their own column stride (as a design
  // built block by block), the used rows of each added in turn.
  const acc = statsAccumulator(p);
  const block = 300, xb = new Float64Array(block * p), idx = new Int32Array(block);
  for (let i0 = 0; i0 < rows; i0 += block) {
    const n = Math.min(block, rows - i0);
    let m = 0;
    for (let c = 0; c < p; c++) xb.set(x.subarray(c * rows + i0, c * rows + i0 + n), c * block);
    for (let i = 0; i < n; i++) if (use[i0 + i]) idx[m++] = i;
    accumulateRows(acc, xb, block, 0, idx, m);
  }
  const blocks = emptyStats(p);
  addAccumulated(blocks, acc);
  strictEqual(blocks.n, whole.n);
  deepStrictEqual(blocks.sum, whole.sum);
  deepStrictEqual(blocks.cross, whole.cross);
});

Deno.test("ridgeFromCovariance() of covarianceOf(stats) is ridgeFromStats(stats)", () => {
  const rows = 80, p = 6;
  const s = emptyStats(p);
  accumulate(s, columns(rows, p), rows, 0, rows, null);
  const c = covarianceOf(s);
  strictEqual(c.cov[1 * p + 2], s.cross[1 * p + 2] / s.n - (s.sum[1] / s.n) * (s.sum[2] / s.n));
  deepStrictEqual(
    ridgeFromCovariance(c, 2, [0, 1, 3, 5], 0.01),
    ridgeFromStats(s, 2, [0, 1, 3, 5], 0.01),
  );
  // degenerate: one row gives the target mean and no slope
  const one = emptyStats(p);
  accumulate(one, columns(rows, p), rows, 0, 1, null);
  deepStrictEqual(
    ridgeFromCovariance(covarianceOf(one), 0, [1, 2], 0.1),
    ridgeFromStats(one, 0, [1, 2], 0.1),
  );
});
