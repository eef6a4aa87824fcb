import assert from "node:assert/strict";
import type { FittedModel } from "../../../core/engine/types.ts";
import {
  listVersions,
  loadModel,
  pruneVersions,
  removeVersionsAbove,
  saveModel,
} from "../../../core/replay/model_store.ts";
import { loadPipeline } from "../../../core/pipeline/load.ts";
import { fitModel } from "../../../core/engine/fit.ts";
import { createScorer } from "../../../core/engine/score.ts";
import { fileURLToPath } from "node:url";

const SHARED = "/work/shared/acm_data/chunked/GAS_TURBINE";
const hasShared = await Deno.stat(SHARED).then(() => true, () => false);

function tinyModel(tag: number): FittedModel {
  return {
    signature: "sig" + tag,
    seed: 7,
    sensors: ["a", "b"],
    sensorHealth: [{ sensor: "a", status: "ok" }, { sensor: "b", status: "ok" }, {
      sensor: "c",
      status: "excluded",
      reason: "all NaN",
    }],
    features: { roll: ["a_mean", "b_mean"] },
    heads: ["x"],
    plugins: { x: { plugin: "pca", version: "1.0.0" } },
    train: { rows: 10, start: 0, end: 3_600_000, hash: "h" },
    metrics: { x: { k: 2 } },
    detectors: {
      x: { plugin: "pca", version: "1.0.0", data: { w: Float64Array.of(tag, NaN, -0) } },
    },
    engine: { medians: Float64Array.of(1, 2), labels: Int32Array.of(-1, 3) },
  };
}

Deno.test("saveModel() writes numbered versions with a manifest; loadModel() reads them back exactly", async () => {
  const dir = await Deno.makeTempDir();
  const m1 = await saveModel(dir, tinyModel(1), {
    asset: "A",
    reason: "bootstrap: no model yet",
    chunk: "b1.csv",
    parent: null,
  });
  const m2 = await saveModel(dir, tinyModel(2), {
    asset: "A",
    reason: "incremental update",
    chunk: "b2.csv",
    parent: 1,
  });
  assert.deepEqual([m1.version, m2.version], [1, 2]);
  assert.deepEqual(await listVersions(dir), [1, 2]);
  const latest = (await loadModel(dir))!;
  assert.equal(latest.manifest.version, 2);
  assert.equal(latest.manifest.parent_version, 1);
  assert.equal(latest.manifest.train.end, "1970-01-01T01:00:00");
  const w = (latest.model.detectors.x.data as { w: Float64Array }).w;
  assert.ok(w instanceof Float64Array && w[0] === 2 && Number.isNaN(w[1]) && Object.is(w[2], -0));
  assert.ok(latest.model.engine.labels instanceof Int32Array);
  assert.equal((await loadModel(dir, 1))!.model.signature, "sig1");
  assert.equal(await loadModel(await Deno.makeTempDir()), null);
});

Deno.test("loadModel() refuses a state file that does not match its manifest", async () => {
  const dir = await Deno.makeTempDir();
  await saveModel(dir, tinyModel(1), { asset: "A", reason: "r", chunk: "c", parent: null });
  const file = `${dir}/models/v1/state.bin`;
  const bytes = await Deno.readFile(file);
  bytes[bytes.length - 40] ^= 0xff;
  await Deno.writeFile(file, bytes);
  await assert.rejects(
    () => loadModel(dir),
    /Cannot load model v1: .* does not match its manifest hash/,
  );
});

Deno.test("pruneVersions() keeps the newest and protected versions; removeVersionsAbove() drops leftovers", async () => {
  const dir = await Deno.makeTempDir();
  for (let i = 1; i <= 5; i++) {
    await saveModel(dir, tinyModel(i), { asset: "A", reason: "r", chunk: "c", parent: null });
  }
  assert.deepEqual(await pruneVersions(dir, 2, [1]), [2, 3]);
  assert.deepEqual(await listVersions(dir), [1, 4, 5]);
  assert.deepEqual(await removeVersionsAbove(dir, 4), [5]);
  assert.deepEqual(await listVersions(dir), [1, 4]);
  const next = await saveModel(dir, tinyModel(9), {
    asset: "A",
    reason: "r",
    chunk: "c",
    parent: 4,
  });
  assert.equal(next.version, 5);
});

Deno.test({
  name:
    "a model saved and reloaded through the store scores exactly like the fitted one, head by head",
  ignore: !hasShared,
  async fn() {
    const pipeline = await loadPipeline(
      fileURLToPath(new URL("../../../pipelines/acm_v8.yaml", import.meta.url)),
    );
    const source = pipeline.source.plugin.create(pipeline.source.options as never, {
      nodeId: "raw",
      log: undefined as never,
      rng: undefined as never,
      seed: 1,
      fail: (m: string) => {
        throw new Error(m);
      },
    });
    const train = (await source.read(`${SHARED}/Gas Turbine_batch_1.csv`)).frame;
    const test = (await source.read(`${SHARED}/Gas Turbine_batch_4.csv`)).frame;
    const fitted = await fitModel(pipeline, train);
    const dir = await Deno.makeTempDir();
    await saveModel(dir, fitted, { asset: "GT", reason: "bootstrap", chunk: "b1", parent: null });
    const reloaded = (await loadModel(dir))!.model;
    const meta = { asset: "GT", chunk: "b4", modelVersion: 1 };
    const a = await (await createScorer(pipeline, fitted)).score(test, null, meta);
    const b = await (await createScorer(pipeline, reloaded)).score(test, null, meta);
    assert.ok(fitted.heads.length >= 3);
    for (const head of fitted.heads) {
      const x = a.chunk.heads[head], y = b.chunk.heads[head];
      assert.ok(x.length === test.rows, head);
      assert.deepEqual(
        new Uint8Array(y.buffer, y.byteOffset, y.byteLength),
        new Uint8Array(x.buffer, x.byteOffset, x.byteLength),
        `head ${head}`,
      );
    }
    assert.deepEqual(Array.from(b.chunk.fused), Array.from(a.chunk.fused));
    assert.deepEqual(Array.from(b.chunk.regime), Array.from(a.chunk.regime));
    assert.deepEqual(b.chunk.episodes, a.chunk.episodes);
  },
});
