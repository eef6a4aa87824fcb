import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { fitRegimes, regimeShare } from "../../../core/regimes/operating_sensors.ts";
import { fitRegimes as fitOnSensors } from "../../../core/regimes/fit_regimes.ts";
import type { RegimeOptions } from "../../../core/pipeline/stage_schemas.ts";
import { makeFrame } from "../../../core/frame.ts";
import { createRng } from "../../../core/rng.ts";

const OPTIONS: RegimeOptions = {
  enabled: true,
  sensors: [],
  operating_sensor_share: 0.9,
  k_min: 2,
  k_max: 6,
  sample_rows: 1000,
  min_silhouette: 0.35,
  split_min_share: 0,
  min_regime_share: 0,
  min_dwell_rows: 3,
  min_dwell_s: 0,
  unseen_factor: 2,
  envelope_sd: 3,
  envelope_spread_factor: 0,
  transient_s: 0,
  settle_s: 0,
  ramp_z: 0,
  ramp_window_s: 600,
};

/**
 * A machine running (load 1) or stopped (load 0) in 6-hour blocks: speed, current
 * and flow follow the state at once; a temperature follows it through a 2-hour lag
 * plus a daily ambient swing; ambient follows only the day.
 */
function machine(rows = 6000) {
  const rng = createRng(11);
  const names = ["speed", "current", "flow", "temp", "ambient"];
  const values = new Float64Array(rows * names.length);
  let lag = 0;
  for (let i = 0; i < rows; i++) {
    const on = Math.floor(i / 360) % 3 !== 2 ? 1 : 0;
    const amb = 10 * Math.sin((2 * Math.PI * i) / 1440);
    lag += (on - lag) / 120;
    const v = [1500 * on, 80 * on + 5, 300 * on, 40 * lag + 1.2 * amb, amb];
    for (let j = 0; j < v.length; j++) {
      values[j * rows + i] = v[j] + 0.02 * rng.normal() * (j < 3 ? 50 : 1);
    }
  }
  return makeFrame({
    columns: names,
    values,
    timestamps: Float64Array.from({ length: rows }, (_, i) => i * 60_000),
  });
}

Deno.test("regimeShare() is the share of each sensor's variance the regimes explain", () => {
  const frame = machine();
  const all = fitOnSensors(frame, { ...OPTIONS, operating_sensor_share: 0 }, createRng(1));
  strictEqual(all.k, 2);
  const eta = regimeShare(all, frame);
  for (const a of [0, 1, 2]) ok(eta[a] > 0.99, `${all.sensors[a]}: ${eta[a]}`);
  ok(eta[3] > 0.2 && eta[3] < 0.9, `temp: ${eta[3]}`);
  ok(eta[4] < 0.1, `ambient: ${eta[4]}`);
});

Deno.test("fitRegimes() keeps the operating sensors and fits the regimes again on them", () => {
  const frame = machine();
  const m = fitRegimes(frame, OPTIONS, createRng(1));
  deepStrictEqual(m.sensors, ["speed", "current", "flow"]);
  deepStrictEqual(m.candidates, ["speed", "current", "flow", "temp", "ambient"]);
  strictEqual(m.regimeShare?.length, 5);
  strictEqual(m.k, 2);
  // Off (share 0) or sensors named: the all-sensor / named model, bit for bit.
  const off = fitRegimes(frame, { ...OPTIONS, operating_sensor_share: 0 }, createRng(1));
  deepStrictEqual(
    off,
    fitOnSensors(frame, { ...OPTIONS, operating_sensor_share: 0 }, createRng(1)),
  );
  const named = fitRegimes(frame, { ...OPTIONS, sensors: ["speed", "temp"] }, createRng(1));
  deepStrictEqual(named.sensors, ["speed", "temp"]);
  strictEqual(named.candidates, undefined);
});

Deno.test("fitRegimes() keeps every sensor when fewer than three reach the share", () => {
  const frame = machine();
  const m = fitRegimes(frame, { ...OPTIONS, operating_sensor_share: 0.999999 }, createRng(1));
  strictEqual(m.sensors.length, 5);
  ok(m.regimeShare !== undefined);
});
