import assert from "node:assert/strict";
import { orderRows } from "../../../core/source/row_order.ts";

Deno.test("orderRows() returns no index for strictly ascending timestamps", () => {
  const o = orderRows(Float64Array.of(1, 2, 3, 99), 3);
  assert.equal(o.index, null);
  assert.equal(o.backwardSteps, 0);
  assert.equal(o.duplicates, 0);
});

Deno.test("orderRows() sorts stably and keeps the last of equal timestamps in file order", () => {
  //                          0  1  2  3  4  5
  const o = orderRows(Float64Array.of(5, 3, 5, 1, 3, 9), 6);
  assert.equal(o.backwardSteps, 2);
  assert.equal(o.duplicates, 2);
  assert.deepEqual([...o.index!], [3, 4, 2, 5]);
  assert.deepEqual(o.firstDuplicate, [1, 4]);
});

Deno.test("orderRows() thins duplicates of sorted input without sorting", () => {
  const o = orderRows(Float64Array.of(1, 1, 1, 2), 4);
  assert.equal(o.backwardSteps, 0);
  assert.deepEqual([...o.index!], [2, 3]);
  assert.deepEqual(o.firstDuplicate, [0, 2]);
});

Deno.test("orderRows() handles empty and single-row input", () => {
  assert.equal(orderRows(new Float64Array(0), 0).index, null);
  assert.equal(orderRows(Float64Array.of(7), 1).index, null);
});
