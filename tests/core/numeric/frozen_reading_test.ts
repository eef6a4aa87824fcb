import { ok, strictEqual } from "node:assert/strict";
import { fitFrozen, runFrozen } from "../../../core/numeric/frozen_reading.ts";
import { createRng } from "../../../core/rng.ts";

/** One sensor: noisy (2 decimals) in regime 0, reading 0.00 with rare blips in regime 1. */
function twoStates(rows: number, seed = 5) {
  const rng = createRng(seed);
  const values = new Float64Array(rows), slot = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    slot[i] = i % 1000 < 700 ? 0 : 1;
    values[i] = slot[i] === 0
      ? Math.round(100 * (50 + rng.normal())) / 100
      : rng.next() < 0.05
      ? 0.01
      : 0;
  }
  return { values, slot };
}

Deno.test("fitFrozen() weighs a repeat by ln(1/p0) per regime: heavy where readings change, light where they repeat", () => {
  const rows = 10_000;
  const { values, slot } = twoStates(rows);
  const fit = fitFrozen(values, rows, 1, slot, 2, null, 1.2, 15);
  // Regime 0: a repeat of a 2-decimal noisy reading is rare (p0 ≈ 0.2 %).
  ok(fit.weight[0] > 4, `regime 0 weight ${fit.weight[0]}`);
  // Regime 1 reads 0.00 most of the time: a repeat continuing a run is no evidence.
  ok(fit.runWeight[1] < 0.2, `regime 1 run weight ${fit.runWeight[1]}`);
  // Pooled row between the two; the limit is at least the floor.
  ok(fit.runWeight[2] > fit.runWeight[1] && fit.weight[2] < fit.weight[0]);
  ok(fit.limit[0] >= 15);
});

Deno.test("runFrozen() alarms on a reading frozen in a running state, not on a stopped machine's zeros", () => {
  const rows = 10_000;
  const { values, slot } = twoStates(rows);
  const fit = fitFrozen(values, rows, 1, slot, 2, null, 1.2, 15);
  const h = fit.limit[0];
  const test = twoStates(3000, 9);
  // Freeze the reading in a running stretch (rows 100–399, regime 0).
  for (let i = 101; i < 400; i++) test.values[i] = test.values[100];
  const out = new Float64Array(3000);
  const r = runFrozen(test.values, fit, 1, 0, 2, test.slot, 0, NaN, 1.5 * h, null, out, h);
  let first = -1;
  for (let i = 0; i < 3000; i++) if (out[i] >= 1 && first < 0) first = i;
  ok(first > 100 && first < 120, `frozen reading found at row ${first}`);
  ok(out[399] <= 1.5 + 1e-12, "the statistic is capped");
  strictEqual(out[400], 0, "a change restarts the test");
  // Regime 1 (rows 700–999, 1700–1999, ...) never reaches the limit.
  for (let i = 700; i < 3000; i++) ok(out[i] < 1, `row ${i}: ${out[i]}`);
  strictEqual(r.last, test.values[2999]);
});

Deno.test("fitFrozen() learns that repeats cluster: runs of zeros under a clip do not alarm", () => {
  // A stopped machine's current: AR(1) noise (φ 0.8) clipped at 0.00, so zeros come in runs.
  const make = (rows: number, seed: number) => {
    const rng = createRng(seed);
    const v = new Float64Array(rows);
    let e = 0;
    for (let i = 0; i < rows; i++) {
      e = 0.8 * e + 0.6 * rng.normal();
      v[i] = Math.max(0, Math.round(100 * e) / 100);
    }
    return v;
  };
  const train = make(2000, 3), slot = new Int32Array(40_000);
  const fit = fitFrozen(train, 2000, 1, slot, 1, null, 1.2, 15);
  ok(fit.runWeight[0] < fit.weight[0], `run ${fit.runWeight[0]} vs first ${fit.weight[0]}`);
  // Twenty times the training length: still no alarm (an i.i.d. repeat model would fire).
  const out = new Float64Array(40_000);
  const h = fit.limit[0];
  runFrozen(make(40_000, 4), fit, 1, 0, 1, slot, 0, NaN, 1.5 * h, null, out, h);
  ok(Math.max(...out) < 1, `max S/h ${Math.max(...out)}`);
  const iid = { weight: fit.weight, runWeight: fit.weight };
  runFrozen(make(40_000, 4), iid, 1, 0, 1, slot, 0, NaN, 1.5 * h, null, out, h);
  ok(Math.max(...out) >= 1, "the i.i.d. weights alarm on the same runs");
});

Deno.test("runFrozen() continues across chunks exactly and restarts on held rows", () => {
  const rows = 4000;
  const { values, slot } = twoStates(rows);
  const fit = fitFrozen(values, rows, 1, slot, 2, null, 1.2, 15);
  const v = values.slice(0, 600);
  for (let i = 201; i < 500; i++) v[i] = v[200];
  v[300] = NaN; // a missing reading leaves the run going
  const whole = new Float64Array(600);
  runFrozen(v, fit, 1, 0, 2, slot, 0, NaN, 1e9, null, whole, 10);
  const a = new Float64Array(250), b = new Float64Array(350);
  const first = runFrozen(v.subarray(0, 250), fit, 1, 0, 2, slot, 0, NaN, 1e9, null, a, 10);
  runFrozen(
    v.subarray(250),
    fit,
    1,
    0,
    2,
    slot.subarray(250),
    first.s,
    first.last,
    1e9,
    null,
    b,
    10,
  );
  for (let i = 0; i < 600; i++) strictEqual(i < 250 ? a[i] : b[i - 250], whole[i]);
  ok(whole[301] > whole[299], "the run continues over a missing reading");
  const hold = new Uint8Array(600);
  hold[350] = 1;
  const held = new Float64Array(600);
  runFrozen(v, fit, 1, 0, 2, slot, 0, NaN, 1e9, hold, held, 10);
  strictEqual(held[350], 0);
  ok(held[351] > 0 && held[351] < whole[351]);
});
