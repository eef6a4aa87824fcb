import assert from "node:assert/strict";
import { type AssetRun, changes, onOffColumn, outsideColumn } from "../../bench/acm_accuracy.ts";
import { makeFrame } from "../../core/frame.ts";
import type { Episode } from "../../core/plugin.ts";

const H = 3_600_000;

Deno.test("changes(): starts and stops of one sensor across frames, missing cells skipped", () => {
  const frame = (t0: number, v: number[]) =>
    makeFrame({
      columns: ["p"],
      values: Float64Array.from(v),
      timestamps: Float64Array.from(v, (_, i) => t0 + i * H),
    });
  const at = changes([frame(0, [9, 9, 0, NaN]), frame(4 * H, [0, 7, 7])], "p", 1);
  assert.deepEqual(at, [{ t: 2 * H, on: false }, { t: 5 * H, on: true }]);
});

Deno.test("onOffColumn(): near a change / begun while stopped / spanning / changes", () => {
  const at = [{ t: 10 * H, on: false }, { t: 20 * H, on: true }];
  const ep = (start: number, end: number) => ({ start: start * H, end: end * H }) as Episode;
  const episodes = [
    ep(9.5, 9.8), // 0.5 h before the stop: near, running, spans nothing
    ep(12, 13), // 2 h after the stop: near and stopped
    ep(15, 25), // begun mid-stop (stopped), spans the start
    ep(30, 31), // running, far from both
  ];
  assert.equal(onOffColumn(episodes, at), "2/2/1/2");
  assert.equal(onOffColumn([], at), "0/0/0/2");
});

Deno.test("outsideColumn(): episodes with a sensor outside training, and those with no culprit outside", () => {
  // Sensor a trained on 0–10 (band −2.5–12.5), b on 0–1; four hourly rows per episode.
  const t = Float64Array.from({ length: 12 }, (_, i) => i * H);
  const a = [5, 5, 5, 5, 20, 20, 20, 5, 5, 5, 5, 5];
  const b = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 3, 3, 3, 0.5];
  const raw = makeFrame({
    columns: ["a", "b"],
    values: Float64Array.from([...a, ...b]),
    timestamps: t,
  });
  const ep = (start: number, end: number, culprit: string) =>
    ({ start: start * H, end: end * H, culprits: [{ sensor: culprit, pct: 100 }] }) as Episode;
  const run = {
    raw,
    model: { engine: { trainRanges: { a: [0, 5, 10], b: [0, 0.5, 1] } } },
    episodes: [
      ep(0, 3, "a"), // inside training
      ep(4, 7, "a"), // a outside on 3 of 4 rows, a culprit
      ep(8, 11, "a"), // b outside on 3 of 4 rows, not a culprit
    ],
  } as unknown as AssetRun;
  assert.equal(outsideColumn(run), "2 of 3 (1)");
});
