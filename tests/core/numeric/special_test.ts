import assert from "node:assert/strict";
import {
  chiSquareQuantile,
  fQuantile,
  incompleteBeta,
  incompleteBetaInverse,
  logGamma,
  normalCdf,
  normalQuantile,
} from "../../../core/numeric/special.ts";
import { golden } from "./_golden_a.ts";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

Deno.test("fQuantile() matches scipy.stats.f.ppf (rel. 1e-9)", () => {
  for (const g of golden.f_quantile) {
    const q = fQuantile(g.p, g.d1, g.d2);
    assert.ok(rel(q, g.q) < 1e-9, `F(${g.p}; ${g.d1}, ${g.d2}) = ${q} vs ${g.q}`);
  }
});

Deno.test("normalQuantile() matches scipy.stats.norm.ppf (rel. 1e-12)", () => {
  for (const g of golden.normal_quantile) {
    const q = normalQuantile(g.p);
    assert.ok(rel(q, g.q) < 1e-12 || Math.abs(q - g.q) < 1e-15, `Φ⁻¹(${g.p}) = ${q} vs ${g.q}`);
  }
  assert.equal(normalQuantile(0), -Infinity);
  assert.equal(normalQuantile(1), Infinity);
  assert.ok(Number.isNaN(normalQuantile(1.5)));
});

Deno.test("chiSquareQuantile() matches scipy.stats.chi2.ppf (rel. 1e-10)", () => {
  for (const g of golden.chi2_quantile) {
    const q = chiSquareQuantile(g.p, g.k);
    assert.ok(rel(q, g.q) < 1e-10, `χ²(${g.p}; ${g.k}) = ${q} vs ${g.q}`);
  }
});

Deno.test("incompleteBeta() matches scipy.special.betainc and inverts (1e-12)", () => {
  for (const g of golden.incomplete_beta) {
    const v = incompleteBeta(g.x, g.a, g.b);
    assert.ok(Math.abs(v - g.v) < 1e-12, `I_${g.x}(${g.a}, ${g.b}) = ${v} vs ${g.v}`);
    const x = incompleteBetaInverse(g.v, g.a, g.b);
    assert.ok(Math.abs(x - g.x) < 1e-10, `inverse ${x} vs ${g.x}`);
  }
  assert.ok(Number.isNaN(incompleteBeta(0.5, -1, 2)));
  assert.equal(incompleteBeta(0, 2, 3), 0);
  assert.equal(incompleteBeta(1, 2, 3), 1);
});

Deno.test("logGamma() and normalCdf() reproduce known values", () => {
  assert.ok(Math.abs(logGamma(10) - Math.log(362880)) < 1e-12);
  assert.ok(Math.abs(logGamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-14);
  assert.ok(Math.abs(normalCdf(1.959963984540054) - 0.975) < 1e-15);
  assert.ok(Number.isNaN(logGamma(0)));
});
