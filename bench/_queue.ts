/**
 * Bench section `queue`: distributed replay on PostgreSQL ($ACM_BENCH_PG_URL or
 * $ACM_TEST_PG_URL, e.g. from `.ci/postgres.sh start`): 1/2/4 `acm worker`
 * processes over a fleet of small assets (chunks/s), the pg-boss round trip per
 * job (send + fetch + complete: the queue's overhead per chunk) and COPY rows/s.
 */
import { queueReplay } from "../core/queue/coordinator.ts";
import { connectPg } from "../core/store/pg_connect.ts";
import { migrate } from "../core/store/pg_schema.ts";
import { writeChunkResults } from "../core/store/pg_store.ts";
import { PgBoss } from "pg-boss";
import { makeScoredChunks } from "../tests/_helpers/scored_chunk.ts";
import { demoChunks, freshDatabase, QUEUE_PIPELINE, startWorker } from "../tests/core/queue/_pg.ts";

/** One worker-count run. */
export interface QueueRun {
  workers: number;
  chunks: number;
  seconds: number;
  chunksPerS: number;
}

/** Results of the section. */
export interface QueueBench {
  assets: number;
  runs: QueueRun[];
  bossMsPerJob: number;
  copyRowsPerS: number;
}

/** Runs the section; null (with the reason printed) when no database is configured. */
export async function benchQueue(
  say: (s: string) => void,
  opts: { assets: number; workers: number[] },
): Promise<QueueBench | null> {
  const url = Deno.env.get("ACM_BENCH_PG_URL") ?? Deno.env.get("ACM_TEST_PG_URL");
  if (!url) {
    say("queue: skipped (set ACM_BENCH_PG_URL, e.g. $(.ci/postgres.sh start))");
    return null;
  }
  const dir = await Deno.makeTempDir({ prefix: "acm-bench-queue-" });
  try {
    const chunkRoot = await demoChunks(dir, { assets: opts.assets, days: 6 });
    const runs: QueueRun[] = [];
    for (const n of opts.workers) {
      const db = await freshDatabase(url, "acm_bench");
      try {
        const q = await queueReplay({
          url: db.url,
          pipeline: QUEUE_PIPELINE,
          chunkRoot,
          wait: false,
          print: () => {},
        });
        const t0 = performance.now();
        const ws = Array.from({ length: n }, () => startWorker(db.url));
        await Promise.all(ws.map((w) => w.exited));
        const seconds = (performance.now() - t0) / 1000;
        runs.push({ workers: n, chunks: q.jobs, seconds, chunksPerS: q.jobs / seconds });
      } finally {
        await db.drop();
      }
    }
    const db = await freshDatabase(url, "acm_bench");
    let bossMsPerJob = 0, copyRowsPerS = 0;
    try {
      const boss = new PgBoss({ connectionString: db.url, supervise: false } as never);
      await boss.start();
      await boss.createQueue("bench");
      const jobs = 1000;
      const t0 = performance.now();
      for (let i = 0; i < jobs; i++) {
        await boss.send("bench", { i });
        const [j] = await boss.fetch("bench");
        await boss.complete("bench", j.id);
      }
      bossMsPerJob = (performance.now() - t0) / jobs;
      await boss.stop({ graceful: false, close: true } as never);
      const sql = connectPg({ url: db.url, max: 1 });
      await migrate(sql, "acm");
      const [chunk] = makeScoredChunks({ asset: "BIG", chunks: 1, rowsPerChunk: 50_000 });
      const t1 = performance.now();
      await sql.begin((tx) => writeChunkResults(tx, "acm", chunk));
      copyRowsPerS = 50_000 / ((performance.now() - t1) / 1000);
      await sql.end();
    } finally {
      await db.drop();
    }
    return { assets: opts.assets, runs, bossMsPerJob, copyRowsPerS };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
