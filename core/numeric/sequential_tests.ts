/**
 * Page CUSUM forms of the sequential probability ratio test on whitened unit
 * noise e_t (Page 1954, Biometrika 41; Basseville & Nikiforov, Detection of
 * Abrupt Changes, 1993, §2.2): S ← min(cap·h, max(0, S + ℓ(e_t))) with ℓ the
 * log-likelihood ratio of one sample,
 *   mean shift δ (up: +δ, down: −δ):   ℓ = ±δ·e − δ²/2
 *   variance ratio v (up: v > 1, down: v < 1, a stuck or flat sensor):
 *                                       ℓ = −½ ln v + ½ e² (1 − 1/v)
 * e is clipped to ±clip first (one wild sample cannot decide alone). A test
 * alarms when S ≥ h; the statistic is capped at cap·h so it falls below h soon
 * after a fault ends. A missing sample (NaN) leaves S unchanged; a held sample
 * (outside the operating states the model knows) restarts it at 0.
 */

/** One test: its signature word and its per-sample log-likelihood ratio parameters. */
import { scratchKernels } from "./wasm/kernels.ts";

export interface SequentialTest {
  /** `mean_up`, `mean_down`, `variance_up` or `variance_down`. */
  kind: "mean_up" | "mean_down" | "variance_up" | "variance_down";
  /** Shift in noise units (mean tests) or variance ratio (variance tests). */
  size: number;
}

/**
 * The signature words, in the order `RowSignature.tests` lists them; `frozen` is
 * the frozen-reading test of frozen_reading.ts (a stuck sensor).
 */
export const TEST_WORDS = [
  "mean_up",
  "mean_down",
  "variance_up",
  "variance_down",
  "frozen",
] as const;

/** Mean up/down at each shift size, then variance up and down. */
export function testBattery(
  meanShifts: readonly number[],
  varianceUp: number,
  varianceDown: number,
): SequentialTest[] {
  const tests: SequentialTest[] = [];
  for (const size of meanShifts) {
    tests.push({ kind: "mean_up", size }, { kind: "mean_down", size });
  }
  if (varianceUp > 1) tests.push({ kind: "variance_up", size: varianceUp });
  if (varianceDown > 0 && varianceDown < 1) {
    tests.push({ kind: "variance_down", size: varianceDown });
  }
  return tests;
}

/** ℓ(e) = a + b·e + c·e² of one test. */
function llrCoefficients(t: SequentialTest): [number, number, number] {
  switch (t.kind) {
    case "mean_up":
      return [-t.size * t.size / 2, t.size, 0];
    case "mean_down":
      return [-t.size * t.size / 2, -t.size, 0];
    default:
      return [-0.5 * Math.log(t.size), 0, 0.5 * (1 - 1 / t.size)];
  }
}

/**
 * Runs `test` over `e`, starting from `s0`, with limit `h` and cap `cap·h`
 * (cap = Infinity: uncapped); writes S/h per sample into `out` (out may be
 * null) and returns the statistic after the last sample and its maximum.
 * Where `hold[i]` is 1 the statistic is 0.
 */
export function runTest(
  test: SequentialTest,
  e: Float64Array,
  s0: number,
  h: number,
  cap: number,
  clip: number,
  out: Float64Array | null,
  hold: Uint8Array | null = null,
): { s: number; max: number } {
  const [a, b, c] = llrCoefficients(test);
  const top = cap * h;
  const inv = 1 / h;
  let s = s0, max = s0;
  for (let i = 0; i < e.length; i++) {
    const x = e[i];
    if (hold !== null && hold[i] === 1) s = 0;
    else if (x - x === 0) {
      const v = x > clip ? clip : x < -clip ? -clip : x;
      s += a + b * v + c * v * v;
      if (s < 0) s = 0;
      else if (s > top) s = top;
      if (s > max) max = s;
    }
    if (out) out[i] = s * inv;
  }
  return { s, max };
}

/**
 * Runs every test of a battery over `e` in one pass, each exactly as `runTest`
 * would (test t from `s0[t]`, limit `h[t]`, cap `cap·h[t]`). Writes the final
 * statistics into `sOut` and their maxima into `maxOut` (may be null); with
 * `best` (and `bestTest`, needed with it), writes per sample the largest S/h
 * over the tests (0 when none is above 0) and into `bestTest` the first test
 * reaching it (−1: none).
 */
export function runBattery(
  tests: readonly SequentialTest[],
  e: Float64Array,
  s0: ArrayLike<number> | null,
  h: ArrayLike<number>,
  cap: number,
  clip: number,
  hold: Uint8Array | null,
  sOut: Float64Array,
  maxOut: Float64Array | null,
  best: Float64Array | null,
  bestTest: Int32Array | null,
): void {
  // In the WebAssembly kernel `battery` (wasm/kernels.wat): two tests per f64x2,
  // every test in one pass over the samples, each lane the scalar recurrence
  // of runTest (the clamps as pmax/pmin), the best test per sample in test order.
  const T = tests.length, n = e.length, P = (T + 1) >> 1;
  const at = { e: 0, best: 8 * n, bt: 16 * n, hold: 20 * n, par: 0, state: 0 };
  at.par = Math.ceil((at.hold + n) / 16) * 16;
  at.state = at.par + 80 * P;
  const { kernels, buffer } = scratchKernels(at.state + 32 * P);
  new Float64Array(buffer, at.e, n).set(e);
  if (hold) new Uint8Array(buffer, at.hold, n).set(hold.subarray(0, n));
  const par = new Float64Array(buffer, at.par, 10 * P).fill(0);
  const state = new Float64Array(buffer, at.state, 4 * P).fill(0);
  for (let t = 0; t < T; t++) {
    const [a, b, c] = llrCoefficients(tests[t]);
    const o = 10 * (t >> 1) + (t & 1);
    par[o] = a;
    par[o + 2] = b;
    par[o + 4] = c;
    par[o + 6] = cap * h[t];
    par[o + 8] = 1 / h[t];
    const start = s0 ? s0[t] : 0;
    state[4 * (t >> 1) + (t & 1)] = start;
    state[4 * (t >> 1) + 2 + (t & 1)] = start;
  }
  const withBest = best !== null && bestTest !== null;
  kernels.battery(
    P,
    T,
    n,
    at.e,
    hold ? at.hold : -1,
    at.par,
    at.state,
    withBest ? at.best : -1,
    at.bt,
    maxOut ? 1 : 0,
    clip,
  );
  for (let t = 0; t < T; t++) {
    sOut[t] = state[4 * (t >> 1) + (t & 1)];
    if (maxOut) maxOut[t] = state[4 * (t >> 1) + 2 + (t & 1)];
  }
  if (withBest) {
    best!.set(new Float64Array(buffer, at.best, n));
    bestTest!.set(new Int32Array(buffer, at.bt, n));
  }
}

/**
 * Limit of one test on one sensor from its out-of-fold training statistics:
 * h = max(floor, margin × the training maximum of S), so the training data
 * never alarms and a lucky-quiet sensor still has the floor.
 */
export function testLimit(trainMax: number, margin: number, floor: number): number {
  const h = margin * (Number.isFinite(trainMax) ? trainMax : 0);
  return h > floor ? h : floor;
}
