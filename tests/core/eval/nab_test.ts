import assert from "node:assert/strict";
import {
  NAB_PROFILES,
  nabWindows,
  poolNab,
  scaledSigmoid,
  scoreNabFile,
} from "../../../core/eval/nab.ts";

const S = 1000; // ms per second

Deno.test("nabWindows() cuts an overlapping window to start where the previous one ends", () => {
  const w = nabWindows([0, 30 * S, 200 * S]);
  assert.deepEqual(w.map((x) => [x.start / S, x.end / S, x.cut]), [
    [0, 60, false],
    [60, 90, true],
    [200, 260, false],
  ]);
});

Deno.test("nabWindows() counts a changepoint exactly 60 s later as cut, its start unchanged", () => {
  const w = nabWindows([0, 60 * S, 121 * S]);
  assert.deepEqual(w.map((x) => [x.start / S, x.cut]), [[0, false], [60, true], [121, false]]);
});

Deno.test("scoreNabFile() counts events before, between and after windows as FPs, each once", () => {
  // windows [100, 160] and [300, 360]
  const r = scoreNabFile([100 * S, 300 * S], [50 * S, 100 * S, 120 * S, 200 * S, 361 * S]);
  assert.equal(r.fps, 3); // 50 (before), 200 (between), 361 (after); 120 is a later event in a window
  assert.equal(r.missed, 1);
  assert.equal(r.windows[0].detection, 100 * S);
  assert.ok(Number.isNaN(r.windows[1].detection));
  // standard: A_tp at the window start, 3 FPs, 1 missed
  assert.ok(Math.abs(r.sums.standard.score - (1 - 3 * 0.11 - 1)) < 1e-12);
  assert.deepEqual([r.sums.standard.null, r.sums.standard.perfect], [-2, 2]);
  assert.deepEqual([r.sums.lowFN.null, r.sums.lowFN.perfect], [-4, 2]);
});

Deno.test("scoreNabFile() lets an event on a shared boundary detect both windows", () => {
  const r = scoreNabFile([0, 30 * S], [60 * S]);
  assert.equal(r.fps, 0);
  assert.equal(r.missed, 0);
  assert.deepEqual(r.windows.map((w) => w.detection), [60 * S, 60 * S]);
  // end of window 1 scores A_fp, start of the cut window 2 scores A_tp
  const p = NAB_PROFILES.standard;
  assert.ok(Math.abs(r.sums.standard.score - (p.fp + p.tp)) < 1e-12);
});

Deno.test("scoreNabFile() scores a detection by its place in the window after the cut", () => {
  // windows [0, 60] and the cut [60, 90]; an event at 75 s is halfway through the second
  const r = scoreNabFile([0, 30 * S], [75 * S]);
  assert.equal(r.missed, 1);
  const p = NAB_PROFILES.lowFP;
  assert.ok(Math.abs(r.sums.lowFP.score - (p.fn + scaledSigmoid(0.5, p))) < 1e-12);
});

Deno.test("scoreNabFile() makes every event an FP when a file has no changepoint", () => {
  const r = scoreNabFile([], [1 * S, 2 * S]);
  assert.equal(r.fps, 2);
  assert.deepEqual(r.sums.lowFP, { score: -0.44, null: 0, perfect: 0 });
});

Deno.test("scaledSigmoid() gives A_tp at the start, A_fp at the end and quantises to 1000 steps", () => {
  for (const p of Object.values(NAB_PROFILES)) {
    assert.ok(Math.abs(scaledSigmoid(0, p) - p.tp) < 1e-12);
    assert.ok(Math.abs(scaledSigmoid(1, p) - p.fp) < 1e-12);
    assert.equal(scaledSigmoid(0.0009, p), scaledSigmoid(0, p)); // int(0.9) = 0
    assert.equal(scaledSigmoid(0.9995, p), scaledSigmoid(1, p)); // int(999.5) = 999
    assert.ok(scaledSigmoid(0.3, p) > scaledSigmoid(0.6, p));
  }
  // e = 500: x = π/1998, just past the midpoint
  const p = NAB_PROFILES.standard;
  const x = -Math.PI / 2 + (500 * Math.PI) / 999;
  const want = (1.11 / 2) * (-Math.tanh(x) / Math.tanh(Math.PI / 2)) + 1.11 / 2 - 0.11;
  assert.ok(Math.abs(scaledSigmoid(0.5, p) - want) < 1e-15);
  assert.ok(scaledSigmoid(0.5, p) < 0.445);
});

Deno.test("poolNab() sums files before normalising and averages delays from the window start", () => {
  const a = scoreNabFile([0], [0]); // perfect
  const b = scoreNabFile([0, 30 * S], [75 * S]); // one missed, one halfway through the cut window
  const s = poolNab([a, b]);
  const sum = 1 + (-1 + scaledSigmoid(0.5, NAB_PROFILES.standard));
  assert.ok(Math.abs(s.standard - (100 * (sum + 3)) / 6) < 1e-9);
  assert.equal(s.changepoints, 3);
  assert.equal(s.missed, 1);
  assert.equal(s.meanDelayS, (0 + 15) / 2);
});

Deno.test("poolNab() gives 0 and a NaN delay when there is no window", () => {
  const s = poolNab([scoreNabFile([], [])]);
  assert.deepEqual([s.standard, s.lowFP, s.lowFN, s.missed, s.fps], [0, 0, 0, 0, 0]);
  assert.ok(Number.isNaN(s.meanDelayS));
});
