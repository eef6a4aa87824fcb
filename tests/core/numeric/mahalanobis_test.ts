import assert from "node:assert/strict";
import { fitMahalanobis, scoreMahalanobis } from "../../../core/numeric/mahalanobis.ts";
import { assertClose, colMajor, createRng, f64, golden } from "./_golden_a.ts";

const { rows, cols } = golden.X;
const Z = colMajor(golden.Z_row_major, rows, cols);

Deno.test("scoreMahalanobis() with Ledoit–Wolf equals sklearn LedoitWolf().mahalanobis (rel. 1e-9)", () => {
  const { model, warnings } = fitMahalanobis(Z, rows, cols, {
    shrinkage: null,
    maxCondition: 1e10,
  });
  assert.deepEqual(warnings, []);
  assert.ok(Math.abs(model.shrinkage - golden.mahalanobis.shrinkage) < 1e-12);
  const s = scoreMahalanobis(model, Z, rows, true);
  assertClose(s.d2, f64(golden.mahalanobis.d2), 1e-9, "D²");
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += s.contributions![j * rows + i];
    assert.ok(sum >= s.d2[i] - 1e-9, "clipped contributions cover D²");
  }
});

Deno.test("fitMahalanobis() raises shrinkage to meet max_condition and says so", () => {
  // Two identical columns: singular covariance; fixed shrinkage 0 cannot be inverted.
  const rng = createRng(4);
  const n = 300;
  const z = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    z[i] = rng.normal();
    z[n + i] = z[i];
    z[2 * n + i] = rng.normal();
  }
  const { model, warnings } = fitMahalanobis(z, n, 3, { shrinkage: 0, maxCondition: 1e4 });
  assert.ok(warnings.length >= 1 && /shrinkage raised/.test(warnings[0]), warnings.join("; "));
  assert.ok(model.shrinkage > 0 && model.condition <= 1e4 * (1 + 1e-6), `${model.condition}`);
  const s = scoreMahalanobis(model, z, n);
  assert.ok(s.d2.every(Number.isFinite));
});

Deno.test("fitMahalanobis() keeps a fixed shrinkage when the condition number is fine", () => {
  const { model, warnings } = fitMahalanobis(Z, rows, cols, { shrinkage: 0.3, maxCondition: 1e10 });
  assert.equal(model.shrinkage, 0.3);
  assert.equal(warnings.length, 0);
  assert.ok(model.condition > 1 && Number.isFinite(model.condition));
});
