import assert from "node:assert/strict";
import plugin from "../../../plugins/detectors/omr.ts";
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
