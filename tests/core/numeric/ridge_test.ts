import assert from "node:assert/strict";
import { covariance } from "../../../core/numeric/covariance.ts";
import {
  conditionalImpute,
  ridgeCoefficients,
  ridgeResidualOperator,
} from "../../../core/numeric/ridge.ts";
import { spdInverse } from "../../../core/numeric/linalg.ts";
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

Deno.test("conditionalImpute() gives the Gaussian conditional mean of the missing block", () => {
  // Conditional mean of x_M given x_O under precision P = (S + αI)⁻¹: x_M = −P_MM⁻¹ P_MO x_O.
  const op = ridgeResidualOperator(S, cols, alpha)!;
  const a = S.slice();
  for (let j = 0; j < cols; j++) a[j * cols + j] += alpha;
  const p = spdInverse(a, cols)!;
  const n = 3, z = new Float64Array(n * cols), missing = new Uint8Array(n * cols);
  for (let j = 0; j < cols; j++) for (let i = 0; i < n; i++) z[j * n + i] = Z[j * rows + i];
  missing[0 * n + 0] = 1; // row 0: one missing value
  missing[0 * n + 1] = missing[1 * n + 1] = 1; // row 1: two missing values
  const untouched = z[2 * n + 2];
  conditionalImpute(op, cols, z, n, missing);
  const pz = (i: number, j: number, skip: number[]) => {
    let s = 0;
    for (let k = 0; k < cols; k++) if (!skip.includes(k)) s += p[j * cols + k] * z[k * n + i];
    return s;
  };
  // Row 0: x_0 = −(P_0O x_O)/P_00.
  assert.ok(Math.abs(z[0] + pz(0, 0, [0]) / p[0]) < 1e-9, `${z[0]}`);
  // Row 1: solve the 2×2 system P_MM x_M = −P_MO x_O by Cramer's rule.
  const b0 = -pz(1, 0, [0, 1]), b1 = -pz(1, 1, [0, 1]);
  const [p00, p01, p11] = [p[0], p[1], p[cols + 1]];
  const det = p00 * p11 - p01 * p01;
  assert.ok(Math.abs(z[1] - (b0 * p11 - p01 * b1) / det) < 1e-8, `${z[1]}`);
  assert.ok(Math.abs(z[n + 1] - (p00 * b1 - p01 * b0) / det) < 1e-8, `${z[n + 1]}`);
  assert.equal(z[2 * n + 2], untouched);
  assert.equal(z[2], Z[2]); // row 2 has nothing missing
});
