import assert from "node:assert/strict";
import { makeFrame } from "../../../core/frame.ts";
import { readCsvFile } from "../../../core/source/csv_reader.ts";
import {
  chunkWarnings,
  frameToCsv,
  planChunks,
  sortUnique,
  splitFiles,
  stackFrames,
  validateSpec,
} from "../../../core/replay/split.ts";

const DATA = "/work/shared/acm_data";
const H = 3_600_000;
const DAY = 24 * H;
const hourly = (n: number, from = 0) => Float64Array.from({ length: n }, (_, i) => from + i * H);

Deno.test("planChunks() cuts by rows with the remainder in the last chunk", () => {
  const { ranges } = planChunks(hourly(10), { chunkRows: 4 });
  assert.deepEqual(ranges, [[0, 4], [4, 8], [8, 10]]);
});

Deno.test("planChunks() with --chunks gives the remainder to the first chunk (the original's 3503 + 4×3502)", () => {
  const { ranges } = planChunks(hourly(17511), { chunks: 5 });
  assert.deepEqual(ranges.map(([s, e]) => e - s), [3503, 3502, 3502, 3502, 3502]);
});

Deno.test("planChunks() aligns day windows to the first timestamp and notes skipped empty windows", () => {
  // 3 days of hourly data, a 4-day gap, then 1 more day.
  const ts = new Float64Array([...hourly(72, 0), ...hourly(24, 7 * DAY)]);
  const { ranges, notes } = planChunks(ts, { chunkDays: 1 });
  assert.deepEqual(ranges, [[0, 24], [24, 48], [48, 72], [72, 96]]);
  assert.match(notes.join(" "), /4 empty 1-day window\(s\) skipped/);
});

Deno.test("planChunks() makes a first chunk of --first-chunk-days and aligns later windows after it", () => {
  const ts = hourly(24 * 10, 6 * H); // starts at 06:00
  const { ranges } = planChunks(ts, { chunkDays: 2, firstChunkDays: 5 });
  assert.deepEqual(ranges.map(([s, e]) => e - s), [120, 48, 48, 24]);
  assert.equal(ts[ranges[1][0]], ts[0] + 5 * DAY);
});

Deno.test("planChunks() makes a first chunk of --first-chunk-rows then rows", () => {
  const { ranges } = planChunks(hourly(10), { chunkRows: 3, firstChunkRows: 5 });
  assert.deepEqual(ranges, [[0, 5], [5, 8], [8, 10]]);
});

Deno.test("validateSpec() refuses zero or two rules, fractional rows and --chunks with a first-chunk size", () => {
  assert.throws(() => validateSpec({}), /exactly one/);
  assert.throws(() => validateSpec({ chunkDays: 7, chunkRows: 10 }), /exactly one/);
  assert.throws(() => validateSpec({ chunkRows: 2.5 }), /positive integer/);
  assert.throws(() => validateSpec({ chunkDays: -1 }), /positive number/);
  assert.throws(() => validateSpec({ chunks: 3, firstChunkRows: 10 }), /--chunks/);
  assert.throws(
    () => validateSpec({ chunkDays: 1, firstChunkDays: 2, firstChunkRows: 3 }),
    /at most one/,
  );
  validateSpec({ chunkDays: 0.5, firstChunkRows: 100 });
});

Deno.test("sortUnique() sorts by time and keeps the last row of a duplicated timestamp", () => {
  const frame = makeFrame({
    columns: ["a"],
    timestamps: new Float64Array([3, 1, 2, 1]),
    values: new Float64Array([30, 10, 20, 11]),
  });
  const { frame: out, duplicates } = sortUnique(frame);
  assert.equal(duplicates, 1);
  assert.deepEqual([...out.timestamps], [1, 2, 3]);
  assert.deepEqual([...out.values], [11, 20, 30]);
});

Deno.test("stackFrames() reorders columns by name and refuses a different column set", () => {
  const a = makeFrame({
    columns: ["x", "y"],
    timestamps: new Float64Array([1]),
    values: new Float64Array([1, 2]),
  });
  const b = makeFrame({
    columns: ["y", "x"],
    timestamps: new Float64Array([2]),
    values: new Float64Array([4, 3]),
  });
  const s = stackFrames([a, b]);
  assert.deepEqual([...s.values], [1, 3, 2, 4]);
  const c = makeFrame({
    columns: ["x", "z"],
    timestamps: new Float64Array([2]),
    values: new Float64Array([4, 3]),
  });
  assert.throws(() => stackFrames([a, c], ["a.csv", "c.csv"]), /"c\.csv" has columns \[x, z\]/);
});

Deno.test("frameToCsv() writes ISO timestamps, full-precision numbers and NaN as an empty cell", () => {
  const frame = makeFrame({
    columns: ["a", "b,c"],
    timestamps: new Float64Array([Date.UTC(2024, 0, 2, 3, 4, 5)]),
    values: new Float64Array([0.1 + 0.2, NaN]),
  });
  assert.equal(frameToCsv(frame, "TS"), 'TS,a,"b,c"\n2024-01-02T03:04:05,0.30000000000000004,\n');
});

Deno.test("chunkWarnings() flags a first chunk under 500 rows or 24 h, and tiny later chunks", () => {
  const c = (name: string, rows: number, hours: number) => ({
    name,
    path: name,
    rows,
    start: 0,
    end: hours * H,
  });
  assert.deepEqual(chunkWarnings([c("a", 600, 30), c("b", 600, 30)], H), []);
  assert.match(chunkWarnings([c("a", 400, 30)], H)[0], /below the guide's training minimum/);
  assert.match(chunkWarnings([c("a", 600, 10)], H)[0], /below the guide's training minimum/);
  assert.match(
    chunkWarnings([c("a", 600, 30), c("b", 600, 30), c("c", 3, 2)], H)[0],
    /c has only 3 rows/,
  );
});

Deno.test("splitFiles() on FD_FAN baseline + batch by 7 days keeps every unique row, in order, values intact", async () => {
  const out = await Deno.makeTempDir();
  try {
    const inputs = [`${DATA}/FD_FAN_BASELINE_DATA.csv`, `${DATA}/FD_FAN_BATCH_DATA.csv`];
    const result = await splitFiles({ inputs, output: out, chunkDays: 7, firstChunkDays: 14 });
    // 10,770 + 6,741 records; the batch's first 12 rows repeat baseline timestamps.
    assert.equal(result.records, 17511);
    assert.equal(result.duplicates, 12);
    assert.equal(result.rows, 17499);
    assert.equal(result.chunks.reduce((s, c) => s + c.rows, 0), result.rows);
    assert.equal(result.chunks[0].name, "batch_001.csv");
    assert.ok(
      !result.warnings.some((w) => /first chunk/.test(w)),
      "14 days × 30 min is enough to train",
    );
    // Read the chunks back with the CSV reader: same timestamps and values, strictly increasing.
    const merged = sortUnique(
      stackFrames(await Promise.all(inputs.map(async (p) => (await readCsvFile(p)).frame))),
    );
    let row = 0, last = -Infinity;
    for (const chunk of result.chunks) {
      const back = (await readCsvFile(chunk.path)).frame;
      assert.deepEqual(back.columns, merged.frame.columns);
      assert.equal(back.rows, chunk.rows);
      for (let i = 0; i < back.rows; i++) {
        assert.ok(back.timestamps[i] > last, `${chunk.name} row ${i} not after the previous row`);
        last = back.timestamps[i];
        assert.equal(back.timestamps[i], merged.frame.timestamps[row + i]);
        for (let j = 0; j < back.columns.length; j++) {
          assert.ok(
            Object.is(
              back.values[j * back.rows + i],
              merged.frame.values[j * merged.frame.rows + row + i],
            ),
          );
        }
      }
      row += back.rows;
    }
    // The batch's version of an overlapping timestamp wins over the baseline's.
    const batch = (await readCsvFile(inputs[1])).frame;
    const k = merged.frame.timestamps.indexOf(batch.timestamps[0]);
    assert.equal(merged.frame.values[k], batch.values[0]);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("splitFiles() by rows on FD_FAN_BATCH_DATA (BOM, mixed month-first formats) writes zero-padded names", async () => {
  const out = await Deno.makeTempDir();
  try {
    const result = await splitFiles({
      inputs: [`${DATA}/FD_FAN_BATCH_DATA.csv`],
      output: out,
      chunkRows: 1000,
    });
    assert.equal(result.rows, 6741);
    assert.deepEqual(result.chunks.map((c) => c.rows), [1000, 1000, 1000, 1000, 1000, 1000, 741]);
    const names = [...Deno.readDirSync(out)].map((e) => e.name).sort();
    assert.deepEqual(names, result.chunks.map((c) => c.name));
    const text = await Deno.readTextFile(result.chunks[6].path);
    assert.ok(
      text.startsWith("TS,DEMO.SIM.06G31_1FD Fan Damper Position,"),
      "header repeated in every chunk",
    );
    assert.equal(text.trimEnd().split("\n").length, 742);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("splitFiles() refuses a non-empty output directory unless force, which replaces only old chunk files", async () => {
  const out = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${out}/batch_099.csv`, "stale");
    await Deno.writeTextFile(`${out}/keep.txt`, "mine");
    const opts = { inputs: [`${DATA}/GAS_TURBINE_BATCH_DATA.csv`], output: out, chunkRows: 400 };
    await assert.rejects(
      () => splitFiles(opts),
      /output directory ".*" is not empty \(2 entries\)/,
    );
    const result = await splitFiles({ ...opts, force: true });
    const names = [...Deno.readDirSync(out)].map((e) => e.name).sort();
    assert.deepEqual(names, ["batch_001.csv", "batch_002.csv", "keep.txt"]);
    assert.match(result.notes.join("\n"), /removed 1 old batch_\*\.csv/);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
