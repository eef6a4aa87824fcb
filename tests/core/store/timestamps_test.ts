import assert from "node:assert/strict";
import { storeTime, storeTimeText } from "../../../core/store/timestamps.ts";

Deno.test("storeTime() writes fixed-width ISO-8601 UTC with milliseconds and Z", () => {
  assert.equal(storeTime(Date.UTC(2020, 0, 4, 8)), "2020-01-04T08:00:00.000Z");
  assert.equal(storeTime(Date.UTC(2020, 0, 4, 8, 0, 0, 5)), "2020-01-04T08:00:00.005Z");
});

Deno.test("storeTimeText() reads naive text as UTC, converts zones, keeps what it cannot parse", () => {
  assert.equal(storeTimeText("2024-01-01T00:05:00"), "2024-01-01T00:05:00.000Z");
  assert.equal(storeTimeText("2024-01-01T02:05:00+02:00"), "2024-01-01T00:05:00.000Z");
  assert.equal(storeTimeText("2024-01-01"), "2024-01-01T00:00:00.000Z");
  assert.equal(storeTimeText("2024-01-01T00:05:00.250Z"), "2024-01-01T00:05:00.250Z");
  assert.equal(storeTimeText("soon"), "soon");
  assert.equal(storeTimeText(undefined), undefined);
});
