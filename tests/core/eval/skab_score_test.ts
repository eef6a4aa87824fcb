import assert from "node:assert/strict";
import { scoreSkabFile, summariseSkab } from "../../../core/eval/skab_score.ts";
import type { SkabLabels } from "../../../core/eval/skab_files.ts";

const S = 1000;
const secs = (xs: number[]) => Float64Array.from(xs, (x) => x * S);

/** Truth: rows at 0..9 s, anomaly from 4 s on, a changepoint at 4 s. */
function truth(): SkabLabels {
  return {
    timestamps: secs([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
    anomaly: Uint8Array.from([0, 0, 0, 0, 1, 1, 1, 1, 1, 1]),
    changepoint: Uint8Array.from([0, 0, 0, 0, 1, 0, 0, 0, 0, 0]),
  };
}

Deno.test("scoreSkabFile() scores only the timestamps present in both series", () => {
  // prediction starts 3 rows late and has a row the truth lacks
  const pred = {
    timestamps: secs([3, 4, 5, 6, 7, 8, 9, 20]),
    alarm: Uint8Array.from([0, 1, 1, 1, 1, 1, 1, 1]),
  };
  const r = scoreSkabFile("f", truth(), pred);
  assert.equal(r.rows, 7);
  assert.deepEqual(r.confusion, { tp: 6, fp: 0, fn: 0, tn: 1 });
  assert.equal(r.nab.missed, 0);
  assert.equal(r.nab.windows[0].detection, 4 * S);
  assert.equal(r.nab.fps, 0);
});

Deno.test("scoreSkabFile() builds events on the prediction's own rows before aligning", () => {
  // own rows 3, 4, 5 → events at 3 (p[0]) and 5 (falling edge); 3 s is before the window: one FP
  const pred = { timestamps: secs([3, 4, 5]), alarm: Uint8Array.from([1, 1, 0]) };
  const r = scoreSkabFile("f", truth(), pred);
  assert.equal(r.nab.fps, 1);
  assert.equal(r.nab.windows[0].detection, 5 * S);
  // the same prediction with a leading row that truth lacks: its p[0] event is dropped
  const late = { timestamps: secs([2.5, 3, 4, 5]), alarm: Uint8Array.from([1, 1, 1, 0]) };
  assert.equal(scoreSkabFile("f", truth(), late).nab.fps, 0);
});

Deno.test("scoreSkabFile() applies the rolling max before differencing when asked", () => {
  // 100 rows, one changepoint at 90 s; an alarm flickers on rows 10, 12 and 14
  const n = 100;
  const t: SkabLabels = {
    timestamps: Float64Array.from({ length: n }, (_, i) => i * S),
    anomaly: new Uint8Array(n),
    changepoint: new Uint8Array(n),
  };
  t.changepoint[90] = 1;
  const alarm = new Uint8Array(n);
  alarm[10] = alarm[12] = alarm[14] = 1;
  const pred = { timestamps: t.timestamps, alarm };
  assert.equal(scoreSkabFile("f", t, pred).nab.fps, 6); // every edge
  assert.equal(scoreSkabFile("f", t, pred, { cpRollingMaxRows: 3 }).nab.fps, 2); // rows 10 and 17
});

Deno.test("scoreSkabFile() rejects a prediction whose arrays differ in length", () => {
  assert.throws(
    () => scoreSkabFile("f", truth(), { timestamps: secs([1, 2]), alarm: new Uint8Array(3) }),
    /2 timestamps but 3 alarms/,
  );
});

Deno.test("summariseSkab() pools confusion counts and NAB sums over files", () => {
  const t = truth();
  const perfect = scoreSkabFile("a", t, { timestamps: t.timestamps, alarm: t.anomaly });
  const silent = scoreSkabFile("b", t, { timestamps: t.timestamps, alarm: new Uint8Array(10) });
  const s = summariseSkab([perfect, silent]);
  assert.equal(s.files, 2);
  assert.equal(s.rows, 20);
  assert.deepEqual([s.outlier.tp, s.outlier.fn, s.outlier.tn, s.outlier.fp], [6, 6, 8, 0]);
  assert.equal(s.nab.missed, 1);
  assert.ok(Math.abs(s.nab.standard - 50) < 1e-9); // (1 + −1 − (−2)) / (2 − (−2))
});
