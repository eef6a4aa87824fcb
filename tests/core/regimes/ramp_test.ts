import assert from "node:assert/strict";
import { fitRegimes } from "../../../core/regimes/fit_regimes.ts";
import { rampMask } from "../../../core/regimes/ramp.ts";
import { rampMaskReference } from "./_ramp_reference.ts";
import type { RegimeOptions } from "../../../core/pipeline/stage_schemas.ts";
import { makeFrame, sliceRows } from "../../../core/frame.ts";
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
  envelope_sd: 3,
  operating_sensor_share: 0,
  envelope_spread_factor: 0,
  transient_s: 0,
  settle_s: 0,
  ramp_z: 0.2,
  ramp_window_s: 600,
};

/**
 * Five operating sensors following a load at 1-minute rows: low (0.4) and high (0.9)
 * in training; in the test a ramp low → high over 25 min starting at row 100, a
 * 5-sd step on one sensor at row 300, NaN cells scattered.
 */
function plant(rows: number, test: boolean) {
  const rng = createRng(test ? 9 : 4);
  const cols = ["speed", "current", "power", "flow", "press"];
  const values = new Float64Array(rows * cols.length);
  for (let i = 0; i < rows; i++) {
    const load = test
      ? (i < 100 ? 0.4 : Math.min(0.9, 0.4 + 0.02 * (i - 100)))
      : (Math.floor(i / 300) % 2 === 0 ? 0.4 : 0.9);
    cols.forEach((_, j) => {
      const v = 100 * (1 + j) * load + 0.8 * (1 + j) * rng.normal();
      values[j * rows + i] = i % 37 === j ? NaN : v + (test && j === 2 && i >= 300 ? 100 : 0);
    });
  }
  const timestamps = Float64Array.from({ length: rows }, (_, i) => i * 60_000);
  return makeFrame({ columns: cols, values, timestamps });
}

const model = fitRegimes(plant(3000, false), OPTIONS, createRng(1));
const test = plant(500, true);

Deno.test("rampMask() flags a load ramp from its first minutes, not steady rows or a one-sensor step", () => {
  const { mask } = rampMask(model, test, OPTIONS, null);
  assert.equal(mask.slice(0, 100).reduce((a, b) => a + b, 0), 0, "steady low load");
  const first = mask.indexOf(1);
  assert.ok(first >= 100 && first <= 103, `ramp seen at row ${first}`);
  assert.ok(mask.slice(104, 125).every((v) => v === 1), "moving through the ramp");
  assert.equal(mask.slice(150, 500).reduce((a, b) => a + b, 0), 0, "settled high load and a step");
});

Deno.test("rampMask() over chunks with its carry equals one pass; ramp_z 0 flags nothing", () => {
  const whole = rampMask(model, test, OPTIONS, null).mask;
  const parts: number[] = [];
  let carry = null;
  for (const [a, b] of [[0, 104], [104, 111], [111, 500]]) {
    const out = rampMask(model, sliceRows(test, a, b), OPTIONS, carry);
    carry = JSON.parse(JSON.stringify(out.carry));
    parts.push(...out.mask);
  }
  assert.deepEqual(parts, [...whole]);
  const off = rampMask(model, test, { ...OPTIONS, ramp_z: 0 }, null);
  assert.equal(off.mask.reduce((a, b) => a + b, 0), 0);
  assert.equal(off.carry, null);
});

Deno.test("rampMask() needs half of many operating sensors to move: three of eight are no ramp", () => {
  const rows = 3000, d = 8;
  const rng = createRng(21);
  const make = (n: number, moved: number, test: boolean) => {
    const values = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const load = test ? (i < 100 ? 0.4 : 0.9) : (Math.floor(i / 300) % 2 === 0 ? 0.4 : 0.9);
      for (let j = 0; j < d; j++) {
        // In the test only the first `moved` sensors follow the load change.
        const l = test && j >= moved ? 0.4 : load;
        values[j * n + i] = 100 * l + rng.normal();
      }
    }
    return makeFrame({
      columns: Array.from({ length: d }, (_, j) => `s${j}`),
      values,
      timestamps: Float64Array.from({ length: n }, (_, i) => i * 60_000),
    });
  };
  const m = fitRegimes(make(rows, d, false), OPTIONS, createRng(1));
  const three = rampMask(m, make(300, 3, true), OPTIONS, null).mask;
  assert.equal(three.reduce((a, b) => a + b, 0), 0, "three of eight sensors moved");
  const four = rampMask(m, make(300, 4, true), OPTIONS, null).mask;
  assert.equal(four[101], 1, "half of them moved");
});

Deno.test("rampMask() equals the row-by-row reference bit for bit: random ramps, gaps, missing cells and columns, chunks with carry", () => {
  const rng = createRng(21);
  let ones = 0, rowsSeen = 0;
  for (let trial = 0; trial < 40; trial++) {
    const d = 1 + rng.int(12), rows = 300 + rng.int(900);
    const sensors = Array.from({ length: d }, (_, a) => `s${a}`);
    // One regime sensor missing from the data in some trials (read as NaN).
    const columns = trial % 5 === 0 ? sensors.slice(1) : sensors;
    const values = new Float64Array(rows * columns.length);
    const timestamps = new Float64Array(rows);
    let t = 0;
    for (let i = 0; i < rows; i++) {
      t += rng.int(10) === 0 ? 60_000 * (1 + rng.int(30)) : 60_000; // irregular steps and gaps
      timestamps[i] = t;
      const load = Math.floor(i / (50 + trial)) % 3;
      columns.forEach((_, j) => {
        const v = load * (2 + j) + 0.3 * rng.normal();
        values[j * rows + i] = rng.int(25) === 0 ? NaN : v;
      });
    }
    const frame = makeFrame({ columns, values, timestamps });
    rowsSeen += rows;
    const model = {
      sensors,
      mean: Float64Array.from(sensors, () => rng.normal()),
      scale: Float64Array.from(sensors, () => 0.5 + rng.int(4)),
    } as unknown as Parameters<typeof rampMask>[0];
    const options = { ramp_z: [0.2, 0.5, 1, 2][trial % 4], ramp_window_s: 300 + 300 * (trial % 3) };
    const cuts = [0, rng.int(rows), rows].sort((a, b) => a - b);
    let carryNew = null, carryRef = null;
    for (let c = 0; c + 1 < cuts.length; c++) {
      const part = sliceRows(frame, cuts[c], cuts[c + 1]);
      const a = rampMask(model, part, options, carryNew);
      const b = rampMaskReference(model, part, options, carryRef);
      assert.deepEqual([...a.mask], [...b.mask], `trial ${trial} part ${c}`);
      ones += b.mask.reduce((x, y) => x + y, 0);
      assert.deepEqual(a.carry, b.carry, `trial ${trial} part ${c} carry`);
      carryNew = JSON.parse(JSON.stringify(a.carry));
      carryRef = JSON.parse(JSON.stringify(b.carry));
    }
  }
  // The trials hold both ramp rows and steady rows.
  assert.ok(ones > 0.02 * rowsSeen && ones < 0.8 * rowsSeen, `${ones} ramp rows of ${rowsSeen}`);
});
