import assert from "node:assert/strict";
import {
  chooseComponents,
  explainedShare,
  fitPca,
  pcaLimits,
  scorePca,
} from "../../../core/numeric/pca.ts";
import { assertClose, colMajor, f64, golden } from "./_golden_a.ts";

const { rows, cols } = golden.X;
const Z = colMajor(golden.Z_row_major, rows, cols);

Deno.test("fitPca() + scorePca() reproduce numpy SPE and T² with k = 2 (rel. 1e-9)", () => {
  const model = fitPca(Z, rows, cols, { nComponents: 2, variance: 0.9 });
  assert.equal(model.k, 2);
  assertClose(model.eigenvalues, f64(golden.pca.eigenvalues), 1e-10, "λ");
  const s = scorePca(model, Z, rows, true);
  assertClose(s.spe, f64(golden.pca.spe), 1e-9, "SPE");
  assertClose(s.t2, f64(golden.pca.t2), 1e-9, "T²");
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += s.speContributions![j * rows + i];
    assert.ok(Math.abs(sum - s.spe[i]) < 1e-10, `SPE contributions sum, row ${i}`);
  }
});

Deno.test("pcaLimits() matches the F-based T² limit and Jackson–Mudholkar SPE limit (rel. 1e-9)", () => {
  const model = fitPca(Z, rows, cols, { nComponents: 2, variance: 0.9 });
  const lim = pcaLimits(model, golden.pca.alpha);
  assert.ok(Math.abs(lim.t2 / golden.pca.t2_limit - 1) < 1e-9, `${lim.t2}`);
  assert.ok(Math.abs(lim.spe / golden.pca.spe_limit - 1) < 1e-9, `${lim.spe}`);
  assert.equal(lim.speMethod, "jackson_mudholkar");
});

Deno.test("T² contributions (unclipped) sum to T²; clipped ones are non-negative", () => {
  const model = fitPca(Z, rows, cols, { nComponents: 3, variance: 0 });
  const s = scorePca(model, Z, rows, true);
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const c = s.t2Contributions![j * rows + i];
      assert.ok(c >= 0);
      sum += c;
    }
    assert.ok(sum >= s.t2[i] - 1e-9, `row ${i}`);
  }
});

Deno.test("chooseComponents() picks the fewest components reaching the variance share", () => {
  const ev = new Float64Array([5, 3, 1, 1]);
  assert.equal(chooseComponents(ev, { nComponents: 0, variance: 0.8 }), 2);
  assert.equal(chooseComponents(ev, { nComponents: 0, variance: 0.81 }), 3);
  assert.equal(chooseComponents(ev, { nComponents: 4, variance: 0.5 }), 4);
  const model = fitPca(Z, rows, cols, { nComponents: 0, variance: 0.999999 });
  assert.equal(model.k, cols - 1, "capped at d − 1");
  assert.ok(explainedShare(model) < 1);
});

Deno.test("fitPca() on no columns gives k = 0 and zero scores", () => {
  const model = fitPca(new Float64Array(0), 10, 0, { nComponents: 0, variance: 0.9 });
  assert.equal(model.k, 0);
  const s = scorePca(model, new Float64Array(0), 10);
  assert.ok(s.spe.every((v) => v === 0) && s.t2.every((v) => v === 0));
  assert.equal(pcaLimits(model, 0.99).spe, 0);
});
