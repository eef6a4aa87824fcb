import assert from "node:assert/strict";
import { alarmShare, healthTrend } from "../../../core/report/health_trend.ts";

const DAY = 86_400_000;

Deno.test("healthTrend() averages health per UTC day over the window ending with the last row's day", () => {
  // Three days, two rows each (noon and 18:00); day 2 has only a NaN health.
  const t = Float64Array.from([0, 1, 2].flatMap((d) => [d * DAY + DAY / 2, d * DAY + 0.75 * DAY]));
  const health = Float64Array.from([80, 90, NaN, NaN, 50, 70]);
  const tr = healthTrend(t, health, 3)!;
  assert.equal(tr.day0, 0);
  assert.deepEqual([...tr.daily], [85, NaN, 60]);
  assert.equal(tr.mean30, (80 + 90 + 50 + 70) / 4);
  assert.equal(healthTrend(new Float64Array(0), new Float64Array(0)), null);
});

Deno.test("alarmShare() is the share of the window's flagged rows inside an episode", () => {
  const t = Float64Array.from([0, 1, 2, 3, 4, 5].map((d) => d * DAY));
  const alarm = Float64Array.from([1, 1, 0, 1, NaN, 0]);
  assert.equal(alarmShare(t, alarm, 2 * DAY), 1 / 3, "rows 2, 3, 5 (row 4 has no flag)");
  assert.equal(alarmShare(t, alarm, 0), 3 / 5);
  assert.ok(Number.isNaN(alarmShare(t, alarm, 6 * DAY)));
});
