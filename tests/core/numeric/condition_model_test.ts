import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import {
  assignFolds,
  type ConditionSettings,
  fitCondition,
  scoreCondition,
} from "../../../core/numeric/condition_model.ts";
import { createRng } from "../../../core/rng.ts";

const SETTINGS: ConditionSettings = {
  timeConstantsMs: [],
  alpha: 0.001,
  folds: 5,
  arOrder: 1,
  meanShifts: [1, 4],
  varianceUp: 4,
  varianceDown: 0.2,
  limitMargin: 1.2,
  limitFloor: 10,
  cap: 1.5,
  clip: 6,
  minResidualScale: 0.001,
  minRegimeRows: 200,
  foldBlockMs: 0,
};

Deno.test("assignFolds() deals time blocks to the folds in turn, or cuts contiguous folds", () => {
  const t = Float64Array.from({ length: 12 }, (_, i) => i * 60_000);
  deepStrictEqual([...assignFolds(t, 12, 3, 0)], [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
  deepStrictEqual([...assignFolds(t, 12, 3, 2 * 60_000)], [0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2]);
  deepStrictEqual([...assignFolds(t, 12, 1, 2 * 60_000)], new Array(12).fill(0));
});

/** b = 2a + noise, the noise 5× larger in the second half (regime 1). */
function twoRegimes(rows: number) {
  const rng = createRng(3);
  const values = new Float64Array(rows * 2), timestamps = new Float64Array(rows);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    timestamps[i] = i * 60_000;
    labels[i] = i < rows / 2 ? 0 : 1;
    const a = Math.sin(i / 50) + (rng.next() - 0.5);
    values[i] = a;
    values[rows + i] = 2 * a + (labels[i] === 0 ? 0.01 : 0.05) * (rng.next() - 0.5);
  }
  return { values, timestamps, labels };
}

Deno.test("fitCondition() learns a residual scale per operating regime from its steady rows", () => {
  const rows = 4000;
  const { values, timestamps, labels } = twoRegimes(rows);
  const { model } = fitCondition(values, rows, 2, timestamps, SETTINGS, null, labels);
  deepStrictEqual(model.regimeLabels, [0, 1]);
  const ratio = model.regimeScale[1 * 2 + 1] / model.regimeScale[0 * 2 + 1];
  ok(ratio > 3 && ratio < 7, `regime 1 / regime 0 residual scale of b: ${ratio}`);
  // Without labels: one pooled scale, no regimes.
  const pooled = fitCondition(values, rows, 2, timestamps, SETTINGS).model;
  strictEqual(pooled.regimeLabels.length, 0);
  // A regime with fewer steady rows than min_regime_rows keeps the pooled scale.
  const hold = new Uint8Array(rows);
  for (let i = rows / 2; i < rows - 100; i++) hold[i] = 1;
  const few = fitCondition(values, rows, 2, timestamps, SETTINGS, hold, labels).model;
  deepStrictEqual(few.regimeLabels, [0]);
});

Deno.test("fitCondition() keeps held rows out of the residual scale", () => {
  const rows = 4000;
  const { values, timestamps } = twoRegimes(rows);
  // The noisy half held: the scale is the quiet half's.
  const hold = new Uint8Array(rows);
  for (let i = rows / 2; i < rows; i++) hold[i] = 1;
  const quiet = fitCondition(values, rows, 2, timestamps, SETTINGS, hold).model.resScale[1];
  const all = fitCondition(values, rows, 2, timestamps, SETTINGS).model.resScale[1];
  ok(all > 1.5 * quiet, `scale with the noisy rows ${all}, without ${quiet}`);
});

/** a in [−1.5, 1.5]; b = a and c = −a plus a little noise (column-major, 3 sensors). */
function threeTied(rows: number, seed: number, shift = 0, relationError = 0, bStep = 0) {
  const rng = createRng(seed);
  const values = new Float64Array(rows * 3), timestamps = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    timestamps[i] = i * 60_000;
    const a = shift + Math.sin(i / 40) + 0.5 * (rng.next() - 0.5);
    values[i] = a;
    values[rows + i] = a + relationError * shift + bStep + 0.02 * rng.normal();
    values[2 * rows + i] = -a + 0.02 * rng.normal();
  }
  return { values, timestamps };
}

Deno.test("scoreCondition() with extrapolationScale discounts relations read outside the training envelope, not a sensor's own fault", () => {
  const rows = 3000;
  const train = threeTied(rows, 1);
  // The variance-drop test off, as in pipelines/default.yaml: it would read the
  // discounted residual as a quiet (stuck) sensor.
  const base = { ...SETTINGS, varianceDown: 0 };
  const on = { ...base, extrapolationScale: 0.1 };
  const fitOff = fitCondition(train.values, rows, 3, train.timestamps, base).model;
  const fitOn = fitCondition(train.values, rows, 3, train.timestamps, on).model;
  ok(fitOn.extrapolation && !fitOff.extrapolation);
  const peak = (m: typeof fitOn, o: ConditionSettings, x: ReturnType<typeof threeTied>) => {
    const s = scoreCondition(m, o, x.values, 500, x.timestamps, null);
    return s.score.reduce((a, b) => Math.max(a, b), 0);
  };
  // The whole machine 4 σ beyond training, b's relation 2 % off there: an alarm
  // without the discount, none with it.
  const outside = threeTied(500, 2, 4, 0.02);
  ok(peak(fitOff, base, outside) >= 1, "no alarm without the discount");
  ok(peak(fitOn, on, outside) < 1, `alarm with the discount: ${peak(fitOn, on, outside)}`);
  // b steps inside the envelope (its inputs a and c stay there): same alarm either way.
  const step = threeTied(500, 3, 0, 0, 0.2);
  const off = peak(fitOff, base, step);
  ok(off >= 1, "the step is not found");
  strictEqual(peak(fitOn, on, step), off);
});

/** a ramps up and down (triangle, period 400 rows), b = 2a + small noise; 1-minute rows. */
function ramps(rows: number, seed: number) {
  const rng = createRng(seed);
  const values = new Float64Array(rows * 2), timestamps = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    timestamps[i] = i * 60_000;
    const a = Math.abs((i % 400) - 200) / 20 + 0.01 * rng.normal();
    values[i] = a;
    values[rows + i] = 2 * a + 0.01 * rng.normal();
  }
  return { values, timestamps };
}

Deno.test("scoreCondition() with holdMissingInputs reads a missing input as its last reading, not its lagging EWMA", () => {
  const rows = 4000;
  const settings = { ...SETTINGS, timeConstantsMs: [600_000] };
  const train = ramps(rows, 3);
  const { model } = fitCondition(train.values, rows, 2, train.timestamps, settings);
  const test = ramps(800, 4);
  const n = 800, gap = 100; // mid-ramp: a moves 0.05 a row
  test.values[gap] = NaN;
  const ewma = scoreCondition(model, settings, test.values, n, test.timestamps, null);
  const held = scoreCondition(
    model,
    { ...settings, holdMissingInputs: true },
    test.values,
    n,
    test.timestamps,
    null,
  );
  ok(Number.isNaN(held.residual[gap]), "the missing sensor has no residual");
  const rb = (s: typeof held) => Math.abs(s.residual[n + gap]);
  ok(rb(held) < 0.25 * rb(ewma), `b's residual: last value ${rb(held)}, EWMA ${rb(ewma)}`);
  // Rows before the gap are scored alike (after it the EWMA levels took the held value in).
  strictEqual(held.residual[n + gap - 1], ewma.residual[n + gap - 1]);
  // The last reading is carried across chunks: a chunk starting with a missing a.
  const first = scoreCondition(
    model,
    { ...settings, holdMissingInputs: true },
    Float64Array.from([...test.values.subarray(0, gap), ...test.values.subarray(n, n + gap)]),
    gap,
    test.timestamps.slice(0, gap),
    null,
  );
  deepStrictEqual([...first.stream.held!].map((v) => v.toFixed(9)), [
    ((test.values[gap - 1] - model.mean[0]) / model.std[0]).toFixed(9),
    ((test.values[n + gap - 1] - model.mean[1]) / model.std[1]).toFixed(9),
  ]);
});
