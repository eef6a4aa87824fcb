/**
 * `acm worker --queue URL`: takes chunk jobs from pg-boss and scores each one
 * with the same code the local replay runs — the worker pool
 * (core/replay/pool.ts) starts the asset's sandboxed Web Worker
 * (core/replay/worker.ts → asset_runner.ts) on a one-chunk job over a local
 * cache of the asset (core/queue/model_cache.ts); the pool's `chunkDone` hook,
 * which in a local replay writes the ledger file, here commits the chunk in one
 * transaction (core/queue/chunk_commit.ts). `slots` jobs run at once.
 */
import { dirname } from "node:path";
import type { PgBoss } from "pg-boss";
import type { ScoredChunk } from "../plugin.ts";
import type { Pipeline } from "../pipeline/types.ts";
import type { AssetJob } from "../replay/asset_runner.ts";
import { loadHost } from "../replay/host.ts";
import {
  builtInOnly,
  codeReadPaths,
  unionPermissions,
  workerPermissions,
} from "../replay/permissions.ts";
import { Lane, type PoolOptions } from "../replay/pool.ts";
import { DEFAULT_ASSET_MEMORY_MB, effectiveAssetMemory } from "../replay/asset_channel.ts";
import { enterPluginIsolation } from "../pipeline/plugin_sandbox.ts";
import type { ReplayEvent } from "../replay/events.ts";
import { connectPg, pgErrorMessage, redactUrl, type Sql } from "../store/pg_connect.ts";
import { checkSchemaName, migrate } from "../store/pg_schema.ts";
import { type ChunkJobData, DEFAULT_TIMING, openBoss, QUEUE, type QueueTiming } from "./boss.ts";
import { commitChunk, recordChunkFailure, StaleCommit } from "./chunk_commit.ts";
import { newModels, prepareCache } from "./model_cache.ts";

/** Worker settings. */
export interface QueueWorkerOptions {
  url: string;
  schema?: string;
  /** Jobs run at once (each in its own Web Worker). */
  slots?: number;
  /** Stop when no job is waiting or running anywhere (blocked keys of failed assets aside). */
  exitWhenIdle?: boolean;
  /** Local cache of models and checkpoints (default: a fresh temp directory, removed at the end). */
  cacheDir?: string;
  chunkTimeoutS?: number;
  /**
   * JS heap limit in MiB of each job's own process (core/replay/asset_channel.ts; default 2048);
   * 0 = a Web Worker in this process, no limit.
   */
  assetMemoryMb?: number;
  /** pg-boss supervision interval (expired jobs are taken back); expiry itself is per job. */
  timing?: Partial<QueueTiming>;
  /** Milliseconds between fetches when the queue is empty. */
  pollMs?: number;
  print?: (line: string) => void;
  /** Resolves when the worker should stop taking jobs (e.g. SIGTERM). */
  stop?: Promise<void>;
}

/** What a worker did. */
export interface QueueWorkerResult {
  committed: number;
  refused: number;
  failed: number;
  modelDownloads: number;
  /** Asset workers started (a slot's worker serves its jobs in turn with built-in plugins). */
  workerStarts: number;
}

/** Runs until idle (with `exitWhenIdle`) or until `stop` resolves. */
export async function runQueueWorker(o: QueueWorkerOptions): Promise<QueueWorkerResult> {
  const print = o.print ?? ((l: string) => console.log(l));
  const s = checkSchemaName(o.schema ?? "acm");
  const timing = { ...DEFAULT_TIMING, ...o.timing };
  const ownCache = !o.cacheDir;
  const cacheDir = o.cacheDir ?? await Deno.makeTempDir({ prefix: "acm-worker-" });
  await Deno.mkdir(cacheDir, { recursive: true });
  const sql = connectPg({ url: o.url, max: 2 + (o.slots ?? 1), applicationName: "acm worker" });
  const boss = await openBoss(o.url, {
    supervise: true,
    timing,
    onError: (e) => print(`[WARN] queue: ${pgErrorMessage(e)}`),
  });
  await migrate(sql, s);
  const result: QueueWorkerResult = {
    committed: 0,
    refused: 0,
    failed: 0,
    modelDownloads: 0,
    workerStarts: 0,
  };
  const ctx: Ctx = { sql, boss, s, cacheDir, o, print, timing, result, runs: new Map() };
  let stopping = false;
  o.stop?.then(() => (stopping = true));
  let busy = 0;
  print(`worker ${Deno.pid}: ${o.slots ?? 1} slot(s) on ${redactUrl(o.url)}, cache ${cacheDir}`);
  const slot = async (k: number) => {
    // Built-in pipelines: one worker serves this slot's jobs in turn (JIT warm once).
    const lane = new Lane(`acm-worker:slot-${k + 1}`);
    try {
      await slotLoop(lane);
    } finally {
      lane.close();
      result.workerStarts += lane.starts;
    }
  };
  const slotLoop = async (lane: Lane) => {
    while (!stopping) {
      let job: FetchedJob | undefined;
      try {
        [job] = await boss.fetch<ChunkJobData>(QUEUE, { batchSize: 1, includeMetadata: true });
      } catch (e) {
        print(`[WARN] cannot fetch a job (${pgErrorMessage(e)}); retrying`);
        await sleep(1000);
        continue;
      }
      if (!job) {
        if (o.exitWhenIdle && busy === 0 && !(await pending(ctx))) break;
        await sleep(o.pollMs ?? 250);
        continue;
      }
      busy++;
      try {
        await runJob(ctx, job, lane);
      } finally {
        busy--;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, o.slots ?? 1) }, (_, k) => slot(k)));
  } finally {
    await boss.stop({ graceful: false, close: true }).catch(() => {});
    await sql.end({ timeout: 5 });
    if (ownCache) await Deno.remove(cacheDir, { recursive: true }).catch(() => {});
  }
  return result;
}

/** A fetched job (with the retry limit it was sent with). */
interface FetchedJob {
  id: string;
  retryCount: number;
  retryLimit: number;
  data: ChunkJobData;
}

interface Ctx {
  sql: Sql;
  boss: PgBoss;
  s: string;
  cacheDir: string;
  o: QueueWorkerOptions;
  print: (l: string) => void;
  timing: QueueTiming;
  result: QueueWorkerResult;
  runs: Map<string, { file: string; doc: Record<string, Record<string, unknown>> }>;
}

/** True while some job of the queue can still run (keys held back by a failed job excepted). */
async function pending(ctx: Ctx): Promise<boolean> {
  try {
    const [r] = await ctx.sql.unsafe(
      `SELECT count(*)::int AS n FROM pgboss.job j WHERE j.name = $1
         AND j.state IN ('created', 'retry', 'active')
         AND NOT EXISTS (SELECT 1 FROM pgboss.job f WHERE f.name = $1 AND f.state = 'failed'
                         AND f.singleton_key = j.singleton_key)`,
      [QUEUE],
    );
    return Number(r.n) > 0;
  } catch {
    return true; // cannot tell (database restarting): keep going
  }
}

/** The pipeline document of a run for one asset. */
async function runDocument(
  ctx: Ctx,
  runId: string,
  asset: string,
): Promise<{ file: string; document: Record<string, unknown> }> {
  let run = ctx.runs.get(runId);
  if (!run) {
    const [r] = await ctx.sql.unsafe(
      `SELECT pipeline_file, document FROM ${ctx.s}.runs WHERE run_id = $1`,
      [runId],
    );
    if (!r) throw new Error(`Cannot run a job of run ${runId}: the run is not in the store`);
    run = { file: String(r.pipeline_file), doc: r.document };
    ctx.runs.set(runId, run);
  }
  const doc = run.doc as { default: Record<string, unknown>; assets: Record<string, unknown> };
  const own = (doc.assets[asset] ?? doc.default) as Record<string, unknown>;
  // Results go to the store through the commit; no sink runs inside the job.
  return { file: run.file, document: { ...own, sinks: [] } };
}

async function runJob(ctx: Ctx, job: FetchedJob, lane: Lane): Promise<void> {
  const { data } = job;
  const t0 = performance.now();
  const label = `${data.asset} ${data.chunk} (${data.idx + 1}/${data.total}, attempt ${
    job.retryCount + 1
  })`;
  let refused = false;
  let failure: string | null = null;
  try {
    if (await redundant(ctx, data)) {
      await settleRedundant(ctx, job);
      ctx.print(`skipped ${label}: already committed, or its run was replaced`);
      return;
    }
    const { file, document } = await runDocument(ctx, data.runId, data.asset);
    const assetDir = `${ctx.cacheDir}/${encodeURIComponent(data.asset)}`;
    await Deno.mkdir(assetDir, { recursive: true });
    const point = await prepareCache(ctx.sql, ctx.s, data.asset, data.idx, assetDir);
    if (point.downloaded) ctx.result.modelDownloads++;
    const host = await loadHost();
    // Third-party plugins are checked in the plugin sandbox, never imported in this thread.
    const release = enterPluginIsolation();
    const pipeline: Pipeline = await host.resolveDocument(document, { file }).finally(release);
    const chunks = Array.from({ length: data.idx }, () => ({ name: "", path: "" }));
    chunks.push({ name: data.chunk, path: data.path });
    const assetJob: AssetJob = {
      asset: data.asset,
      chunkDir: await Deno.realPath(dirname(data.path)),
      assetDir: await Deno.realPath(assetDir),
      artifactRoot: ctx.cacheDir,
      chunks,
      start: data.idx,
      resumeState: point.resumeState,
      rollbackAbove: point.modelVersion,
      chunksSinceFit: point.chunksSinceFit,
      clearCache: false,
      document,
      pipelineFile: file,
      hostModules: null,
      wantScored: true,
    };
    const codePaths = await codeReadPaths(pipeline, null);
    const memory = effectiveAssetMemory(
      ctx.o.assetMemoryMb ?? DEFAULT_ASSET_MEMORY_MB,
      workerPermissions(assetJob, codePaths),
    );
    if (memory.warning) ctx.print(`[WARN] ${memory.warning}`);
    const poolOptions: PoolOptions = {
      maxWorkers: 1,
      memoryMb: memory.mb,
      chunkTimeoutS: ctx.o.chunkTimeoutS ?? 0,
      permissions: (j) => workerPermissions(j, codePaths),
      event: (e: ReplayEvent) => {
        if (e.type === "log" && (e.level === "warn" || e.level === "error")) {
          ctx.print(`[${e.level.toUpperCase()}] ${data.asset}: ${e.message}`);
        }
      },
      async chunkDone(j, entry, _index, scored) {
        if (entry.sha256 !== data.sha256) {
          throw new Error(
            `chunk file "${data.path}" changed after it was queued (sha256 differs); re-run the coordinator`,
          );
        }
        const state = await Deno.readFile(`${j.assetDir}/state/${entry.file}.bin`);
        const models = await newModels(j.assetDir, point.modelVersion);
        const commit = { job, entry, scored: scored as ScoredChunk, state, models };
        for (let attempt = 0;; attempt++) {
          try {
            await commitChunk(ctx.sql, ctx.boss, ctx.s, commit);
            return;
          } catch (e) {
            if (e instanceof StaleCommit) {
              refused = true;
              ctx.print(`[WARN] commit refused, nothing written: ${e.message}`);
              return;
            }
            // The transaction rolled back; the database may be restarting: try again.
            if (attempt >= 60) throw e;
            if (attempt === 0) ctx.print(`[WARN] commit failed (${pgErrorMessage(e)}); retrying`);
            await sleep(1000);
          }
        }
      },
    };
    // Built-in plugins: the slot's worker serves its next jobs too; otherwise one per job.
    const reuse = builtInOnly(pipeline);
    const grant = reuse
      ? laneGrant(lane, assetJob, codePaths, await Deno.realPath(ctx.cacheDir))
      : workerPermissions(assetJob, codePaths);
    const outcome = await lane.run(assetJob, grant, poolOptions, { keep: reuse });
    if (!outcome.ok) failure = outcome.error ?? "unknown error";
  } catch (e) {
    failure = pgErrorMessage(e);
  }
  const seconds = ((performance.now() - t0) / 1000).toFixed(2);
  if (failure === null) {
    if (refused) await settleRedundant(ctx, job).catch(() => {});
    if (refused) ctx.result.refused++;
    else ctx.result.committed++;
    if (!refused) ctx.print(`done ${label} in ${seconds} s`);
    return;
  }
  ctx.result.failed++;
  const final = job.retryCount >= job.retryLimit;
  ctx.print(`[ERROR] ${label}: ${failure}${final ? "" : " (will be retried)"}`);
  for (let attempt = 0; attempt < 30; attempt++) {
    try {
      await recordChunkFailure(ctx.sql, ctx.s, data, failure, final);
      await ctx.boss.fail(QUEUE, { id: job.id, retryCount: job.retryCount }, { error: failure });
      return;
    } catch (e) {
      ctx.print(`[WARN] cannot record the failure (${pgErrorMessage(e)}); retrying`);
      await sleep(1000);
    }
  }
}

/** Most characters a reused worker's read or write list may take on a command line (one flag each). */
const MAX_GRANT_CHARS = 60_000;

/**
 * The grant of a slot's reused worker for `job` (a pipeline of built-in plugins
 * only): read the chunk root the job's asset folder sits in (the folder above
 * the chunk's own; the chunk's folder itself when that is the file system root),
 * the whole cache and acm's code, write the cache, joined to what the running
 * worker already has, so jobs of every asset under the roots it has served
 * reuse it; just this job's part when the joined lists would make the process's
 * command line too long.
 */
function laneGrant(
  lane: Lane,
  job: AssetJob,
  codePaths: readonly string[],
  cacheDir: string,
): Deno.PermissionOptionsObject {
  const own = workerPermissions(job, codePaths);
  const folders: Deno.PermissionOptionsObject = {
    ...own,
    read: [
      chunkRoot(job.chunkDir),
      cacheDir,
      ...(job.sensorMetadata ? [job.sensorMetadata] : []),
      ...codePaths,
    ],
    write: [cacheDir],
  };
  if (lane.grant === null) return folders;
  const joined = unionPermissions([lane.grant, folders]);
  const chars = (v: unknown) => (Array.isArray(v) ? v.join(",").length : 0);
  return Math.max(chars(joined.read), chars(joined.write)) <= MAX_GRANT_CHARS ? joined : folders;
}

/** The folder above an asset's chunk folder, or the chunk folder when that is at the file system root. */
function chunkRoot(chunkDir: string): string {
  const up = dirname(chunkDir);
  return up === "/" || up === "." ? chunkDir : up;
}

/** The job's chunk is committed already, or the asset now belongs to another run. */
async function redundant(ctx: Ctx, data: ChunkJobData): Promise<boolean> {
  const [a] = await ctx.sql.unsafe(
    `SELECT run_id, next_chunk FROM ${ctx.s}.assets WHERE asset = $1`,
    [data.asset],
  );
  return !a || a.run_id !== data.runId || Number(a.next_chunk) > data.idx;
}

/** Completes a redundant job, fenced to this attempt (a newer attempt is left alone). */
async function settleRedundant(
  ctx: Ctx,
  job: { id: string; retryCount: number; data: ChunkJobData },
): Promise<void> {
  if (await redundant(ctx, job.data)) {
    await ctx.boss.complete(QUEUE, { id: job.id, retryCount: job.retryCount }, { redundant: true });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
