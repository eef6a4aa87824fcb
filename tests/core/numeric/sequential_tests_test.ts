import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { runBattery, runTest, testLimit } from "../../../core/numeric/sequential_tests.ts";
import type { SequentialTest } from "../../../core/numeric/sequential_tests.ts";

const meanUp: SequentialTest = { kind: "mean_up", size: 1 };

Deno.test("runTest() accumulates a mean shift as Page's CUSUM and caps the statistic at cap·h", () => {
  // ℓ = e − 0.5 for a unit shift: three samples at e = 2 add 1.5 each.
  const e = Float64Array.from([2, 2, 2, 2, 2, 2]);
  const out = new Float64Array(6);
  const r = runTest(meanUp, e, 0, 3, 2, 10, out);
  deepStrictEqual([...out], [0.5, 1, 1.5, 2, 2, 2]);
  strictEqual(r.s, 6);
  strictEqual(r.max, 6);
});

Deno.test("runTest() restarts the statistic on held rows and resumes after them", () => {
  const e = Float64Array.from([2, 2, 2, 2, 2, 2]);
  const hold = Uint8Array.from([0, 0, 1, 1, 0, 0]);
  const out = new Float64Array(6);
  const r = runTest(meanUp, e, 0, 1, Infinity, 10, out, hold);
  deepStrictEqual([...out], [1.5, 3, 0, 0, 1.5, 3]);
  strictEqual(r.s, 3);
  // The held rows' evidence never reaches the maximum either: it would set the limits.
  const held = runTest(meanUp, e, 0, 1, Infinity, 10, null, Uint8Array.from([0, 1, 1, 1, 1, 1]));
  strictEqual(held.max, 1.5);
});

Deno.test("testLimit() takes the margin over the training maximum, with a floor", () => {
  strictEqual(testLimit(20, 1.2, 10), 24);
  strictEqual(testLimit(2, 1.2, 10), 10);
  strictEqual(testLimit(NaN, 1.2, 10), 10);
  ok(testLimit(Infinity, 1.2, 10) === 10);
});

function checkBattery(tests: SequentialTest[]): Int32Array {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const n = 500, T = tests.length;
  const e = Float64Array.from({ length: n }, (_, i) => i % 37 === 0 ? NaN : (rand() - 0.45) * 5);
  const hold = Uint8Array.from({ length: n }, (_, i) => (i % 101 < 3 ? 1 : 0));
  const h = tests.map((_, k) => 9 + ((k * 5) % 12)), s0 = tests.map((_, k) => k % 3);
  const sOut = new Float64Array(T), maxOut = new Float64Array(T);
  const best = new Float64Array(n).fill(9), bestTest = new Int32Array(n);
  runBattery(tests, e, s0, h, 1.5, 6, hold, sOut, maxOut, best, bestTest);
  const wantBest = new Float64Array(n), wantTest = new Int32Array(n).fill(-1);
  const ratio = new Float64Array(n);
  tests.forEach((t, k) => {
    const r = runTest(t, e, s0[k], h[k], 1.5, 6, ratio, hold);
    strictEqual(sOut[k], r.s);
    strictEqual(maxOut[k], r.max);
    for (let i = 0; i < n; i++) {
      if (ratio[i] > wantBest[i]) {
        wantBest[i] = ratio[i];
        wantTest[i] = k;
      }
    }
  });
  deepStrictEqual(best, wantBest);
  deepStrictEqual(bestTest, wantTest);
  return wantTest;
}

Deno.test("runBattery() gives every test's statistics, maxima and per-sample best S/h exactly as runTest()", () => {
  const all: SequentialTest[] = [
    { kind: "mean_up", size: 2 },
    { kind: "mean_down", size: 2 },
    { kind: "mean_up", size: 4 },
    { kind: "mean_down", size: 4 },
    { kind: "variance_up", size: 4 },
    { kind: "variance_down", size: 0.2 },
    { kind: "mean_up", size: 1 },
  ];
  for (let T = 1; T <= all.length; T++) checkBattery(all.slice(0, T));
  const winners = checkBattery(all.slice(0, 5));
  ok(winners.some((t) => t === 4) && winners.some((t) => t === -1));
});
