import assert from "node:assert/strict";
import { assetState } from "../../../core/replay/asset_state.ts";
import type { AssetSummary } from "../../../core/replay/summary.ts";

const RUN: AssetSummary = {
  asset: "PUMP_A",
  status: "ok",
  chunks: 2,
  done: 2,
  skipped: 0,
  failed: 0,
  blocked: 0,
  rows: 100,
  modelVersions: [1],
  seconds: 1,
  failedChunk: null,
  error: null,
};

async function writeOutputs(dir: string): Promise<void> {
  await Deno.writeTextFile(
    `${dir}/summary.json`,
    JSON.stringify({
      asset: "PUMP_A",
      chunks: 2,
      rows: 100,
      first: "2024-01-01T00:00:00",
      last: "2024-01-02T00:00:00",
      modelVersion: 1,
      heads: ["pca"],
      current: { timestamp: "2024-01-02T00:00:00", fused: 0.5, health: 97.5, alarm: 0, regime: 0 },
      episodes: 2,
      openEpisodes: [2],
    }),
  );
  await Deno.writeTextFile(
    `${dir}/episodes.csv`,
    "episode_id,start,end,duration_s,peak_z,mean_z,severity,detector,culprits,regime\n" +
      "1,2024-01-01T01:00:00,2024-01-01T02:00:00,3600,9,5,critical,fused,a:60%;b:40%,0\n" +
      "2,2024-01-01T23:00:00,2024-01-02T00:00:00,3600,4,3.5,warning,fused,b:100%,0\n",
  );
}

Deno.test("assetState() reads episodes, open episodes, health now and status from the outputs", async () => {
  const dir = await Deno.makeTempDir();
  await writeOutputs(dir);
  const s = await assetState(dir, RUN);
  assert.equal(s.health, 97.5);
  assert.equal(s.lastTimestamp, "2024-01-02T00:00:00");
  assert.deepEqual(s.episodes.map((e) => [e.episode_id, e.open]), [[1, false], [2, true]]);
  assert.deepEqual(s.openEpisodes.map((e) => e.episode_id), [2]);
  assert.equal(s.openEpisodes[0].culprits[0].sensor, "b");
  // An open warning episode makes the asset ALERT although its last row is healthy.
  assert.equal(s.status, "ALERT");
  assert.match(s.headline, /^ALERT since/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("assetState() says FAILED with the run's error, and NO DATA without outputs", async () => {
  const dir = await Deno.makeTempDir();
  const failed = await assetState(dir, {
    ...RUN,
    status: "failed",
    failedChunk: "b_2.csv",
    error: "column x missing",
  });
  assert.equal(failed.status, "FAILED");
  assert.equal(failed.headline, "FAILED — chunk b_2.csv: column x missing");
  const none = await assetState(dir, RUN);
  assert.equal(none.status, "NO DATA");
  assert.equal(none.health, null);
  assert.deepEqual(none.episodes, []);
  await Deno.remove(dir, { recursive: true });
});
