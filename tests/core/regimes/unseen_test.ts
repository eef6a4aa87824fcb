import assert from "node:assert/strict";
import { fitRegimes } from "../../../core/regimes/fit_regimes.ts";
import { assignRegimes } from "../../../core/regimes/assign_regimes.ts";
import type { RegimeOptions } from "../../../core/pipeline/stage_schemas.ts";
import { makeFrame } from "../../../core/frame.ts";
import { createRng } from "../../../core/rng.ts";

const OPTIONS: RegimeOptions = {
  enabled: true,
  sensors: [],
  k_min: 2,
  k_max: 4,
  sample_rows: 500,
  min_silhouette: 0.35,
  split_min_share: 0,
  min_regime_share: 0,
  min_dwell_rows: 0,
  min_dwell_s: 0,
  unseen_factor: 2,
  transient_s: 0,
  settle_s: 0,
  ramp_z: 0,
  envelope_sd: 3,
  operating_sensor_share: 0,
  envelope_spread_factor: 0,
  ramp_window_s: 600,
};

/** Six sensors driven by one load; `shift(i)` adds per-sensor offsets (in sensor sd) to row i. */
function plant(rows: number, shift: (i: number) => number[] = () => []) {
  const rng = createRng(3);
  const cols = ["load", "current", "power", "flow", "temp", "vib"];
  const values = new Float64Array(rows * cols.length);
  for (let i = 0; i < rows; i++) {
    const load = 50 + 5 * rng.normal();
    const s = shift(i);
    cols.forEach((_, j) =>
      values[j * rows + i] = load * (1 + j / 10) + rng.normal() + (s[j] ?? 0) * 5
    );
  }
  return makeFrame({
    columns: cols,
    values,
    timestamps: Float64Array.from({ length: rows }, (_, i) => i * 60_000),
  });
}

Deno.test("assignRegimes() flags a point far out in many sensors as unseen, not one far out in a single sensor", () => {
  const model = fitRegimes(plant(600), OPTIONS, createRng(1));
  const test = plant(
    30,
    (i) => (i < 10 ? [] : i < 20 ? [0, 0, 0, 0, 20, 0] : [-9, -9, -9, -9, -9, 0]),
  );
  const { unseen } = assignRegimes(model, test, OPTIONS);
  assert.equal(unseen.slice(0, 10).reduce((a, b) => a + b, 0), 0, "normal rows are seen");
  assert.equal(
    unseen.slice(10, 20).reduce((a, b) => a + b, 0),
    0,
    "a one-sensor fault stays visible",
  );
  assert.equal(
    unseen.slice(20).reduce((a, b) => a + b, 0),
    10,
    "a machine-wide mode change is unseen",
  );
});

Deno.test("assignRegimes() says an exit is below when every far sensor fell, and names the farthest", () => {
  const model = fitRegimes(plant(600), OPTIONS, createRng(1));
  const test = plant(20, (i) => (i < 10 ? [-9, -9, -9, -9, -9, 0] : [-9, -9, 20, 9, 9, 0]));
  const { unseen, below, farthest } = assignRegimes(model, test, OPTIONS);
  assert.equal(unseen.reduce((a, b) => a + b, 0), 20);
  assert.deepEqual([...below.slice(0, 10)], new Array(10).fill(1), "a stop-like exit is below");
  assert.deepEqual([...below.slice(10)], new Array(10).fill(0), "some sensors rose: not below");
  const names = [...farthest.slice(10)].map((a) => model.sensors[a]);
  assert.ok(names.every((n) => n === "power"), `power is farthest, got ${names}`);
  assert.ok(farthest.slice(0, 10).every((a) => a >= 0));
});

/** Two tight operating points (load 30 and 70, sd 1); `offset(i)` adds units to sensors of row i. */
function twoPoints(rows: number, offset: (i: number) => number[] = () => []) {
  const rng = createRng(5);
  const cols = ["load", "current", "power", "flow", "temp", "vib"];
  const values = new Float64Array(rows * cols.length);
  for (let i = 0; i < rows; i++) {
    const load = (i % 200 < 100 ? 30 : 70) + rng.normal();
    const o = offset(i);
    cols.forEach((_, j) => values[j * rows + i] = load * (1 + j / 10) + rng.normal() + (o[j] ?? 0));
  }
  const timestamps = Float64Array.from({ length: rows }, (_, i) => i * 60_000);
  return makeFrame({ columns: cols, values, timestamps });
}

Deno.test("assignRegimes() with envelope_spread_factor flags a move off the usual operating point inside the overall range", () => {
  const model = fitRegimes(twoPoints(2000), OPTIONS, createRng(1));
  assert.equal(model.k, 2);
  assert.equal(model.spread?.length, 2 * 6);
  // At load 70, three sensors 12 units off (≈ 0.6 global sd, far beyond the regime's own spread).
  const moved = twoPoints(200, (i) => (i >= 100 ? [0, 12, -12, 12, 0, 0] : []));
  const before = assignRegimes(model, moved, OPTIONS).unseen;
  assert.equal(before.reduce((a, b) => a + b, 0), 0, "3 global sd: as before, inside");
  const spread = { ...OPTIONS, envelope_spread_factor: 2 };
  const after = assignRegimes(model, moved, spread).unseen;
  assert.equal(after.slice(0, 100).reduce((a, b) => a + b, 0), 0, "usual rows stay inside");
  assert.ok(after.slice(100).reduce((a, b) => a + b, 0) >= 95, "the moved rows are outside");
  const one = twoPoints(200, (i) => (i >= 100 ? [0, 0, 0, 30, 0, 0] : []));
  assert.equal(
    assignRegimes(model, one, spread).unseen.reduce((a, b) => a + b, 0),
    0,
    "one sensor",
  );
});

Deno.test("assignRegimes() with min_regime_share flags the rows of a regime training saw only briefly", () => {
  // Two operating points and a short third one (5 % of the training rows, load 110).
  const rng = createRng(8);
  const rows = 2000, cols = ["load", "current", "power", "flow", "temp", "vib"];
  const level = (i: number) => (i % 400 < 20 ? 110 : i % 200 < 100 ? 30 : 70);
  const values = new Float64Array(rows * cols.length);
  for (let i = 0; i < rows; i++) {
    const load = level(i) + rng.normal();
    cols.forEach((_, j) => values[j * rows + i] = load * (1 + j / 10) + rng.normal());
  }
  const timestamps = Float64Array.from({ length: rows }, (_, i) => i * 60_000);
  const frame = makeFrame({ columns: cols, values, timestamps });
  const model = fitRegimes(frame, OPTIONS, createRng(1));
  assert.equal(model.k, 3);
  const rare = (i: number) => level(i) === 110;
  const before = assignRegimes(model, frame, OPTIONS).unseen;
  assert.equal(before.reduce((a, b) => a + b, 0), 0, "off: every training regime is seen");
  const after = assignRegimes(model, frame, { ...OPTIONS, min_regime_share: 0.1 });
  for (let i = 0; i < rows; i++) {
    if (after.unseen[i] !== (rare(i) ? 1 : 0)) assert.fail(`row ${i}: unseen ${after.unseen[i]}`);
  }
  const first = [...after.unseen].indexOf(1);
  assert.equal(after.below[first], 0, "load 110 lies above the training mean");
  assert.ok(after.farthest[first] >= 0);
  const share = assignRegimes(model, frame, { ...OPTIONS, min_regime_share: 0.04 }).unseen;
  assert.equal(share.reduce((a, b) => a + b, 0), 0, "a 5 % regime is not rare at a 4 % share");
});
