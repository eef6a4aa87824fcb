import assert from "node:assert/strict";
import jsonlSink from "../../../plugins/sinks/jsonl.ts";
import { makeScoredChunks, sinkContext, tempDir } from "../../_helpers/scored_chunk.ts";
import type { ScoredChunk } from "../../../core/plugin.ts";

async function writeAll(assetDir: string, chunks: ScoredChunk[]): Promise<void> {
  const sink = jsonlSink.create({}, sinkContext("jsonl"));
  await sink.open?.({ asset: "A", assetDir, artifactRoot: `${assetDir}/..` });
  for (const c of chunks) await sink.write(c);
}

Deno.test("jsonl sink writes one object per row at full precision, NaN as null", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const chunks = makeScoredChunks({ chunks: 2, rowsPerChunk: 120 });
    chunks[0].heads.ar1[3] = NaN;
    await writeAll(`${dir}/A`, chunks);
    const lines = (await Deno.readTextFile(`${dir}/A/scores.jsonl`)).trimEnd().split("\n");
    assert.equal(lines.length, 240);
    const row = JSON.parse(lines[130]);
    assert.equal(row.timestamp, "2020-01-03T17:00:00");
    assert.equal(row.fused, chunks[1].fused[10]);
    assert.equal(row.heads.pca_t2, chunks[1].heads.pca_t2[10]);
    assert.equal(JSON.parse(lines[3]).heads.ar1, null);
    const episodes = (await Deno.readTextFile(`${dir}/A/episodes.jsonl`)).trimEnd().split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(episodes.map((e) => e.episode_id), [1, 2]);
    assert.equal(episodes[0].culprits[0].sensor, "DEMO.SIM.06T32-1_1FD Fan Bearing Temperature");
  } finally {
    await cleanup();
  }
});

Deno.test("jsonl sink: re-writing a chunk replaces its rows", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const chunks = makeScoredChunks({ chunks: 3, rowsPerChunk: 80 });
    await writeAll(`${dir}/A`, chunks);
    const scores = await Deno.readTextFile(`${dir}/A/scores.jsonl`);
    const episodes = await Deno.readTextFile(`${dir}/A/episodes.jsonl`);
    await writeAll(`${dir}/A`, [chunks[0], chunks[2]]);
    assert.equal(await Deno.readTextFile(`${dir}/A/scores.jsonl`), scores);
    assert.equal(await Deno.readTextFile(`${dir}/A/episodes.jsonl`), episodes);
  } finally {
    await cleanup();
  }
});

Deno.test("jsonl sink: appends in-order chunks, and rebuilds after a torn append or out of order", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const chunks = makeScoredChunks({ chunks: 3, rowsPerChunk: 60 });
    await writeAll(`${dir}/ref`, [chunks[2], chunks[0], chunks[1]]); // out of order: rebuilds
    const want = await Deno.readTextFile(`${dir}/ref/scores.jsonl`);
    await writeAll(`${dir}/A`, chunks.slice(0, 2)); // in order: the second is appended
    await Deno.writeTextFile(`${dir}/A/scores.jsonl`, '{"timest', { append: true });
    await writeAll(`${dir}/A`, [chunks[2]]);
    assert.equal(await Deno.readTextFile(`${dir}/A/scores.jsonl`), want);
  } finally {
    await cleanup();
  }
});
