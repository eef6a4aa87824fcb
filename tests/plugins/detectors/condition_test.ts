import assert from "node:assert/strict";
import plugin from "../../../plugins/detectors/condition.ts";
import { concatRows, makeFrame, sliceRows } from "../../../core/frame.ts";
import { createRng } from "../../../core/rng.ts";
import type { PluginContext } from "../../../core/plugin.ts";
import { silentLogger } from "../../../core/log.ts";

const ctx = {
  nodeId: "condition",
  log: silentLogger,
  rng: createRng(1),
  seed: 1,
  fail(message: string): never {
    throw new Error(message);
  },
} as unknown as PluginContext;

const OPTIONS = {
  time_constants_s: [600, 3600],
  alpha: 0.05,
  folds: 5,
  ar_order: 2,
  mean_shifts: [1, 4],
  variance_ratio_up: 4,
  variance_ratio_down: 0.2,
  frozen_test: false,
  extrapolation_scale: 0,
  extrapolation_ridge: 0.01,
  extrapolation_quantile: 0.99,
  hold_missing_inputs: false,
  limit_margin: 1.2,
  limit_floor: 10,
  cap: 1.5,
  clip: 6,
  min_residual_scale: 0.01,
  update_guard: 3,
  update_forget: 1,
  min_regime_rows: 200,
  fold_block_s: 0,
  update_max_shift: 4,
  update_max_scale_ratio: 2,
};

/** Three sensors driven by one load (b lags it by ~10 min), 1-minute rows, seeded noise. */
function plant(
  rows: number,
  seed: number,
  fault?: { from: number; sensor: number; shift: number },
) {
  const rng = createRng(seed);
  const values = new Float64Array(rows * 3), timestamps = new Float64Array(rows);
  let lag = 0;
  for (let i = 0; i < rows; i++) {
    timestamps[i] = Date.UTC(2025, 0, 1) + i * 60_000;
    const load = Math.sin(i / 300) + 0.3 * Math.sin(i / 47);
    lag += (load - lag) * (1 - Math.exp(-1 / 10));
    const row = [load, 2 * lag, load - lag];
    for (let j = 0; j < 3; j++) {
      let v = row[j] + 0.05 * (rng.next() - 0.5);
      if (fault && i >= fault.from && j === fault.sensor) v += fault.shift;
      values[j * rows + i] = v;
    }
  }
  return makeFrame({ columns: ["a", "b", "c"], values, timestamps });
}

Deno.test("condition score() names a stepped sensor and the mean_up test, and stays below 1 on normal rows", () => {
  const det = plugin.create(OPTIONS, ctx);
  det.fit(plant(6000, 1));
  const normal = det.score(plant(3000, 2)).outputs[""];
  assert.ok(Math.max(...normal) < 1, `normal max ${Math.max(...normal)}`);
  const faulty = det.score(plant(3000, 3, { from: 1500, sensor: 1, shift: 0.1 }));
  const s = faulty.outputs[""];
  const first = s.findIndex((v) => v >= 1);
  assert.ok(first >= 1500 && first < 1530, `first alarm row ${first}`);
  const sig = faulty.signatures![""];
  assert.equal(sig.sensors[sig.sensor[first]], "b");
  assert.equal(sig.tests[sig.test[first]], "mean_up");
  assert.equal(faulty.traces!.expected.length, 3000 * 3);
});

Deno.test("condition scoreStream() over two chunks equals one score of both, and survives save/load", () => {
  const det = plugin.create(OPTIONS, ctx);
  det.fit(plant(6000, 1));
  const data = plant(2000, 4, { from: 900, sensor: 0, shift: -0.08 });
  const whole = det.score(data).outputs[""];
  const a = det.scoreStream!(sliceRows(data, 0, 1000), null);
  const other = plugin.create(OPTIONS, ctx);
  other.load(structuredClone(det.save()));
  const b = other.scoreStream!(sliceRows(data, 1000, 2000), structuredClone(a.state));
  const joined = concatRows(
    makeFrame({
      columns: ["s"],
      values: a.scores.outputs[""],
      timestamps: data.timestamps.slice(0, 1000),
    }),
    makeFrame({
      columns: ["s"],
      values: b.scores.outputs[""],
      timestamps: data.timestamps.slice(1000),
    }),
  ).values;
  assert.deepEqual(Array.from(joined), Array.from(whole));
});

Deno.test("condition with frozen_test names a frozen sensor `frozen`, and its stream continues across chunks", () => {
  const options = { ...OPTIONS, frozen_test: true, variance_ratio_down: 0 };
  const det = plugin.create(options, ctx);
  det.fit(plant(6000, 1));
  const normal = det.score(plant(3000, 2)).outputs[""];
  assert.ok(Math.max(...normal) < 1, `normal max ${Math.max(...normal)}`);
  const data = plant(3000, 2);
  for (let i = 1501; i < 2500; i++) data.values[2 * 3000 + i] = data.values[2 * 3000 + 1500];
  const scored = det.score(data);
  const first = scored.outputs[""].findIndex((v) => v >= 1);
  assert.ok(first > 1500 && first < 1510, `first alarm row ${first}`);
  const sig = scored.signatures![""];
  assert.equal(sig.sensors[sig.sensor[first]], "c");
  assert.equal(sig.tests[sig.test[first]], "frozen");
  // Without the test (and without variance_down) the frozen stretch is not found this soon.
  const plain = plugin.create({ ...options, frozen_test: false }, ctx);
  plain.fit(plant(6000, 1));
  const late = plain.score(data).outputs[""].findIndex((v) => v >= 1);
  assert.ok(late < 0 || late > first + 20, `without the test: ${late}`);
  // Chunked: the last reading and the statistic ride in the stream state.
  const a = det.scoreStream!(sliceRows(data, 0, 1503), null);
  const b = det.scoreStream!(sliceRows(data, 1503, 3000), structuredClone(a.state));
  assert.deepEqual(
    [...a.scores.outputs[""], ...b.scores.outputs[""]],
    [...scored.outputs[""]],
  );
});

Deno.test("condition score() keeps every output finite when values are missing", () => {
  const det = plugin.create(OPTIONS, ctx);
  det.fit(plant(3000, 1));
  const data = plant(500, 5);
  for (let i = 100; i < 200; i++) data.values[1 * 500 + i] = NaN;
  const s = det.score(data);
  assert.ok(s.outputs[""].every(Number.isFinite));
  assert.ok(s.traces!.expected.every(Number.isFinite));
});
