import assert from "node:assert/strict";
import { formatTimestamp } from "../../../core/frame.ts";
import { runDemo } from "../../../core/synth/demo.ts";
import { formatDemoReport } from "../../../core/synth/demo_report.ts";
import type { ReplayOptions } from "../../../core/replay/replay.ts";
import type { ReplaySummary } from "../../../core/replay/summary.ts";

/**
 * A stand-in for replay(): checks the chunk layout the demo made, then writes an
 * episodes.csv per asset with one episode on the first fault of PUMP_A, one
 * false alarm on FAN_B, and nothing for TURBINE_C.
 */
function stubReplay(seen: ReplayOptions[]) {
  return async (o: ReplayOptions): Promise<ReplaySummary> => {
    seen.push(o);
    const truth = JSON.parse(await Deno.readTextFile(`${o.chunkRoot}/../data/faults.json`));
    const header =
      "episode_id,start,end,duration_s,peak_z,mean_z,severity,detector,culprits,regime\n";
    const assets = ["PUMP_A", "FAN_B", "TURBINE_C"];
    for (const a of assets) await Deno.mkdir(`${o.artifactRoot}/${a}`, { recursive: true });
    const f = truth.faults.find((x: { asset: string }) => x.asset === "PUMP_A");
    const start = formatTimestamp(Date.parse(`${f.start}Z`) + 3_600_000);
    await Deno.writeTextFile(
      `${o.artifactRoot}/PUMP_A/episodes.csv`,
      header + `1,${start},${f.end},3600,6,4,critical,pca_spe,${f.sensors[0]}:80%;OTHER:20%,0\n`,
    );
    await Deno.writeTextFile(
      `${o.artifactRoot}/FAN_B/episodes.csv`,
      header + "1,2024-03-04T10:00:00,2024-03-04T11:00:00,3600,4,3,warning,ar1,SPEED_RPM:100%,0\n",
    );
    await Deno.writeTextFile(`${o.artifactRoot}/PUMP_A/scores.csv`, "timestamp\n");
    return {
      runId: "x",
      dryRun: false,
      pipelineFile: o.pipeline,
      pipelineName: "stub",
      signature: "",
      overrides: [],
      chunkRoot: o.chunkRoot,
      artifactRoot: o.artifactRoot,
      assets: assets.map((asset) => ({
        asset,
        status: "ok",
        chunks: 5,
        done: 5,
        skipped: 0,
        failed: 0,
        blocked: 0,
        rows: 4032,
        modelVersions: [1],
        seconds: 1,
        failedChunk: null,
        error: null,
      })),
      warnings: [],
      exitCode: 0,
      started: "",
      seconds: 3,
      rows: 12096,
      rowsPerSecond: 4032,
      manifest: null,
    } as ReplaySummary;
  };
}

Deno.test("runDemo() generates, splits 7 + 2-day chunks, replays with 2 workers and matches faults", async () => {
  const out = await Deno.makeTempDir();
  try {
    const seen: ReplayOptions[] = [];
    const lines: string[] = [];
    const r = await runDemo({ out, replay: stubReplay(seen), print: (l) => lines.push(l) });
    assert.equal(seen.length, 1);
    assert.equal(seen[0].maxWorkers, 2);
    assert.match(seen[0].pipeline, /pipelines\/default\.yaml$/);
    assert.equal(seen[0].chunkRoot, `${out}/chunked`);
    // 14 days: 7-day training chunk, then 2 + 2 + 2 + 1 days.
    assert.deepEqual(r.chunks, { PUMP_A: 5, FAN_B: 5, TURBINE_C: 5 });
    const first = await Deno.readTextFile(`${out}/chunked/PUMP_A/batch_001.csv`);
    assert.equal(first.trimEnd().split("\n").length, 1 + 7 * 288);
    assert.equal(r.report.total, 6);
    assert.equal(r.report.found, 1);
    assert.equal(r.report.matches[0].culpritHit, true);
    assert.equal(r.report.falseAlarms.length, 1);
    assert.ok(r.outputs.PUMP_A[0].endsWith("/scores.csv"));
    const text = formatDemoReport(r).join("\n");
    assert.match(text, /injected faults: 1 of 6 found/);
    assert.match(
      text,
      /PUMP_A\s+bearing_wear\s+\S+ \S+ → \S+ \S+\s+yes \(1 ep\)\s+1h 00m\s+VIB_DE_MMS ✓/,
    );
    assert.match(text, /false alarms: 1 episode/);
    assert.match(text, /1 in the training chunk, 0 within 2 h of a planned stop/);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("runDemo() re-runs over its own folder but refuses a foreign non-empty folder", async () => {
  const out = await Deno.makeTempDir();
  try {
    const quiet = {
      print: () => {},
      fleet: { days: 4, trainDays: 2 },
      firstChunkDays: 2,
      chunkDays: 1,
    };
    await runDemo({ out, replay: stubReplay([]), ...quiet });
    await runDemo({ out, replay: stubReplay([]), ...quiet });
    const foreign = await Deno.makeTempDir();
    await Deno.writeTextFile(`${foreign}/thesis.tex`, "precious");
    await assert.rejects(
      () => runDemo({ out: foreign, replay: stubReplay([]), ...quiet }),
      /not made by acm demo/,
    );
    assert.equal(await Deno.readTextFile(`${foreign}/thesis.tex`), "precious");
    await Deno.remove(foreign, { recursive: true });
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
