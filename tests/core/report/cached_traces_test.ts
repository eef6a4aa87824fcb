import assert from "node:assert/strict";
import { generateFleet, writeFleetCsv } from "../../../core/synth/fleet.ts";
import { splitFiles } from "../../../core/replay/split.ts";
import { replay } from "../../../core/replay/replay.ts";
import { writeAssetReport } from "../../../core/report/asset_report.ts";
import { readAssetOutputs } from "../../../core/report/read_outputs.ts";
import { tracesFromCache } from "../../../core/report/cached_traces.ts";
import { writeCsvChunk } from "../../../core/io/csv_outputs.ts";
import { parseCsv } from "../../../core/io/csv_text.ts";
import { makeScoredChunks } from "../../_helpers/scored_chunk.ts";

const DEFAULT = new URL("../../../pipelines/default.yaml", import.meta.url).pathname;

Deno.test("report sink: the report drawn from the traces it was handed equals the one drawn from expected.csv", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_cached_traces_" });
  try {
    const fleet = generateFleet({ assets: 1, days: 6, cadenceS: 900, trainDays: 3 });
    const files = await writeFleetCsv(fleet, `${dir}/data`);
    const asset = fleet.assets[0].name;
    await splitFiles({
      inputs: [files.csv[asset]],
      output: `${dir}/chunks/${asset}`,
      firstChunkDays: 2,
      chunkDays: 2,
    });
    const s = await replay({
      pipeline: DEFAULT,
      chunkRoot: `${dir}/chunks`,
      artifactRoot: `${dir}/art`,
    });
    assert.equal(s.exitCode, 0);
    const assetDir = `${dir}/art/${asset}`;
    const fromSink = await Deno.readTextFile(`${assetDir}/report.html`);
    // what the file says, parsed back, is what a cache of the scored traces gives
    const fromFile = await readAssetOutputs(assetDir);
    assert.ok(fromFile.expected && Object.keys(fromFile.expected.expected).length > 0);
    await writeAssetReport(assetDir); // no cache: expected.csv parsed
    assert.equal(await Deno.readTextFile(`${assetDir}/report.html`), fromSink);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tracesFromCache() declines when a recorded chunk is missing or its rows differ", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_cached_traces_" });
  try {
    const traces = { sensors: ["a"], expected: new Float64Array(2), residual: new Float64Array(2) };
    assert.equal(
      await tracesFromCache(dir, new Map([["c1", { t: new Float64Array(2), traces }]])),
      null,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tracesFromCache() rounds each chunk to the digits its csv part recorded, as expected.csv reads back", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_cached_traces_" });
  try {
    const chunks = makeScoredChunks({ chunks: 2, rowsPerChunk: 50 }).map((c, k) => {
      const n = c.timestamps.length;
      const expected = new Float64Array(n), residual = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        expected[i] = 100 / (i + 3) + k;
        residual[i] = -Math.sqrt(i + 0.5) / 7;
      }
      return { ...c, traces: { sensors: ["a"], expected, residual } };
    });
    await writeCsvChunk(dir, chunks[0], { expectedDigits: 0 });
    await writeCsvChunk(dir, chunks[1], { expectedDigits: 3 });
    const cache = new Map(chunks.map((c) => [c.chunk, { t: c.timestamps, traces: c.traces }]));
    const got = await tracesFromCache(dir, cache);
    assert.ok(got);
    const rows = parseCsv(await Deno.readTextFile(`${dir}/expected.csv`)).slice(1);
    assert.equal(rows.length, 100);
    assert.deepEqual(Array.from(got.expected.a), rows.map((r) => Number(r[1])));
    assert.deepEqual(Array.from(got.residual.a), rows.map((r) => Number(r[2])));
    assert.equal(got.expected.a[0], 100 / 3); // full precision
    assert.equal(got.expected.a[50], 34.3); // 3 digits
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
