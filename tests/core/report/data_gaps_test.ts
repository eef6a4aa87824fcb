import assert from "node:assert/strict";
import { findGaps } from "../../../core/report/data_gaps.ts";
import { regimeTimeline } from "../../../core/report/charts.ts";

const TEN_MIN = 600_000;

/** 10-minute rows over two spans with a 122-day hole between them (like GAS_TURBINE). */
function twoSpans(): Float64Array {
  const t: number[] = [];
  const a = Date.UTC(2019, 5, 1), b = a + 30 * 86_400_000, c = b + 122 * 86_400_000;
  for (let x = a; x <= b; x += TEN_MIN) t.push(x);
  for (let x = c; x <= c + 30 * 86_400_000; x += TEN_MIN) t.push(x);
  return Float64Array.from(t);
}

Deno.test("findGaps() finds a hole between chunks that no chunk note reports", () => {
  const t = twoSpans();
  const { gaps, total, medianStep } = findGaps(t);
  assert.equal(total, 1);
  assert.equal(medianStep, TEN_MIN);
  assert.equal((gaps[0].to - gaps[0].from) / 86_400_000, 122);
});

Deno.test("findGaps() ignores steps up to 5 × the median and keeps the longest first", () => {
  const t = Float64Array.from([0, 1, 2, 7, 8, 9, 30, 31].map((k) => k * TEN_MIN));
  const { gaps, total } = findGaps(t, 4);
  assert.equal(total, 2);
  assert.deepEqual(gaps.map((g) => g.from / TEN_MIN), [9, 2]);
  assert.equal(findGaps(Float64Array.from([0, 1, 2, 3, 4, 9].map((k) => k * TEN_MIN))).total, 0);
});

Deno.test("regimeTimeline() leaves a data gap blank instead of painting the regime across it", () => {
  const t = twoSpans();
  const regime = new Int32Array(t.length).fill(1);
  const svg = regimeTimeline(t, regime);
  const rects = [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map((m) => [
    Number(m[1]),
    Number(m[2]),
  ]);
  assert.equal(rects.length, 2, svg.slice(0, 600));
  // The hole is 122 of 182 days: the blank stretch is most of the strip.
  const blank = rects[1][0] - (rects[0][0] + rects[0][1]);
  const total = rects[1][0] + rects[1][1] - rects[0][0];
  assert.ok(blank / total > 0.6, `blank share ${blank / total}`);
});
