/**
 * Distributed replay end to end on a real PostgreSQL ($ACM_TEST_PG_URL): the
 * coordinator queues the demo fleet, three `acm worker` processes (network
 * narrowed to the database host) score it, `acm export` writes the csv layout,
 * and scores.csv / episodes.csv are byte-identical to a local replay.
 */
import assert from "node:assert/strict";
import { queueReplay } from "../../../core/queue/coordinator.ts";
import { exportStore } from "../../../core/queue/export.ts";
import { replay } from "../../../core/replay/replay.ts";
import { connectPg } from "../../../core/store/pg_connect.ts";
import {
  demoChunks,
  freshDatabase,
  outputFiles,
  QUEUE_PIPELINE,
  startWorker,
  testPgUrl,
} from "./_pg.ts";

const url = await testPgUrl();

Deno.test({
  name: "queueReplay() + 3 workers + exportStore() give the bytes of a local replay",
  ignore: !url,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "acm-dist-" });
    const db = await freshDatabase(url!, "acm_dist");
    try {
      const chunkRoot = await demoChunks(dir);
      const local = await replay({
        pipeline: QUEUE_PIPELINE,
        chunkRoot,
        artifactRoot: `${dir}/local`,
        maxWorkers: 2,
      });
      assert.equal(local.exitCode, 0);
      const queued = await queueReplay({
        url: db.url,
        pipeline: QUEUE_PIPELINE,
        chunkRoot,
        wait: false,
        print: () => {},
      });
      assert.equal(queued.jobs, 12);
      // A password in the URL (trust auth ignores it) must never reach the output.
      const secret = new URL(db.url);
      secret.password = "s3cret-pw";
      const workers = [1, 2, 3].map(() => startWorker(secret.toString()));
      const status = await Promise.all(workers.map((w) => w.exited));
      assert.deepEqual(
        status.map((s) => s.code),
        [0, 0, 0],
        workers.map((w) => w.lines.join("\n")).join("\n---\n"),
      );
      const committed = workers.map((w) =>
        Number(/(\d+) chunk\(s\) committed/.exec(w.lines.join("\n"))?.[1] ?? 0)
      );
      assert.equal(
        committed.reduce((a, b) => a + b, 0),
        12,
        `each chunk committed once: ${committed}`,
      );
      // Built-in plugins: each worker's slot keeps one asset worker for its jobs.
      const starts = workers.map((w) =>
        Number(/(\d+) asset worker start\(s\)/.exec(w.lines.join("\n"))?.[1] ?? -1)
      );
      assert.ok(starts.every((n, k) => n >= 0 && n <= Math.max(1, committed[k])), `${starts}`);
      assert.ok(starts.reduce((a, b) => a + b, 0) <= 3, `one asset worker per slot: ${starts}`);
      for (const w of workers) {
        assert.ok(!w.lines.join("\n").includes("s3cret-pw"), "the password is never printed");
        assert.ok(w.lines[0].includes("postgres:***@"), w.lines[0]);
      }
      await exportStore({ url: db.url, artifactRoot: `${dir}/export`, print: () => {} });
      const want = await outputFiles(`${dir}/local`);
      const got = await outputFiles(`${dir}/export`);
      assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort());
      for (const k of Object.keys(want)) {
        assert.ok(got[k] === want[k], `${k} differs from the local replay`);
      }
      const sql = connectPg({ url: db.url, max: 1 });
      try {
        const [r] = await sql`SELECT
          (SELECT count(*) FROM acm.chunks WHERE status = 'done')::int AS chunks,
          (SELECT count(*) FROM acm.model_versions)::int AS models,
          (SELECT count(*) FROM acm.assets WHERE status = 'done')::int AS assets`;
        assert.deepEqual({ ...r }, { chunks: 12, models: 3, assets: 3 });
      } finally {
        await sql.end();
      }
    } finally {
      await db.drop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
