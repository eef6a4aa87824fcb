import assert from "node:assert/strict";
import { heldNote, rowStatus, withEnvelopeEpisodes } from "../../../core/engine/envelope_status.ts";
import { makeFrame } from "../../../core/frame.ts";
import { initialEpisodeState } from "../../../core/episodes/state_machine.ts";
import type { EpisodeOptions, RegimeOptions } from "../../../core/pipeline/stage_schemas.ts";

const MIN = 60_000;
const n = 12;
const raw = makeFrame({
  columns: ["a"],
  values: new Float64Array(n),
  timestamps: Float64Array.from({ length: n }, (_, i) => i * MIN),
});
// Rows 2–4 outside and below (a stop), rows 7–9 outside with a sensor above (a shift).
const regimes = {
  labels: new Int32Array(n).fill(0),
  unseen: Uint8Array.from([0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0]),
  below: Uint8Array.from([0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]),
  farthest: new Int32Array(n).fill(0),
};
const reg = { transient_s: 0, ramp_z: 0, ramp_window_s: 600 } as RegimeOptions;
const ep = (over: Partial<EpisodeOptions>) =>
  ({
    hold_unseen_regime: true,
    envelope_episode_s: 0,
    off_hold_rows: 2,
    top_culprits: 3,
    warning_z: 5,
    critical_z: 10,
    ...over,
  }) as EpisodeOptions;
const none = { transients: null, ramps: null };

Deno.test("rowStatus() holds every envelope row as before when envelope_episode_s is 0", () => {
  const s = rowStatus(null, raw, regimes, { regimes: reg, episodes: ep({}) }, none);
  assert.deepEqual([...s.hold], [...regimes.unseen]);
  assert.deepEqual([...s.envelope], [...regimes.unseen]);
  assert.equal(s.transient.reduce((a, b) => a + b, 0), 0);
  const free = rowStatus(null, raw, regimes, {
    regimes: reg,
    episodes: ep({ hold_unseen_regime: false }),
  }, none);
  assert.equal(free.hold.reduce((a, b) => a + b, 0), 0);
});

Deno.test("rowStatus() with envelope_episode_s > 0 holds only below exits; withEnvelopeEpisodes() adds the shift", () => {
  const options = ep({ envelope_episode_s: 120 });
  const s = rowStatus(null, raw, regimes, { regimes: reg, episodes: options }, none);
  assert.deepEqual([...s.hold], [0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
  const run = { alarm: new Uint8Array(n), episodes: [], state: initialEpisodeState() };
  run.state.nextId = 4;
  const out = withEnvelopeEpisodes(
    run,
    { timestamps: raw.timestamps, fused: new Float64Array(n).fill(2), regimes, sensors: ["a"] },
    options,
    null,
  );
  assert.deepEqual(out.episodes.map((e) => [e.id, e.kind, e.start / MIN, e.end / MIN]), [
    [4, "envelope", 7, 9],
  ]);
  assert.equal(out.faultState.nextId, 5, "ids shared with fault episodes");
  assert.deepEqual([...out.alarm], [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0]);
  assert.deepEqual(out.exits.map((x) => [x.start / MIN, x.shift]), [[2, false], [7, true]]);
});

Deno.test("heldNote() warns when half the rows are held, says why, and advises by the cause", () => {
  const options = { ...reg, ramp_z: 1, transient_s: 1800, settle_s: 14400 } as RegimeOptions;
  const status = (hold: number[], transient: number[], envelope: number[]) => ({
    hold: Uint8Array.from(hold),
    transient: Uint8Array.from(transient),
    envelope: Uint8Array.from(envelope),
    carry: { transients: null as never, ramps: null },
  });
  const zeros = new Uint8Array(4);
  // 1 of 4 held: below the share, no note.
  assert.equal(heldNote(status([1, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]), zeros, options), null);
  // Transients: the ramp and transient settings are named with their values.
  const t = heldNote(status([1, 1, 1, 0], [1, 1, 0, 0], [0, 0, 1, 0]), zeros, options)!;
  assert.equal(t.kind, "held-rows");
  assert.equal(t.count, 3);
  assert.match(t.message, /^3 of 4 rows \(75 %\) are held from episodes: 2 as start-up/);
  assert.match(t.message, /1 outside the training envelope \(0 of them below it/);
  assert.match(t.message, /regimes\.ramp_z \(now 1;.*regimes\.transient_s \(now 1800 s\)/);
  // A stop (outside and below): expected, no advice to change settings.
  const below = Uint8Array.from([1, 1, 1, 1]);
  const stop = heldNote(status([1, 1, 0, 0], [0, 0, 0, 0], [1, 1, 0, 0]), below, options)!;
  assert.match(stop.message, /2 outside the training envelope \(2 of them below it/);
  assert.match(stop.message, /Expected while the machine is stopped\.$/);
  assert.doesNotMatch(stop.message, /ramp_z/);
  // Outside, not below: a state training never saw.
  const unseen = heldNote(status([1, 1, 0, 0], [0, 0, 0, 0], [1, 1, 0, 0]), zeros, options)!;
  assert.match(unseen.message, /retrain on data that covers it\.$/);
});
