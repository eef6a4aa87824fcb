/**
 * runAsset() through replay() on a real pipeline (csv source, default engine, csv + sqlite +
 * report sinks): what happens to the reader's notes, to a chunk that overlaps the previous one,
 * and to a chunk with a missing or dead sensor.
 */
import assert from "node:assert/strict";
import { replay } from "../../../core/replay/replay.ts";
import { generateFleet, writeFleetCsv } from "../../../core/synth/fleet.ts";
import { splitFiles } from "../../../core/replay/split.ts";
import { dumpTable, openStore } from "../../../core/store/sqlite_store.ts";
import { type Ledger, LEDGER_FILE } from "../../../core/replay/ledger.ts";
import type { ReplayEvent } from "../../../core/replay/events.ts";
import type { ChunkQuality } from "../../../core/io/chunk_summary.ts";
import { coveredHours, formatHours } from "../../../core/replay/asset_runner.ts";

const DEFAULT = new URL("../../../pipelines/default.yaml", import.meta.url).pathname;

/** One pump cut into four 2-day chunks of 192 rows, and the default pipeline with all sinks. */
async function setup() {
  const dir = await Deno.makeTempDir({ prefix: "acm_runner_" });
  const fleet = generateFleet({ assets: 1, days: 8, cadenceS: 900, trainDays: 4 });
  const files = await writeFleetCsv(fleet, `${dir}/data`);
  const asset = fleet.assets[0].name;
  await splitFiles({
    inputs: [files.csv[asset]],
    output: `${dir}/chunks/${asset}`,
    firstChunkDays: 2,
    chunkDays: 2,
  });
  const yaml = (await Deno.readTextFile(DEFAULT)).replace(
    /\nsinks:\n[\s\S]*$/,
    "\nsinks:\n  - { id: csv, plugin: csv }\n  - { id: store, plugin: sqlite }\n" +
      "  - { id: report, plugin: report }\n",
  );
  await Deno.writeTextFile(`${dir}/pipeline.yaml`, yaml);
  const chunk = (k: number) => `${dir}/chunks/${asset}/batch_00${k}.csv`;
  return {
    dir,
    asset,
    chunk,
    art: `${dir}/art`,
    opts: {
      pipeline: `${dir}/pipeline.yaml`,
      chunkRoot: `${dir}/chunks`,
      artifactRoot: `${dir}/art`,
    },
  };
}

/** Rewrites a chunk file line by line (line 1 = header). */
async function edit(path: string, f: (lines: string[]) => string[]) {
  const lines = (await Deno.readTextFile(path)).trimEnd().split("\n");
  await Deno.writeTextFile(path, f(lines).join("\n") + "\n");
}

/** Sets field `col` (0 = timestamp) of file line `line` (1-based). */
const setCell = (line: number, col: number, value: string) => (lines: string[]) => {
  const f = lines[line - 1].split(",");
  f[col] = value;
  lines[line - 1] = f.join(",");
  return lines;
};

const readQuality = async (art: string, asset: string) =>
  (JSON.parse(await Deno.readTextFile(`${art}/${asset}/data_quality.json`)) as {
    chunks: ChunkQuality[];
  }).chunks;

const readLedger = async (art: string) =>
  JSON.parse(await Deno.readTextFile(`${art}/${LEDGER_FILE}`)) as Ledger;

function storeRows(art: string, table: string): Record<string, unknown>[] {
  const store = openStore(`${art}/acm.sqlite`);
  try {
    return dumpTable(store, table) as Record<string, unknown>[];
  } finally {
    store.db.close();
  }
}

Deno.test("runAsset() sends every reader note to data_quality.json, SQLite, the report and the console", async () => {
  const t = await setup();
  // Chunk 2: one "ERR" cell, one NULL cell, the first 3 rows repeated, and zoned timestamps.
  await edit(t.chunk(2), (lines) => {
    setCell(10, 2, "ERR")(lines);
    setCell(40, 5, "NULL")(lines);
    const out = lines.map((l, i) => (i === 0 ? l : l.replace(/^([^,]+)/, "$1Z")));
    return [...out, ...out.slice(1, 4)];
  });
  const events: ReplayEvent[] = [];
  const s = await replay({ ...t.opts, onEvent: (e) => events.push(e) });
  assert.equal(s.exitCode, 0, JSON.stringify(s.assets));
  // One bad cell does not drop its sensor, so nothing retrains.
  assert.deepEqual(s.assets[0].modelVersions, [1]);
  const quality = await readQuality(t.art, t.asset);
  const q2 = quality.find((q) => q.chunk === "batch_002.csv")!;
  const kinds = q2.notes.map((n) => n.kind);
  for (const k of ["non-numeric-cells", "duplicates", "timezone-stripped"]) {
    assert.ok(kinds.includes(k), `${k} missing from data_quality.json: ${kinds}`);
  }
  const bad = q2.notes.filter((n) => n.kind === "non-numeric-cells");
  assert.deepEqual(bad.map((n) => [n.count, n.line]).sort(), [[1, 10], [1, 40]]);
  assert.equal(q2.notes.find((n) => n.kind === "duplicates")!.count, 3);
  const stored = storeRows(t.art, "data_notes").filter((r) => r.chunk === "batch_002.csv");
  assert.deepEqual(stored.map((r) => r.kind).sort(), [...kinds].sort());
  const html = await Deno.readTextFile(`${t.art}/${t.asset}/report.html`);
  assert.match(html, /&quot;ERR&quot; at line 10|"ERR" at line 10/);
  const logs = events.filter((e) => e.type === "log").map((e) =>
    (e as { message: string }).message
  );
  assert.ok(logs.some((m) => /batch_002\.csv: .*"ERR" at line 10/.test(m)), logs.join("\n"));
  assert.ok(logs.some((m) => /batch_002\.csv: 3 rows share a timestamp/.test(m)));
  assert.ok(s.warnings.some((w) => /"ERR" at line 10/.test(w)));
  assert.equal(
    s.assets[0].notes,
    q2.notes.length + quality.filter((q) => q !== q2)
      .reduce((n, q) => n + q.notes.length, 0),
  );
  await Deno.remove(t.dir, { recursive: true });
});

Deno.test("runAsset() refuses a chunk that overlaps the previous one, and every sink keeps the same rows", async () => {
  const t = await setup();
  // Chunk 3 starts with the last 20 rows of chunk 2.
  const tail = (await Deno.readTextFile(t.chunk(2))).trimEnd().split("\n").slice(-20);
  await edit(t.chunk(3), (lines) => [lines[0], ...tail, ...lines.slice(1)]);
  const s = await replay(t.opts);
  assert.equal(s.exitCode, 1);
  const a = s.assets[0];
  assert.equal(a.failedChunk, "batch_003.csv");
  assert.match(a.error!, /batch_003\.csv:2: Cannot score chunk: 20 rows .* overlap/);
  assert.match(a.error!, /batch_002\.csv/);
  const csvRows = (await Deno.readTextFile(`${t.art}/${t.asset}/scores.csv`)).trim().split("\n")
    .length - 1;
  assert.equal(csvRows, 2 * 192);
  assert.equal(storeRows(t.art, "scores").length, csvRows);
  await Deno.remove(t.dir, { recursive: true });
});

Deno.test("runAsset() refuses a chunk that lies wholly before the previous one", async () => {
  const t = await setup();
  const c2 = await Deno.readTextFile(t.chunk(2));
  await Deno.writeTextFile(t.chunk(2), await Deno.readTextFile(t.chunk(3)));
  await Deno.writeTextFile(t.chunk(3), c2);
  const s = await replay(t.opts);
  assert.equal(s.assets[0].failedChunk, "batch_003.csv");
  assert.match(s.assets[0].error!, /goes back in time|before the end of/);
  await Deno.remove(t.dir, { recursive: true });
});

Deno.test("runAsset() scores a chunk with a missing or all-NaN sensor on the others, without retraining", async () => {
  const t = await setup();
  // Chunk 2: sensor column 5 dropped from the file; chunk 3: sensor column 3 all "ERR".
  await edit(
    t.chunk(2),
    (lines) => lines.map((l) => l.split(",").filter((_, j) => j !== 5).join(",")),
  );
  let name3 = "";
  await edit(t.chunk(3), (lines) =>
    lines.map((l, i) => {
      const f = l.split(",");
      if (i === 0) name3 = f[3];
      else f[3] = "ERR";
      return f.join(",");
    }));
  const s = await replay(t.opts);
  assert.equal(s.exitCode, 0, JSON.stringify(s.assets));
  assert.deepEqual(s.assets[0].modelVersions, [1]);
  const modes = (await readLedger(t.art)).assets[t.asset].chunks.map((e) => e.mode);
  assert.deepEqual(modes, ["bootstrap", "score", "score", "score"]);
  const quality = await readQuality(t.art, t.asset);
  for (const chunk of ["batch_002.csv", "batch_003.csv"]) {
    const q = quality.find((x) => x.chunk === chunk)!;
    const note = q.notes.find((n) => n.kind === "unmonitored");
    assert.ok(note, `${chunk}: ${JSON.stringify(q.notes)}`);
    assert.equal(note.count, 1);
  }
  assert.match(
    quality.find((x) => x.chunk === "batch_003.csv")!.notes.find((n) => n.kind === "unmonitored")!
      .message,
    new RegExp(`"${name3}"`),
  );
  await Deno.remove(t.dir, { recursive: true });
});

Deno.test("coveredHours() counts one sampling step past the last row; formatHours() never rounds up to a threshold", () => {
  const minutes = Float64Array.from({ length: 1440 }, (_, i) => i * 60_000);
  assert.equal(coveredHours(minutes), 24);
  assert.equal(formatHours(23.98), "23.9 h");
  assert.equal(formatHours(337), "337.0 h");
  assert.equal(coveredHours(new Float64Array(1)), 0);
});

Deno.test("runAsset() reports each chunk's stage times: read, parse, fit with the engine's stages, score, every sink, checkpoint", async () => {
  const t = await setup();
  const events: ReplayEvent[] = [];
  const s = await replay({ ...t.opts, onEvent: (e) => events.push(e) });
  assert.equal(s.exitCode, 0, JSON.stringify(s.assets));
  const stages = events.filter((e) => e.type === "chunk-stages");
  const worker = stages.filter((e) => e.where === "worker" && e.chunk !== "");
  assert.equal(worker.length, s.assets[0].done);
  const first = worker[0].seconds;
  for (const k of ["read+hash", "parse", "fit", "score", "sink:csv", "checkpoint"]) {
    assert.ok(first[k] >= 0, `stage ${k} missing: ${Object.keys(first)}`);
  }
  const cpu = worker[0].cpu!;
  assert.ok(Object.keys(cpu).some((k) => k.startsWith("fit/fit:")), Object.keys(cpu).join());
  assert.ok(Object.keys(cpu).some((k) => k.startsWith("score/score:")));
  assert.ok(cpu.parse >= 0 && cpu["sink:csv"] >= 0);
  assert.ok(!("fit" in worker[1].seconds), "a scoring chunk does not fit");
  const main = stages.filter((e) => e.where === "main" && e.chunk !== "");
  assert.equal(main.length, s.assets[0].done);
  assert.ok(main.every((e) => e.seconds.ledger >= 0 && e.seconds["sink:store"] >= 0));
  // the closing of the sinks is reported once per Worker and once for the fleet sinks
  assert.ok(
    stages.some((e) => e.where === "worker" && e.chunk === "" && "close:report" in e.seconds),
  );
  await Deno.remove(t.dir, { recursive: true });
});

Deno.test("runAsset() notes a chunk at another step than training; resample_s puts every chunk on one grid", async () => {
  const t = await setup();
  // Chunk 3 keeps every 4th row: hourly rows on a 15-minute model.
  await edit(t.chunk(3), (lines) => lines.filter((_, k) => k === 0 || (k - 1) % 4 === 0));
  const s = await replay(t.opts);
  assert.equal(s.exitCode, 0);
  const quality = await readQuality(t.art, t.asset);
  const cadence = (q: ChunkQuality) => q.notes.filter((n) => n.kind === "cadence");
  assert.deepEqual(quality.map((q) => cadence(q).length), [0, 0, 1, 0]);
  assert.match(
    cadence(quality[2])[0].message,
    /every 1 h here, every 15 min in the training data \(4× as seldom\)/,
  );
  assert.ok(s.warnings.some((w) => /batch_003\.csv: rows come every 1 h/.test(w)));

  // Hourly buckets for every chunk: no cadence note, each chunk's merged rows noted.
  const yaml = await Deno.readTextFile(t.opts.pipeline);
  await Deno.writeTextFile(
    t.opts.pipeline,
    yaml.replace(
      "  plugin: csv\n  timestamp_column: auto\n",
      "  plugin: csv\n  timestamp_column: auto\n  resample_s: 3600\n",
    ),
  );
  const r = await replay({ ...t.opts, clearCache: true });
  assert.equal(r.exitCode, 0);
  const q2 = await readQuality(t.art, t.asset);
  assert.deepEqual(q2.map((q) => cadence(q).length), [0, 0, 0, 0]);
  assert.deepEqual(
    q2.map((q) => q.notes.filter((n) => n.kind === "resampled").length),
    [1, 1, 0, 1],
  );
  const rows = (await Deno.readTextFile(`${t.art}/${t.asset}/scores.csv`)).trim().split("\n");
  assert.equal(rows.length - 1, 4 * 48);
  assert.equal(storeRows(t.art, "scores").length, 4 * 48);
  await Deno.remove(t.dir, { recursive: true });
});
