/**
 * `acm replay --queue URL`: the coordinator of a distributed replay. It loads
 * and checks the pipeline, discovers and hashes the chunks (the chunk root must
 * be a path every worker can read), records the run with its pipeline document
 * in the store, resets the ledger of the run's assets, sends one pg-boss job
 * per (asset, chunk) in chunk order, and — unless `wait` is false — waits until
 * every asset is done or failed. Workers (core/queue/queue_worker.ts) do the
 * scoring; the coordinator never scores.
 */
import { discoverChunks } from "../replay/discover.ts";
import { loadHost } from "../replay/host.ts";
import { withPluginIsolation } from "../pipeline/plugin_sandbox.ts";
import { newRunId } from "../replay/summary.ts";
import { digestHex } from "../hash.ts";
import { connectPg, redactUrl, type Sql, type TxSql } from "../store/pg_connect.ts";
import { checkSchemaName, migrate } from "../store/pg_schema.ts";
import { type ChunkJobData, openBoss, QUEUE, type QueueTiming } from "./boss.ts";

/** Options of a queued replay. */
export interface QueueReplayOptions {
  url: string;
  schema?: string;
  pipeline: string;
  overrides?: string[];
  equip?: string[];
  chunkRoot: string;
  wait?: boolean;
  /** Give up waiting after this many seconds (0 = never). */
  waitTimeoutS?: number;
  timing?: Partial<QueueTiming>;
  print?: (line: string) => void;
}

/** One asset's state in the store. */
export interface QueueAssetStatus {
  asset: string;
  status: string;
  chunks: number;
  done: number;
  error: string | null;
  failedChunk: string | null;
}

/** What a queued replay did. */
export interface QueueReplaySummary {
  runId: string;
  url: string;
  jobs: number;
  waited: boolean;
  assets: QueueAssetStatus[];
  exitCode: number;
  seconds: number;
}

/**
 * Enqueues the run (and waits for it); see the module comment. Third-party plugin
 * modules load only in the plugin sandbox here (core/pipeline/plugin_sandbox.ts).
 */
export function queueReplay(o: QueueReplayOptions): Promise<QueueReplaySummary> {
  return withPluginIsolation(() => enqueue(o));
}

async function enqueue(o: QueueReplayOptions): Promise<QueueReplaySummary> {
  const t0 = performance.now();
  const print = o.print ?? ((l: string) => console.log(l));
  const s = checkSchemaName(o.schema ?? "acm");
  const host = await loadHost();
  const pipeline = await host.loadPipeline(o.pipeline, { overrides: o.overrides ?? [] });
  const found = await discoverChunks(o.chunkRoot, o.equip ?? []);
  const runId = newRunId(new Date());
  const sql = connectPg({ url: o.url, max: 2, applicationName: "acm coordinator" });
  const boss = await openBoss(o.url, { supervise: true, timing: o.timing, configure: true });
  try {
    await migrate(sql, s);
    const assetsSection = (pipeline.document.assets ?? {}) as Record<string, string[]>;
    const jobs: { data: ChunkJobData; key: string }[] = [];
    const failedAtStart: QueueAssetStatus[] = [];
    const perAsset: Record<string, Record<string, unknown>> = {};
    await sql.begin(async (tx) => {
      await tx.unsafe(
        `INSERT INTO ${s}.runs (run_id, started_at, pipeline_file, pipeline_name, signature,
           status, kind, chunk_root, document)
         VALUES ($1, now(), $2, $3, $4, 'running', 'queue', $5, $6)`,
        [
          runId,
          pipeline.file,
          pipeline.name,
          host.pipelineSignature(pipeline),
          found.root,
          "{}",
        ] as never[],
      );
      for (const a of found.assets) {
        if (a.error) {
          failedAtStart.push({
            asset: a.asset,
            status: "failed",
            chunks: 0,
            done: 0,
            error: a.error,
            failedChunk: null,
          });
          continue;
        }
        const extra = assetsSection[a.asset] ?? [];
        if (extra.length) {
          const own = await host.loadPipeline(o.pipeline, {
            overrides: [...(o.overrides ?? []), ...extra],
          });
          perAsset[a.asset] = own.document;
        }
        await resetAsset(tx, s, a.asset);
        await tx.unsafe(
          `INSERT INTO ${s}.assets (asset, run_id, next_chunk, chunks, status, base_model_version)
           VALUES ($1, $2, 0, $3, 'queued', 0)
           ON CONFLICT (asset) DO UPDATE SET run_id = excluded.run_id, next_chunk = 0,
             chunks = excluded.chunks, status = 'queued', base_model_version = 0, error = NULL,
             updated_at = now()`,
          [a.asset, runId, a.chunks.length],
        );
        for (const [idx, c] of a.chunks.entries()) {
          const sha256 = await digestHex(await Deno.readFile(c.path));
          await tx.unsafe(
            `INSERT INTO ${s}.chunks (asset, chunk, idx, run_id, path, sha256, status)
             VALUES ($1, $2, $3, $4, $5, $6, 'pending')`,
            [a.asset, c.name, idx, runId, c.path, sha256],
          );
          jobs.push({
            key: a.asset,
            data: {
              runId,
              asset: a.asset,
              idx,
              chunk: c.name,
              path: c.path,
              sha256,
              total: a.chunks.length,
            },
          });
        }
      }
    });
    // The pipeline document each worker resolves (per-asset settings already applied).
    await sql.unsafe(`UPDATE ${s}.runs SET document = $2 WHERE run_id = $1`, [
      runId,
      { default: pipeline.document, assets: perAsset },
    ] as never[]);
    // key_strict_fifo takes a key's jobs by (created_on, id); a batch shares created_on, so the
    // ids are made to sort in send order: per asset, chunk order.
    const ms = Date.now();
    const salt = crypto.getRandomValues(new Uint32Array(1))[0];
    for (let i = 0; i < jobs.length; i += 500) {
      await boss.insert(
        QUEUE,
        jobs.slice(i, i + 500).map((j, k) => ({
          id: orderedUuid(ms, i + k, salt),
          data: j.data,
          singletonKey: j.key,
        })),
      );
    }
    print(
      `queued run ${runId}: ${jobs.length} chunk job(s) for ${found.assets.length} asset(s) ` +
        `on ${redactUrl(o.url)} (queue ${QUEUE})`,
    );
    let assets = await assetStatus(sql, s, runId);
    if (o.wait !== false) {
      let last = "";
      const deadline = o.waitTimeoutS ? Date.now() + o.waitTimeoutS * 1000 : Infinity;
      while (assets.some((a) => a.status !== "done" && a.status !== "failed")) {
        if (Date.now() > deadline) {
          print(`stopped waiting after ${o.waitTimeoutS} s; the workers carry on`);
          break;
        }
        await new Promise((r) => setTimeout(r, 500));
        assets = await assetStatus(sql, s, runId);
        const line = progressLine(assets);
        if (line !== last) print(line);
        last = line;
      }
    }
    assets = [...failedAtStart, ...assets];
    const finished = assets.every((a) => a.status === "done" || a.status === "failed");
    const exitCode = assets.some((a) => a.status === "failed") ? 1 : 0;
    if (finished) {
      await sql.unsafe(
        `UPDATE ${s}.runs SET finished_at = now(), status = $2 WHERE run_id = $1`,
        [runId, exitCode ? "failed" : "ok"],
      );
    }
    return {
      runId,
      url: redactUrl(o.url),
      jobs: jobs.length,
      waited: o.wait !== false,
      assets,
      exitCode,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await boss.stop({ graceful: false, close: true } as never).catch(() => {});
    await sql.end({ timeout: 5 });
  }
}

/** A UUID whose byte order is (time ms, sequence): sorts in send order within and across runs. */
export function orderedUuid(ms: number, seq: number, salt: number): string {
  const hex = ms.toString(16).padStart(12, "0") + seq.toString(16).padStart(12, "0") +
    salt.toString(16).padStart(8, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20, 32)
  }`;
}

/** Deletes an asset's results, ledger and models (a queued run starts the asset afresh). */
async function resetAsset(tx: TxSql, s: string, asset: string): Promise<void> {
  for (const t of ["scores", "episodes", "sensor_health", "chunks", "model_versions"]) {
    await tx.unsafe(`DELETE FROM ${s}.${t} WHERE asset = $1`, [asset]);
  }
  // Jobs of an earlier run of the asset (a failed one would hold back the new run's jobs).
  await tx.unsafe(
    `DELETE FROM pgboss.job WHERE name = $1 AND singleton_key = $2 AND state <> 'active'`,
    [QUEUE, asset],
  );
}

/** Every asset of the run with its ledger state. */
export async function assetStatus(sql: Sql, s: string, runId: string): Promise<QueueAssetStatus[]> {
  const rows = await sql.unsafe(
    `SELECT a.asset, a.status, a.chunks, a.next_chunk, a.error,
       (SELECT chunk FROM ${s}.chunks c WHERE c.asset = a.asset AND c.status = 'failed'
        ORDER BY idx LIMIT 1) AS failed_chunk
     FROM ${s}.assets a WHERE a.run_id = $1 ORDER BY a.asset`,
    [runId],
  );
  return rows.map((r) => ({
    asset: String(r.asset),
    status: String(r.status),
    chunks: Number(r.chunks),
    done: Number(r.next_chunk),
    error: r.error === null ? null : String(r.error),
    failedChunk: r.failed_chunk === null ? null : String(r.failed_chunk),
  }));
}

function progressLine(assets: QueueAssetStatus[]): string {
  const done = assets.reduce((n, a) => n + a.done, 0);
  const total = assets.reduce((n, a) => n + a.chunks, 0);
  const failed = assets.filter((a) => a.status === "failed").length;
  const finished = assets.filter((a) => a.status === "done").length;
  return `  ${done}/${total} chunks, ${finished}/${assets.length} assets done` +
    (failed ? `, ${failed} failed` : "");
}

/** Summary text for the terminal. */
export function queueSummaryText(r: QueueReplaySummary): string {
  const lines = [`run ${r.runId}: ${r.jobs} job(s) on ${r.url}`];
  for (const a of r.assets) {
    lines.push(
      `  ${a.asset.padEnd(12)} ${a.status.padEnd(7)} ${a.done}/${a.chunks} chunks` +
        (a.error ? `  ${a.failedChunk ?? ""}: ${a.error}` : ""),
    );
  }
  if (!r.waited) lines.push("--no-wait: the workers carry on; `acm export` writes the files later");
  lines.push(`${r.seconds.toFixed(1)} s`);
  return lines.join("\n");
}
