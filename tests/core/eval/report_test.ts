import assert from "node:assert/strict";
import {
  formatFileTable,
  formatLeaderboards,
  formatSummary,
  reportJson,
  summaryRow,
} from "../../../core/eval/report.ts";
import { scoreSkabFile, summariseSkab } from "../../../core/eval/skab_score.ts";
import { PUBLISHED_LEADERBOARD } from "../../../core/eval/leaderboard.ts";

const S = 1000;
const timestamps = Float64Array.from({ length: 10 }, (_, i) => i * S);
const truth = {
  timestamps,
  anomaly: Uint8Array.from([0, 0, 0, 0, 1, 1, 1, 1, 1, 1]),
  changepoint: Uint8Array.from([0, 0, 0, 0, 1, 0, 0, 0, 0, 0]),
};
const alarm = Uint8Array.from([0, 0, 0, 1, 1, 1, 1, 0, 0, 0]);
const scores = [scoreSkabFile("valve1/0.csv", truth, { timestamps, alarm })];
const summary = summariseSkab(scores);

Deno.test("formatSummary() prints F1, FAR, MAR, the NAB profiles, missed, FPs and delay", () => {
  const text = formatSummary(summary);
  // events: rise at 3 s (before the window: FP), fall at 7 s (detection, 3 s after the start)
  // TP 3, FP 1, FN 3, TN 3 → F1 0.6, FAR 25, MAR 50
  assert.match(text, /TP 3, FP 1, FN 3, TN 3/);
  assert.match(text, /F1 0\.6 {3}FAR 25 % {3}MAR 50 %/);
  assert.match(text, /changepoints 1, missed 0, FPs 1, mean delay 3\.0 s/);
});

Deno.test("formatLeaderboards() sorts both tables and marks our row", () => {
  const ours = summaryRow(summary, "ours", "acm test");
  const text = formatLeaderboards(ours, PUBLISHED_LEADERBOARD);
  const [outlier, cp] = text.split("\n\n");
  const names = (table: string) => table.split("\n").slice(3).map((l) => l.split(/ {2,}/)[0]);
  const o = names(outlier);
  assert.deepEqual(o.slice(0, 2), ["Conv-AE", "MSET"]);
  // F1 0.6 sits between T-squared (0.66) and LSTM-VAE (0.56)
  assert.equal(o.indexOf("acm test ◀"), o.indexOf("T-squared") + 1);
  assert.equal(o.indexOf("acm test ◀"), o.indexOf("LSTM-VAE") - 1);
  assert.ok(!o.includes("ArimaFD")); // no F1 published
  const c = names(cp);
  assert.deepEqual(c.slice(0, 3), ["acm test ◀", "MSCRED", "Isolation forest"]); // NAB 93.63 first
  assert.ok(!c.includes("LSTM-VAE")); // no changepoint row
});

Deno.test("formatFileTable() prints one line per file, with timings when given", () => {
  const plain = formatFileTable(scores).split("\n");
  assert.equal(plain.length, 3);
  assert.match(plain[2], /^valve1\/0\.csv\s+10\s+3\s+1\s+3\s+3\s+1\s+0\s+1$/);
  const timed = formatFileTable(scores, new Map([["valve1/0.csv", { fitMs: 12.3, scoreMs: 4.5 }]]));
  assert.match(timed.split("\n")[2], /\s12\s+5$/);
});

Deno.test("reportJson() carries unrounded pooled metrics, the rounded row and per-file counts", () => {
  const j = reportJson({
    mode: "alarms-only",
    label: "x",
    settings: { trainRows: 400 },
    summary,
    scores,
    notes: [],
    leaderboard: { from: "embedded", rows: [] },
  }) as { summary: { f1: number }; row: { f1: number }; files: { tp: number; missed: number }[] };
  assert.equal(j.summary.f1, 0.6);
  assert.equal(j.row.f1, 0.6);
  assert.deepEqual([j.files[0].tp, j.files[0].missed], [3, 0]);
});
