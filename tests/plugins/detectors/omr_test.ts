import assert from "node:assert/strict";
import plugin from "../../../plugins/detectors/omr.ts";
import { type Frame, makeFrame } from "../../../core/frame.ts";
import { createRng } from "../../../core/rng.ts";
import { decodeState, encodeState } from "../../../core/state_codec.ts";
import {
  assertSameScores,
  checkMetadata,
  checkRoundTrip,
  create,
  data,
  meanOf,
} from "./_contract_a.ts";

Deno.test("omr plugin metadata follows the plugin contract", () => checkMetadata(plugin));

for (const method of ["ridge", "pca"]) {
  Deno.test(`omr (${method}) score() is finite, training mean 1, higher on the anomaly with b as culprit`, () => {
    const det = create(plugin, { method });
    const train = data(1, false);
    det.fit(train);
    assert.ok(Math.abs(meanOf(det.score(train).outputs[""]) - 1) < 1e-9);
    const frame = data(2, true);
    const { outputs, contributions } = det.score(frame);
    const s = outputs[""];
    assert.equal(s.length, frame.rows);
    assert.ok(s.every(Number.isFinite));
    assert.ok(meanOf(s, 900, 910) > 5 * meanOf(s, 0, 900), `${meanOf(s, 900, 910)}`);
    assert.ok(Math.max(...s) > 10, "no clipping at 10");
    const c = contributions![""], n = frame.rows;
    const col = (j: number) => meanOf(c.subarray(j * n, (j + 1) * n), 900, 910);
    assert.ok(col(1) > col(2) && col(1) > col(3), `b ${col(1)}`);
  });
}

Deno.test("omr save → load scores bit-identically for both methods; same seed → same scores", () => {
  checkRoundTrip(plugin, { method: "ridge" });
  checkRoundTrip(plugin, { method: "pca", n_components: 2 });
  const a = create(plugin), b = create(plugin);
  a.fit(data(1, false));
  b.fit(data(1, false));
  assertSameScores(a.score(data(2, true)).outputs, b.score(data(2, true)).outputs);
  assert.equal(a.metrics!().method, "ridge");
});

const SENSORS = Array.from({ length: 10 }, (_, j) => `s${j}`);

/**
 * 10 sensors on two shared factors with noise 0.1 (s0, quiet) … 1.0 (s9), each on
 * its own offset and unit; `bias` (raw units) is added to s0 on every row.
 */
function factorFrame(seed: number, n: number, bias = 0): Frame {
  const rng = createRng(seed), v = new Float64Array(n * 10);
  for (let i = 0; i < n; i++) {
    const f1 = rng.normal(), f2 = rng.normal();
    for (let j = 0; j < 10; j++) {
      const x = (1 - j / 20) * f1 + (j / 20) * f2 + (0.1 + 0.1 * j) * rng.normal();
      v[j * n + i] = 50 * j + (1 + j) * x + (j === 0 ? bias : 0);
    }
  }
  return makeFrame({
    columns: SENSORS,
    values: v,
    timestamps: Float64Array.from({ length: n }, (_, i) => i * 60_000),
  });
}

const ROBUST = { normalize: "per_sensor", aggregate: "max", impute: "conditional" };

function p99(xs: Float64Array): number {
  return Float64Array.from(xs).sort()[Math.floor(0.99 * (xs.length - 1))];
}

Deno.test("omr per_sensor + max scores an 8σ bias on 1 of 10 sensors ≥ 5 with it as culprit; sum_sq dilutes it", () => {
  const train = factorFrame(1, 3000);
  const robust = create(plugin, ROBUST), plain = create(plugin);
  robust.fit(train);
  plain.fit(train);
  const st = robust.save().data as Record<string, Float64Array>;
  const bias = 8 * st.sigma[0] * st.std[0]; // 8 residual σ of s0, in raw units
  const test = factorFrame(2, 200, bias);
  const r = robust.score(test), s = plain.score(test).outputs[""];
  const zr = r.outputs[""];
  assert.ok(meanOf(zr) >= 5, `per_sensor max ${meanOf(zr)}`);
  const ratioRobust = meanOf(zr) / p99(robust.score(train).outputs[""]);
  const ratioPlain = meanOf(s) / p99(plain.score(train).outputs[""]);
  assert.ok(ratioRobust > 2 && ratioPlain < 1, `robust ${ratioRobust}, sum_sq ${ratioPlain}`);
  const c = r.contributions![""];
  const col = (j: number) => meanOf(c.subarray(j * 200, (j + 1) * 200));
  // The bias leaks into the residual of s1 (which leans on s0), but s0 stays the culprit.
  for (let j = 1; j < 10; j++) assert.ok(col(0) > 1.5 * col(j), `s0 ${col(0)} vs s${j} ${col(j)}`);
  let top0 = 0;
  for (let i = 0; i < 200; i++) {
    let top = 0;
    for (let j = 1; j < 10; j++) if (c[j * 200 + i] > c[top * 200 + i]) top = j;
    if (top === 0) top0++;
  }
  assert.ok(top0 >= 180, `s0 top culprit on ${top0}/200 rows`);
  assert.equal(robust.metrics!().aggregate, "max");
});

Deno.test("omr impute: conditional does not raise the score of a row with a missing sensor", () => {
  const train = factorFrame(3, 3000);
  const cond = create(plugin, ROBUST), med = create(plugin, { ...ROBUST, impute: "median" });
  cond.fit(train);
  med.fit(train);
  const test = factorFrame(4, 300), n = test.rows;
  const holed = makeFrame({
    columns: SENSORS,
    values: test.values.slice(),
    timestamps: test.timestamps,
  });
  holed.values.fill(NaN, 0, n); // s0 missing on every row
  const full = cond.score(test).outputs[""];
  const { outputs, contributions } = cond.score(holed);
  const naive = med.score(holed).outputs[""];
  let raised = 0;
  for (let i = 0; i < n; i++) {
    assert.ok(Number.isFinite(outputs[""][i]));
    assert.equal(contributions![""][i], 0, "missing sensor has no residual");
    if (outputs[""][i] > full[i] + 0.5) raised++;
  }
  assert.ok(raised <= 3, `${raised} rows raised`);
  assert.ok(Math.max(...outputs[""]) <= Math.max(...full) + 0.5);
  assert.ok(Math.max(...naive) > 2 * Math.max(...full), `median imputation ${Math.max(...naive)}`);
  // A sensor absent from the frame is treated like a missing value.
  const absent = makeFrame({
    columns: SENSORS.slice(1),
    values: test.values.slice(n),
    timestamps: test.timestamps,
  });
  const a = cond.score(absent).outputs[""];
  for (let i = 0; i < n; i++) assert.ok(Math.abs(a[i] - outputs[""][i]) < 1e-9);
});

Deno.test("omr save → load is bit-exact with the new options, also with missing values", () => {
  checkRoundTrip(plugin, ROBUST);
  checkRoundTrip(plugin, { method: "pca", normalize: "per_sensor", aggregate: "rms" });
  const det = create(plugin, ROBUST);
  const train = factorFrame(5, 500);
  train.values[3] = NaN;
  train.values[600] = Infinity;
  det.fit(train);
  const test = factorFrame(6, 100);
  test.values.fill(NaN, 150, 180);
  const restored = create(plugin);
  restored.load(decodeState(encodeState(det.save() as never)) as never);
  assertSameScores(det.score(test).outputs, restored.score(test).outputs);
  assertSameScores(det.score(test).contributions!, restored.score(test).contributions!);
  assert.deepEqual(restored.metrics!(), det.metrics!());
});

Deno.test("omr load() of a 1.0.0 state (no residual scaling fields) scores as before", () => {
  const det = create(plugin);
  det.fit(data(1, false));
  const state = det.save();
  const old = { ...(state.data as Record<string, unknown>) };
  for (const key of ["normalize", "aggregate", "sigma", "impute"]) delete old[key];
  const restored = create(plugin, ROBUST);
  restored.load({ plugin: "omr", version: "1.0.0", data: old as never });
  assertSameScores(det.score(data(2, true)).outputs, restored.score(data(2, true)).outputs);
});
