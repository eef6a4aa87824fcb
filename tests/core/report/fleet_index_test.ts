import assert from "node:assert/strict";
import { readNumericCsv } from "../../../core/io/numeric_csv.ts";
import { alarmShare, healthTrend } from "../../../core/report/health_trend.ts";
import { fmt } from "../../../core/report/svg.ts";
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

Deno.test("writeFleetIndex() shows an asset FAILED when its latest run failed, even without outputs", async () => {
  const [root, cleanup] = await tempDir();
  try {
    await writeFakeAsset(`${root}/FD_FAN`, 120);
    await Deno.mkdir(`${root}/runs`);
    const run = (started: string, status: string, error: string | null) => ({
      format: "acm-run",
      started,
      assets: [
        { asset: "FD_FAN", status, error, failedChunk: error ? "FD_FAN_3.csv" : null },
      ],
    });
    await Deno.writeTextFile(
      `${root}/runs/a.json`,
      JSON.stringify(run("2026-01-01T00:00:00Z", "ok", null)),
    );
    await Deno.writeTextFile(
      `${root}/runs/b.json`,
      JSON.stringify(run("2026-01-02T00:00:00Z", "failed", "checkpoint hash differs")),
    );
    let html = await Deno.readTextFile(await writeFleetIndex(root));
    assert.match(html, /data-asset="FD_FAN" data-status="FAILED"/);
    assert.match(html, /FAILED — chunk FD_FAN_3\.csv: checkpoint hash differs/);
    assert.match(html, /run failed/);
    // A later successful run clears it.
    await Deno.writeTextFile(
      `${root}/runs/c.json`,
      JSON.stringify(run("2026-01-03T00:00:00Z", "ok", null)),
    );
    html = await Deno.readTextFile(await writeFleetIndex(root));
    assert.doesNotMatch(html, /data-status="FAILED"/);
    // The only asset failing in the run in progress, with no outputs at all: listed as FAILED.
    html = await Deno.readTextFile(
      await writeFleetIndex(root, {
        currentRun: {
          started: "2026-01-04T00:00:00Z",
          assets: [{ asset: "NEW", status: "failed", error: "no chunks", failedChunk: null }],
        },
      }),
    );
    assert.match(html, /data-asset="NEW" data-status="FAILED"/);
    assert.doesNotMatch(html, /No assets yet/);
  } finally {
    await cleanup();
  }
});

Deno.test("writeFleetIndex() draws a health sparkline, the time since the last episode and a fleet timeline", async () => {
  const [root, cleanup] = await tempDir();
  try {
    await writeFakeAsset(`${root}/FD_FAN`, 120);
    const html = await Deno.readTextFile(await writeFleetIndex(root));
    assert.match(
      html,
      /<svg class="spark"[^>]*aria-label="daily mean health, last 30 days: 7-day mean \d/,
    );
    assert.match(html, /7 d \d+\.\d · 30 d \d+\.\d/);
    // In alarm over the trend's window, as scores.csv has it.
    const scores = readNumericCsv(
      await Deno.readTextFile(`${root}/FD_FAN/scores.csv`),
      (s) => Date.parse(`${s}Z`),
    );
    const col = (name: string) => scores.values[scores.columns.indexOf(name)];
    const trend = healthTrend(scores.t, col("health"))!;
    const share = alarmShare(scores.t, col("alarm"), trend.day0);
    assert.ok(share > 0 && share < 1);
    assert.match(html, /<th>in alarm, 30 d<\/th>/);
    assert.ok(html.includes(`<td class="num">${fmt(100 * share, 2)} %</td>`));
    assert.match(html, /<section class="card" id="timeline">/);
    assert.match(html, /<title>FD_FAN #\d+ /);
  } finally {
    await cleanup();
  }
});
