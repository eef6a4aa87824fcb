import assert from "node:assert/strict";
import plugin from "../../../plugins/detectors/pca.ts";
import { memoryLogger } from "../../../core/log.ts";
import { readCsvFile } from "../../../core/source/csv_reader.ts";
import { quantile } from "../../../core/numeric/stats.ts";
import { selectColumns } from "../../../core/frame.ts";
import {
  assertSameScores,
  checkMetadata,
  checkRoundTrip,
  create,
  data,
  meanOf,
} from "./_contract_a.ts";

Deno.test("pca plugin metadata follows the plugin contract", () => checkMetadata(plugin));

Deno.test("pca score() gives finite spe and t2 per row, spe higher on the injected anomaly", () => {
  const log = memoryLogger();
  const det = create(plugin, {}, 17, log);
  det.fit(data(1, false));
  const frame = data(2, true);
  const { outputs, contributions } = det.score(frame);
  assert.deepEqual(det.outputs, ["spe", "t2"]);
  for (const k of ["spe", "t2"]) {
    assert.equal(outputs[k].length, frame.rows);
    assert.ok(outputs[k].every(Number.isFinite), k);
    assert.equal(contributions![k].length, frame.rows * frame.columns.length);
  }
  assert.ok(meanOf(outputs.spe, 900, 910) > 10 * meanOf(outputs.spe, 0, 900));
  // culprit: column b (index 1) carries the largest SPE contribution in the anomaly
  const c = contributions!.spe, n = frame.rows;
  const colSum = (j: number) => meanOf(c.subarray(j * n, (j + 1) * n), 900, 910);
  assert.ok(colSum(1) > colSum(0) && colSum(1) > colSum(2) && colSum(1) > colSum(3));
  assert.equal(colSum(4), 0, "constant column e is dropped: no contribution");
  assert.ok(log.events.some((e) => /1 constant or empty column/.test(e.message)));
});

Deno.test("pca metrics() report components, explained variance, the dropped column and control limits", () => {
  const det = create(plugin, { alpha: 0.95 });
  const train = data(1, false);
  det.fit(train);
  const m = det.metrics!();
  assert.equal(m.variables, 4);
  assert.equal(m.dropped, "e");
  assert.ok((m.components as number) >= 1 && (m.components as number) <= 3);
  assert.ok((m.explained_variance as number) >= 0.9);
  assert.equal(m.spe_limit_method, "jackson_mudholkar");
  // ~5 % of training rows exceed a 95 % limit
  const s = det.score(train).outputs;
  const over = s.t2.filter((v) => v > (m.t2_limit as number)).length / train.rows;
  const overQ = s.spe.filter((v) => v > (m.spe_limit as number)).length / train.rows;
  assert.ok(over > 0.02 && over < 0.09, `T² exceedance ${over}`);
  assert.ok(overQ > 0.01 && overQ < 0.12, `SPE exceedance ${overQ}`);
});

Deno.test("pca n_components fixes k; NaN inputs are imputed (finite scores)", () => {
  const det = create(plugin, { n_components: 1 });
  det.fit(data(1, false));
  assert.equal(det.metrics!().components, 1);
  const f = data(3, false);
  f.values.fill(NaN, 10, 20);
  assert.ok(det.score(f).outputs.spe.every(Number.isFinite));
});

Deno.test("pca save → load scores bit-identically; same seed → same scores", () => {
  checkRoundTrip(plugin);
  const a = create(plugin), b = create(plugin);
  a.fit(data(1, false));
  b.fit(data(1, false));
  assertSameScores(a.score(data(2, true)).outputs, b.score(data(2, true)).outputs);
});

Deno.test("pca works on the FD_FAN sample: batch SPE mostly within the training range", async () => {
  const dir = new URL("../../../../shared/acm_data/", import.meta.url).pathname;
  const train = (await readCsvFile(dir + "FD_FAN_BASELINE_DATA.csv")).frame;
  const batch = (await readCsvFile(dir + "FD_FAN_BATCH_DATA.csv")).frame;
  const det = create(plugin);
  det.fit(train);
  const tr = det.score(train).outputs.spe;
  const s = det.score(selectColumns(batch, batch.columns.map((_, j) => j))).outputs;
  assert.ok(s.spe.every(Number.isFinite) && s.t2.every(Number.isFinite));
  assert.equal(s.spe.length, batch.rows);
  assert.ok(quantile(s.spe, 0.5) < 5 * quantile(tr, 0.99), "the median batch row is not extreme");
});
