import assert from "node:assert/strict";
import { runEnvelope } from "../../../core/episodes/envelope.ts";
import type { EpisodeOptions } from "../../../core/pipeline/stage_schemas.ts";

const MIN = 60_000;
const opts: EpisodeOptions = {
  on_z: 3,
  on_hold_rows: 2,
  on_hold_s: 0,
  off_z: 1,
  off_hold_rows: 3,
  off_hold_s: 0,
  hold_unseen_regime: true,
  envelope_episode_s: 600,
  min_duration_s: 0,
  merge_gap_s: 0,
  max_gap_s: 0,
  warning_z: 5,
  critical_z: 10,
  top_culprits: 2,
};

/** Rows 0..n-1 a minute apart; `out` rows outside, `below` those whose far sensors all fell. */
function rows(n: number, out: (i: number) => boolean, below: (i: number) => boolean) {
  return {
    timestamps: Float64Array.from({ length: n }, (_, i) => i * MIN),
    envelope: Uint8Array.from({ length: n }, (_, i) => (out(i) ? 1 : 0)),
    below: Uint8Array.from({ length: n }, (_, i) => (out(i) && below(i) ? 1 : 0)),
    farthest: (i: number) => (out(i) ? (i % 3 === 0 ? "flow" : "press") : ""),
    fused: Float64Array.from({ length: n }, (_, i) => (out(i) ? 4 : 0)),
  };
}

Deno.test("runEnvelope() reports a stop-like exit with its start but raises no episode", () => {
  let id = 1;
  const r = runEnvelope(rows(60, (i) => i >= 10 && i < 40, () => true), opts, null, () => id++);
  assert.deepEqual(r.exits, [{
    start: 10 * MIN,
    end: 39 * MIN,
    shift: false,
    episodeId: null,
    open: false,
  }]);
  assert.equal(r.episodes.length, 0);
  assert.equal(r.alarm.reduce((a, b) => a + b, 0), 0);
  assert.equal(id, 1);
});

Deno.test("runEnvelope() turns a shift lasting envelope_episode_s into an envelope episode from the exit's start", () => {
  let id = 7;
  // Outside 10..39; the first 3 rows fall (a lagging ramp), then sensors rise: a shift.
  const r = runEnvelope(rows(60, (i) => i >= 10 && i < 40, (i) => i < 13), opts, null, () => id++);
  assert.equal(r.episodes.length, 1);
  const e = r.episodes[0];
  assert.deepEqual(
    [e.id, e.kind, e.detector, e.start / MIN, e.end / MIN, e.open],
    [7, "envelope", "envelope", 10, 39, false],
  );
  assert.deepEqual(e.culprits.map((c) => c.sensor), ["press", "flow"]);
  assert.equal(e.peak_z, 4);
  assert.deepEqual(r.exits.map((x) => [x.shift, x.episodeId]), [[true, 7]]);
  assert.deepEqual([...r.alarm].flatMap((v, i) => (v ? [i] : [])), range(10, 40));
  assert.equal(id, 8);
});

Deno.test("runEnvelope() raises nothing for a short shift or with envelope_episode_s 0, and ends an exit after off_hold_rows inside", () => {
  const short = runEnvelope(rows(30, (i) => i >= 10 && i < 15, () => false), opts, null, () => 1);
  assert.equal(short.episodes.length, 0);
  const off = { ...opts, envelope_episode_s: 0 };
  const long = runEnvelope(rows(60, (i) => i >= 10 && i < 40, () => false), off, null, () => 1);
  assert.equal(long.episodes.length, 0);
  assert.equal(long.exits[0].shift, true);
  // Two rows back inside do not end it (off_hold_rows 3): one exit.
  const gap = runEnvelope(
    rows(60, (i) => (i >= 10 && i < 20) || (i >= 22 && i < 30), () => true),
    opts,
    null,
    () => 1,
  );
  assert.deepEqual(gap.exits.map((x) => [x.start / MIN, x.end / MIN]), [[10, 29]]);
});

Deno.test("runEnvelope() over chunks with its state equals one pass; an exit open at a chunk end is reported open", () => {
  const all = rows(60, (i) => i >= 10 && i < 40, () => false);
  let a = 1;
  const whole = runEnvelope(all, opts, null, () => a++);
  const cut = (from: number, to: number) => ({
    timestamps: all.timestamps.slice(from, to),
    envelope: all.envelope.slice(from, to),
    below: all.below.slice(from, to),
    farthest: (i: number) => all.farthest(i + from),
    fused: all.fused.slice(from, to),
  });
  let b = 1;
  const first = runEnvelope(cut(0, 25), opts, null, () => b++);
  assert.deepEqual(first.exits.map((x) => x.open), [true]);
  assert.deepEqual(first.episodes.map((e) => e.open), [true]);
  const state = JSON.parse(JSON.stringify(first.state));
  const second = runEnvelope(cut(25, 60), opts, state, () => b++);
  assert.deepEqual(second.episodes, whole.episodes);
  assert.deepEqual(second.exits, whole.exits);
  assert.deepEqual([...first.alarm, ...second.alarm], [...whole.alarm]);
});

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}
