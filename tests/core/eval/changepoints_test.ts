import assert from "node:assert/strict";
import { changepointEvents, eventTimes, rollingMax01 } from "../../../core/eval/changepoints.ts";

Deno.test("changepointEvents() marks p[0] and every rising and falling edge", () => {
  assert.deepEqual([...changepointEvents([1, 1, 0, 0, 1])], [1, 0, 1, 0, 1]);
  assert.deepEqual([...changepointEvents([0, 1, 1, 1, 0])], [0, 1, 0, 0, 1]);
  assert.deepEqual([...changepointEvents([0, 0, 0])], [0, 0, 0]);
});

Deno.test("changepointEvents() treats NaN and values other than 1 as 0, and keeps empty input empty", () => {
  assert.deepEqual([...changepointEvents([NaN, 1, 0.5, 1])], [0, 1, 1, 1]);
  assert.equal(changepointEvents([]).length, 0);
});

Deno.test("rollingMax01() is pandas rolling(w).max().fillna(0) on a 0/1 series", () => {
  const p = Uint8Array.from([1, 0, 0, 0, 1, 0, 0, 0, 0]);
  assert.deepEqual([...rollingMax01(p, 3)], [0, 0, 1, 0, 1, 1, 1, 0, 0]);
  assert.deepEqual([...rollingMax01(p, 1)], [...p]);
});

Deno.test("changepointEvents() with a rolling max differences the smoothed series but keeps raw p[0]", () => {
  const p = [1, 0, 0, 0, 1, 0, 0, 0, 0];
  // smoothed [0,0,1,0,1,1,1,0,0]
  assert.deepEqual([...changepointEvents(p, 3)], [1, 0, 1, 1, 1, 0, 0, 1, 0]);
  // a flickering alarm merges into one run: two events instead of six
  const flicker = [0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0];
  assert.equal(changepointEvents(flicker).reduce((a, b) => a + b, 0), 6);
  assert.equal(changepointEvents(flicker, 3).reduce((a, b) => a + b, 0), 2);
});

Deno.test("eventTimes() returns the timestamps of the events in order", () => {
  assert.deepEqual([...eventTimes(Float64Array.from([10, 20, 30]), [1, 0, 1])], [10, 30]);
});
