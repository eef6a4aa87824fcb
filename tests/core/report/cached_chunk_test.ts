import assert from "node:assert/strict";
import { cacheChunk, scoresFromCache } from "../../../core/report/cached_chunk.ts";
import { readAssetOutputs } from "../../../core/report/read_outputs.ts";
import { readSourceSensors } from "../../../core/report/source_sensors.ts";
import { renderAssetReport } from "../../../core/report/asset_report.ts";
import { type CsvManifest, writeCsvChunk } from "../../../core/io/csv_outputs.ts";
import { PartStore } from "../../../core/io/part_store.ts";
import { makeScoredChunks } from "../../_helpers/scored_chunk.ts";
import type { ScoredChunk } from "../../../core/plugin.ts";

/** Chunks with the values that do not read back trivially: −0, NaN, signatures. */
function awkwardChunks(): ScoredChunk[] {
  return makeScoredChunks({ chunks: 2, rowsPerChunk: 60 }).map((c, k) => {
    const n = c.timestamps.length;
    const heads = Object.keys(c.heads);
    c.heads[heads[0]][3] = -0;
    c.heads[heads[0]][4] = NaN;
    c.fused[5] = 1 / 3 + k;
    c.health[6] = NaN;
    c.regime[7] = -1;
    const sensor = new Int32Array(n).fill(-1), test = new Int32Array(n).fill(-1);
    sensor[8] = 1;
    test[8] = 0;
    sensor[9] = 0;
    return {
      ...c,
      signature: { sensors: ["a", "b"], tests: ["mean_up", "variance_down"], sensor, test },
    };
  });
}

Deno.test("scoresFromCache() gives what scores.csv reads back as", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_cached_chunk_" });
  try {
    const chunks = awkwardChunks();
    for (const c of chunks) await writeCsvChunk(dir, c);
    const cache = new Map(chunks.map((c) => [c.chunk, cacheChunk(c)]));
    const manifests = await new PartStore<CsvManifest>(`${dir}/.parts/csv`).manifests();
    const got = scoresFromCache(manifests, cache);
    assert.ok(got);
    const file = await readAssetOutputs(dir);
    const viaCache = await readAssetOutputs(dir, { traces: cache });
    for (const k of ["t", "fused", "alarm", "health", "regime", "envelope", "transient"] as const) {
      assert.deepEqual(Array.from(got[k]), Array.from(file[k]), k);
      assert.ok(Object.is(got.fused[0], file.fused[0]));
    }
    assert.deepEqual(Object.keys(got.heads), Object.keys(file.heads));
    for (const h of Object.keys(file.heads)) {
      // Object.is: −0 must read +0, as the text does
      assert.ok(Array.from(got.heads[h]).every((v, i) => Object.is(v, file.heads[h][i])), h);
    }
    assert.deepEqual(got.signature, file.signature);
    assert.deepEqual(got.culprit, file.culprit);
    assert.equal(got.culprit[8], "b");
    assert.equal(renderAssetReport(viaCache), renderAssetReport(file));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("scoresFromCache() declines a missing chunk, other heads, ±Infinity or a name that would be quoted", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_cached_chunk_" });
  try {
    const chunks = awkwardChunks();
    for (const c of chunks) await writeCsvChunk(dir, c);
    const manifests = await new PartStore<CsvManifest>(`${dir}/.parts/csv`).manifests();
    const cache = () => new Map(chunks.map((c) => [c.chunk, cacheChunk(c)]));
    assert.ok(scoresFromCache(manifests, cache()));
    const one = cache();
    one.delete(chunks[1].chunk);
    assert.equal(scoresFromCache(manifests, one), null);
    const inf = cache();
    inf.get(chunks[1].chunk)!.scores!.fused[2] = Infinity;
    assert.equal(scoresFromCache(manifests, inf), null);
    const quoted = cache();
    quoted.get(chunks[0].chunk)!.scores!.sensors[0] = "a,b";
    assert.equal(scoresFromCache(manifests, quoted), null);
    const heads = cache();
    heads.get(chunks[1].chunk)!.scores!.heads.pop();
    assert.equal(scoresFromCache(manifests, heads), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readSourceSensors() takes raw values from the cache only when they are as read", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_cached_chunk_" });
  try {
    const chunks = makeScoredChunks({ chunks: 1, rowsPerChunk: 20 }).map((c) => ({
      ...c,
      source: { path: `${dir}/gone.csv`, plugin: "csv", options: {} },
    }));
    await writeCsvChunk(dir, chunks[0]);
    // the chunk file is gone: without the cache nothing can be read back
    assert.equal(await readSourceSensors(dir), null);
    const cache = new Map([[chunks[0].chunk, cacheChunk(chunks[0])]]);
    const got = await readSourceSensors(dir, cache);
    assert.ok(got);
    const raw = chunks[0].raw;
    assert.deepEqual(got.columns, [...raw.columns]);
    assert.deepEqual(
      Array.from(got.values[raw.columns[0]]),
      Array.from(raw.values.subarray(0, 20)),
    );
    // values the engine masked are not the file's: the file is read (here: gone, so left out)
    const masked = cacheChunk({
      ...chunks[0],
      notes: [{ kind: "out_of_range", column: raw.columns[0], count: 1, message: "" }],
    });
    assert.equal(await readSourceSensors(dir, new Map([[chunks[0].chunk, masked]])), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
