import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { designMatrix, forEachDesignBlock } from "../../../core/numeric/condition_design.ts";
import { predict, Predictor, predictStream } from "../../../core/numeric/condition_predict.ts";

// A plain column-by-column sum: the order every prediction must keep, bit for bit.
function naivePredict(
  x: Float64Array,
  rows: number,
  d: number,
  p: number,
  intercept: Float64Array,
  coef: Float64Array,
): Float64Array {
  const out = new Float64Array(rows * d);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < rows; i++) out[j * rows + i] = intercept[j];
    for (let c = 0; c < p; c++) {
      const b = coef[j * p + c];
      if (b === 0) continue;
      for (let i = 0; i < rows; i++) out[j * rows + i] += b * x[c * rows + i];
    }
  }
  return out;
}

function fixture(rows: number, d: number) {
  let seed = 3;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const z = Float64Array.from(
    { length: rows * d },
    (_, k) => (k % 53 === 0 ? NaN : rand() * 4 - 2),
  );
  z.fill(NaN, 0, 40); // sensor 0 has no value for its first 40 rows
  const timestamps = Float64Array.from(
    { length: rows },
    (_, i) => 1e12 + i * 60_000 + (i > 200 ? 3e6 : 0),
  );
  const taus = [600_000, 3_600_000];
  const p = d * 3;
  const coef = Float64Array.from(
    { length: d * p },
    (_, k) => (k % p) % d === Math.floor(k / p) ? 0 : rand() - 0.5,
  );
  const intercept = Float64Array.from({ length: d }, () => rand() - 0.5);
  return { z, timestamps, taus, p, coef, intercept };
}

Deno.test("predict() and Predictor.predict() equal a plain column-by-column sum bit for bit", () => {
  const rows = 333, d = 7;
  const { z, timestamps, taus, p, coef, intercept } = fixture(rows, d);
  const { x } = designMatrix(z, rows, d, timestamps, taus, null);
  const want = naivePredict(x, rows, d, p, intercept, coef);
  deepStrictEqual(predict(x, rows, d, p, intercept, coef), want);
  // In runs of odd lengths (the kernel takes rows two at a time), from offsets.
  const out = new Float64Array(rows * d).fill(NaN);
  const predictor = new Predictor(d, p, intercept, coef);
  for (const [from, to] of [[0, 1], [1, 150], [150, 151], [151, 280], [280, rows]]) {
    predictor.predict(x, rows, from, to - from, out, rows, from);
  }
  deepStrictEqual(out, want);
});

Deno.test("predictStream() equals designMatrix() then predict(), with the same EWMA carry", () => {
  const rows = 333, d = 7;
  const { z, timestamps, taus, p, coef, intercept } = fixture(rows, d);
  const design = designMatrix(z, rows, d, timestamps, taus, null);
  const want = naivePredict(design.x, rows, d, p, intercept, coef);
  const out = new Float64Array(rows * d);
  const carry = predictStream(z, rows, d, timestamps, taus, null, intercept, coef, out);
  deepStrictEqual(out, want);
  strictEqual(carry.t, design.carry.t);
  deepStrictEqual(carry.levels, design.carry.levels);
  ok(want.every(Number.isFinite));
  // continuing from a carry, on a chunk shorter than one block
  const z2 = z.subarray(0, 50 * d), t2 = timestamps.slice(0, 50).map((t) => t + 1e8);
  const next = designMatrix(z2, 50, d, t2, taus, carry);
  const out2 = new Float64Array(50 * d);
  predictStream(z2, 50, d, t2, taus, carry, intercept, coef, out2);
  deepStrictEqual(out2, naivePredict(next.x, 50, d, p, intercept, coef));
});

Deno.test("forEachDesignBlock() visits the rows of designMatrix() block by block, with the same carry", () => {
  const rows = 300, d = 4;
  const { z, timestamps, taus, p, coef, intercept } = fixture(rows, d);
  const design = designMatrix(z, rows, d, timestamps, taus, null);
  const block = 128, rebuilt = new Float64Array(rows * p), out = new Float64Array(rows * d);
  const predictor = new Predictor(d, p, intercept, coef);
  const carry = forEachDesignBlock(z, rows, d, timestamps, taus, null, block, (xb, i0, n) => {
    for (let c = 0; c < p; c++) rebuilt.set(xb.subarray(c * block, c * block + n), c * rows + i0);
    // Predicted in two runs, as fitCondition does with the rows of two folds.
    const half = n >> 1;
    predictor.predict(xb, block, 0, half, out, rows, i0);
    predictor.predict(xb, block, half, n - half, out, rows, i0 + half);
  });
  deepStrictEqual(rebuilt, design.x);
  deepStrictEqual(carry, design.carry);
  deepStrictEqual(out, naivePredict(design.x, rows, d, p, intercept, coef));
});
