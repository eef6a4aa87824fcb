import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { type Frame, makeFrame, sliceRows } from "../../../core/frame.ts";
import { createRng } from "../../../core/rng.ts";
import { loadPipeline } from "../../../core/pipeline/load.ts";
import { fitModel } from "../../../core/engine/fit.ts";
import { createScorer } from "../../../core/engine/score.ts";
import { decodeState, encodeState } from "../../../core/state_codec.ts";
import type { FittedModel } from "../../../core/engine/types.ts";
import type { StateValue } from "../../../core/plugin.ts";

const PIPELINE = new URL("../../fixtures/pipelines/engine.yaml", import.meta.url).pathname;

/** Four correlated sensors driven by a load signal with two operating levels; a fault from `faultAt` on. */
function plant(rows: number, seed: number, faultAt = Infinity): Frame {
  const rng = createRng(seed);
  const cols = ["load", "current", "temp", "vib"];
  const values = new Float64Array(rows * cols.length);
  for (let i = 0; i < rows; i++) {
    const load = (Math.floor(i / 150) % 2 === 0 ? 40 : 80) + rng.normal();
    const fault = i >= faultAt ? 6 : 0;
    values[i] = load;
    values[rows + i] = 0.5 * load + 0.3 * rng.normal();
    values[2 * rows + i] = 30 + 0.2 * load + 0.3 * rng.normal() + fault;
    values[3 * rows + i] = 1 + 0.01 * load + 0.05 * rng.normal();
  }
  const timestamps = Float64Array.from(
    { length: rows },
    (_, i) => Date.UTC(2024, 0, 1) + i * 60_000,
  );
  return makeFrame({ columns: cols, values, timestamps });
}

Deno.test("fitModel() fits every head and calibrates the training data to low z", async () => {
  const p = await loadPipeline(PIPELINE);
  const model = await fitModel(p, plant(900, 1));
  deepStrictEqual(model.heads, ["pca_spe", "pca_t2", "mahalanobis", "omr", "iforest", "gmm"]);
  deepStrictEqual(model.sensors, ["load", "current", "temp", "vib"]);
  const scorer = await createScorer(p, model);
  const { chunk } = await scorer.score(plant(900, 2), null, {
    asset: "A",
    chunk: "c1",
    modelVersion: 1,
  });
  const alarmed = chunk.alarm.reduce((s, a) => s + a, 0);
  ok(alarmed < 20, `normal data raises few alarm rows (${alarmed})`);
});

Deno.test("createScorer().score() flags a sensor fault and names the faulty sensor first", async () => {
  const p = await loadPipeline(PIPELINE);
  const model = await fitModel(p, plant(900, 1));
  const scorer = await createScorer(p, model);
  const { chunk } = await scorer.score(plant(600, 3, 300), null, {
    asset: "A",
    chunk: "c",
    modelVersion: 1,
  });
  ok(chunk.alarm.slice(320).reduce((s, a) => s + a, 0) > 250, "the fault rows are in alarm");
  const ep = chunk.episodes.find((e) => e.start >= chunk.timestamps[290]);
  ok(ep, "an episode opens at the fault");
  strictEqual(ep.culprits[0].sensor, "temp");
});

Deno.test("score() gives the same fused z and episodes whether a chunk is scored whole or in parts", async () => {
  const p = await loadPipeline(PIPELINE);
  const model = await fitModel(p, plant(900, 1));
  const scorer = await createScorer(p, model);
  const data = plant(700, 4, 400);
  const meta = { asset: "A", chunk: "x", modelVersion: 1 };
  const whole = (await scorer.score(data, null, meta)).chunk;
  const first = await scorer.score(sliceRows(data, 0, 333), null, meta);
  const second = await scorer.score(sliceRows(data, 333, 700), first.stream, meta);
  const fused = [...first.chunk.fused, ...second.chunk.fused];
  fused.forEach((v, i) =>
    ok(Math.abs(v - whole.fused[i]) < 1e-9, `row ${i}: ${v} vs ${whole.fused[i]}`)
  );
  const parts = new Map([...first.chunk.episodes, ...second.chunk.episodes].map((e) => [e.id, e]));
  deepStrictEqual([...parts.values()], whole.episodes);
});

Deno.test("a model encoded to bytes and decoded scores exactly like the fitted one", async () => {
  const p = await loadPipeline(PIPELINE);
  const model = await fitModel(p, plant(900, 1));
  const restored = decodeState(
    encodeState(model as unknown as StateValue),
  ) as unknown as FittedModel;
  const data = plant(300, 9, 150);
  const meta = { asset: "A", chunk: "x", modelVersion: 1 };
  const a = (await (await createScorer(p, model)).score(data, null, meta)).chunk;
  const b = (await (await createScorer(p, restored)).score(data, null, meta)).chunk;
  for (const head of model.heads) deepStrictEqual(b.heads[head], a.heads[head], `head ${head}`);
  deepStrictEqual(b.fused, a.fused);
  deepStrictEqual(b.episodes, a.episodes);
});

Deno.test("fitModel() is deterministic: same data and seed give identical bytes", async () => {
  const p = await loadPipeline(PIPELINE);
  const a = encodeState((await fitModel(p, plant(500, 1))) as unknown as StateValue);
  const b = encodeState((await fitModel(p, plant(500, 1))) as unknown as StateValue);
  deepStrictEqual(a, b);
});

Deno.test("fitModel() scores the training rows of calibrated heads only, not of a limit-scaled one", async () => {
  const p = await loadPipeline(PIPELINE, {
    overrides: [
      'detectors=[{"id":"condition","plugin":"condition","inputs":["raw"]},{"id":"pca","plugin":"pca","inputs":["raw"]}]',
      'fusion={"id":"fused","plugin":"max_z","inputs":["condition","pca"]}',
    ],
  });
  const seconds: Record<string, number> = {};
  const model = await fitModel(p, plant(900, 1), { timings: { seconds } });
  ok("fit:condition" in seconds && "fit:pca" in seconds, Object.keys(seconds).join(", "));
  const scoredTraining = (id: string) =>
    `trainscore:${id}` in seconds || `crossfit:${id}` in seconds;
  ok(scoredTraining("pca"), "the PCA heads are calibrated on their training scores");
  ok(!scoredTraining("condition"), "the condition head (z = on_z × S/h) is not scored");
  deepStrictEqual(model.heads, ["condition", "pca_spe", "pca_t2"]);
  const { chunk } = await (await createScorer(p, model)).score(plant(900, 2), null, {
    asset: "A",
    chunk: "c1",
    modelVersion: 1,
  });
  strictEqual(chunk.alarm.length, 900);
});
