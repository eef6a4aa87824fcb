import assert from "node:assert/strict";
import {
  type AssetAlarms,
  median,
  type ScoredEpisode,
  scoreFleet,
  type TruthFault,
} from "../../../core/eval/fleet_score.ts";

const H = 3_600_000;
const DAY = 24 * H;

const fault = (asset: string, kind: string, start: number, end: number): TruthFault => ({
  asset,
  kind,
  start,
  end,
});
const ep = (asset: string, id: number, start: number, end: number): ScoredEpisode => ({
  asset,
  id,
  start,
  end,
  kind: "",
});

/** Hourly alarm rows over [from, to) with alarm 1 inside the given windows. */
function alarms(asset: string, from: number, to: number, on: Array<[number, number]>): AssetAlarms {
  const n = (to - from) / H;
  const timestamps = new Float64Array(n), alarm = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    timestamps[i] = from + i * H;
    alarm[i] = on.some(([a, b]) => timestamps[i] >= a && timestamps[i] < b) ? 1 : 0;
  }
  return { asset, from, to, timestamps, alarm };
}

Deno.test("median() gives the middle value, the mean of the two middle ones, or null", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.equal(median([]), null);
});

Deno.test("scoreFleet() finds a fault when an episode overlaps its window or the grace after it", () => {
  const faults = [
    fault("A", "step", 10 * H, 20 * H), // episode inside: delay 2 h
    fault("A", "noise", 40 * H, 41 * H), // episode starts 30 min after the end: within 1 h grace
    fault("A", "drift", 60 * H, 70 * H), // episode starts 2 h after the end: missed
    fault("B", "step", 10 * H, 20 * H), // other asset: the A episode must not count
  ];
  const episodes = [
    ep("A", 1, 12 * H, 14 * H),
    ep("A", 2, 41.5 * H, 42 * H),
    ep("A", 3, 72 * H, 73 * H),
  ];
  const s = scoreFleet(
    faults,
    episodes,
    [alarms("A", 0, 4 * DAY, []), alarms("B", 0, 4 * DAY, [])],
    {
      graceMs: H,
    },
  );
  assert.deepEqual(s.verdicts.map((v) => v.found), [true, true, false, false]);
  assert.deepEqual(s.verdicts.map((v) => v.delayMs), [2 * H, 1.5 * H, null, null]);
  assert.equal(s.recall, 0.5);
  assert.deepEqual(s.falseList.map((e) => e.id), [3]);
  assert.equal(s.falseEpisodes, 1);
  assert.equal(s.assetDays, 8);
  assert.equal(s.falsePer30AssetDays, 30 / 8);
  assert.equal(s.medianDelayMs, 1.75 * H);
  assert.equal(s.driftMedianDelayMs, null);
  const step = s.byKind.find((k) => k.kind === "step")!;
  assert.deepEqual([step.faults, step.found, step.recall], [2, 1, 0.5]);
});

Deno.test("scoreFleet() gives delay 0 to an episode that began before the fault", () => {
  const s = scoreFleet([fault("A", "drift", 10 * H, 20 * H)], [ep("A", 1, 8 * H, 11 * H)], [], {
    graceMs: 0,
  });
  assert.equal(s.verdicts[0].delayMs, 0);
  assert.equal(s.driftMedianDelayMs, 0);
});

Deno.test("scoreFleet() ignores episodes that end before the scored period", () => {
  const s = scoreFleet([], [ep("A", 1, 1 * H, 2 * H), ep("A", 2, 30 * H, 31 * H)], [
    alarms("A", DAY, 2 * DAY, []),
  ], { graceMs: 0 });
  assert.equal(s.episodes, 1);
  assert.deepEqual(s.falseList.map((e) => e.id), [2]);
});

Deno.test("scoreFleet() counts alarm rows outside the fault windows and their grace only", () => {
  // 48 hourly rows; fault 10–20 h with 2 h grace → 36 rows outside; alarm at 5–8 h (3 rows)
  // and 12–21 h (inside the window or its grace: not counted).
  const a = alarms("A", 0, 2 * DAY, [[5 * H, 8 * H], [12 * H, 21 * H]]);
  const s = scoreFleet([fault("A", "step", 10 * H, 20 * H)], [], [a], { graceMs: 2 * H });
  assert.equal(s.alarmOutsidePct, (100 * 3) / 36);
});
