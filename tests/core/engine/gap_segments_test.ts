import { deepStrictEqual as assertEquals } from "node:assert/strict";
import {
  gapBreaks,
  gapSegments,
  gapThresholdMs,
  medianSpacingMs,
  MIN_AUTO_GAP_MS,
} from "../../../core/engine/gap_segments.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

Deno.test("medianSpacingMs() ignores repeated timestamps and returns 0 for fewer than two", () => {
  assertEquals(medianSpacingMs(Float64Array.from([0, 10, 10, 30, 40])), 10);
  assertEquals(medianSpacingMs(Float64Array.from([5])), 0);
  assertEquals(medianSpacingMs(new Float64Array(0)), 0);
});

Deno.test("gapThresholdMs() is max(1 day, 50 × median spacing) at 0 and the given seconds otherwise", () => {
  const hourly = Float64Array.from({ length: 10 }, (_, i) => i * HOUR);
  assertEquals(gapThresholdMs(hourly, 0), 50 * HOUR);
  const minutely = Float64Array.from({ length: 10 }, (_, i) => i * 60_000);
  assertEquals(gapThresholdMs(minutely, 0), MIN_AUTO_GAP_MS);
  assertEquals(gapThresholdMs(hourly, 600), 600_000);
});

Deno.test("gapBreaks() marks the first row after each long gap, row 0 against the previous chunk", () => {
  const t = Float64Array.from([0, HOUR, 2 * HOUR, 122 * DAY, 122 * DAY + HOUR, 130 * DAY]);
  assertEquals([...gapBreaks(t, DAY, null)], [0, 0, 0, 1, 0, 1]);
  assertEquals([...gapBreaks(t, DAY, -2 * DAY)], [1, 0, 0, 1, 0, 1]);
  assertEquals([...gapBreaks(t, DAY, -HOUR)], [0, 0, 0, 1, 0, 1]);
  // exactly the threshold is no gap
  assertEquals([...gapBreaks(Float64Array.from([0, DAY]), DAY, null)], [0, 0]);
});

Deno.test("gapSegments() splits rows into [start, end) ranges at breaks after row 0", () => {
  assertEquals(gapSegments(Uint8Array.from([1, 0, 0, 1, 0, 1])), [[0, 3], [3, 5], [5, 6]]);
  assertEquals(gapSegments(Uint8Array.from([0, 0, 0])), [[0, 3]]);
  assertEquals(gapSegments(new Uint8Array(0)), []);
});
