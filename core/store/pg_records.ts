/**
 * Runs, the chunk ledger and model versions in the PostgreSQL store: after a
 * local replay whose pipeline has a `postgres` sink (`recordReplayInPostgres`),
 * and by the queue worker for each committed chunk (`putModelVersion`).
 */
import type { Pipeline } from "../pipeline/types.ts";
import type { Ledger } from "../replay/ledger.ts";
import {
  listVersions,
  type ModelManifest,
  modelsDir,
  readManifest,
} from "../replay/model_store.ts";
import type { ReplaySummary } from "../replay/summary.ts";
import { connectPg, type Sql, type TxSql } from "./pg_connect.ts";
import { checkSchemaName, migrate } from "./pg_schema.ts";
import { resolvePgUrl } from "../../plugins/sinks/postgres.ts";

/** Inserts or replaces one model version (manifest + state bytes, hashed). */
export async function putModelVersion(
  tx: TxSql | Sql,
  schema: string,
  m: ModelManifest,
  state: Uint8Array | null,
): Promise<void> {
  const s = checkSchemaName(schema);
  await tx.unsafe(
    `INSERT INTO ${s}.model_versions (asset, version, sha256, bytes, signature, reason, chunk,
       created_at, train_rows, train_start, train_end, manifest, state)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (asset, version) DO UPDATE SET sha256 = excluded.sha256, bytes = excluded.bytes,
       signature = excluded.signature, reason = excluded.reason, chunk = excluded.chunk,
       created_at = excluded.created_at, train_rows = excluded.train_rows,
       train_start = excluded.train_start, train_end = excluded.train_end,
       manifest = excluded.manifest, state = COALESCE(excluded.state, ${s}.model_versions.state)`,
    [
      m.asset,
      m.version,
      m.state_sha256,
      m.state_bytes,
      m.signature,
      m.reason,
      m.chunk,
      new Date(m.created),
      m.train.rows,
      Number.isFinite(m.train.start_ms) ? new Date(m.train.start_ms) : null,
      Number.isFinite(m.train.end_ms) ? new Date(m.train.end_ms) : null,
      m,
      state,
    ] as never[],
  );
}

/** Writes the run, the ledger of the run's assets and their model versions; no-op without a postgres sink. */
export async function recordReplayInPostgres(
  pipeline: Pipeline,
  summary: ReplaySummary,
  ledger: Ledger,
): Promise<void> {
  const node = pipeline.sinks.find((s) => s.plugin.name === "postgres");
  if (!node) return;
  const o = node.options as { url: string; schema: string; ssl_mode: string; ssl_ca_file: string };
  const sql = connectPg({
    url: resolvePgUrl(o.url),
    sslMode: o.ssl_mode,
    sslCaFile: o.ssl_ca_file || undefined,
    max: 1,
  });
  const s = checkSchemaName(o.schema);
  try {
    await migrate(sql, s);
    await sql.begin(async (tx) => {
      await tx.unsafe(
        `INSERT INTO ${s}.runs (run_id, started_at, finished_at, pipeline_file, pipeline_name,
           signature, status, kind, chunk_root, manifest)
         VALUES ($1, $2, now(), $3, $4, $5, $6, 'local', $7, $8)
         ON CONFLICT (run_id) DO UPDATE SET finished_at = now(), status = excluded.status,
           manifest = excluded.manifest`,
        [
          summary.runId,
          new Date(summary.started),
          summary.pipelineFile,
          summary.pipelineName,
          summary.signature,
          summary.exitCode === 0 ? "ok" : "failed",
          summary.chunkRoot,
          summary,
        ] as never[],
      );
      for (const asset of summary.assets) {
        const entries = ledger.assets[asset.asset]?.chunks ?? [];
        for (const [idx, e] of entries.entries()) {
          await tx.unsafe(
            `INSERT INTO ${s}.chunks (asset, chunk, idx, run_id, sha256, bytes, rows, status, mode,
               retrain_reason, model_version, model_version_after, state_sha256, started_at,
               finished_at, error)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
             ON CONFLICT (asset, chunk) DO UPDATE SET idx = excluded.idx, run_id = excluded.run_id,
               sha256 = excluded.sha256, bytes = excluded.bytes, status = excluded.status,
               mode = excluded.mode, retrain_reason = excluded.retrain_reason,
               model_version_after = excluded.model_version_after,
               state_sha256 = excluded.state_sha256, started_at = excluded.started_at,
               finished_at = excluded.finished_at, error = excluded.error`,
            [
              asset.asset,
              e.file,
              idx,
              summary.runId,
              e.sha256,
              e.bytes,
              e.rows,
              e.status,
              e.mode,
              e.retrain_reason,
              e.model_version,
              e.model_version_after,
              e.state_sha256,
              new Date(e.started),
              new Date(e.finished),
              e.error,
            ] as never[],
          );
        }
        const assetDir = `${summary.artifactRoot}/${asset.asset}`;
        for (const v of await listVersions(assetDir)) {
          const m = await readManifest(assetDir, v);
          const state = await Deno.readFile(`${modelsDir(assetDir)}/v${v}/state.bin`);
          await putModelVersion(tx, s, m, state);
        }
      }
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}
