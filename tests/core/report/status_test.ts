import assert from "node:assert/strict";
import { assetStatus, healthZone } from "../../../core/report/status.ts";
import { DEFAULT_THRESHOLDS } from "../../../core/report/thresholds.ts";
import type { EpisodeRecord } from "../../../core/io/records.ts";
import type { AssetSummary } from "../../../core/report/read_outputs.ts";

const summary = (health: number): AssetSummary => ({
  asset: "A",
  chunks: 2,
  rows: 10,
  first: "2020-01-01T00:00:00",
  last: "2020-01-05T00:00:00",
  modelVersion: 1,
  heads: ["ar1"],
  current: { timestamp: "2020-01-05T00:00:00", fused: 1, health, alarm: 0, regime: 0 },
  episodes: 1,
  openEpisodes: [],
});
const episode: EpisodeRecord = {
  episode_id: 3,
  start: "2020-01-03T14:00:00",
  end: "2020-01-05T00:00:00",
  duration_s: 3600,
  peak_z: 12.34,
  mean_z: 6,
  severity: "critical",
  detector: "pca_spe",
  culprits: [{ sensor: "B1RADVIBX", pct: 41 }, { sensor: "B1RADVIBY", pct: 30 }, {
    sensor: "B1TEMP",
    pct: 29,
  }],
  regime: 2,
  open: true,
};

Deno.test("assetStatus() answers what, since when, which sensors, which regime, how bad", () => {
  const st = assetStatus(summary(90), [episode], DEFAULT_THRESHOLDS);
  assert.equal(st.status, "ALERT");
  assert.equal(
    st.headline,
    "ALERT since 2020-01-03 14:00 — B1RADVIBX 41%, B1RADVIBY 30% — regime 2 — peak z 12.3 (critical)",
  );
});

Deno.test("assetStatus() without open or recent episodes follows the health zone and names the last episode", () => {
  // Closed 2020-01-05 00:00 is the last row; an info episode does not raise the status.
  const st = assetStatus(
    summary(65),
    [{ ...episode, open: false, severity: "info" }],
    DEFAULT_THRESHOLDS,
  );
  assert.equal(st.status, "WATCH");
  assert.match(st.headline, /^WATCH — health 65\.0 at 2020-01-05 00:00 — last episode #3/);
  assert.equal(assetStatus(summary(99), [], DEFAULT_THRESHOLDS).status, "GOOD");
  assert.equal(healthZone(10, DEFAULT_THRESHOLDS), "ALERT");
  assert.equal(healthZone(null, DEFAULT_THRESHOLDS), "NO DATA");
});

Deno.test("assetStatus() is not GOOD after a critical episode in the last 7 days of data", () => {
  const closed = { ...episode, open: false, end: "2020-01-03T00:00:00" };
  const st = assetStatus(summary(99), [closed], DEFAULT_THRESHOLDS);
  assert.equal(st.status, "ALERT");
  assert.match(
    st.headline,
    /^ALERT — critical episode #3 ended 2\.0 d before the last data — B1RADVIBX/,
  );
  const warning = assetStatus(
    summary(99),
    [{ ...closed, severity: "warning" }],
    DEFAULT_THRESHOLDS,
  );
  assert.equal(warning.status, "WATCH");
  // Older than the window: back to the health zone.
  const old = assetStatus(summary(99), [closed], DEFAULT_THRESHOLDS, { recentDays: 1 });
  assert.equal(old.status, "GOOD");
});

Deno.test("assetStatus() is FAILED with the run's error when the latest run failed", () => {
  const st = assetStatus(summary(99), [], DEFAULT_THRESHOLDS, {
    failure: "chunk b.csv: resume check failed",
  });
  assert.equal(st.status, "FAILED");
  assert.equal(
    st.headline,
    "FAILED — chunk b.csv: resume check failed — scored data up to 2020-01-05 00:00",
  );
});
