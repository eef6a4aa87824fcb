import assert from "node:assert/strict";
import { cadenceNote, stepText } from "../../../core/engine/cadence_note.ts";
import { loadPipeline } from "../../../core/pipeline/load.ts";
import { fitModel } from "../../../core/engine/fit.ts";
import { createScorer } from "../../../core/engine/score.ts";
import { makeFrame } from "../../../core/frame.ts";

const MIN = 60_000;
const every = (stepMs: number, n = 20) => Float64Array.from({ length: n }, (_, i) => i * stepMs);

Deno.test("cadenceNote: a chunk sampled 3× as often as training is noted with both steps", () => {
  const note = cadenceNote(30 * MIN, every(10 * MIN), { on_hold_rows: 10 });
  assert.ok(note);
  assert.equal(note.kind, "cadence");
  assert.equal(note.count, 20);
  assert.match(
    note.message,
    /every 10 min here, every 30 min in the training data \(3× as often\)/,
  );
  assert.match(note.message, /on_hold_rows 10 = 5 h in training, 1\.7 h here/);
  assert.match(note.message, /sooner and more often/);
  assert.match(note.message, /Resample the data to the training step, or retrain/);
});

Deno.test("cadenceNote: a slower chunk is noted too", () => {
  const note = cadenceNote(MIN, every(5 * MIN), { on_hold_rows: 10 });
  assert.match(
    note!.message,
    /every 5 min here, every 1 min in the training data \(5× as seldom\)/,
  );
  assert.match(note!.message, /later and more seldom/);
});

Deno.test("cadenceNote: none within 1.5× of the training step, for unknown steps or < 2 rows", () => {
  assert.equal(cadenceNote(MIN, every(1.5 * MIN), { on_hold_rows: 3 }), null);
  assert.equal(cadenceNote(1.5 * MIN, every(MIN), { on_hold_rows: 3 }), null);
  assert.equal(cadenceNote(undefined, every(10 * MIN), { on_hold_rows: 3 }), null);
  assert.equal(cadenceNote(NaN, every(10 * MIN), { on_hold_rows: 3 }), null);
  assert.equal(cadenceNote(MIN, every(10 * MIN, 1), { on_hold_rows: 3 }), null);
  // One long gap in an otherwise regular chunk does not move the median.
  const t = every(MIN);
  for (let i = 10; i < t.length; i++) t[i] += 86_400_000;
  assert.equal(cadenceNote(MIN, t, { on_hold_rows: 3 }), null);
});

Deno.test("stepText: seconds, minutes, hours", () => {
  assert.equal(stepText(1000), "1 s");
  assert.equal(stepText(30 * MIN), "30 min");
  assert.equal(stepText(60 * MIN), "1 h");
  assert.equal(stepText(90 * MIN), "1.5 h");
});

Deno.test("a scorer notes a chunk sampled at another step than its training data", async () => {
  const plant = (rows: number, stepMs: number) => {
    const values = new Float64Array(rows * 2), timestamps = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      timestamps[i] = Date.UTC(2025, 0, 1) + i * stepMs;
      const load = Math.sin(i / 50) + 0.01 * ((i * 7919) % 13);
      values[i] = load;
      values[rows + i] = 2 * load + 0.02 * ((i * 104729) % 17);
    }
    return makeFrame({ columns: ["a", "b"], values, timestamps });
  };
  const pipeline = await loadPipeline(
    new URL("../../fixtures/pipelines/incremental.yaml", import.meta.url).pathname,
  );
  const model = await fitModel(pipeline, plant(2000, MIN));
  assert.equal(model.train.step, MIN);
  const scorer = await createScorer(pipeline, model);
  const same = await scorer.score(plant(300, MIN), null, {
    asset: "A",
    chunk: "c1",
    modelVersion: 1,
  });
  assert.ok(!same.chunk.notes.some((n) => n.kind === "cadence"));
  const slow = await scorer.score(plant(300, 5 * MIN), null, {
    asset: "A",
    chunk: "c2",
    modelVersion: 1,
  });
  const note = slow.chunk.notes.find((n) => n.kind === "cadence");
  assert.match(note!.message, /every 5 min here, every 1 min in the training data/);
});
