/**
 * The reader on the real sample data in /work/shared (skipped when it is absent): every ACM
 * sample CSV loads with all of its data lines accounted for, and the SKAB valve1 files load.
 */
import assert from "node:assert/strict";
import { readCsvFile } from "../../../core/source/csv_reader.ts";
import { DataError } from "../../../core/errors.ts";

const ACM = "/work/shared/acm_data";
const SKAB = "/work/shared/datasets/skab/valve1";

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

const haveAcm = exists(`${ACM}/MANIFEST.tsv`);
const haveSkab = exists(SKAB);

function walkCsv(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory) out.push(...walkCsv(`${dir}/${e.name}`, rel));
    else if (e.name.toLowerCase().endsWith(".csv")) out.push(rel);
  }
  return out.sort();
}

/** MANIFEST.tsv: path → line count including the header. */
function manifest(): Map<string, number> {
  const lines = Deno.readTextFileSync(`${ACM}/MANIFEST.tsv`).trim().split("\n").slice(1);
  return new Map(lines.map((l) => {
    const [path, , count] = l.split("\t");
    return [path, Number(count)];
  }));
}

Deno.test({
  name:
    "readCsvFile() loads every ACM sample CSV with each data line a row or a reported duplicate",
  ignore: !haveAcm,
  fn: async () => {
    const lineCounts = manifest();
    const files = walkCsv(ACM);
    const refused: string[] = [];
    assert.equal(files.length, [...lineCounts.keys()].filter((p) => p.endsWith(".csv")).length);
    for (const rel of files) {
      const total = lineCounts.get(rel);
      assert.ok(total !== undefined, `${rel} is not in MANIFEST.tsv`);
      try {
        const t = await readCsvFile(`${ACM}/${rel}`);
        const dataLines = total - 1 - t.descriptiveRows.length;
        assert.equal(t.records, dataLines, rel);
        assert.equal(t.frame.rows + t.duplicates, dataLines, rel);
        assert.ok(t.frame.columns.length > 0, rel);
        const ts = t.frame.timestamps;
        for (let i = 1; i < ts.length; i++) assert.ok(ts[i] > ts[i - 1], `${rel} row ${i}`);
      } catch (e) {
        // A refusal is allowed only as a positioned data error.
        assert.ok(e instanceof DataError && e.position.line !== undefined, `${rel}: ${e}`);
        refused.push(rel);
      }
    }
    assert.deepEqual(refused, [], "every sample file is expected to load");
  },
});

Deno.test({
  name: "readCsvFile() reads FD_FAN's mixed month-first formats as consecutive 30-minute steps",
  ignore: !haveAcm,
  fn: async () => {
    const t = await readCsvFile(`${ACM}/FD_FAN_BASELINE_DATA.csv`);
    assert.equal(t.frame.rows, 10_770);
    assert.equal(t.frame.columns.length, 9);
    assert.deepEqual(t.notes, []);
    // Lines 1077/1078: "06-12-2012 23:30" then "6/13/2012 0:00".
    const i = t.frame.timestamps.indexOf(Date.UTC(2012, 5, 12, 23, 30));
    assert.equal(i, 1075);
    assert.equal(t.frame.timestamps[i + 1], Date.UTC(2012, 5, 13, 0, 0));
    assert.equal(t.frame.values[i + 1], 36.36); // damper position on line 1078
    const steps = new Set<number>();
    for (let r = 1; r < t.frame.rows; r++) {
      steps.add(t.frame.timestamps[r] - t.frame.timestamps[r - 1]);
    }
    assert.ok(steps.has(30 * 60_000));
  },
});

Deno.test({
  name: "readCsvFile() skips the 4 descriptive rows of the Motor files and keeps their units",
  ignore: !haveAcm,
  fn: async () => {
    for (const name of ["Motor Training Data.csv", "Motor Test Data.csv"]) {
      const t = await readCsvFile(`${ACM}/${name}`);
      assert.deepEqual(t.descriptiveRows.map((r) => r.label), [
        "Description",
        "Extended Name",
        "Extended Description",
        "Units",
      ]);
      assert.deepEqual(t.descriptiveRows.map((r) => r.line), [2, 3, 4, 5]);
      assert.equal(t.units["DEMO.SIM.II100"], "A");
      assert.equal(t.frame.columns.length, 7);
      const note = t.notes.find((n) => n.kind === "descriptive-rows")!;
      assert.match(note.message, /skipped 4 descriptive rows under the header \(lines 2–5/);
    }
  },
});

Deno.test({
  name: "readCsvFile() loads the quoted GAS_TURBINE files with 16 sensors",
  ignore: !haveAcm,
  fn: async () => {
    for (const name of ["GAS_TURBINE_BASELINE_DATA.csv", "GAS_TURBINE_BATCH_DATA.csv"]) {
      const t = await readCsvFile(`${ACM}/${name}`);
      assert.equal(t.timestampColumn, "Ts");
      assert.equal(t.frame.columns.length, 16);
      assert.equal(t.frame.columns[0], "DWATT");
    }
    const t = await readCsvFile(`${ACM}/GAS_TURBINE_BASELINE_DATA.csv`);
    assert.equal(t.frame.timestamps[0], Date.UTC(2019, 5, 1));
    assert.equal(t.frame.values[0], 0.046386719);
  },
});

Deno.test({
  name: "readCsvFile() loads the SKAB valve1 files with 8 sensors plus the label columns",
  ignore: !haveSkab,
  fn: async () => {
    const files = [...Deno.readDirSync(SKAB)].filter((e) => e.name.endsWith(".csv"));
    assert.ok(files.length > 0);
    for (const f of files) {
      const path = `${SKAB}/${f.name}`;
      const all = await readCsvFile(path);
      assert.equal(all.delimiter, ";");
      assert.equal(all.frame.columns.length, 10, f.name);
      assert.deepEqual(all.frame.columns.slice(8), ["anomaly", "changepoint"]);
      const lines = (await Deno.readTextFile(path)).trimEnd().split("\n").length;
      assert.equal(all.frame.rows + all.duplicates, lines - 1, f.name);
      const sensors = await readCsvFile(path, { exclude_columns: ["anomaly", "changepoint"] });
      assert.equal(sensors.frame.columns.length, 8, f.name);
      assert.deepEqual(sensors.notes, []);
    }
  },
});
