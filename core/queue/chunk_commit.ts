/**
 * The one transaction that makes a chunk's effects visible, exactly once:
 *   1. ledger compare-and-set: the asset's `next_chunk` moves from idx to idx+1
 *      only if it still is idx (row lock; a second commit of the same chunk
 *      finds idx+1 and changes nothing),
 *   2. the chunk's results (core/store/pg_store.ts: delete + COPY, upserts),
 *   3. the chunk's ledger record, its stream-state checkpoint and any model
 *      version it made (hashed),
 *   4. pg-boss job completion fenced to the fetched attempt (`{id, retryCount}`):
 *      after an expiry the job belongs to a newer attempt and this affects 0 rows.
 * If 1 or 4 does not hold, everything rolls back (`StaleCommit`): a stopped
 * worker that wakes up after its claim expired cannot duplicate or overwrite.
 */
import type { PgBoss } from "pg-boss";
import type { ScoredChunk } from "../plugin.ts";
import type { LedgerEntry } from "../replay/ledger.ts";
import type { ModelManifest } from "../replay/model_store.ts";
import type { Sql } from "../store/pg_connect.ts";
import { putModelVersion } from "../store/pg_records.ts";
import { writeChunkResults } from "../store/pg_store.ts";
import { bossDb, type ChunkJobData, QUEUE } from "./boss.ts";

/** The commit was refused: another attempt owns (or already committed) the chunk. */
export class StaleCommit extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StaleCommit";
  }
}

/** Everything one chunk commits. */
export interface ChunkCommit {
  job: { id: string; retryCount: number; data: ChunkJobData };
  entry: LedgerEntry;
  scored: ScoredChunk;
  state: Uint8Array;
  models: { manifest: ModelManifest; state: Uint8Array }[];
}

/** Commits one chunk (see the module comment); throws StaleCommit when refused. */
export async function commitChunk(
  sql: Sql,
  boss: PgBoss,
  schema: string,
  c: ChunkCommit,
): Promise<void> {
  const { data } = c.job;
  await sql.begin(async (tx) => {
    const moved = await tx.unsafe(
      `UPDATE ${schema}.assets SET next_chunk = $3 + 1, updated_at = now(),
         status = CASE WHEN $3 + 1 >= chunks THEN 'done' ELSE 'running' END, error = NULL
       WHERE asset = $1 AND run_id = $2 AND next_chunk = $3 RETURNING asset`,
      [data.asset, data.runId, data.idx],
    );
    if (moved.length !== 1) {
      throw new StaleCommit(
        `chunk ${data.chunk} of ${data.asset} is no longer at the head of its ledger (committed by another attempt, or the run was replaced)`,
      );
    }
    await writeChunkResults(tx, schema, c.scored, {
      runId: data.runId,
      idx: data.idx,
      sha256: c.entry.sha256,
    });
    const e = c.entry;
    await tx.unsafe(
      `UPDATE ${schema}.chunks SET status = 'done', sha256 = $3, bytes = $4, mode = $5,
         retrain_reason = $6, model_version = $7, model_version_after = $8, state_sha256 = $9,
         state = $10, started_at = $11, finished_at = $12, error = NULL,
         attempts = $13 + 1
       WHERE asset = $1 AND chunk = $2`,
      [
        data.asset,
        data.chunk,
        e.sha256,
        e.bytes,
        e.mode,
        e.retrain_reason,
        e.model_version,
        e.model_version_after,
        e.state_sha256,
        c.state,
        new Date(e.started),
        new Date(e.finished),
        c.job.retryCount,
      ] as never[],
    );
    for (const m of c.models) await putModelVersion(tx, schema, m.manifest, m.state);
    const done = await boss.complete(
      QUEUE,
      { id: c.job.id, retryCount: c.job.retryCount },
      { rows: e.rows },
      { db: bossDb(tx) } as never,
    ) as { affected?: number };
    if (done.affected !== 1) {
      throw new StaleCommit(
        `job ${c.job.id} (chunk ${data.chunk} of ${data.asset}) is no longer this worker's attempt ${c.job.retryCount} (its claim expired)`,
      );
    }
  });
}

/** Records a failed chunk: the asset fails with the positioned error when no retry is left. */
export async function recordChunkFailure(
  sql: Sql,
  schema: string,
  data: ChunkJobData,
  error: string,
  final: boolean,
): Promise<void> {
  await sql.begin(async (tx) => {
    await tx.unsafe(
      `UPDATE ${schema}.chunks SET status = $3, error = $4, finished_at = now(),
         attempts = attempts + 1
       WHERE asset = $1 AND chunk = $2 AND status <> 'done'`,
      [data.asset, data.chunk, final ? "failed" : "pending", error],
    );
    if (final) {
      await tx.unsafe(
        `UPDATE ${schema}.assets SET status = 'failed', error = $3, updated_at = now()
         WHERE asset = $1 AND run_id = $2 AND next_chunk = $4`,
        [data.asset, data.runId, `${data.chunk}: ${error}`, data.idx],
      );
    }
  });
}
