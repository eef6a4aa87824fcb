import { deepStrictEqual, ok } from "node:assert/strict";
import { fitWhitener, whiten } from "../../../core/numeric/whiten.ts";
import { createRng } from "../../../core/rng.ts";

/** AR(1) series x_t = φ·x_{t−1} + σ·ε_t with a few missing values. */
function ar1(n: number, phi: number, sigma: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const x = new Float64Array(n);
  let v = 0;
  for (let i = 0; i < n; i++) x[i] = v = phi * v + sigma * rng.normal();
  for (let i = 50; i < n; i += 997) x[i] = NaN;
  return x;
}

Deno.test("fitWhitener() recovers an AR(1) coefficient and its innovation scale", () => {
  const w = fitWhitener(ar1(20_000, 0.7, 0.5, 3), 2, 8, 0.05);
  ok(Math.abs(w.phi[0] - 0.7) < 0.03, `φ1 ${w.phi[0]}`);
  ok(Math.abs(w.phi[1]) < 0.03, `φ2 ${w.phi[1]}`);
  ok(Math.abs(w.scale - 0.5) < 0.02, `scale ${w.scale}`);
});

Deno.test("fitWhitener() gives the same fit with a scratch buffer, and floors the scale", () => {
  const r = ar1(3000, 0.4, 1, 5);
  const scratch = new Float64Array(r.length + 10).fill(7);
  deepStrictEqual(fitWhitener(r, 2, 8, 0.05, scratch), fitWhitener(r, 2, 8, 0.05));
  const quiet = fitWhitener(new Float64Array(500), 2, 8, 0.05);
  deepStrictEqual(quiet.scale, 0.05);
});

Deno.test("whiten() continues across a split exactly when given the history", () => {
  const r = ar1(1000, 0.6, 1, 9);
  const w = fitWhitener(r, 2, 8, 0.05);
  const whole = whiten(w, r, null).e;
  const first = whiten(w, r.subarray(0, 400), null);
  const second = whiten(w, r.subarray(400), first.history);
  deepStrictEqual(Float64Array.from([...first.e, ...second.e]), whole);
  ok(Number.isNaN(whole[50]), "a missing value stays missing");
});
