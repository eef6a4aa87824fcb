import { deepStrictEqual, strictEqual } from "node:assert/strict";
import {
  addRow,
  DenseRowAttribution,
  flushDense,
  mergeAccum,
  newAccum,
  type RowAttribution,
  toEpisode,
} from "../../../core/episodes/accumulator.ts";

const options = { top_culprits: 3, warning_z: 5, critical_z: 6 } as Parameters<
  typeof toEpisode
>[2];

function rowsOf(n: number) {
  const names = ["b", "a", "c", "7", "d"];
  const values = new Float64Array(names.length), slots = new Int32Array(names.length);
  const rows: { dense: DenseRowAttribution; plain: RowAttribution }[] = [];
  for (let i = 0; i < n; i++) {
    // each row its own scratch (the producer reuses one; addRow reads it at once)
    const v = values.slice(), sl = slots.slice();
    let count = 0;
    for (let s = 0; s < names.length; s++) {
      if ((i + s) % 3 === 0 && !(i < 4 && s === 0)) continue;
      v[s] = 0.1 * ((i * 7 + s * 3) % 11) + 1 / (i + 1);
      sl[count++] = s;
    }
    const dense = new DenseRowAttribution({ h: 0.5 + i }, names, v, sl, count, i % 2);
    rows.push({ dense, plain: { heads: dense.heads, sensors: dense.sensors, regime: i % 2 } });
  }
  return rows;
}

Deno.test("addRow() of dense rows builds the same record as keyed rows: values, key order, merges", () => {
  const rows = rowsOf(30);
  const carried = { ...newAccum(1, 0), sensors: { d: 0.25, zz: 1 } }; // from an earlier chunk
  const a = structuredClone(carried), b = structuredClone(carried);
  const tailA = newAccum(0, 0), tailB = newAccum(0, 0);
  rows.forEach(({ dense, plain }, i) => {
    addRow(i < 20 ? a : tailA, i, 5, dense);
    addRow(i < 20 ? b : tailB, i, 5, plain);
  });
  mergeAccum(a, tailA);
  mergeAccum(b, tailB);
  addRow(a, 31, 5, rows[3].dense);
  addRow(b, 31, 5, rows[3].plain);
  flushDense(a);
  deepStrictEqual(a, b);
  strictEqual(JSON.stringify(a), JSON.stringify(b));
  deepStrictEqual(toEpisode(a, false, options), toEpisode(b, false, options));
});

Deno.test("toEpisode() reads the dense sums of an accumulator not yet flushed", () => {
  const rows = rowsOf(8);
  const a = newAccum(1, 0), b = newAccum(1, 0);
  for (const r of rows) {
    addRow(a, 0, 5, r.dense);
    addRow(b, 0, 5, r.plain);
  }
  deepStrictEqual(toEpisode(a, true, options), toEpisode(b, true, options));
  deepStrictEqual(Object.keys(a.sensors), Object.keys(b.sensors));
});
