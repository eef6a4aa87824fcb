import assert from "node:assert/strict";
import { storeTime, storeTimeText } from "../../../core/store/timestamps.ts";
import { createRng } from "../../../core/rng.ts";

Deno.test("storeTime() writes fixed-width ISO-8601 UTC with milliseconds and Z", () => {
  assert.equal(storeTime(Date.UTC(2020, 0, 4, 8)), "2020-01-04T08:00:00.000Z");
  assert.equal(storeTime(Date.UTC(2020, 0, 4, 8, 0, 0, 5)), "2020-01-04T08:00:00.005Z");
});

Deno.test("storeTime() equals toISOString for any instant, in any order of calls", () => {
  const rng = createRng(7);
  const cases = [
    0,
    -1,
    1.9,
    -1.9,
    Date.UTC(1969, 11, 31, 23, 59, 59, 999),
    Date.UTC(2020, 1, 29, 23, 59, 59, 999),
    Date.UTC(-5, 0, 1), // negative years: 7-character prefix
    Date.UTC(12345, 5, 6, 7, 8, 9, 10), // years past 9999
    8.64e15,
    -8.64e15,
  ];
  // Random instants, then runs of consecutive minutes (the cached-hour path).
  for (let i = 0; i < 2000; i++) cases.push(Math.floor((rng.next() - 0.3) * 4e12));
  for (let i = 0; i < 500; i++) cases.push(Date.UTC(2024, 2, 31, 22) + i * 61_003);
  for (const ms of cases) assert.equal(storeTime(ms), new Date(ms).toISOString(), `at ${ms}`);
  assert.throws(() => storeTime(NaN), RangeError);
  assert.throws(() => storeTime(8.64e15 + 1), RangeError);
});

Deno.test("storeTimeText() reads naive text as UTC, converts zones, keeps what it cannot parse", () => {
  assert.equal(storeTimeText("2024-01-01T00:05:00"), "2024-01-01T00:05:00.000Z");
  assert.equal(storeTimeText("2024-01-01T02:05:00+02:00"), "2024-01-01T00:05:00.000Z");
  assert.equal(storeTimeText("2024-01-01"), "2024-01-01T00:00:00.000Z");
  assert.equal(storeTimeText("2024-01-01T00:05:00.250Z"), "2024-01-01T00:05:00.250Z");
  assert.equal(storeTimeText("soon"), "soon");
  assert.equal(storeTimeText(undefined), undefined);
});
