import assert from "node:assert/strict";
import type { EpisodeRecord } from "../../../core/io/records.ts";
import { episodeCases } from "../../../core/report/cases.ts";

const day = (d: number, h = 0) =>
  new Date(Date.UTC(2020, 0, 1) + (d * 24 + h) * 3_600_000).toISOString().slice(0, 19);

function ep(id: number, startDay: number, hours: number, culprits: string[]): EpisodeRecord {
  return {
    episode_id: id,
    start: day(startDay),
    end: day(startDay, hours),
    duration_s: hours * 3600,
    peak_z: 6,
    mean_z: 4,
    severity: "warning",
    detector: "pca",
    culprits: culprits.map((sensor, i) => ({ sensor, pct: 60 - 20 * i })),
    regime: 0,
    open: false,
  };
}

const grouped = (episodes: EpisodeRecord[]) => {
  const c = episodeCases(episodes);
  return episodes.map((e) => c.get(e.episode_id));
};

Deno.test("episodeCases() joins episodes with the same top culprit less than 7 days apart, chains included", () => {
  // #1 → #2: 6 days 20 h apart (same top) → one case; #3 another 6.5 days on → chained.
  assert.deepEqual(
    grouped([ep(1, 0, 4, ["bearing"]), ep(2, 7, 2, ["bearing"]), ep(3, 13.6, 2, ["bearing"])]),
    [1, 1, 1],
  );
  // Exactly 7 days after the end: still one case; 7 days 1.2 h: a new one.
  assert.deepEqual(grouped([ep(1, 0, 0, ["bearing"]), ep(2, 7, 1, ["bearing"])]), [1, 1]);
  assert.deepEqual(grouped([ep(1, 0, 0, ["bearing"]), ep(2, 7.05, 1, ["bearing"])]), [1, 2]);
});

Deno.test("episodeCases() joins a shared (not top) culprit only within 72 h", () => {
  const a = ep(1, 0, 10, ["bearing", "current"]);
  // Starts 2 days after #1's end, shares "current" as a lower culprit: same case.
  const b = ep(2, 2.4, 5, ["winding", "current"]);
  // Shares "current" but 4 days later, and another top: a case of its own.
  const c = ep(3, 7, 5, ["flow", "current"]);
  assert.deepEqual(grouped([a, b, c]), [1, 1, 2]);
  // Nothing in common, 1 h apart: two cases (the old 24 h rule would have joined them).
  assert.deepEqual(grouped([ep(1, 0, 5, ["a"]), ep(2, 0.25, 2, ["b"])]), [1, 2]);
});

Deno.test("episodeCases() numbers cases by first start whatever the input order; episodes without culprits stand alone", () => {
  const list = [ep(5, 9, 1, ["x"]), ep(4, 0, 1, ["y"]), ep(6, 10, 1, ["x"]), ep(7, 10.5, 1, [])];
  const c = episodeCases(list);
  assert.deepEqual([4, 5, 6, 7].map((id) => c.get(id)), [1, 2, 2, 3]);
  assert.equal(episodeCases([]).size, 0);
});
