import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { runEpisodes } from "../../../core/episodes/state_machine.ts";
import type { EpisodeOptions } from "../../../core/pipeline/stage_schemas.ts";
import type { Episode } from "../../../core/plugin.ts";

const opts: EpisodeOptions = {
  on_z: 3,
  on_hold_rows: 2,
  on_hold_s: 0,
  off_z: 1,
  off_hold_rows: 3,
  off_hold_s: 0,
  hold_unseen_regime: true,
  envelope_episode_s: 0,
  min_duration_s: 0,
  merge_gap_s: 0,
  max_gap_s: 0,
  warning_z: 5,
  critical_z: 10,
  top_culprits: 2,
};
const MIN = 60_000;
const times = (n: number) => Float64Array.from({ length: n }, (_, i) => i * MIN);
const noAttribution = (regime = 0) => () => ({
  heads: { a: 1 },
  sensors: { s1: 2, s2: 1 },
  regime,
});

Deno.test("runEpisodes() opens after on_hold_rows and closes after off_hold_rows", () => {
  const z = Float64Array.from([0, 4, 0, 4, 5, 6, 2, 0.5, 4, 0, 0, 0, 0, 0]);
  const run = runEpisodes(z, times(z.length), opts, null, noAttribution());
  assertEquals(run.episodes.length, 1);
  const ep = run.episodes[0];
  assertEquals([ep.start / MIN, ep.end / MIN], [3, 8]);
  assertEquals(ep.peak_z, 6);
  assertEquals(ep.open, false);
  assertEquals(ep.severity, "warning");
  assertEquals([...run.alarm], [0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
});

Deno.test("runEpisodes() gives the same episodes when the series is cut into chunks", () => {
  const n = 400;
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    z[i] = (Math.sin(i / 7) * 3 + Math.cos(i / 3) * 1.5) + (i % 97 < 9 ? 4 : 0);
  }
  const t = times(n);
  const whole = runEpisodes(z, t, opts, null, noAttribution());
  const merged = new Map<number, Episode>();
  let state = null;
  for (const [a, b] of [[0, 37], [37, 150], [150, 151], [151, 290], [290, 400]]) {
    const part = runEpisodes(z.subarray(a, b), t.subarray(a, b), opts, state, noAttribution());
    for (const ep of part.episodes) merged.set(ep.id, ep);
    state = part.state;
  }
  assertEquals([...merged.values()], whole.episodes);
  assertEquals(whole.episodes.length > 3, true);
});

Deno.test("runEpisodes() keeps an episode open at the end of a chunk and continues it in the next", () => {
  const z1 = Float64Array.from([0, 5, 5, 5]);
  const first = runEpisodes(z1, times(4), opts, null, noAttribution());
  assertEquals(first.episodes.map((e) => [e.id, e.open]), [[1, true]]);
  const z2 = Float64Array.from([6, 0, 0, 0]);
  const t2 = times(8).subarray(4);
  const second = runEpisodes(z2, t2, opts, first.state, noAttribution());
  assertEquals(second.episodes.map((e) => [e.id, e.open, e.end / MIN, e.peak_z]), [[
    1,
    false,
    4,
    6,
  ]]);
  assertEquals([...second.alarm], [1, 0, 0, 0]);
});

Deno.test("runEpisodes() merges episodes closer than merge_gap_s and drops short ones", () => {
  const z = Float64Array.from([5, 5, 0, 0, 0, 5, 5, 0, 0, 0, 0, 0, 0, 5, 5, 0, 0, 0]);
  const merged = runEpisodes(
    z,
    times(z.length),
    { ...opts, merge_gap_s: 5 * 60 },
    null,
    noAttribution(),
  );
  assertEquals(merged.episodes.map((e) => [e.start / MIN, e.end / MIN]), [[0, 6], [13, 14]]);
  assertEquals(merged.alarm.slice(0, 7).every((a) => a === 1), true);
  const dropped = runEpisodes(
    z,
    times(z.length),
    { ...opts, min_duration_s: 120 },
    null,
    noAttribution(),
  );
  assertEquals(dropped.episodes.length, 0);
  assertEquals(dropped.alarm.every((a) => a === 0), true);
});

Deno.test("runEpisodes() names culprit sensors by summed contribution and the majority regime", () => {
  const z = Float64Array.from([5, 5, 5, 0, 0, 0]);
  const run = runEpisodes(z, times(6), opts, null, (i) => ({
    heads: { pca_spe: 2, ar1: i },
    sensors: { A: 3, B: 1, C: i === 0 ? 10 : 0 },
    regime: i === 0 ? 1 : 2,
  }));
  const ep = run.episodes[0];
  assertEquals(ep.culprits, [{ sensor: "C", pct: 45.5 }, { sensor: "A", pct: 40.9 }]);
  assertEquals(ep.detector, "pca_spe");
  assertEquals(ep.regime, 2);
});

Deno.test("runEpisodes() holds can be written in seconds: on_hold_s and off_hold_s", () => {
  const z = Float64Array.from([5, 5, 5, 5, 0, 0, 0, 0, 0, 0]);
  const rowsOnly = runEpisodes(
    z,
    times(10),
    { ...opts, on_hold_rows: 1, off_hold_rows: 1 },
    null,
    noAttribution(),
  );
  const timed = runEpisodes(
    z,
    times(10),
    { ...opts, on_hold_rows: 1, on_hold_s: 180, off_hold_rows: 1, off_hold_s: 240 },
    null,
    noAttribution(),
  );
  assertEquals(rowsOnly.episodes.map((e) => [e.start / MIN, e.end / MIN]), [[0, 3]]);
  assertEquals([...rowsOnly.alarm], [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  assertEquals(timed.episodes.map((e) => [e.start / MIN, e.end / MIN]), [[0, 3]]);
  assertEquals([...timed.alarm], [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  const short = runEpisodes(
    Float64Array.from([5, 5, 0, 0]),
    times(4),
    { ...opts, on_hold_s: 180 },
    null,
    noAttribution(),
  );
  assertEquals(short.episodes.length, 0);
});

Deno.test("runEpisodes() never opens on held rows, and a held stretch closes an open episode", () => {
  const z = Float64Array.from([9, 9, 9, 9, 0, 0, 0, 0, 0, 0]);
  const hold = Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  assertEquals(runEpisodes(z, times(10), opts, null, noAttribution(), hold).episodes.length, 0);
  const broken = Uint8Array.from([0, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
  assertEquals(runEpisodes(z, times(10), opts, null, noAttribution(), broken).episodes.length, 0);
  const z2 = Float64Array.from([5, 5, 5, 9, 9, 9, 9, 9, 6, 6, 6, 0]);
  const hold2 = Uint8Array.from([0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
  const run = runEpisodes(z2, times(12), opts, null, noAttribution(), hold2);
  assertEquals(run.episodes.map((e) => [e.id, e.start / MIN, e.end / MIN, e.open]), [
    [1, 0, 2, false],
    [2, 8, 10, true],
  ]);
  assertEquals([...run.alarm], [1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
});

Deno.test("runEpisodes() closes an open episode at the last row before a long gap", () => {
  // rows 0–5 before the gap, rows 6–11 after it; z stays high across it
  const z = Float64Array.from([0, 5, 5, 5, 2, 0.5, 5, 5, 5, 5, 0, 0]);
  const breaks = new Uint8Array(z.length);
  breaks[6] = 1;
  const run = runEpisodes(z, times(z.length), opts, null, noAttribution(), undefined, breaks);
  assertEquals(run.episodes.map((e) => [e.id, e.start / MIN, e.end / MIN, e.open]), [
    [1, 1, 4, false], // row 4 (z 2) is still above off_z 1
    [2, 6, 9, true],
  ]);
  // the low row before the gap (5) is not alarmed: the episode ended at row 4
  assertEquals([...run.alarm], [0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]);
  const without = runEpisodes(z, times(z.length), opts, null, noAttribution());
  assertEquals(without.episodes.map((e) => [e.start / MIN, e.end / MIN]), [[1, 9]]);
});

Deno.test("runEpisodes() closes an episode left open by the previous chunk when the next starts after a gap", () => {
  const first = runEpisodes(Float64Array.from([0, 5, 5, 5]), times(4), opts, null, noAttribution());
  assertEquals(first.episodes.map((e) => e.open), [true]);
  const z2 = Float64Array.from([5, 0, 0, 0]); // one high row: below on_hold_rows, opens nothing
  const breaks = Uint8Array.from([1, 0, 0, 0]);
  const t2 = times(4).map((t) => t + 200 * MIN);
  const second = runEpisodes(z2, t2, opts, first.state, noAttribution(), undefined, breaks);
  // #1 closed at its last row before the gap; the run after the gap is pending, not #1 again
  assertEquals(second.episodes.map((e) => [e.id, e.end / MIN, e.open]), [[1, 3, false]]);
  assertEquals([...second.alarm], [0, 0, 0, 0]);
  assertEquals(second.state.active, null);
});

Deno.test("runEpisodes() drops a run pending at a gap and never merges across it", () => {
  const o = { ...opts, merge_gap_s: 1e9 };
  // an episode (rows 0–2), low rows, then 1 high row before the gap and 1 after: the
  // split pending run may not open, and the episode after the gap is a new one
  const z = Float64Array.from([5, 5, 5, 0, 0, 0, 5, 5, 5, 5, 0, 0, 0]);
  const breaks = new Uint8Array(z.length);
  breaks[7] = 1;
  const run = runEpisodes(z, times(z.length), o, null, noAttribution(), undefined, breaks);
  assertEquals(run.episodes.map((e) => [e.id, e.start / MIN, e.end / MIN]), [[1, 0, 2], [2, 7, 9]]);
});
