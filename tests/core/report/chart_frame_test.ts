import assert from "node:assert/strict";
import { chartFrame, episodeShading, timeAxis } from "../../../core/report/chart_frame.ts";
import type { EpisodeRecord } from "../../../core/io/records.ts";

const DAY = 86_400_000;
const t0 = Date.UTC(2020, 0, 1), t1 = Date.UTC(2020, 0, 31);
const frame = () => chartFrame({ width: 1100, height: 200, t0, t1, y0: 0, y1: 1 });

const ep = (id: number, day: number): EpisodeRecord => ({
  episode_id: id,
  start: new Date(t0 + day * DAY).toISOString().slice(0, 19),
  end: new Date(t0 + day * DAY + 3_600_000).toISOString().slice(0, 19),
  duration_s: 3600,
  peak_z: 9,
  mean_z: 6,
  severity: "critical",
  detector: "ar1",
  culprits: [],
  regime: 0,
  open: false,
});

Deno.test("episodeShading() labels only episodes at least 30 px apart, so ids never overprint", () => {
  const eps = [ep(4, 10), ep(5, 10.2), ep(6, 10.4), ep(7, 20)];
  const svg = episodeShading(frame(), eps, true);
  const labels = [...svg.matchAll(/class="ep-label"[^>]*>#(\d+)</g)].map((m) => Number(m[1]));
  assert.deepEqual(labels, [4, 7]);
  assert.equal(svg.match(/<rect class="episode"/g)?.length, 4, "every episode is still shaded");
});

Deno.test("timeAxis() anchors a tick near the right edge at its end so the last date is not cut", () => {
  const f = chartFrame({
    width: 1100,
    height: 200,
    t0,
    t1: Date.UTC(2020, 0, 30, 6),
    y0: 0,
    y1: 1,
  });
  const ticks = [...timeAxis(f).matchAll(/text-anchor="(\w+)">([^<]+)</g)];
  const last = ticks[ticks.length - 1];
  assert.equal(last[2], "2020-01-30");
  assert.equal(last[1], "end");
  assert.equal(ticks[1][1], "middle");
});
