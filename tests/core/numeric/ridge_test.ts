import assert from "node:assert/strict";
import { covariance } from "../../../core/numeric/covariance.ts";
import { ridgeCoefficients, ridgeResidualOperator } from "../../../core/numeric/ridge.ts";
import { assertClose, colMajor, f64, golden } from "./_golden_a.ts";

const { rows, cols } = golden.X;
const Z = colMajor(golden.Z_row_major, rows, cols);
const S = covariance(Z, rows, cols, 0);
const alpha = golden.ridge.sklearn_alpha / rows;

Deno.test("ridgeCoefficients() equals sklearn Ridge(alpha·n) of each column on the others (1e-10)", () => {
  const b = ridgeCoefficients(S, cols, alpha)!;
  assertClose(b, f64(golden.ridge.coef_row_major), 1e-10, "β");
});

Deno.test("ridgeResidualOperator() gives sklearn's residuals y − ŷ (1e-10)", () => {
  const r = ridgeResidualOperator(S, cols, alpha)!;
  const expected = f64(golden.ridge.residuals_row_major);
  for (let i = 0; i < 20; i++) {
    for (let j = 0; j < cols; j++) {
      let v = 0;
      for (let k = 0; k < cols; k++) v += r[j * cols + k] * Z[k * rows + i];
      assert.ok(Math.abs(v - expected[i * cols + j]) < 1e-10, `row ${i} col ${j}`);
    }
  }
});

Deno.test("ridgeResidualOperator() returns null for a singular matrix with alpha 0", () => {
  assert.equal(ridgeResidualOperator(new Float64Array([1, 1, 1, 1]), 2, 0), null);
  assert.ok(ridgeResidualOperator(new Float64Array([1, 1, 1, 1]), 2, 0.1) !== null);
});
