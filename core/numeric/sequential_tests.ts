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

/** The signature words, in the order `RowSignature.tests` lists them. */
export const TEST_WORDS = ["mean_up", "mean_down", "variance_up", "variance_down"] as const;

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
 * Limit of one test on one sensor from its out-of-fold training statistics:
 * h = max(floor, margin × the training maximum of S), so the training data
 * never alarms and a lucky-quiet sensor still has the floor.
 */
export function testLimit(trainMax: number, margin: number, floor: number): number {
  const h = margin * (Number.isFinite(trainMax) ? trainMax : 0);
  return h > floor ? h : floor;
}
