/**
 * Regression of pipelines/acm_v8.yaml (the V8 ensemble, the default before issue 11) on the real ACM sample data (skipped when
 * /work/shared/acm_data is absent): replayed as `acm replay` does (first chunk
 * fits, every chunk scored with the stream carried), the GAS_TURBINE Jan-2020
 * bearing-1 radial vibration rise must be an episode naming B1RADVIBX/Y, and the
 * FD_FAN batch's fan-off start must stay quiet on a model fitted on the baseline.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { loadPipeline } from "../../core/pipeline/load.ts";
import { fitModel } from "../../core/engine/fit.ts";
import { createScorer } from "../../core/engine/score.ts";
import { ACM_DATA, benchGasTurbine, hasAcmData, readFrame } from "../../bench/acm_accuracy.ts";

const present = await hasAcmData();
const V8_PIPELINE = fileURLToPath(new URL("../../pipelines/acm_v8.yaml", import.meta.url));
const JAN_2020 = Date.UTC(2020, 0, 1);

Deno.test({
  name:
    "acm_v8 pipeline flags the GAS_TURBINE Jan-2020 rise with B1RADVIBX/Y among the top culprits",
  ignore: !present,
  async fn() {
    const pipeline = await loadPipeline(V8_PIPELINE);
    const { jan } = await benchGasTurbine(pipeline, ACM_DATA);
    assert.ok(jan.length > 0, "no episode in January 2020");
    const named = jan.filter((e) =>
      e.culprits.slice(0, 3).some((c) => c.sensor === "B1RADVIBX" || c.sensor === "B1RADVIBY")
    );
    const hours = (es: typeof jan) => es.reduce((s, e) => s + (e.end - e.start) / 3_600_000, 0);
    assert.ok(
      hours(named) >= 0.5 * hours(jan),
      `B1RADVIBX/Y lead only ${hours(named).toFixed(0)} of ${
        hours(jan).toFixed(0)
      } Jan-2020 episode hours`,
    );
    assert.ok(jan.every((e) => e.end >= JAN_2020));
  },
});

Deno.test({
  name: "acm_v8 pipeline raises no episode over the FD_FAN batch's fan-off start",
  ignore: !present,
  async fn() {
    const pipeline = await loadPipeline(V8_PIPELINE);
    const baseline = await readFrame(`${ACM_DATA}/FD_FAN_BASELINE_DATA.csv`);
    const batch = await readFrame(`${ACM_DATA}/FD_FAN_BATCH_DATA.csv`);
    const current = batch.columns.findIndex((c) => /Motor Current/.test(c));
    assert.ok(current >= 0, "FD_FAN batch has no motor current column");
    // The fan-off period: the batch's first rows up to the first row with current > 5 A.
    const col = batch.values.subarray(current * batch.rows, (current + 1) * batch.rows);
    const firstOn = col.findIndex((v) => v > 5);
    assert.ok(firstOn > 12, `the batch does not start with the fan off (first on row ${firstOn})`);
    const offEnd = batch.timestamps[firstOn];
    // Fit on the baseline, score the batch as its own chunk (the two files overlap by 12 rows
    // and disagree there: the baseline has the fan running, the batch has it off).
    const model = await fitModel(pipeline, baseline);
    const scorer = await createScorer(pipeline, model);
    const { chunk } = await scorer.score(batch, null, {
      asset: "FD_FAN",
      chunk: "batch",
      modelVersion: 1,
    });
    const during = chunk.episodes.filter((e) => e.start < offEnd);
    assert.deepEqual(
      during.map((e) => `${new Date(e.start).toISOString()} peak ${e.peak_z.toFixed(1)}`),
      [],
    );
  },
});
