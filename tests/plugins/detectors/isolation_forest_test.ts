import assert from "node:assert/strict";
import { Ajv2020 } from "ajv";
import plugin, {
  type IsolationForestDetectorOptions,
} from "../../../plugins/detectors/isolation_forest.ts";
import { type Frame, makeFrame, selectByName } from "../../../core/frame.ts";
import type { PluginState, StateValue } from "../../../core/plugin.ts";
import { pluginContext } from "../../../core/engine/context.ts";
import { silentLogger } from "../../../core/log.ts";
import { decodeState, encodeState } from "../../../core/state_codec.ts";
import { createRng } from "../../../core/rng.ts";
import { quantile } from "../../../core/numeric/stats.ts";
import { readCsvFile } from "../../../core/source/csv_reader.ts";

function options(extra: Record<string, unknown> = {}): IsolationForestDetectorOptions {
  const ajv = new Ajv2020({ strict: true, strictTypes: false, useDefaults: true });
  const o = structuredClone(extra);
  assert.ok(ajv.compile(plugin.options)(o), "options validate");
  return o as unknown as IsolationForestDetectorOptions;
}

function create(seed = 17, extra: Record<string, unknown> = {}) {
  return plugin.create(options(extra), pluginContext("iforest", plugin.name, seed, silentLogger));
}

/** 1,000 rows × 4 columns (a, b correlated); rows 900..909 of the score frame jump on "c" and "d". */
function data(seed: number, anomaly: boolean): Frame {
  const rng = createRng(seed), n = 1000, cols = ["a", "b", "c", "d"];
  const values = new Float64Array(n * 4);
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    values[i] = z;
    values[n + i] = 0.8 * z + 0.6 * rng.normal();
    values[2 * n + i] = rng.normal() + (anomaly && i >= 900 && i < 910 ? 6 : 0);
    values[3 * n + i] = 10 + rng.normal() + (anomaly && i >= 900 && i < 910 ? 5 : 0);
  }
  const timestamps = Float64Array.from({ length: n }, (_, i) => i * 60_000);
  return makeFrame({ columns: cols, values, timestamps });
}

Deno.test("isolation_forest plugin metadata follows the plugin contract", () => {
  assert.equal(plugin.kind, "detector");
  assert.equal(plugin.host_api, "^1.0.0");
  assert.equal(plugin.options.additionalProperties, false);
  const props = plugin.options.properties as Record<string, Record<string, unknown>>;
  for (const [key, p] of Object.entries(props)) {
    assert.match(key, /^[a-z][a-z0-9_]*$/);
    assert.ok(typeof p.description === "string" && p.description.length > 10, key);
    assert.ok("default" in p, key);
  }
  const ajv = new Ajv2020({ strict: true, strictTypes: false });
  const validate = ajv.compile(plugin.options);
  for (const ex of plugin.options.examples as unknown[]) assert.ok(validate(ex));
  assert.ok(!validate({ n_trees: 0 }));
  assert.ok(!validate({ trees: 10 }));
});

Deno.test("isolation_forest score() gives one finite score per row, higher on injected anomalies", () => {
  const det = create();
  det.fit(data(1, false));
  const { outputs, contributions } = det.score(data(2, true));
  const s = outputs[""];
  assert.equal(s.length, 1000);
  assert.ok(s.every((v) => Number.isFinite(v) && v > 0 && v <= 1));
  const normal = quantile(s.subarray(0, 900), 0.95);
  for (let i = 900; i < 910; i++) assert.ok(s[i] > normal, `row ${i}: ${s[i]} ≤ p95 ${normal}`);
  // Columns "c" and "d" carry most of the anomaly rows' contributions.
  const c = contributions![""];
  assert.equal(c.length, 4000);
  let onC = 0, total = 0;
  for (let i = 900; i < 910; i++) {
    for (let j = 0; j < 4; j++) total += c[j * 1000 + i];
    onC += c[2 * 1000 + i] + c[3 * 1000 + i];
  }
  assert.ok(onC > 0.75 * total, `share on c, d: ${onC / total}`);
});

Deno.test("isolation_forest gives identical scores for the same seed, others for another seed", () => {
  const train = data(3, false), test = data(4, true);
  const [a, b, c] = [create(5), create(5), create(6)];
  [a, b, c].forEach((d) => d.fit(train));
  assert.deepEqual(a.score(test).outputs[""], b.score(test).outputs[""]);
  assert.notDeepEqual(a.score(test).outputs[""], c.score(test).outputs[""]);
});

Deno.test("isolation_forest save() → encode → decode → load() scores bit-identically", () => {
  const det = create(7, { bootstrap: true, max_features: 0.75 });
  det.fit(data(5, false));
  const test = data(6, true);
  const before = det.score(test);
  const restored = create(99);
  const saved = det.save();
  const bytes = encodeState(saved as unknown as StateValue);
  restored.load(decodeState(bytes) as unknown as PluginState);
  const after = restored.score(test);
  assert.deepEqual(after.outputs[""], before.outputs[""]);
  assert.deepEqual(after.contributions![""], before.contributions![""]);
  assert.deepEqual(restored.metrics!(), det.metrics!());
});

Deno.test("isolation_forest score() follows columns by name when their order changes", () => {
  const det = create();
  det.fit(data(8, false));
  const test = data(9, true);
  const shuffled = selectByName(test, ["d", "c", "a", "b"]);
  const a = det.score(test), b = det.score(shuffled);
  assert.deepEqual(b.outputs[""], a.outputs[""]);
  const n = test.rows;
  assert.deepEqual(
    b.contributions![""].subarray(n, 2 * n),
    a.contributions![""].subarray(2 * n, 3 * n),
  );
});

Deno.test("isolation_forest score() fails through ctx before fit, load() rejects another plugin's state", () => {
  const det = create();
  assert.throws(() => det.score(data(1, false)), /not fitted/);
  assert.throws(
    () => det.load({ plugin: "pca", version: "1.0.0", data: {} }),
    /belongs to plugin "pca"/,
  );
});

Deno.test("isolation_forest flags the FD_FAN batch's fan-off rows against the baseline", async () => {
  const dir = "/work/shared/acm_data/";
  const train = (await readCsvFile(dir + "FD_FAN_BASELINE_DATA.csv")).frame;
  const batch = (await readCsvFile(dir + "FD_FAN_BATCH_DATA.csv")).frame;
  const det = create(17, { contributions: false });
  det.fit(train);
  const trainScores = det.score(train).outputs[""];
  const s = det.score(batch).outputs[""];
  const current = batch.columns.findIndex((c) => c.includes("Motor Current"));
  const p99 = quantile(trainScores, 0.99);
  let off = 0, offHigh = 0;
  for (let i = 0; i < batch.rows; i++) {
    if (batch.values[current * batch.rows + i] < 1) {
      off++;
      if (s[i] > p99) offHigh++;
    }
  }
  assert.ok(off > 1000, `${off} fan-off rows`);
  assert.ok(offHigh / off > 0.95, `${offHigh}/${off} fan-off rows above the training p99 ${p99}`);
});
