import assert from "node:assert/strict";
import {
  type DetectedEpisode,
  formatDuration,
  formatWindow,
  matchFaults,
  readEpisodesCsv,
} from "../../../core/synth/match_faults.ts";
import type { InjectedFault } from "../../../core/synth/faults.ts";

const H = 3_600_000;
const fault = (asset: string, start: number, end: number, sensors = ["VIB"]): InjectedFault => ({
  asset,
  kind: "bearing_wear",
  start: start * H,
  end: end * H,
  sensors,
  description: "",
});
const ep = (
  asset: string,
  id: number,
  start: number,
  end: number,
  culprits: string[] = [],
): DetectedEpisode => ({
  asset,
  id,
  start: start * H,
  end: end * H,
  peakZ: 5,
  culprits,
});

Deno.test("matchFaults() finds a fault when an episode of the same asset overlaps it, with its delay", () => {
  const r = matchFaults([fault("A", 10, 20)], [
    ep("A", 1, 12, 14, ["VIB", "T"]),
    ep("B", 2, 12, 14),
  ]);
  assert.equal(r.found, 1);
  assert.equal(r.matches[0].delayMs, 2 * H);
  assert.deepEqual(r.matches[0].episodeIds, [1]);
  assert.equal(r.matches[0].culpritHit, true);
  assert.deepEqual(r.falseAlarms.map((e) => e.id), [2], "another asset's episode does not count");
});

Deno.test("matchFaults() accepts an episode starting within the lag after the fault end, not later", () => {
  const f = [fault("A", 10, 20)];
  assert.equal(matchFaults(f, [ep("A", 1, 22, 23)]).found, 1);
  assert.equal(matchFaults(f, [ep("A", 1, 24, 25)]).found, 0);
  assert.equal(matchFaults(f, [ep("A", 1, 24, 25)], { lagMs: 5 * H }).found, 1);
});

Deno.test("matchFaults() floors the delay at 0 for an episode already open when the fault starts", () => {
  const r = matchFaults([fault("A", 10, 20)], [ep("A", 1, 8, 11)]);
  assert.equal(r.matches[0].delayMs, 0);
  assert.equal(
    matchFaults([fault("A", 10, 20)], [ep("A", 1, 5, 9)]).found,
    0,
    "ended before the fault",
  );
});

Deno.test("matchFaults() reports missed faults and checks only the top culprits", () => {
  const r = matchFaults(
    [fault("A", 10, 20), fault("A", 40, 50)],
    [ep("A", 1, 15, 16, ["P", "Q", "R", "VIB"]), ep("A", 2, 30, 31)],
  );
  assert.equal(r.found, 1);
  assert.equal(r.matches[0].culpritHit, false, "VIB is 4th, outside the top 3");
  assert.equal(
    matchFaults(r.matches.map((m) => m.fault), [ep("A", 1, 15, 16, ["P", "Q", "R", "VIB"])], {
      topCulprits: 4,
    }).culpritHits,
    1,
  );
  assert.equal(r.matches[1].detected, false);
  assert.equal(r.matches[1].delayMs, null);
  assert.deepEqual(r.falseAlarms.map((e) => e.id), [2]);
  assert.equal(r.total, 2);
});

Deno.test("readEpisodesCsv() reads the episodes.csv contract with culprits sorted by share", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/episodes.csv`;
    await Deno.writeTextFile(
      path,
      "episode_id,start,end,duration_s,peak_z,mean_z,severity,detector,culprits,regime\n" +
        "3,2024-03-12T20:05:00,2024-03-13T01:00:00,17700,7.5,4.1,critical,pca_spe,T:20%;VIB:70%;P:10%,1\n",
    );
    const [e] = await readEpisodesCsv(path, "PUMP_A");
    assert.equal(e.id, 3);
    assert.equal(e.start, Date.UTC(2024, 2, 12, 20, 5));
    assert.equal(e.end, Date.UTC(2024, 2, 13, 1, 0));
    assert.equal(e.peakZ, 7.5);
    assert.deepEqual(e.culprits, ["VIB", "T", "P"]);
    assert.deepEqual(await readEpisodesCsv(`${dir}/none.csv`, "X"), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("formatDuration() and formatWindow() print short human times", () => {
  assert.equal(formatDuration(45 * 60_000), "45m");
  assert.equal(formatDuration(3 * H + 5 * 60_000), "3h 05m");
  assert.equal(formatDuration(26 * H), "1d 2h");
  assert.equal(
    formatWindow(Date.UTC(2024, 2, 12, 20, 5), Date.UTC(2024, 2, 13, 17, 42)),
    "03-12 20:05 → 03-13 17:42",
  );
});
