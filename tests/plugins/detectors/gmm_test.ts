import assert from "node:assert/strict";
import { Ajv2020 } from "ajv";
import plugin, { type GmmDetectorOptions } from "../../../plugins/detectors/gmm.ts";
import { type Frame, makeFrame, selectByName } from "../../../core/frame.ts";
import { pluginContext } from "../../../core/engine/context.ts";
import { silentLogger } from "../../../core/log.ts";
import type { PluginState, StateValue } from "../../../core/plugin.ts";
import { decodeState, encodeState } from "../../../core/state_codec.ts";
import { createRng } from "../../../core/rng.ts";
import { quantile } from "../../../core/numeric/stats.ts";
import { readCsvFile } from "../../../core/source/csv_reader.ts";

function options(extra: Record<string, unknown> = {}): GmmDetectorOptions {
  const ajv = new Ajv2020({ strict: true, strictTypes: false, useDefaults: true });
  const o = structuredClone(extra);
  assert.ok(ajv.compile(plugin.options)(o), "options validate");
  return o as unknown as GmmDetectorOptions;
}

function create(seed = 17, extra: Record<string, unknown> = {}) {
  return plugin.create(options(extra), pluginContext("gmm", plugin.name, seed, silentLogger));
}

/** 900 rows, three operating modes on (a, b), c noise; rows 850..859 of the score frame break the (a, b) pattern. */
function data(seed: number, anomaly: boolean): Frame {
  const rng = createRng(seed), n = 900;
  const modes = [[0, 0], [5, 1], [1, 6]];
  const values = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const m = modes[i % 3];
    values[i] = m[0] + 0.5 * rng.normal();
    values[n + i] = m[1] + 0.5 * rng.normal() + (anomaly && i >= 850 && i < 860 ? 3 : 0);
    values[2 * n + i] = 100 + rng.normal();
  }
  const timestamps = Float64Array.from({ length: n }, (_, i) => i * 60_000);
  return makeFrame({ columns: ["a", "b", "c"], values, timestamps });
}

Deno.test("gmm plugin metadata follows the plugin contract", () => {
  assert.equal(plugin.kind, "detector");
  assert.equal(plugin.host_api, "^1.0.0");
  assert.equal(plugin.options.additionalProperties, false);
  const props = plugin.options.properties as Record<string, Record<string, unknown>>;
  for (const [key, p] of Object.entries(props)) {
    assert.match(key, /^[a-z][a-z0-9_]*$/);
    assert.ok(typeof p.description === "string" && p.description.length > 10, key);
    assert.ok("default" in p, key);
  }
  const validate = new Ajv2020({ strict: true, strictTypes: false }).compile(plugin.options);
  for (const ex of plugin.options.examples as unknown[]) assert.ok(validate(ex));
  assert.ok(!validate({ covariance: "spherical" }));
});

for (const covariance of ["diag", "full"]) {
  Deno.test(`gmm (${covariance}) picks k = 3 on three modes and scores injected anomalies higher`, () => {
    const det = create(17, { covariance });
    det.fit(data(1, false));
    assert.equal(det.metrics!().k, 3);
    const { outputs, contributions } = det.score(data(2, true));
    const s = outputs[""];
    assert.equal(s.length, 900);
    assert.ok(s.every(Number.isFinite));
    const p99 = quantile(s.subarray(0, 850), 0.99);
    for (let i = 850; i < 860; i++) assert.ok(s[i] > p99, `row ${i}: ${s[i]} ≤ p99 ${p99}`);
    const c = contributions![""];
    for (let i = 850; i < 860; i++) {
      assert.ok(c[900 + i] > c[i] && c[900 + i] > c[1800 + i], `row ${i}: b is not the top column`);
    }
  });
}

Deno.test("gmm gives identical scores for the same seed", () => {
  const train = data(3, false), test = data(4, true);
  const a = create(5), b = create(5);
  a.fit(train);
  b.fit(train);
  assert.deepEqual(a.score(test).outputs[""], b.score(test).outputs[""]);
});

Deno.test("gmm save() → encode → decode → load() scores bit-identically", () => {
  const det = create(7, { covariance: "full", k_max: 4 });
  det.fit(data(5, false));
  const test = data(6, true);
  const before = det.score(test);
  const restored = create(1);
  restored.load(
    decodeState(encodeState(det.save() as unknown as StateValue)) as unknown as PluginState,
  );
  const after = restored.score(test);
  assert.deepEqual(after.outputs[""], before.outputs[""]);
  assert.deepEqual(after.contributions![""], before.contributions![""]);
});

Deno.test("gmm score() follows columns by name when their order changes", () => {
  const det = create();
  det.fit(data(8, false));
  const test = data(9, true);
  const a = det.score(test), b = det.score(selectByName(test, ["c", "a", "b"]));
  assert.deepEqual(b.outputs[""], a.outputs[""]);
  assert.deepEqual(
    b.contributions![""].subarray(0, 900),
    a.contributions![""].subarray(1800, 2700),
  );
});

Deno.test("gmm fit() fails through ctx when k_min > k_max", () => {
  assert.throws(
    () => create(1, { k_min: 4, k_max: 2 }).fit(data(1, false)),
    /k_min 4 is above k_max 2/,
  );
});

Deno.test("gmm scores GAS_TURBINE January 2020 above the 2019 baseline's typical rows", async () => {
  const dir = "/work/shared/acm_data/";
  const train = (await readCsvFile(dir + "GAS_TURBINE_BASELINE_DATA.csv")).frame;
  const batch = (await readCsvFile(dir + "GAS_TURBINE_BATCH_DATA.csv")).frame;
  const det = create(17);
  det.fit(train);
  const k = det.metrics!().k as number;
  assert.ok(k >= 2 && k <= 5, `k ${k}`);
  const trainMedian = quantile(det.score(train).outputs[""], 0.5);
  const batchMedian = quantile(det.score(batch).outputs[""], 0.5);
  assert.ok(batchMedian > trainMedian + 5, `batch median ${batchMedian} vs train ${trainMedian}`);
});
