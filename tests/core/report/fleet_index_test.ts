import assert from "node:assert/strict";
import { writeCsvChunk } from "../../../core/io/csv_outputs.ts";
import { writeAssetReport } from "../../../core/report/asset_report.ts";
import { writeFleetIndex } from "../../../core/report/fleet_index.ts";
import { makeScoredChunks, tempDir, writeFakeAsset } from "../../_helpers/scored_chunk.ts";

Deno.test("writeFleetIndex() ranks assets worst first and links to their reports", async () => {
  const [root, cleanup] = await tempDir();
  try {
    await writeFakeAsset(`${root}/FD FAN`, 120); // open critical episode → ALERT
    for (
      const c of makeScoredChunks({
        asset: "GAS_TURBINE",
        chunks: 2,
        rowsPerChunk: 100,
        faults: [],
      })
    ) {
      await writeCsvChunk(`${root}/GAS_TURBINE`, c);
    }
    await Deno.mkdir(`${root}/EMPTY`); // no outputs → not listed
    await writeAssetReport(`${root}/FD FAN`);
    const path = await writeFleetIndex(root);
    assert.equal(path, `${root}/index.html`);
    const html = await Deno.readTextFile(path);
    const order = [...html.matchAll(/<tr data-asset="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(order, ["FD FAN", "GAS_TURBINE"], html.slice(html.indexOf("<table")));
    assert.match(html, /<a href="FD%20FAN\/report\.html">FD FAN<\/a>/);
    assert.doesNotMatch(html, /EMPTY/);
    assert.match(html, /GOOD — no episodes from 2020-01-01 00:00/);
  } finally {
    await cleanup();
  }
});
