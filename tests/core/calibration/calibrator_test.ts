import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import {
  applyCalibrator,
  fitCalibrator,
  limitCalibrator,
} from "../../../core/calibration/calibrator.ts";
import type { CalibrationOptions } from "../../../core/pipeline/stage_schemas.ts";

const opts: CalibrationOptions = {
  min_scale: 1e-9,
  relative_scale_floor: 0.1,
  tail_quantile: 0,
  cross_fit_folds: 0,
  cross_fit_max_rows: 20000,
  clip_z: 50,
  per_regime: false,
  min_regime_rows: 3,
};

Deno.test("fitCalibrator() uses the median and 1.4826·MAD of the training scores", () => {
  const c = fitCalibrator(Float64Array.from([1, 2, 3, 4, 5]), opts);
  strictEqual(c.median, 3);
  strictEqual(c.scale, 1.4826 * 1);
});

Deno.test("fitCalibrator() floors a zero MAD by a share of the standard deviation", () => {
  const xs = Float64Array.from([0, 0, 0, 0, 0, 0, 0, 10]);
  const c = fitCalibrator(xs, opts);
  const sd = Math.sqrt((7 * 1.25 ** 2 + 8.75 ** 2) / 8);
  ok(Math.abs(c.scale - 0.1 * sd) < 1e-12);
});

Deno.test("fitCalibrator() floors the scale so a heavy right tail maps its own p99 to at most z 2.33", () => {
  const xs = Float64Array.from({ length: 1000 }, (_, i) => (i < 950 ? i % 10 : 100 + i));
  const loose = fitCalibrator(xs, opts);
  const tight = fitCalibrator(xs, { ...opts, tail_quantile: 0.99 });
  ok(tight.scale > loose.scale, "the tail floor widens the scale");
  const p99 = [...xs].sort((a, b) => a - b)[Math.round(0.99 * 999)];
  ok((p99 - tight.median) / tight.scale <= 2.3264 + 1e-3);
});

Deno.test("applyCalibrator() keeps a chunk that is anomalous throughout high (no re-standardisation)", () => {
  const c = fitCalibrator(Float64Array.from({ length: 100 }, (_, i) => (i % 10) / 10), opts);
  const z = applyCalibrator(c, new Float64Array(50).fill(5), opts);
  ok(z.every((v) => v > 10), "every row of a uniformly high chunk stays high");
});

Deno.test("applyCalibrator() uses per-regime statistics, and the global ones for unseen regimes", () => {
  const train = Float64Array.from([1, 1.1, 0.9, 1, 10, 11, 9, 10]);
  const labels = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1]);
  const c = fitCalibrator(train, { ...opts, per_regime: true }, labels);
  deepStrictEqual(Object.keys(c.regimes), ["0", "1"]);
  const z = applyCalibrator(
    c,
    Float64Array.from([10, 10, 10]),
    { ...opts, per_regime: true },
    Int32Array.from([1, 0, 1]),
    Uint8Array.from([0, 0, 1]),
  );
  strictEqual(z[0], 0);
  ok(z[1] > 40, "regime 0 sees 10 as far out");
  strictEqual(z[2], (10 - c.median) / c.scale);
});

Deno.test("applyCalibrator() clips to ±clip_z and maps NaN to 0", () => {
  const c = { median: 0, scale: 1, regimes: {} };
  deepStrictEqual([...applyCalibrator(c, Float64Array.from([NaN, 1e9, -1e9, 2]), opts)], [
    0,
    50,
    -50,
    2,
  ]);
});

Deno.test("applyCalibrator() maps a limit-scaled head linearly: its limit (score 1) lands exactly on on_z", () => {
  const c = limitCalibrator();
  const raw = Float64Array.from([0, 0.5, 1, 1.5, NaN, 100]);
  // Per-regime statistics never apply to a limit-scaled head, whatever the labels say.
  const labels = Int32Array.from([0, 0, 1, 1, 0, 1]);
  deepStrictEqual([
    ...applyCalibrator(c, raw, { ...opts, per_regime: true }, labels, undefined, 4.5),
  ], [
    0,
    2.25,
    4.5,
    6.75,
    0,
    50,
  ]);
  // Without on_z the score is the z.
  strictEqual(applyCalibrator(c, raw, opts)[2], 1);
});
