/**
 * The malformed-chunk corpus (tests/fixtures/malformed/, written by `_make.ts` there): each
 * file has one defect and `cases.json` states the outcome. A file is handled cleanly when it
 * loads with every lost or altered value counted in a note that names the column and line, or
 * when it is refused with a positioned DataError. Nothing may be lost without a note.
 */
import assert from "node:assert/strict";
import { readCsvFile } from "../../../core/source/csv_reader.ts";
import { DataError } from "../../../core/errors.ts";
import type { DataNote } from "../../../core/plugin.ts";
import type { Frame } from "../../../core/frame.ts";

const DIR = new URL("../../fixtures/malformed/", import.meta.url);

interface Case {
  file: string;
  tried: string;
  expect:
    | { error: string; line: number }
    | {
      rows: number;
      columns: string[];
      nan: Record<string, number>;
      notes: Partial<DataNote>[];
      delimiter?: string;
    };
}

const cases = JSON.parse(await Deno.readTextFile(new URL("cases.json", DIR))) as Case[];

/** Counts of cells read as NaN per column. */
function nanCounts(frame: Frame) {
  const out: Record<string, number> = {};
  frame.columns.forEach((c, j) => {
    let k = 0;
    for (let i = 0; i < frame.rows; i++) if (Number.isNaN(frame.values[j * frame.rows + i])) k++;
    if (k > 0) out[c] = k;
  });
  return out;
}

for (const c of cases) {
  Deno.test(
    `readCsvFile() on malformed/${c.file} (${c.tried}) ${
      "error" in c.expect
        ? `refuses it with ${c.expect.error} at line ${c.expect.line}`
        : "notes it"
    }`,
    async () => {
      const path = new URL(c.file, DIR).pathname;
      const e = c.expect;
      if ("error" in e) {
        await assert.rejects(() => readCsvFile(path), (err: unknown) => {
          assert.ok(err instanceof DataError, `not a DataError: ${err}`);
          assert.equal(err.code, e.error);
          assert.equal(err.position.line, e.line);
          assert.equal(err.position.file, path);
          return true;
        });
        return;
      }
      const t = await readCsvFile(path);
      assert.equal(t.frame.rows, e.rows);
      assert.deepEqual(t.frame.columns, e.columns);
      if (e.delimiter) assert.equal(t.delimiter, e.delimiter);
      const nan = nanCounts(t.frame);
      assert.deepEqual(nan, e.nan);
      for (const want of e.notes) {
        const hit = t.notes.find((n) =>
          Object.entries(want).every(([k, v]) => n[k as keyof DataNote] === v)
        );
        assert.ok(hit, `no note like ${JSON.stringify(want)} in ${JSON.stringify(t.notes)}`);
      }
      // No silent loss: every NaN (the clean files have no empty cells) is counted in a note
      // naming its column, and every dropped candidate column has a note.
      for (const [column, count] of Object.entries(nan)) {
        const noted = t.notes.filter((n) => n.column === column && n.line !== undefined)
          .reduce((s, n) => s + (n.count ?? 0), 0);
        assert.equal(noted, count, `NaN cells of "${column}" not all noted`);
      }
      for (const column of ["a", "b", "c"].filter((x) => !t.frame.columns.includes(x))) {
        assert.ok(t.notes.some((n) => n.kind === "column-dropped" && n.column === column), column);
      }
      assert.equal(t.records, t.frame.rows + t.duplicates);
    },
  );
}
