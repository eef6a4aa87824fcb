import assert from "node:assert/strict";
import { replay } from "../../../core/replay/replay.ts";
import { defaultWithSinks, synthChunks } from "../../_helpers/synth_chunks.ts";
import { dumpTable, openStore } from "../../../core/store/sqlite_store.ts";

/** A two-asset synthetic fleet cut into a bootstrap chunk and 2-day chunks, and a pipeline with a sqlite sink. */
async function setup() {
  const dir = await Deno.makeTempDir({ prefix: "acm_store_" });
  await synthChunks(dir);
  await defaultWithSinks(dir, ["{ id: csv, plugin: csv }", "{ id: store, plugin: sqlite }"]);
  return {
    dir,
    opts: {
      pipeline: `${dir}/pipeline.yaml`,
      chunkRoot: `${dir}/chunks`,
      artifactRoot: `${dir}/art`,
    },
  };
}

const TABLES = ["scores", "head_scores", "episodes", "episode_culprits", "sensor_health"];

Deno.test("replay() records runs, chunks and model versions in SQLite, and a re-run leaves identical rows", async () => {
  const { dir, opts } = await setup();
  const first = await replay({ ...opts, maxWorkers: 2 });
  assert.equal(first.exitCode, 0);
  const dump = () => {
    const store = openStore(`${opts.artifactRoot}/acm.sqlite`);
    try {
      return Object.fromEntries(
        [...TABLES, "runs", "chunks", "model_versions"].map((t) => [t, dumpTable(store, t)]),
      );
    } finally {
      store.db.close();
    }
  };
  const a = dump();
  assert.ok(a.scores.length > 0, "scores were written");
  assert.equal(a.runs.length, 1);
  assert.equal(a.chunks.length, first.assets.reduce((n, s) => n + s.chunks, 0));
  assert.equal(a.model_versions.length, 2, "one model version per asset");
  const again = await replay({ ...opts, maxWorkers: 1, clearCache: true });
  assert.equal(again.exitCode, 0);
  const b = dump();
  for (const t of TABLES) assert.deepEqual(b[t], a[t], `table ${t} after a full re-run`);
  assert.equal(b.runs.length, 2, "the second run is recorded too");
  await Deno.remove(dir, { recursive: true });
});
