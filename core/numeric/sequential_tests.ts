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
  const T = tests.length;
  if (best) best.fill(0, 0, e.length);
  if (bestTest) bestTest.fill(-1, 0, e.length);
  // Three tests per pass over the samples: independent recurrences side by
  // side; the passes go in test order, so ties keep the first test.
  for (let t = 0; t < T; t += 3) {
    const u = t + 1 < T ? t + 1 : -1, w = t + 2 < T ? t + 2 : -1;
    const two = u >= 0, three = w >= 0;
    const [a0, b0, c0] = llrCoefficients(tests[t]);
    const [a1, b1, c1] = two ? llrCoefficients(tests[u]) : [0, 0, 0];
    const [a2, b2, c2] = three ? llrCoefficients(tests[w]) : [0, 0, 0];
    const top0 = cap * h[t], inv0 = 1 / h[t];
    const top1 = two ? cap * h[u] : 0, inv1 = two ? 1 / h[u] : 0;
    const top2 = three ? cap * h[w] : 0, inv2 = three ? 1 / h[w] : 0;
    let x0 = s0 ? s0[t] : 0, x1 = two && s0 ? s0[u] : 0, x2 = three && s0 ? s0[w] : 0;
    let m0 = x0, m1 = x1, m2 = x2;
    for (let i = 0; i < e.length; i++) {
      const x = e[i];
      if (hold !== null && hold[i] === 1) x0 = x1 = x2 = 0;
      else if (x - x === 0) {
        const v = x > clip ? clip : x < -clip ? -clip : x;
        x0 += a0 + b0 * v + c0 * v * v;
        if (x0 < 0) x0 = 0;
        else if (x0 > top0) x0 = top0;
        if (x0 > m0) m0 = x0;
        if (two) {
          x1 += a1 + b1 * v + c1 * v * v;
          if (x1 < 0) x1 = 0;
          else if (x1 > top1) x1 = top1;
          if (x1 > m1) m1 = x1;
        }
        if (three) {
          x2 += a2 + b2 * v + c2 * v * v;
          if (x2 < 0) x2 = 0;
          else if (x2 > top2) x2 = top2;
          if (x2 > m2) m2 = x2;
        }
      }
      if (best) {
        let b = best[i], bt = -2;
        let r = x0 * inv0;
        if (r > b) {
          b = r;
          bt = t;
        }
        if (two) {
          r = x1 * inv1;
          if (r > b) {
            b = r;
            bt = u;
          }
        }
        if (three) {
          r = x2 * inv2;
          if (r > b) {
            b = r;
            bt = w;
          }
        }
        if (bt !== -2) {
          best[i] = b;
          bestTest![i] = bt;
        }
      }
    }
    sOut[t] = x0;
    if (maxOut) maxOut[t] = m0;
    if (two) {
      sOut[u] = x1;
      if (maxOut) maxOut[u] = m1;
    }
    if (three) {
      sOut[w] = x2;
      if (maxOut) maxOut[w] = m2;
    }
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
