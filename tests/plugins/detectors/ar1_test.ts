import assert from "node:assert/strict";
import plugin from "../../../plugins/detectors/ar1.ts";
import { selectByName } from "../../../core/frame.ts";
import {
  assertSameScores,
  checkMetadata,
  checkRoundTrip,
  create,
  data,
  meanOf,
} from "./_contract_a.ts";

Deno.test("ar1 plugin metadata follows the plugin contract", () => checkMetadata(plugin));

Deno.test("ar1 score() is finite per row, higher on the injected jump, contributions name b", () => {
  const det = create(plugin);
  det.fit(data(1, false));
  const frame = data(2, true);
  const { outputs, contributions } = det.score(frame);
  const s = outputs[""];
  assert.equal(s.length, frame.rows);
  assert.ok(s.every(Number.isFinite));
  assert.ok(meanOf(s, 900, 910) > 2 * meanOf(s, 0, 900));
  const c = contributions![""], n = frame.rows;
  assert.ok(c[n + 900] > c[900] && c[n + 900] > c[2 * n + 900]);
  let sum = 0;
  for (let j = 0; j < 5; j++) sum += c[j * n + 900];
  assert.ok(Math.abs(sum - s[900]) < 1e-12, "contributions sum to the score");
  assert.equal(det.metrics!().constant_columns, 1);
});

Deno.test("ar1 aggregate max ≥ p95 ≥ … and NaN rows still give finite scores", () => {
  const frame = data(2, true);
  frame.values.fill(NaN, 0, frame.rows); // column a all NaN
  const scores = ["mean", "max", "p95"].map((aggregate) => {
    const det = create(plugin, { aggregate });
    det.fit(data(1, false));
    return det.score(frame).outputs[""];
  });
  for (const s of scores) assert.ok(s.every(Number.isFinite));
  for (let i = 0; i < frame.rows; i++) assert.ok(scores[1][i] >= scores[2][i] - 1e-12);
});

Deno.test("ar1 score() aligns columns by name (reordered / missing columns)", () => {
  const det = create(plugin);
  det.fit(data(1, false));
  const full = det.score(data(2, true)).outputs[""];
  const reordered = selectByName(data(2, true), ["e", "d", "c", "b", "a"]);
  assertSameScores({ s: full }, { s: det.score(reordered).outputs[""] });
  assert.ok(det.score(selectByName(data(2, true), ["a", "b"])).outputs[""].every(Number.isFinite));
});

Deno.test("ar1 update() merges new statistics and changes μ toward the new data", () => {
  const det = create(plugin);
  det.fit(data(1, false));
  const shifted = data(5, false);
  for (let i = 0; i < shifted.rows; i++) shifted.values[3 * shifted.rows + i] += 2; // d moves by +2
  const before = meanOf(det.score(shifted).outputs[""]);
  det.update!(shifted);
  const after = meanOf(det.score(shifted).outputs[""]);
  assert.ok(after < before, `${after} < ${before}`);
  assert.equal(det.metrics!().training_values, 4 * 2000 + 1 * 2000);
});

Deno.test("ar1 save → load scores bit-identically (also after update); same seed → same scores", () => {
  checkRoundTrip(plugin);
  checkRoundTrip(plugin, { aggregate: "p95" });
  const a = create(plugin), b = create(plugin);
  a.fit(data(1, false));
  b.fit(data(1, false));
  a.update!(data(3, false));
  b.load(a.save());
  assertSameScores(a.score(data(2, true)).outputs, b.score(data(2, true)).outputs);
});
