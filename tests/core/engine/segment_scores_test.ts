import assert from "node:assert/strict";
import { joinScores, scoreSegments } from "../../../core/engine/segment_scores.ts";
import { makeFrame, sliceRows } from "../../../core/frame.ts";
import type { Detector, DetectorScores, StateValue } from "../../../core/plugin.ts";
import plugin from "../../../plugins/detectors/condition.ts";
import { createRng } from "../../../core/rng.ts";
import { sinkContext } from "../../_helpers/scored_chunk.ts";

/** A running sum of column 0 (state = the sum), contributions = |x| per column. */
const summing: Detector = {
  outputs: [""],
  fit() {},
  score(frame) {
    return this.scoreStream!(frame, null).scores;
  },
  scoreStream(frame, state) {
    let sum = (state as number | null) ?? 0;
    const out = new Float64Array(frame.rows);
    for (let i = 0; i < frame.rows; i++) out[i] = sum += frame.values[i];
    const scores: DetectorScores = {
      outputs: { "": out },
      contributions: { "": frame.values.map(Math.abs) },
      signatures: {
        "": {
          sensors: frame.columns.slice(1).concat(frame.columns[0]),
          tests: ["t"],
          sensor: new Int32Array(frame.rows).fill(0),
          test: new Int32Array(frame.rows).fill(-1),
        },
      },
    };
    return { scores, state: sum };
  },
  save: () => ({ plugin: "summing", version: "1", data: null }),
  load() {},
};

const frame = makeFrame({
  columns: ["x", "y"],
  values: Float64Array.from([1, 2, 3, 4, 5, -10, -20, -30, -40, -50]),
  timestamps: Float64Array.from([0, 1, 2, 3, 4]),
});
const rows = { hold: new Uint8Array(5), regimes: new Int32Array(5) };

Deno.test("scoreSegments() continues the carried state in the first segment and restarts in later ones", () => {
  const r = scoreSegments(summing, frame, [[0, 2], [2, 5]], 100, false, rows);
  assert.deepEqual([...r.scores.outputs[""]], [101, 103, 3, 7, 12]);
  assert.equal(r.state as StateValue, 12);
  const fresh = scoreSegments(summing, frame, [[0, 5]], 100, true, rows);
  assert.deepEqual([...fresh.scores.outputs[""]], [1, 3, 6, 10, 15]);
});

Deno.test("joinScores() joins column-major contributions and re-indexes signatures by name", () => {
  const r = scoreSegments(summing, frame, [[0, 2], [2, 5]], null, false, rows);
  assert.deepEqual([...r.scores.contributions![""]], [1, 2, 3, 4, 5, 10, 20, 30, 40, 50]);
  const sig = r.scores.signatures![""];
  assert.deepEqual(sig.sensors, ["y", "x"]);
  assert.deepEqual([...sig.sensor], [0, 0, 0, 0, 0]);
  assert.deepEqual([...sig.test], [-1, -1, -1, -1, -1]);
  const single = joinScores([r.scores], [5], 2);
  assert.equal(single, r.scores);
});

const ctx = sinkContext("condition");

Deno.test("scoreSegments() with the condition detector: rows after a gap score as a fresh stream", () => {
  const options = Object.fromEntries(
    Object.entries(plugin.options.properties as Record<string, { default: unknown }>).map((
      [k, v],
    ) => [k, v.default]),
  ) as never;
  const det = plugin.create(options, ctx);
  const rng = createRng(3);
  const n = 1200, values = new Float64Array(n * 2), timestamps = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    timestamps[i] = i * 60_000 + (i >= 900 ? 200 * 86_400_000 : 0); // a 200-day hole at row 900
    const load = Math.sin(i / 50);
    values[i] = load + 0.05 * rng.next();
    values[n + i] = 2 * load + 0.05 * rng.next() + (i >= 400 && i < 900 ? 0.3 : 0);
  }
  const data = makeFrame({ columns: ["a", "b"], values, timestamps });
  det.fit(sliceRows(data, 0, 400));
  const all = { hold: new Uint8Array(n), regimes: new Int32Array(n).fill(-1) };
  const split = scoreSegments(det, data, [[0, 900], [900, n]], null, false, all);
  const after = det.scoreStream!(sliceRows(data, 900, n), null, {
    hold: all.hold.subarray(900),
    regimes: all.regimes.subarray(900),
  });
  assert.deepEqual([...split.scores.outputs[""].subarray(900)], [...after.scores.outputs[""]]);
  assert.deepEqual(split.state, after.state);
  // without the restart the shift's evidence before the hole carries over
  const carried = det.scoreStream!(data, null, all).scores.outputs[""];
  assert.ok(carried[900] > split.scores.outputs[""][900]);
  assert.equal(split.scores.traces!.expected.length, n * 2);
});
