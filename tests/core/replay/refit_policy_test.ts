import assert from "node:assert/strict";
import { decideRefit, type ModelFacts } from "../../../core/replay/refit_policy.ts";
import type { ModelOptions } from "../../../core/pipeline/stage_schemas.ts";

const options: ModelOptions = {
  keep_versions: 5,
  refit_every_chunks: 0,
  max_age_days: 0,
  incremental: false,
  max_missing_sensor_fraction: 0.25,
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
    decide({ chunk: { ...chunk, columns: ["a", "b", "c", "d", "e", "f"] } }).reason!,
    /sensor list changed: added "f"/,
  );
  assert.match(
    decide({ chunk: { ...chunk, columns: ["a", "b", "c", "d"] } }).reason!,
    /removed "e"/,
  );
  assert.match(
    decide({ chunk: { ...chunk, allNaN: ["a", "b"] } }).reason!,
    /quality degradation: 2\/4 model sensors missing or all-NaN .* > max_missing_sensor_fraction 0\.25/,
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

Deno.test("decideRefit() tolerates missing sensors up to the fraction and an unknown start time", () => {
  assert.equal(decide({ chunk: { ...chunk, allNaN: ["a"] } }).retrain, false);
  assert.equal(
    decide({ chunk: { columns: chunk.columns }, options: { ...options, max_age_days: 0.5 } })
      .retrain,
    false,
  );
  // An excluded training column ("e") that is all-NaN now is not a model sensor: no retrain.
  assert.equal(decide({ chunk: { ...chunk, allNaN: ["e"] } }).retrain, false);
});
