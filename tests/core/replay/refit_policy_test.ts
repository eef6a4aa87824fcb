import assert from "node:assert/strict";
import { decideRefit, type ModelFacts, sensorCoverage } from "../../../core/replay/refit_policy.ts";
import type { ModelOptions } from "../../../core/pipeline/stage_schemas.ts";

const options: ModelOptions = {
  keep_versions: 5,
  refit_every_chunks: 0,
  max_age_days: 0,
  incremental: false,
  update_max_z: 2,
  max_missing_sensor_fraction: 0.25,
  retrain_on_new_sensors: false,
};
const model: ModelFacts = {
  version: 3,
  signature: "abc",
  sensors: ["a", "b", "c", "d"],
  trainedColumns: ["a", "b", "c", "d", "e"],
  trainEnd: 0,
};
const chunk = { columns: ["a", "b", "c", "d", "e"], allNaN: [] as string[], start: 86_400_000 };
const decide = (over: Partial<Parameters<typeof decideRefit>[0]>) =>
  decideRefit({ model, signature: "abc", chunk, chunksSinceFit: 1, options, ...over });

Deno.test("decideRefit() scores with the current model when nothing changed", () => {
  assert.deepEqual(decide({}), { retrain: false, reason: null });
});

Deno.test("decideRefit() names each retrain trigger", () => {
  assert.match(decide({ model: null }).reason!, /^no model yet$/);
  assert.match(decide({ signature: "xyz" }).reason!, /pipeline signature changed \(abc → xyz\)/);
  assert.match(
    decide({
      chunk: { ...chunk, columns: ["a", "b", "c", "d", "e", "f"] },
      options: { ...options, retrain_on_new_sensors: true },
    }).reason!,
    /new sensors "f" \(retrain_on_new_sensors\)/,
  );
  assert.match(
    decide({ options: { ...options, refit_every_chunks: 1 } }).reason!,
    /refit policy: 1 chunk\(s\) scored since v3/,
  );
  assert.match(
    decide({ options: { ...options, max_age_days: 0.5 } }).reason!,
    /1\.0 days old in chunk time/,
  );
});

Deno.test("decideRefit() never retrains for a missing, all-NaN or added sensor unless told to", () => {
  const same = { retrain: false, reason: null };
  assert.deepEqual(decide({ chunk: { ...chunk, allNaN: ["a"] } }), same);
  assert.deepEqual(decide({ chunk: { ...chunk, allNaN: ["a", "b", "c"] } }), same);
  assert.deepEqual(decide({ chunk: { ...chunk, columns: ["a", "b", "c"] } }), same);
  assert.deepEqual(decide({ chunk: { ...chunk, columns: [...chunk.columns, "f"] } }), same);
});

Deno.test("sensorCoverage() names unmonitored and unmodelled sensors and the degraded share", () => {
  assert.deepEqual(
    sensorCoverage(model, { columns: ["a", "c", "d", "e", "f"], allNaN: ["c"] }, 0.25),
    {
      unmonitored: ["b", "c"],
      unmodelled: ["f"],
      degraded: true,
    },
  );
  assert.equal(sensorCoverage(model, { ...chunk, allNaN: ["a"] }, 0.25).degraded, false);
});

Deno.test("decideRefit() tolerates an unknown start time", () => {
  assert.equal(
    decide({ chunk: { columns: chunk.columns }, options: { ...options, max_age_days: 0.5 } })
      .retrain,
    false,
  );
  // An excluded training column ("e") that is all-NaN now is not a model sensor: no retrain.
  assert.equal(decide({ chunk: { ...chunk, allNaN: ["e"] } }).retrain, false);
});
