import assert from "node:assert/strict";
import { seriesPath } from "../../../core/report/charts.ts";
import { chartFrame } from "../../../core/report/chart_frame.ts";

const HALF_HOUR = 30 * 60_000;

/** A year of 30-minute rows with one 10-day hole in the middle. */
function yearWithHole(): { t: Float64Array; y: Float64Array } {
  const t: number[] = [];
  const t0 = Date.UTC(2024, 0, 1);
  for (let i = 0; i < 17_520; i++) {
    const at = t0 + i * HALF_HOUR;
    if (at >= Date.UTC(2024, 5, 1) && at < Date.UTC(2024, 5, 11)) continue;
    t.push(at);
  }
  return { t: Float64Array.from(t), y: Float64Array.from(t, (_, i) => Math.sin(i / 40)) };
}

Deno.test("seriesPath() lifts the pen only over the real gap of downsampled long data", () => {
  const { t, y } = yearWithHole();
  const f = chartFrame({ width: 1100, height: 200, t0: t[0], t1: t[t.length - 1], y0: -1, y1: 1 });
  const d = seriesPath(t, y, f);
  const moves = d.match(/M/g)?.length ?? 0;
  const lines = d.match(/L/g)?.length ?? 0;
  assert.equal(moves, 2, "one stroke before the hole, one after");
  assert.ok(lines > 1000, `expected a continuous line, got ${lines} segments`);
});

Deno.test("seriesPath() keeps the raw gap limit for short series drawn unchanged", () => {
  const t = Float64Array.from([0, 1, 2, 3, 40, 41, 42].map((k) => k * HALF_HOUR));
  const y = Float64Array.from(t, () => 0);
  const f = chartFrame({ width: 1100, height: 200, t0: t[0], t1: t[t.length - 1], y0: -1, y1: 1 });
  assert.equal(seriesPath(t, y, f).match(/M/g)?.length, 2);
});
