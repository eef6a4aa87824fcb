import assert from "node:assert/strict";
import { fitOmr, scoreOmr } from "../../../core/numeric/omr.ts";
import { colMajor, golden } from "./_golden_a.ts";

const { rows, cols } = golden.X;
const Z = colMajor(golden.Z_row_major, rows, cols);

for (const method of ["ridge", "pca"] as const) {
  Deno.test(`scoreOmr() (${method}) has training mean 1 and contributions summing to the score`, () => {
    const model = fitOmr(Z, rows, cols, { method, alpha: 0.01, nComponents: 2, variance: 0.9 });
    const { score, contributions } = scoreOmr(model, Z, rows, true);
    const mean = score.reduce((a, b) => a + b, 0) / rows;
    assert.ok(Math.abs(mean - 1) < 1e-12, `${mean}`);
    for (let i = 0; i < rows; i++) {
      let sum = 0;
      for (let j = 0; j < cols; j++) sum += contributions![j * rows + i];
      assert.ok(Math.abs(sum - score[i]) < 1e-12);
    }
  });
}

Deno.test("scoreOmr() flags a row that breaks the correlation structure, unclipped", () => {
  const model = fitOmr(Z, rows, cols, {
    method: "ridge",
    alpha: 0.01,
    nComponents: 0,
    variance: 0.9,
  });
  const row = new Float64Array(cols);
  for (let j = 0; j < cols; j++) row[j] = Z[j * rows];
  row[0] += 8; // one sensor leaves its correlated partners
  const { score, contributions } = scoreOmr(model, row, 1, true);
  const base = scoreOmr(model, Z.subarray(0, 0), 0).score;
  assert.equal(base.length, 0);
  assert.ok(score[0] > 10, `${score[0]}`);
  let top = 0;
  for (let j = 1; j < cols; j++) if (contributions![j] > contributions![top]) top = j;
  assert.equal(top, 0);
});
