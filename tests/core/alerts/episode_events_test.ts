import assert from "node:assert/strict";
import { episodeEvents } from "../../../core/alerts/episode_events.ts";
import type { EpisodeRecord } from "../../../core/io/records.ts";

const ep = (id: number, end: string, open: boolean, severity = "warning"): EpisodeRecord => ({
  episode_id: id,
  start: `2024-01-0${id}T00:00:00`,
  end,
  duration_s: 60,
  peak_z: 6,
  mean_z: 4,
  severity: severity as EpisodeRecord["severity"],
  detector: "pca",
  culprits: [],
  regime: 0,
  open,
});

Deno.test("episodeEvents() yields opened, updated, closed once each with keys stable across re-runs", () => {
  const a = episodeEvents("P", "c1", [ep(1, "2024-01-01T01:00:00", true)], {});
  assert.deepEqual(a.events.map((e) => e.type), ["opened"]);
  const same = episodeEvents("P", "c1", [ep(1, "2024-01-01T01:00:00", true)], {});
  assert.equal(same.events[0].idempotency_key, a.events[0].idempotency_key);
  // Re-writing the chunk with the announced state: nothing new.
  assert.deepEqual(
    episodeEvents("P", "c1", [ep(1, "2024-01-01T01:00:00", true)], a.announced).events,
    [],
  );
  const b = episodeEvents("P", "c2", [ep(1, "2024-01-01T02:00:00", true, "critical")], a.announced);
  assert.deepEqual(b.events.map((e) => e.type), ["updated"]);
  const c = episodeEvents("P", "c3", [
    ep(1, "2024-01-01T03:00:00", false, "critical"),
    ep(2, "2024-01-02T01:00:00", false),
  ], b.announced);
  assert.deepEqual(c.events.map((e) => [e.episode.episode_id, e.type]), [
    [1, "closed"],
    [2, "opened"],
    [2, "closed"],
  ]);
  const keys = [a, b, c].flatMap((x) => x.events.map((e) => e.idempotency_key));
  assert.equal(new Set(keys).size, keys.length, "every event has its own key");
  // Another asset, same episode: another key.
  const other = episodeEvents("Q", "c1", [ep(1, "2024-01-01T01:00:00", true)], {});
  assert.notEqual(other.events[0].idempotency_key, a.events[0].idempotency_key);
});
