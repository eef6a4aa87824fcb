import assert from "node:assert/strict";
import { rowStatus, withEnvelopeEpisodes } from "../../../core/engine/envelope_status.ts";
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
