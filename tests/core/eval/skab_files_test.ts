import assert from "node:assert/strict";
import { DataError } from "../../../core/errors.ts";
import {
  expandRle,
  formatSkabTimestamp,
  listSkabFiles,
  parseRleAlarms,
  parseSkabLabels,
  parseSkabTimestamp,
  sliceLabels,
  toRle,
} from "../../../core/eval/skab_files.ts";

const T0 = Date.UTC(2020, 2, 9, 10, 14, 33);

Deno.test("parseSkabTimestamp() reads naive wall-clock time as UTC and rejects other text", () => {
  assert.equal(parseSkabTimestamp("2020-03-09 10:14:33"), T0);
  assert.equal(parseSkabTimestamp("2020-03-09T10:14:33.250"), T0 + 250);
  assert.ok(Number.isNaN(parseSkabTimestamp("09/03/2020 10:14")));
  assert.equal(formatSkabTimestamp(T0), "2020-03-09 10:14:33");
});

Deno.test("parseSkabLabels() reads a data CSV with mixed line endings, BOM and non-1 values as 0", () => {
  const text = "\uFEFFdatetime;Accelerometer1RMS;anomaly;changepoint\r\n" +
    "2020-03-09 10:14:33;0.02;0.0;0.0\n" +
    "2020-03-09 10:14:34;0.03;1.0;1.0\r\n" +
    "2020-03-09 10:14:36;0.04;;nan\n\n";
  const l = parseSkabLabels(text);
  assert.deepEqual([...l.timestamps], [T0, T0 + 1000, T0 + 3000]);
  assert.deepEqual([...l.anomaly], [0, 1, 0]);
  assert.deepEqual([...l.changepoint], [0, 1, 0]);
  const tail = sliceLabels(l, 1);
  assert.deepEqual([...tail.timestamps], [T0 + 1000, T0 + 3000]);
});

Deno.test("parseSkabLabels() names the file and line of a bad timestamp or a missing column", () => {
  const bad = "datetime;anomaly;changepoint\n2020-03-09 10:14:33;0;0\n2020-03-09 25h;0;0\n";
  assert.throws(() => parseSkabLabels(bad, "x.csv"), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.code, "csv-timestamp");
    assert.deepEqual([e.position.file, e.position.line], ["x.csv", 3]);
    return true;
  });
  assert.throws(
    () => parseSkabLabels("datetime;anomaly\n2020-03-09 10:14:33;0\n"),
    /no "changepoint" column/,
  );
  assert.throws(() => parseSkabLabels(""), DataError);
});

Deno.test("expandRle() covers [first, last] of the given rows and sets the rows inside runs", () => {
  const rows = Float64Array.from([0, 1, 2, 3, 5, 6, 7], (s) => T0 + s * 1000);
  const fmt = formatSkabTimestamp;
  const a = expandRle(
    { first: fmt(rows[1]), last: fmt(rows[5]), ones: [[fmt(T0 + 2000), fmt(T0 + 4000)]] },
    rows,
  );
  assert.deepEqual([...a.timestamps], [...rows.slice(1, 6)]);
  assert.deepEqual([...a.alarm], [0, 1, 1, 0, 0]);
  const whole = expandRle({ ones: [[fmt(T0 + 6000), fmt(T0 + 9000)]] }, rows);
  assert.deepEqual([...whole.alarm], [0, 0, 0, 0, 0, 1, 1]);
});

Deno.test("toRle() is the inverse of expandRle()", () => {
  const timestamps = Float64Array.from({ length: 9 }, (_, i) => T0 + i * 1000);
  const alarm = Uint8Array.from([1, 1, 0, 1, 0, 0, 1, 1, 1]);
  const runs = toRle({ timestamps, alarm }, formatSkabTimestamp);
  assert.equal(runs.length, 3);
  assert.deepEqual([...expandRle({ ones: runs }, timestamps).alarm], [...alarm]);
});

Deno.test("parseRleAlarms() accepts plain run lists and series objects, rejects other shapes", () => {
  const m = parseRleAlarms({
    "valve1/0.csv": [["2020-03-09 10:14:33", "2020-03-09 10:14:40"]],
    "valve1/1.csv": { first: "2020-03-09 10:14:33", last: "2020-03-09 10:20:00", ones: [] },
  });
  assert.equal(m.get("valve1/0.csv")?.first, undefined);
  assert.equal(m.get("valve1/1.csv")?.last, "2020-03-09 10:20:00");
  assert.throws(() => parseRleAlarms({ "a.csv": [["x"]] }), /expected \[\[start, end\]/);
  assert.throws(() => parseRleAlarms([]), RangeError);
});

Deno.test("listSkabFiles() lists group/file keys in numeric order, skipping anomaly-free and labels", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (
      const f of [
        "valve1/0.csv",
        "valve1/10.csv",
        "valve1/2.csv",
        "other/1.csv",
        "anomaly-free/a.csv",
        "labels/valve1/0.csv",
        "valve1/notes.txt",
      ]
    ) {
      const path = `${dir}/${f}`;
      await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(path, "");
    }
    assert.deepEqual(await listSkabFiles(dir), [
      "other/1.csv",
      "valve1/0.csv",
      "valve1/2.csv",
      "valve1/10.csv",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
