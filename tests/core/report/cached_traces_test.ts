import assert from "node:assert/strict";
import { generateFleet, writeFleetCsv } from "../../../core/synth/fleet.ts";
import { splitFiles } from "../../../core/replay/split.ts";
import { replay } from "../../../core/replay/replay.ts";
import { writeAssetReport } from "../../../core/report/asset_report.ts";
import { readAssetOutputs } from "../../../core/report/read_outputs.ts";
import { tracesFromCache } from "../../../core/report/cached_traces.ts";

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
