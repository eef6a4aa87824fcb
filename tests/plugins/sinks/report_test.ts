import assert from "node:assert/strict";
import reportSink from "../../../plugins/sinks/report.ts";
import csvSink from "../../../plugins/sinks/csv.ts";
import { makeScoredChunks, sinkContext, tempDir } from "../../_helpers/scored_chunk.ts";

Deno.test("report sink writes <asset>/report.html at close() from the csv sink's outputs", async () => {
  const [root, cleanup] = await tempDir();
  try {
    const target = { asset: "FD_FAN", assetDir: `${root}/FD_FAN`, artifactRoot: root };
    const csv = csvSink.create({ write_sensors: true }, sinkContext("csv"));
    const report = reportSink.create(
      { top_episodes: 1, traces_per_episode: 2 },
      sinkContext("report"),
    );
    for (const s of [csv, report]) await s.open?.(target);
    for (const c of makeScoredChunks({ chunks: 2, rowsPerChunk: 200 })) {
      for (const s of [csv, report]) await s.write(c);
    }
    for (const s of [csv, report]) await s.close?.();
    const html = await Deno.readTextFile(`${root}/FD_FAN/report.html`);
    assert.match(html, /<h1>FD_FAN /);
    assert.equal((html.match(/class="chart trace-chart"/g) ?? []).length, 2); // 1 episode × 2 sensors
  } finally {
    await cleanup();
  }
});

Deno.test("report sink without the csv sink fails naming scores.csv and the fix", async () => {
  const [root, cleanup] = await tempDir();
  try {
    const report = reportSink.create(
      { top_episodes: 3, traces_per_episode: 3 },
      sinkContext("report"),
    );
    await report.open?.({ asset: "A", assetDir: `${root}/A`, artifactRoot: root });
    await report.close?.(); // nothing written, nothing stored: quietly nothing to do
    await report.write(makeScoredChunks({ chunks: 1, rowsPerChunk: 10 })[0]);
    await assert.rejects(
      () => report.close!(),
      /scores\.csv" does not exist[\s\S]*add the csv sink/,
    );
  } finally {
    await cleanup();
  }
});
