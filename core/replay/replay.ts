/**
 * `replay(options)`: the programmatic chunk replay (used by `acm replay`,
 * `acm demo`, `bench`). Loads the pipeline, discovers assets and chunks, reads
 * the ledger (a corrupt one stops everything before any work), plans each
 * asset, then runs the assets in the worker pool. The main thread alone writes
 * the ledger and runs "fleet" sinks. Per chunk: score → asset sinks → stream
 * checkpoint (worker) → fleet sinks → ledger entry (main) → next chunk.
 */
import { writeFleetIndex } from "../report/fleet_index.ts";
import { recordReplayInStore } from "./store_records.ts";
import type { ScoredChunk, Sink } from "../plugin.ts";
import type { Pipeline } from "../pipeline/types.ts";
import { createLogger, type Logger } from "../log.ts";
import { pluginContext } from "../engine/context.ts";
import { enterPluginIsolation, sandboxedSpecifier } from "../pipeline/plugin_sandbox.ts";
import { discoverChunks } from "./discover.ts";
import { LEDGER_FILE, type LedgerEntry, LedgerWriter, putEntry, readLedger } from "./ledger.ts";
import { type AssetPlan, planAsset, predictChunks } from "./plan.ts";
import { loadHost } from "./host.ts";
import {
  builtInOnly,
  codeReadPaths,
  outerPermissions,
  unionPermissions,
  workerPermissions,
} from "./permissions.ts";
import { runPool } from "./pool.ts";
import { DEFAULT_ASSET_MEMORY_MB, effectiveAssetMemory } from "./asset_channel.ts";
import { acquireRootLock } from "./lock.ts";
import { removeLeftoverTemps } from "./leftovers.ts";
import { defaultChunkTimeoutS } from "./limits.ts";
import { missingOutputsMessage, verifyCsvOutputs } from "./verify_outputs.ts";
import type { AssetJob } from "./asset_runner.ts";
import { pruneVersions } from "./model_store.ts";
import type { ReplayEvent } from "./events.ts";
import { StageClock } from "./stage_clock.ts";
import { INTERRUPTED, whenAborted } from "./interrupt.ts";
import { type AssetSummary, newRunId, type ReplaySummary, writeRunManifest } from "./summary.ts";
import { assetMetadataPath } from "../sensor_metadata/locate.ts";
import { withSinks } from "./extra_sinks.ts";

/** Options of a replay (CLI flags map onto these one to one). */
export interface ReplayOptions {
  pipeline: string;
  overrides?: string[];
  equip?: string[];
  chunkRoot: string;
  artifactRoot: string;
  maxWorkers?: number;
  resume?: boolean;
  clearCache?: boolean;
  dryRun?: boolean;
  /** Per-chunk limit in seconds (0 = none; unset = scaled to each chunk, core/replay/limits.ts). */
  chunkTimeoutS?: number;
  /**
   * JS heap limit in MiB of each asset's own process (core/replay/asset_channel.ts);
   * 0 = run assets as Web Workers in this process, without a memory limit.
   */
  assetMemoryMb?: number;
  /**
   * One worker (and process) per asset even when every plugin is built-in (by
   * default such a pipeline's workers each run several assets in turn, granted all
   * of them: module loading and JIT warm-up once per worker; core/replay/pool.ts).
   */
  isolateAssets?: boolean;
  /** Add the `report` sink when the pipeline has none (the V8 flag; same as `sinks: ["report"]`). */
  enableReport?: boolean;
  /** Built-in sinks to add for this run with default options (core/replay/extra_sinks.ts). */
  sinks?: string[];
  /** Replacement loader/engine modules (tests); default: the real ones. */
  hostModules?: string[];
  env?: Record<string, string | undefined>;
  onEvent?: (e: ReplayEvent) => void;
  /** Aborting stops the run: an `interrupted` manifest is written and returned at once. */
  signal?: AbortSignal;
}

/**
 * Runs (or, with `dryRun`, plans) a chunk replay; see the module comment. A real
 * run holds the artifact root's lock (core/replay/lock.ts) from before the
 * ledger is read until the run manifest is written.
 */
export async function replay(options: ReplayOptions): Promise<ReplaySummary> {
  // Third-party plugin code never runs in this thread (core/pipeline/plugin_sandbox.ts).
  const release = enterPluginIsolation();
  try {
    return await replayUnlocked(options);
  } finally {
    release();
  }
}

async function replayUnlocked(options: ReplayOptions): Promise<ReplaySummary> {
  if (options.dryRun) return await replayLocked(options, []);
  const root = await absolute(options.artifactRoot);
  await Deno.mkdir(root, { recursive: true });
  const lock = await acquireRootLock(root);
  try {
    // Under the lock nobody else writes here: any `.*.tmp` is a killed run's leftover.
    const leftovers = await removeLeftoverTemps(root);
    const notes = [lock.staleNote, leftovers.length ? leftoverNote(leftovers) : null];
    return await replayLocked(options, notes.filter((n) => n !== null));
  } finally {
    await lock.release();
  }
}

function leftoverNote(paths: string[]): string {
  const shown = paths.slice(0, 3).join(", ");
  return `removed ${paths.length} temp file(s) left by a killed run: ${shown}${
    paths.length > 3 ? ", ..." : ""
  }`;
}

async function replayLocked(
  options: ReplayOptions,
  startNotes: readonly string[],
): Promise<ReplaySummary> {
  const t0 = performance.now();
  const started = new Date();
  const runId = newRunId(started);
  const emit = options.onEvent ?? (() => {});
  const log = createLogger((e) =>
    emit({ type: "log", asset: "", level: e.level, message: e.message })
  );
  const warnings: string[] = [];
  const warn = (message: string, asset = "") => {
    warnings.push(asset && !message.startsWith(asset) ? `${asset}: ${message}` : message);
    emit({ type: "log", asset, level: "warn", message });
  };
  for (const n of startNotes) warn(n);

  const host = await loadHost(options.hostModules);
  const load = async (extra: readonly string[]): Promise<Pipeline> => {
    const p = await host.loadPipeline(options.pipeline, {
      overrides: [...(options.overrides ?? []), ...extra],
      env: options.env,
    });
    if (extraSinks.length === 0) return p;
    const { document, added, present } = withSinks(structuredClone(p.document), extraSinks);
    sinkNote ??= [
      added.length ? `added sink(s) ${added.join(", ")} for this run (default options)` : "",
      present.length ? `sink(s) ${present.join(", ")} already in the pipeline` : "",
    ].filter(Boolean).join("; ");
    return added.length ? await host.resolveDocument(document, { file: p.file }) : p;
  };
  const extraSinks = [...(options.sinks ?? []), ...(options.enableReport ? ["report"] : [])];
  let sinkNote: string | undefined;
  const pipeline = await load([]);
  refuseMainThreadPlugins(pipeline, options.dryRun ?? false);
  if (sinkNote) log.info(`--sink: ${sinkNote}`);
  const signature = host.pipelineSignature(pipeline);
  // Per-asset settings (`assets:` section): each such asset runs its own effective pipeline.
  const perAsset = new Map<string, Pipeline>();
  const assetsSection = (pipeline.document.assets ?? {}) as Record<string, string[]>;
  const pipelineOf = async (asset: string): Promise<Pipeline> => {
    const extra = assetsSection[asset] ?? [];
    if (extra.length === 0) return pipeline;
    if (!perAsset.has(asset)) perAsset.set(asset, await load(extra));
    return perAsset.get(asset)!;
  };

  const found = await discoverChunks(options.chunkRoot, options.equip ?? []);
  for (const n of found.notes) log.info(n);
  const artifactRoot = await absolute(options.artifactRoot);
  const ledgerPath = `${artifactRoot}/${LEDGER_FILE}`;
  const ledger = await readLedger(ledgerPath);

  const summaries = new Map<string, AssetSummary>();
  const plans: AssetPlan[] = [];
  for (const a of found.assets) {
    const s: AssetSummary = {
      asset: a.asset,
      status: "ok",
      chunks: a.chunks.length,
      done: 0,
      skipped: 0,
      failed: 0,
      blocked: 0,
      rows: 0,
      modelVersions: [],
      seconds: 0,
      failedChunk: null,
      error: null,
      notes: 0,
    };
    summaries.set(a.asset, s);
    for (const n of a.notes) log.info(`${a.asset}: ${n}`);
    if (a.error) {
      s.status = "failed";
      s.error = a.error;
      emit({ type: "asset-failed", asset: a.asset, chunk: null, error: a.error, seconds: 0 });
      continue;
    }
    const plan = await planAsset({
      found: a,
      assetDir: `${artifactRoot}/${a.asset}`,
      record: ledger.assets[a.asset],
      resume: options.resume ?? false,
      clearCache: options.clearCache ?? false,
    });
    for (const w of plan.warnings) warn(w, a.asset);
    s.skipped = plan.skip;
    plans.push(plan);
  }

  const finish = (manifest: string | null): ReplaySummary => {
    const assets = [...summaries.values()];
    const rows = assets.reduce((n, a) => n + a.rows, 0);
    const seconds = (performance.now() - t0) / 1000;
    return {
      runId,
      dryRun: options.dryRun ?? false,
      pipelineFile: pipeline.file,
      pipelineName: pipeline.name,
      signature,
      overrides: options.overrides ?? [],
      chunkRoot: found.root,
      artifactRoot,
      assets,
      warnings,
      exitCode: assets.some((a) => a.status === "failed") ? 1 : 0,
      started: started.toISOString(),
      seconds,
      rows,
      rowsPerSecond: seconds > 0 ? rows / seconds : 0,
      manifest,
    };
  };

  if (options.dryRun) {
    const source = pipeline.source.plugin.create(
      pipeline.source.options as never,
      pluginContext(pipeline.source.id, pipeline.source.pluginName, pipeline.seed, log),
    );
    for (const plan of plans) {
      const own = await pipelineOf(plan.asset);
      summaries.get(plan.asset)!.plan = await predictChunks({
        plan,
        source,
        signature: host.pipelineSignature(own),
        options: own.stages.model,
      });
    }
    return finish(null);
  }

  // ---- real run: from here on we write.
  await Deno.mkdir(artifactRoot, { recursive: true });
  if (options.resume) {
    for (const plan of [...plans]) {
      const failure = await verifyResumed(plan, await pipelineOf(plan.asset), warn);
      if (failure === null) continue;
      const s = summaries.get(plan.asset)!;
      Object.assign(s, { status: "failed", error: failure, skipped: 0, blocked: s.chunks });
      emit({ type: "asset-failed", asset: plan.asset, chunk: null, error: failure, seconds: 0 });
      plans.splice(plans.indexOf(plan), 1);
    }
  }
  const writer = new LedgerWriter(ledgerPath, ledger);
  const jobs: AssetJob[] = [];
  for (const plan of plans) {
    await Deno.mkdir(plan.assetDir, { recursive: true });
    jobs.push({
      asset: plan.asset,
      chunkDir: plan.chunkDir,
      assetDir: await Deno.realPath(plan.assetDir),
      artifactRoot,
      chunks: plan.chunks.map((c) => ({ name: c.name, path: c.path })),
      start: plan.skip,
      resumeState: plan.resumeState,
      rollbackAbove: plan.rollbackAbove,
      chunksSinceFit: plan.chunksSinceFit,
      clearCache: plan.clearCache,
      document: (await pipelineOf(plan.asset)).document,
      pipelineFile: pipeline.file,
      hostModules: options.hostModules ?? null,
      wantScored: pipeline.sinks.some((s) => s.plugin.scope === "fleet"),
      sensorMetadata: await assetMetadataPath(
        (await pipelineOf(plan.asset)).document,
        pipeline.file,
        plan.chunkDir,
      ),
    });
  }
  await writer.update((l) => {
    for (const plan of plans) l.assets[plan.asset] = plan.ledger;
  });
  const fleet = await openFleetSinks(pipeline, artifactRoot, log);
  const codePaths = await codeReadPaths(pipeline, options.hostModules ?? null);
  for (const plan of plans) {
    const s = summaries.get(plan.asset)!;
    emit({ type: "asset-start", asset: plan.asset, chunks: s.chunks, skipped: s.skipped });
    plan.chunks.slice(0, plan.skip).forEach((c, index) =>
      emit({ type: "chunk-skipped", asset: plan.asset, index, total: s.chunks, chunk: c.name })
    );
  }
  const todo = jobs.filter((j) => j.start < j.chunks.length);

  // Every path some worker is granted (a shared worker gets all of them).
  const union = unionPermissions(todo.map((j) => workerPermissions(j, codePaths)));
  const memoryMb = effectiveAssetMemory(options.assetMemoryMb ?? DEFAULT_ASSET_MEMORY_MB, union);
  // Built-in plugins only: a worker runs several assets in turn (core/replay/pool.ts).
  const shared = builtInOnly(pipeline) && todo.length > 1 && options.isolateAssets !== true
    ? { permissions: union, outer: outerPermissions(union, todo) }
    : undefined;
  if (memoryMb.warning) warn(memoryMb.warning);
  const inflight = new Set<Promise<void>>();
  const pool = runPool(todo, {
    maxWorkers: Math.max(1, options.maxWorkers ?? 1),
    memoryMb: memoryMb.mb,
    chunkTimeoutS: options.chunkTimeoutS ?? 0,
    chunkTimeoutFor: options.chunkTimeoutS === undefined
      ? (job, i) => defaultChunkTimeoutS(plans.find((p) => p.asset === job.asset)!.chunks[i].bytes)
      : undefined,
    permissions: (job) => workerPermissions(job, codePaths),
    shared,
    weight(job) {
      const chunks = plans.find((p) => p.asset === job.asset)!.chunks.slice(job.start);
      return chunks.reduce((n, c) => n + c.bytes, 0);
    },
    event(e) {
      if (e.type === "log" && e.level === "warn") warnings.push(`${e.asset}: ${e.message}`);
      if (e.type === "chunk-done") {
        const s = summaries.get(e.asset)!;
        s.notes = (s.notes ?? 0) + (e.notes ?? 0);
      }
      emit(e);
    },
    chunkDone(job, entry, index, scored) {
      // Tracked so an interruption waits for the chunk being recorded: the summary
      // then counts exactly what the ledger holds.
      const done = recordChunk(job, entry, index, scored);
      inflight.add(done);
      return done.finally(() => inflight.delete(done));
    },
  });
  async function recordChunk(
    job: AssetJob,
    entry: LedgerEntry,
    _index: number,
    scored: ScoredChunk | null,
  ): Promise<void> {
    const clock = new StageClock();
    for (const f of fleet) {
      await f.sink.write(scored as ScoredChunk);
      clock.lap(`sink:${f.id}`);
    }
    await writer.update(() => putEntry(writer.asset(job.asset), entry));
    clock.lap("ledger");
    emit({
      type: "chunk-stages",
      asset: job.asset,
      chunk: entry.file,
      where: "main",
      seconds: clock.seconds,
      cpu: clock.cpu,
    });
    const s = summaries.get(job.asset)!;
    s.done++;
    s.rows += entry.rows;
    for (const v of [entry.model_version, entry.model_version_after]) {
      if (!s.modelVersions.includes(v)) s.modelVersions.push(v);
    }
    s.modelVersions.sort((a, b) => a - b);
  }

  const outcomes = await Promise.race([pool, whenAborted(options.signal)]);
  if (outcomes === INTERRUPTED) {
    await Promise.allSettled([...inflight]);
    // A snapshot: chunks still finishing in the pool must not change the summary
    // (and its manifest) after its total was taken.
    const summary = { ...structuredClone(finish(null)), interrupted: true };
    const opts = manifestOptions(options);
    summary.manifest = await writeRunManifest(artifactRoot, summary, pipeline, opts);
    return summary;
  }
  for (const o of outcomes) {
    const s = summaries.get(o.asset)!;
    s.seconds = o.seconds;
    if (o.ok) {
      emit({ type: "asset-done", asset: o.asset, seconds: o.seconds });
      continue;
    }
    s.status = "failed";
    s.failed = 1;
    s.blocked = Math.max(0, s.chunks - s.skipped - s.done - s.failed);
    s.failedChunk = o.failedChunk;
    s.error = o.error;
    if (o.failedChunk) {
      const failedEntry: LedgerEntry = {
        file: o.failedChunk,
        sha256: shaOf(plans, o.asset, o.failedChunk),
        bytes: 0,
        rows: 0,
        model_version: 0,
        model_version_after: 0,
        status: "failed",
        mode: "score",
        retrain_reason: null,
        state_sha256: null,
        started: o.started ?? new Date().toISOString(),
        finished: new Date().toISOString(),
        error: o.error,
      };
      await writer.update(() => putEntry(writer.asset(o.asset), failedEntry));
    }
    emit({
      type: "asset-failed",
      asset: o.asset,
      chunk: o.failedChunk,
      error: o.error ?? "",
      seconds: o.seconds,
    });
  }
  for (const j of jobs) {
    if (j.start >= j.chunks.length) {
      log.info(`${j.asset}: all ${j.chunks.length} chunk(s) already done`);
      // A run killed between the last chunk's ledger entry and its pruning of old
      // model versions leaves them behind; finish that pruning here.
      await pruneVersions(j.assetDir, (await pipelineOf(j.asset)).stages.model.keep_versions);
    }
  }
  const closing = new StageClock();
  for (const f of fleet) {
    await f.sink.close?.();
    closing.lap(`close:${f.id}`);
  }
  if (fleet.length) {
    emit({
      type: "chunk-stages",
      asset: "",
      chunk: "",
      where: "main",
      seconds: closing.seconds,
      cpu: closing.cpu,
    });
  }
  const summary = finish(null);
  if (pipeline.sinks.some((s) => s.plugin.name === "report")) {
    summary.report = await writeFleetIndex(artifactRoot, {
      currentRun: { started: summary.started, assets: summary.assets },
    });
  }
  summary.manifest = await writeRunManifest(
    artifactRoot,
    summary,
    pipeline,
    manifestOptions(options),
  );
  await recordReplayInStore(pipeline, summary, writer.ledger);
  if (pipeline.sinks.some((s) => s.plugin.name === "postgres")) {
    const { recordReplayInPostgres } = await import("../store/pg_records.ts");
    await recordReplayInPostgres(pipeline, summary, writer.ledger);
  }
  return summary;
}

/** Checks the csv outputs of the chunks `--resume` skips; the failure message, or null. */
async function verifyResumed(
  plan: AssetPlan,
  pipeline: Pipeline,
  warn: (message: string, asset: string) => void,
): Promise<string | null> {
  const csv = pipeline.sinks.find((s) => s.pluginName === "csv");
  if (!csv || plan.skip === 0) return null;
  const sensors = (csv.options as { write_sensors?: boolean }).write_sensors !== false;
  const done = plan.chunks.slice(0, plan.skip).map((c) => c.name);
  const check = await verifyCsvOutputs(plan.assetDir, done, { sensors });
  if (check.missing.length > 0) return missingOutputsMessage(plan.asset, check.missing);
  if (check.rebuilt.length > 0) {
    warn(`--resume: rebuilt missing ${check.rebuilt.join(", ")} from the chunk parts`, plan.asset);
  }
  return null;
}

/** The options a run manifest records (finished and interrupted runs alike). */
function manifestOptions(options: ReplayOptions): Record<string, unknown> {
  return {
    equip: options.equip ?? [],
    max_workers: options.maxWorkers ?? 1,
    resume: options.resume ?? false,
    clear_cache: options.clearCache ?? false,
    chunk_timeout_s: options.chunkTimeoutS ?? "default (scaled to each chunk's size)",
    asset_memory_mb: options.assetMemoryMb ?? DEFAULT_ASSET_MEMORY_MB,
    isolate_assets: options.isolateAssets ?? false,
    enable_report: options.enableReport ?? false,
    sinks: options.sinks ?? [],
  };
}

function shaOf(plans: AssetPlan[], asset: string, chunk: string): string {
  return plans.find((p) => p.asset === asset)?.chunks.find((c) => c.name === chunk)?.sha256 ?? "";
}

/**
 * Fleet sinks run in this thread (and a dry run's source reads here): a third-party one
 * would run with this process's full permissions, so it is refused before any work.
 */
function refuseMainThreadPlugins(pipeline: Pipeline, dryRun: boolean): void {
  const nodes = [
    ...pipeline.sinks.filter((s) => s.plugin.scope === "fleet"),
    ...(dryRun ? [pipeline.source] : []),
  ];
  for (const node of nodes) {
    const specifier = sandboxedSpecifier(node.plugin);
    if (!specifier) continue;
    const where = `${pipeline.file}:${node.position.line ?? 0}:${node.position.column ?? 0}`;
    const [what, fix] = node === pipeline.source
      ? ["source of a --dry-run", "run without --dry-run, or use a built-in source"]
      : [
        '`scope: "fleet"` sink',
        'give the sink `scope: "asset"` (it then runs in each asset\'s worker)',
      ];
    throw new Error(
      `${where}: plugin "${node.pluginName}" (${specifier}) is a third-party ${what}; it would run ` +
        `in the main thread of acm replay with its full permissions, which acm refuses; ${fix}`,
    );
  }
}

async function openFleetSinks(
  pipeline: Pipeline,
  artifactRoot: string,
  log: Logger,
): Promise<{ id: string; sink: Sink }[]> {
  const out: { id: string; sink: Sink }[] = [];
  for (const node of pipeline.sinks) {
    if (node.plugin.scope !== "fleet") continue;
    const sink = node.plugin.create(
      node.options as never,
      pluginContext(node.id, node.pluginName, pipeline.seed, log),
    );
    await sink.open?.({ asset: "", assetDir: artifactRoot, artifactRoot });
    out.push({ id: node.id, sink });
  }
  return out;
}

async function absolute(path: string): Promise<string> {
  const abs = path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
  return await Deno.realPath(abs).catch(() => abs.replace(/\/+$/, ""));
}
