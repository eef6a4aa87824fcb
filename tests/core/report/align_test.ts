import assert from "node:assert/strict";
import { gather, isIdentity, lookupRows, mergeIndex } from "../../../core/report/align.ts";

Deno.test("mergeIndex() and gather() match rows by timestamp, NaN where the other axis has none", () => {
  const t = Float64Array.from([1, 2, 3, 5, 8]);
  const ty = Float64Array.from([2, 3, 4, 8, 9]);
  const idx = mergeIndex(t, ty);
  assert.deepEqual([...idx], [-1, 0, 1, -1, 3]);
  const y = Float64Array.from([20, 30, 40, 80, 90]);
  assert.deepEqual([...gather(idx, y)].map(String), ["NaN", "20", "30", "NaN", "80"]);
});

Deno.test("lookupRows() gives what a Map from timestamp to its last row gives", () => {
  const t = Float64Array.from([10, 20, 30, 40, NaN]);
  const at = [0, -1, 1, 2, 3, 4];
  const viaMap = (keys: Float64Array) => {
    const m = new Map<number, number>();
    keys.forEach((x, j) => m.set(x, j));
    return at.map((i) => (i < 0 ? -1 : m.get(t[i]) ?? -1));
  };
  for (
    const keys of [
      Float64Array.from([5, 10, 30, 40, 50]), // ascending: binary search
      Float64Array.from([30, 10, 30, 40]), // duplicate, unsorted: the last row wins
      Float64Array.from([NaN, 10, 20]),
      Float64Array.from([NaN]),
      new Float64Array(0),
    ]
  ) {
    assert.deepEqual([...lookupRows(t, at, keys)], viaMap(keys), String([...keys]));
  }
});

Deno.test("gather() hands back the column itself when the match is row for row", () => {
  const t = Float64Array.from([1, 2, 3]);
  const idx = mergeIndex(t, t);
  assert.ok(isIdentity(idx, t.length));
  assert.ok(!isIdentity(mergeIndex(t, Float64Array.from([1, 3])), 2));
  const y = Float64Array.from([4, 5, 6]);
  assert.equal(gather(idx, y, true), y);
  assert.deepEqual([...gather(idx, y)], [4, 5, 6]);
});
