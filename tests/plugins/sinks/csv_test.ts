import assert from "node:assert/strict";
import csvSink from "../../../plugins/sinks/csv.ts";
import { parseCsv } from "../../../core/io/csv_text.ts";
import { formatTimestamp } from "../../../core/frame.ts";
import {
  makeScoredChunks,
  sinkContext,
  snapshotDir,
  tempDir,
} from "../../_helpers/scored_chunk.ts";
import type { ScoredChunk } from "../../../core/plugin.ts";
import { roundSignificant } from "../../../core/io/round_significant.ts";
import { validatePipelineText } from "../../../core/pipeline/load.ts";

async function writeAll(assetDir: string, chunks: ScoredChunk[]): Promise<void> {
  const sink = csvSink.create({ write_sensors: true }, sinkContext("csv"));
  await sink.open?.({ asset: "FD_FAN", assetDir, artifactRoot: `${assetDir}/..` });
  for (const c of chunks) await sink.write(c);
  await sink.close?.();
}

/** The user-facing outputs only (part files are an implementation detail). */
async function outputs(dir: string): Promise<Record<string, string>> {
  const all = await snapshotDir(dir);
  return Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith(".parts/")));
}

Deno.test("csv sink writes the scores.csv and episodes.csv contract", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const chunks = makeScoredChunks({ chunks: 3, rowsPerChunk: 200 });
    await writeAll(`${dir}/FD_FAN`, chunks);
    const scores = parseCsv(await Deno.readTextFile(`${dir}/FD_FAN/scores.csv`));
    assert.deepEqual(scores[0], [
      "timestamp",
      "ar1_z",
      "gmm_z",
      "iforest_z",
      "pca_spe_z",
      "pca_t2_z",
      "fused",
      "alarm",
      "health",
      "regime",
      "envelope",
      "transient",
      "top_head",
      "culprit",
      "signature",
    ]);
    assert.equal(scores.length, 1 + 600);
    assert.equal(scores[1][0], "2020-01-01T00:00:00");
    // Full precision: every value reads back bit for bit.
    const c1 = chunks[1];
    const row = scores[1 + 200 + 17];
    assert.equal(row[0], formatTimestamp(c1.timestamps[17]));
    assert.equal(Number(row[1]), c1.heads.ar1[17]);
    assert.equal(Number(row[6]), c1.fused[17]);
    assert.equal(Number(row[8]), c1.health[17]);
    const episodes = parseCsv(await Deno.readTextFile(`${dir}/FD_FAN/episodes.csv`));
    assert.equal(
      episodes[0].join(","),
      "episode_id,start,end,duration_s,peak_z,mean_z,severity,detector,culprits,regime",
    );
    assert.equal(episodes.length, 3); // two faults → two episodes, each once
    assert.match(episodes[2][8], /^DEMO\.SIM\.06G31_1FD Fan Damper Position:45%;/);
    const sensors = parseCsv(await Deno.readTextFile(`${dir}/FD_FAN/sensors.csv`));
    assert.equal(sensors[0][1], "DEMO.SIM.06G31_1FD Fan Damper Position");
    assert.equal(sensors.length, 601);
    const quality = JSON.parse(await Deno.readTextFile(`${dir}/FD_FAN/data_quality.json`));
    assert.equal(quality.chunks.length, 3);
    assert.equal(quality.chunks[1].notes[0].kind, "duplicate-timestamps");
    const training = JSON.parse(await Deno.readTextFile(`${dir}/FD_FAN/training.json`));
    assert.deepEqual(
      training.versions["1"].trainRanges["DEMO.SIM.FSAA_1FD Fan Air Flow"],
      chunks[0].trainRanges["DEMO.SIM.FSAA_1FD Fan Air Flow"],
    );
  } finally {
    await cleanup();
  }
});

Deno.test("csv sink: an episode spanning a chunk edge is one row with its final state", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    // 3 × 100 rows; the fault covers rows 90–129, across the first chunk edge.
    const chunks = makeScoredChunks({
      chunks: 3,
      rowsPerChunk: 100,
      faults: [{ start: 90, end: 130, sensors: { "DEMO.SIM.FSAA_1FD Fan Air Flow": 1 }, peakZ: 9 }],
    });
    assert.ok(chunks[0].episodes.some((e) => e.open), "fixture: open at the first chunk's end");
    await writeAll(`${dir}/A`, chunks);
    const episodes = parseCsv(await Deno.readTextFile(`${dir}/A/episodes.csv`));
    assert.equal(episodes.length, 2);
    const closed = chunks[1].episodes.find((e) => e.id === 1)!;
    assert.equal(episodes[1][2], formatTimestamp(closed.end));
    const summary = JSON.parse(await Deno.readTextFile(`${dir}/A/summary.json`));
    assert.deepEqual(summary.openEpisodes, []);
  } finally {
    await cleanup();
  }
});

Deno.test("csv sink: re-writing chunks (again, or in another order) leaves identical files", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const chunks = makeScoredChunks({ chunks: 3, rowsPerChunk: 150 });
    await writeAll(`${dir}/A`, chunks);
    const first = await outputs(`${dir}/A`);
    await writeAll(`${dir}/A`, [chunks[1]]); // resume re-runs one chunk
    assert.deepEqual(await outputs(`${dir}/A`), first);
    await writeAll(`${dir}/B`, [chunks[2], chunks[0], chunks[1], chunks[2]]);
    assert.deepEqual(await outputs(`${dir}/B`), first);
  } finally {
    await cleanup();
  }
});

Deno.test("csv sink: a part without its manifest (crash mid-write) is not trusted", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const chunks = makeScoredChunks({ chunks: 2, rowsPerChunk: 100 });
    await writeAll(`${dir}/A`, [chunks[0]]);
    const before = await Deno.readTextFile(`${dir}/A/scores.csv`);
    // Simulate kill -9 after the second chunk's scores part but before its manifest.
    await writeAll(`${dir}/A`, [chunks[1]]);
    const parts = `${dir}/A/.parts/csv`;
    for await (const e of Deno.readDir(parts)) {
      if (e.name.startsWith("batch_002") && e.name.endsWith(".manifest.json")) {
        await Deno.remove(`${parts}/${e.name}`);
      }
    }
    await writeAll(`${dir}/A`, [chunks[0]]); // any later write rebuilds from committed parts
    assert.equal(await Deno.readTextFile(`${dir}/A/scores.csv`), before);
  } finally {
    await cleanup();
  }
});

Deno.test("csv sink: a torn or unrecorded append is detected and the file rebuilt from the parts", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const chunks = makeScoredChunks({ chunks: 3, rowsPerChunk: 120 });
    await writeAll(`${dir}/ref`, chunks);
    const want = await outputs(`${dir}/ref`);
    // Torn append: a partial line at the end of scores.csv, then the next chunk.
    await writeAll(`${dir}/torn`, chunks.slice(0, 2));
    await Deno.writeTextFile(`${dir}/torn/scores.csv`, "2024-01-0", { append: true });
    await writeAll(`${dir}/torn`, [chunks[2]]);
    assert.deepEqual(await outputs(`${dir}/torn`), want);
    // Killed after appending the last chunk but before recording it: resume re-writes it.
    await writeAll(`${dir}/kill`, chunks);
    const state = `${dir}/kill/.parts/csv/scores.csv.cumulative.json`;
    const recorded = JSON.parse(await Deno.readTextFile(state));
    await writeAll(`${dir}/kill2`, chunks.slice(0, 2));
    await Deno.copyFile(`${dir}/kill2/.parts/csv/scores.csv.cumulative.json`, state);
    assert.notDeepEqual(JSON.parse(await Deno.readTextFile(state)), recorded);
    await writeAll(`${dir}/kill`, [chunks[2]]);
    assert.deepEqual(await outputs(`${dir}/kill`), want);
  } finally {
    await cleanup();
  }
});

/** The chunks with full-precision traces of two sensors (what a condition head exports). */
function withTraces(chunks: ScoredChunk[]): ScoredChunk[] {
  return chunks.map((c) => {
    const n = c.timestamps.length;
    const expected = new Float64Array(2 * n), residual = new Float64Array(2 * n);
    for (let i = 0; i < 2 * n; i++) {
      expected[i] = 400 + Math.sin(i / 7) * 30 + i / 3;
      residual[i] = Math.cos(i / 5) / 3 - 1e-3 * i;
    }
    return { ...c, traces: { sensors: ["a", "b"], expected, residual } };
  });
}

Deno.test("csv sink expected_digits rounds expected.csv's values (default 7; 0 = full precision) and records it", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const chunks = withTraces(makeScoredChunks({ chunks: 1, rowsPerChunk: 120 }));
    const tr = chunks[0].traces!;
    for (const digits of [undefined, 0, 4]) {
      const assetDir = `${dir}/d${digits}`;
      const sink = csvSink.create({ write_sensors: false, expected_digits: digits }, sinkContext());
      await sink.open?.({ asset: "FD_FAN", assetDir, artifactRoot: dir });
      await sink.write(chunks[0]);
      const rows = parseCsv(await Deno.readTextFile(`${assetDir}/expected.csv`));
      assert.deepEqual(rows[0], [
        "timestamp",
        "a_expected",
        "a_residual",
        "b_expected",
        "b_residual",
      ]);
      const d = digits ?? 7;
      for (const i of [0, 1, 57, 119]) {
        assert.equal(Number(rows[1 + i][3]), roundSignificant(tr.expected[120 + i], d));
        assert.equal(Number(rows[1 + i][4]), roundSignificant(tr.residual[120 + i], d));
      }
      if (d > 0) {
        assert.ok(rows.slice(1).every((r) => r[1].replace(/[-.]|^0\.0*/g, "").length <= d));
      }
      const parts = await snapshotDir(`${assetDir}/.parts/csv`);
      const manifest = Object.entries(parts).find(([k]) => k.endsWith(".manifest.json"))![1];
      assert.equal(JSON.parse(manifest).expectedDigits, d);
    }
    // full precision reads back bit for bit
    const full = parseCsv(await Deno.readTextFile(`${dir}/d0/expected.csv`));
    assert.equal(Number(full[10][1]), tr.expected[9]);
  } finally {
    await cleanup();
  }
});

Deno.test("csv sink write_expected: false leaves expected.csv out and writes the rest unchanged", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const chunks = withTraces(makeScoredChunks({ chunks: 2, rowsPerChunk: 120 }));
    const written: Record<string, Record<string, string>> = {};
    for (const write_expected of [true, false]) {
      const assetDir = `${dir}/e${write_expected}`;
      const sink = csvSink.create({ write_sensors: false, write_expected }, sinkContext());
      await sink.open?.({ asset: "FD_FAN", assetDir, artifactRoot: dir });
      for (const c of chunks) await sink.write(c);
      written[String(write_expected)] = await outputs(assetDir);
    }
    assert.ok("expected.csv" in written.true);
    assert.ok(!("expected.csv" in written.false));
    const { ["expected.csv"]: _, ...rest } = written.true;
    assert.deepEqual(written.false, rest);
  } finally {
    await cleanup();
  }
});

Deno.test("csv sink expected_digits outside 0–17 is a pipeline error at its line", async () => {
  const file = new URL("../../../pipelines/default.yaml", import.meta.url).pathname;
  const text = await Deno.readTextFile(file);
  for (
    const [value, ok] of [["0", 1], ["17", 1], ["18", 0], ["-1", 0], ["2.5", 0]] as const
  ) {
    const yaml = text.replace(
      "  - id: csv\n    plugin: csv\n",
      `  - id: csv\n    plugin: csv\n    expected_digits: ${value}\n`,
    );
    assert.notEqual(yaml, text);
    const { diagnostics } = await validatePipelineText(yaml, file);
    const errors = diagnostics.filter((d) => d.severity === "error");
    if (ok) assert.deepEqual(errors, [], value);
    else {
      assert.equal(errors.length, 1, value);
      assert.match(errors[0].pointer ?? "", /expected_digits/);
      assert.ok((errors[0].line ?? 0) > 150);
    }
  }
});

/** The expected.csv parts of an asset: how many are files of their own, how many kept in expected.csv. */
async function expectedParts(assetDir: string): Promise<{ own: number; kept: number }> {
  let own = 0, kept = 0;
  for await (const e of Deno.readDir(`${assetDir}/.parts/csv`)) {
    if (e.name.endsWith(".expected.csv")) own++;
    if (e.name.endsWith(".expected.csv.ref.json")) kept++;
  }
  return { own, kept };
}

Deno.test("csv sink keeps each chunk's expected.csv part only in expected.csv, and rebuilds from those ranges", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const chunks = withTraces(makeScoredChunks({ chunks: 4, rowsPerChunk: 120 }));
    await writeAll(`${dir}/A`, chunks);
    const want = await outputs(`${dir}/A`);
    assert.deepEqual(await expectedParts(`${dir}/A`), { own: 0, kept: 4 });
    // Out of order and re-written chunks rebuild expected.csv from the kept ranges,
    // then keep them again in the rebuilt file.
    await writeAll(`${dir}/B`, [chunks[3], chunks[0], chunks[2], chunks[1], chunks[2]]);
    assert.deepEqual(await outputs(`${dir}/B`), want);
    assert.deepEqual(await expectedParts(`${dir}/B`), { own: 0, kept: 4 });
    // A resume re-running the last chunk after it was appended and kept.
    await writeAll(`${dir}/A`, [chunks[3]]);
    assert.deepEqual(await outputs(`${dir}/A`), want);
    assert.deepEqual(await expectedParts(`${dir}/A`), { own: 0, kept: 4 });
    // A torn append to expected.csv: the next chunk rebuilds it from the ranges before it.
    await writeAll(`${dir}/C`, chunks.slice(0, 3));
    await Deno.writeTextFile(`${dir}/C/expected.csv`, "2024-01-0", { append: true });
    await writeAll(`${dir}/C`, [chunks[3]]);
    assert.deepEqual(await outputs(`${dir}/C`), want);
  } finally {
    await cleanup();
  }
});

Deno.test("csv sink: an expected.csv changed outside acm fails the next rebuild with what to do, not silently", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const chunks = withTraces(makeScoredChunks({ chunks: 3, rowsPerChunk: 100 }));
    await writeAll(`${dir}/A`, chunks.slice(0, 2));
    const path = `${dir}/A/expected.csv`;
    const text = await Deno.readTextFile(path);
    // One digit changed in the first chunk's rows (same length: the append check cannot see it).
    const at = text.indexOf("\n") + 30;
    const digit = text[at] === "1" ? "2" : "1";
    await Deno.writeTextFile(path, text.slice(0, at) + digit + text.slice(at + 1));
    // Re-writing the first chunk replaces its damaged rows; the second one's range is intact.
    await writeAll(`${dir}/A`, [chunks[0]]);
    assert.equal(await Deno.readTextFile(path), text);
    // Both are kept in the rebuilt file again; damage the second one's rows.
    const rebuilt = await Deno.readTextFile(path);
    await Deno.writeTextFile(path, rebuilt.slice(0, -20) + "x".repeat(19) + "\n");
    await assert.rejects(
      () => writeAll(`${dir}/A`, [chunks[0]]),
      /Cannot rebuild ".*expected\.csv": the rows of chunk "batch_002" were kept only in it, and bytes \d+–\d+ no longer hold them[\s\S]*hint: .*--clear-cache/,
    );
    await Deno.remove(path);
    await assert.rejects(() => writeAll(`${dir}/A`, [chunks[2]]), /it no longer exists/);
  } finally {
    await cleanup();
  }
});
