import assert from "node:assert/strict";
import {
  type EpisodeRecord,
  formatCulprits,
  latestEpisodes,
  parseCulprits,
} from "../../../core/io/records.ts";

Deno.test("formatCulprits() and parseCulprits() round-trip, sensor names with ':' included", () => {
  const culprits = [{ sensor: "B1RADVIBX", pct: 41.25 }, { sensor: "PLANT:B1 TEMP", pct: 30 }];
  const text = formatCulprits(culprits);
  assert.equal(text, "B1RADVIBX:41.25%;PLANT:B1 TEMP:30%");
  assert.deepEqual(parseCulprits(text), culprits);
  assert.deepEqual(parseCulprits(""), []);
});

Deno.test("latestEpisodes() keeps the version from the latest chunk per id, sorted by id", () => {
  const ep = (id: number, end: string, open: boolean): EpisodeRecord => ({
    episode_id: id,
    start: "2020-01-01T00:00:00",
    end,
    duration_s: 0,
    peak_z: 4,
    mean_z: 3,
    severity: "info",
    detector: "ar1",
    culprits: [],
    regime: 0,
    open,
  });
  const out = latestEpisodes([
    [ep(2, "2020-01-02T00:00:00", true), ep(1, "2020-01-01T06:00:00", false)],
    [ep(2, "2020-01-03T00:00:00", false)],
  ]);
  assert.deepEqual(out.map((e) => [e.episode_id, e.end, e.open]), [
    [1, "2020-01-01T06:00:00", false],
    [2, "2020-01-03T00:00:00", false],
  ]);
});
