import assert from "node:assert/strict";
import { centred, readColumn, readColumnRows } from "../../../core/numeric/column_transform.ts";

// Two input columns of 4 rows, column-major.
const values = new Float64Array([1, 2, NaN, 4, 10, 20, 30, Infinity]);

Deno.test("readColumn() maps source, fill, centre and scale, and reads a row range", () => {
  const out = new Float64Array(3);
  const t = {
    source: new Int32Array([1, 0, -1]),
    fill: new Float64Array([25, 2.5, 7]),
    center: new Float64Array([20, 2, 1]),
    scale: new Float64Array([0.1, 2, 3]),
  };
  readColumn(values, 4, t, 0, 1, 3, out, 0); // input column 1, rows 1..3; Infinity → fill 25
  assert.deepEqual([...out], [0, 1, 0.5]);
  readColumn(values, 4, t, 1, 0, 3, out, 0); // input column 0; NaN → fill 2.5
  assert.deepEqual([...out], [-2, 0, 1]);
  readColumn(values, 4, t, 2, 0, 3, out, 0); // absent column: every value is the fill
  assert.deepEqual([...out], [18, 18, 18]);
});

Deno.test("readColumn() without a transform copies, non-finite values becoming NaN", () => {
  const out = new Float64Array(4);
  readColumn(values, 4, undefined, 1, 0, 4, out, 0);
  assert.deepEqual([...out], [10, 20, 30, NaN]);
});

Deno.test("centred() subtracts means given on the transformed scale", () => {
  const t = { center: new Float64Array([1, 0]), scale: new Float64Array([2, 1]) };
  const c = centred(t, 2, new Float64Array([4, 15]));
  const out = new Float64Array(2);
  readColumn(values, 4, c, 0, 0, 2, out, 0); // (x − 1)·2 − 4
  assert.deepEqual([...out], [-4, -2]);
  readColumn(values, 4, c, 1, 0, 2, out, 0); // x − 15
  assert.deepEqual([...out], [-5, 5]);
  assert.deepEqual([...t.center], [1, 0], "the input transform is not modified");
});

Deno.test("readColumnRows() reads chosen rows exactly as readColumn() reads them in a range", () => {
  const t = { fill: new Float64Array([2, 5]), center: new Float64Array([1, 1]) };
  const range = new Float64Array(4), picked = new Float64Array(3);
  readColumn(values, 4, t, 1, 0, 4, range, 0);
  readColumnRows(values, 4, t, 1, [3, 0, 2], picked, 0);
  assert.deepEqual([...picked], [range[3], range[0], range[2]]);
});
