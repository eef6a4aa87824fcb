/**
 * Runs one asset's chunks in order (inside its Worker): read → (re)train when
 * the refit policy says so → score → incremental update → asset sinks →
 * stream-state checkpoint → report to the main thread, which writes fleet sinks
 * and the ledger and then acknowledges. Every chunk continues from the model
 * and stream state as *decoded from disk*, so an interrupted run resumed from
 * its checkpoints computes exactly what an uninterrupted run computes.
 *
 * The main thread records chunk i while this worker computes chunk i + 1: chunk
 * i + 1 is reported (or its failure thrown) only after chunk i's acknowledgement,
 * so the main thread sees the chunks one at a time and in order, as before, and
 * old model versions are pruned only once the ledger has the chunk that keeps its
 * own. A kill in between leaves outputs of chunks the ledger does not have yet —
 * the case a resume already handles: it re-runs them from the last recorded
 * checkpoint, discards model versions above the ledger's and rewrites their parts.
 */
import type { Frame } from "../frame.ts";
import { createLogger, type Logger } from "../log.ts";
import type { DataNote, ScoredChunk, Sink, SinkPlugin, Source, StateValue } from "../plugin.ts";
import type { Pipeline, ResolvedNode } from "../pipeline/types.ts";
import type { StreamState } from "../engine/types.ts";
import { pluginContext } from "../engine/context.ts";
import { decodeState, encodeState } from "../state_codec.ts";
import { atomicWriteFile } from "../io/atomic_write.ts";
import { digestHex, sha256Hex } from "../hash.ts";
import { type HostScorer, loadHost } from "./host.ts";
import {
  clearModels,
  loadModel,
  type ModelManifest,
  modelsDir,
  pruneVersions,
  recoveryHint,
  removeTempEntries,
  removeVersionsAbove,
  saveModel,
} from "./model_store.ts";
import { checkChunkSize } from "./limits.ts";
import { decideRefit, list, type ModelFacts, sensorCoverage } from "./refit_policy.ts";
import { checkTimeOrder, logNote, STREAM_END_KEY } from "./chunk_checks.ts";
import type { LedgerEntry } from "./ledger.ts";
import type { ReplayEvent } from "./events.ts";
import { loadSensorMetadata } from "../sensor_metadata/load.ts";
import { missingSensorWarnings } from "../sensor_metadata/check.ts";
import { writeStoredMetadata } from "../sensor_metadata/stored.ts";
import type { StageTimings } from "../engine/timings.ts";
import { cpuClock, StageClock } from "./stage_clock.ts";
import { medianStep } from "../numeric/median_step.ts";

/** Everything a worker needs to run one asset (structured-clone safe). */
export interface AssetJob {
  asset: string;
  /** Real path of the asset's chunk directory. */
  chunkDir: string;
  /** Real path of `<artifact-root>/<asset>` (exists). */
  assetDir: string;
  artifactRoot: string;
  /** All chunks of the asset in replay order. */
  chunks: { name: string; path: string }[];
  /** Index of the first chunk to run (earlier ones are done and skipped). */
  start: number;
  /** Checkpoint to continue from (`state/<file>.bin` of the last skipped chunk) and its hash. */
  resumeState: { file: string; sha256: string | null } | null;
  /** Delete model versions above this one first (leftovers of a killed chunk); null = keep all. */
  rollbackAbove: number | null;
  /** Chunks scored since the current model's last fit (from the ledger). */
  chunksSinceFit: number;
  clearCache: boolean;
  document: Record<string, unknown>;
  pipelineFile: string;
  /** Replacement loader/engine modules (tests); null = the real ones. */
  hostModules: string[] | null;
  /** Post each ScoredChunk back (there are fleet sinks). */
  wantScored: boolean;
  /** Real path of the asset's sensor metadata file (core/sensor_metadata/locate.ts); none when absent. */
  sensorMetadata?: string | null;
}

/** What the main thread hears from a running asset. */
export interface AssetRunnerIO {
  event(e: ReplayEvent): void;
  /** Called once the chunk's outputs and checkpoint are on disk; resolves when the ledger has it. */
  chunkDone(entry: LedgerEntry, index: number, scored: ScoredChunk | null): Promise<void>;
}

/** Guide minimums for a bootstrap chunk (BATCH_PROCESSING.md: ≥ 500 rows, ≥ 24 h). */
export const BOOTSTRAP_MIN_ROWS = 500;
/** Minimum span of a bootstrap chunk in hours. */
export const BOOTSTRAP_MIN_HOURS = 24;

/** Runs the job's chunks from `job.start`; throws (naming the chunk) on the first failure. */
export async function runAsset(job: AssetJob, io: AssetRunnerIO): Promise<void> {
  const setup = new StageClock();
  const log = createLogger((e) =>
    io.event({ type: "log", asset: job.asset, level: e.level, message: e.message })
  );
  const host = await loadHost(job.hostModules ?? undefined);
  const pipeline = await host.resolveDocument(job.document, { file: job.pipelineFile });
  const signature = host.pipelineSignature(pipeline);
  const options = pipeline.stages.model;
  const source = createSource(pipeline, log);
  const sinks = await openSinks(pipeline, job, log);
  // Units, descriptions and limits for the report; an invalid file fails the asset here.
  const metadata = job.sensorMetadata ? await loadSensorMetadata(job.sensorMetadata) : null;
  await writeStoredMetadata(job.assetDir, metadata);
  let metadataUnchecked = metadata !== null;
  const stateDir = `${job.assetDir}/state`;

  if (job.clearCache) {
    await clearModels(job.assetDir);
    await Deno.remove(stateDir, { recursive: true }).catch(() => {});
    log.info("--clear-cache: removed the model store and stream state");
  } else if (job.rollbackAbove !== null) {
    const gone = await removeVersionsAbove(job.assetDir, job.rollbackAbove);
    if (gone.length) {
      log.warn(
        `discarded model version(s) ${gone.map((v) => `v${v}`).join(", ")} ` +
          `written by a chunk that never completed`,
      );
    }
  }
  await Deno.mkdir(stateDir, { recursive: true });
  // Only this worker writes here, so any temp entry is a leftover of a killed run.
  for (const dir of [job.assetDir, modelsDir(job.assetDir), stateDir]) {
    for (const name of await removeTempEntries(dir)) log.debug(`removed leftover ${dir}/${name}`);
  }

  let stored = await loadModel(job.assetDir);
  let scorer: HostScorer | null = null;
  let scoreTimings: StageTimings | null = null;
  let stream: StreamState | null = null;
  if (job.resumeState) stream = await readCheckpoint(stateDir, job.resumeState, job.assetDir);
  let sinceFit = job.chunksSinceFit;
  // The previous chunk's report to the main thread: awaited (then its old model
  // versions pruned) before the next chunk is reported, at the loop's end and on failure.
  let recording:
    | { done: Promise<void>; keep: number; chunk: string; index: number; started: Date }
    | null = null;
  const recorded = async () => {
    if (recording === null) return;
    const r = recording;
    recording = null;
    try {
      await r.done;
      await pruneVersions(job.assetDir, options.keep_versions, [r.keep]);
    } catch (e) {
      throw new ChunkFailure(r.chunk, r.index, r.started, e);
    }
  };
  setup.lap("setup");

  for (let i = job.start; i < job.chunks.length; i++) {
    const chunk = job.chunks[i];
    const started = new Date();
    const t0 = performance.now();
    const clock = new StageClock();
    if (i === job.start) clock.add(setup);
    io.event({
      type: "chunk-start",
      asset: job.asset,
      index: i,
      total: job.chunks.length,
      chunk: chunk.name,
    });
    try {
      const bytes = await Deno.readFile(chunk.path);
      const sha256 = await digestHex(bytes);
      clock.lap("read+hash");
      const read = await source.read(chunk.path);
      const frame = read.frame;
      if (metadataUnchecked) {
        for (const w of missingSensorWarnings(metadata!, frame.columns)) log.warn(w);
        metadataUnchecked = false;
      }
      clock.lap("parse");
      const tooBig = checkChunkSize(chunk.name, frame.rows, frame.columns.length);
      if (tooBig) throw new RangeError(tooBig);
      checkTimeOrder(
        frame,
        read.lines,
        chunk.path,
        job.chunks[i - 1]?.name ?? null,
        stream,
        resampleSeconds(pipeline),
      );
      const notes: DataNote[] = [...read.notes];
      const chunkFacts = {
        columns: frame.columns,
        allNaN: allNaNColumns(frame),
        start: frame.timestamps[0],
      };
      const decision = decideRefit({
        model: stored ? facts(stored.manifest) : null,
        signature,
        chunk: chunkFacts,
        chunksSinceFit: sinceFit,
        options,
      });
      const usedBefore = stored?.manifest.version ?? 0;
      if (decision.retrain) {
        warnSmallBootstrap(frame, chunk.name, log);
        const fitTimings: StageTimings = { seconds: {}, clock: cpuClock };
        const fitted = await host.fitModel(pipeline, frame, { log, timings: fitTimings });
        clock.lap("fit");
        clock.detail("fit", fitTimings.seconds);
        const manifest = await saveModel(job.assetDir, fitted, {
          asset: job.asset,
          reason: usedBefore ? `retrain: ${decision.reason}` : `bootstrap: ${decision.reason}`,
          chunk: chunk.name,
          parent: usedBefore || null,
        });
        stored = await loadModel(job.assetDir, manifest.version);
        scorer = null;
        sinceFit = 0;
        clock.lap("model save+load");
        io.event({
          type: "model",
          asset: job.asset,
          version: manifest.version,
          reason: manifest.reason,
        });
      }
      if (!stored) throw new Error("no model after the refit decision"); // unreachable by decideRefit
      notes.push(
        ...coverageNotes(stored.manifest, chunkFacts, options.max_missing_sensor_fraction),
      );
      clock.lap("checks");
      if (scorer === null) {
        scoreTimings = { seconds: {}, clock: cpuClock };
        scorer = await host.createScorer(pipeline, stored.model, { log, timings: scoreTimings });
        clock.lap("scorer");
      }
      const modelVersion = stored.manifest.version;
      const before = { ...scoreTimings?.seconds };
      const result = await scorer.score(frame, stream, {
        asset: job.asset,
        chunk: chunk.name,
        modelVersion,
      });
      clock.lap("score");
      clock.detail("score", scoreTimings?.seconds ?? {}, before);
      result.chunk.source = {
        path: chunk.path,
        plugin: pipeline.source.pluginName,
        options: pipeline.source.options as Record<string, unknown>,
      };
      sinceFit++;
      // The reader's notes and the coverage notes go first, then the engine's own.
      result.chunk.notes = [...notes, ...result.chunk.notes];
      for (const n of result.chunk.notes) logNote(log, chunk.name, n);
      if (options.incremental) {
        const updated = await scorer.update(frame, result.chunk);
        if (updated) {
          const manifest = await saveModel(job.assetDir, updated, {
            asset: job.asset,
            reason: `incremental update after ${chunk.name}`,
            chunk: chunk.name,
            parent: modelVersion,
          });
          stored = await loadModel(job.assetDir, manifest.version);
          scorer = null;
          io.event({
            type: "model",
            asset: job.asset,
            version: manifest.version,
            reason: manifest.reason,
          });
        }
      }
      clock.lap("update");
      for (const s of sinks) {
        await s.sink.write(result.chunk);
        clock.lap(`sink:${s.node.id}`);
      }
      const checkpoint = {
        ...result.stream,
        [STREAM_END_KEY]: frame.timestamps[frame.rows - 1],
      };
      const stateBytes = encodeState(checkpoint as StateValue);
      await atomicWriteFile(`${stateDir}/${chunk.name}.bin`, stateBytes);
      stream = decodeState(stateBytes, `stream state of ${chunk.name}`) as StreamState;
      clock.lap("checkpoint");
      const entry: LedgerEntry = {
        file: chunk.name,
        sha256,
        bytes: bytes.length,
        rows: frame.rows,
        model_version: modelVersion,
        model_version_after: stored!.manifest.version,
        status: "done",
        mode: decision.retrain ? "bootstrap" : "score",
        retrain_reason: decision.reason,
        state_sha256: sha256Hex(stateBytes),
        started: started.toISOString(),
        finished: new Date().toISOString(),
        error: null,
      };
      io.event({
        type: "chunk-done",
        asset: job.asset,
        index: i,
        total: job.chunks.length,
        chunk: chunk.name,
        mode: entry.mode,
        rows: frame.rows,
        modelVersion,
        seconds: (performance.now() - t0) / 1000,
        episodes: result.chunk.episodes.length,
        notes: result.chunk.notes.length,
      });
      io.event({
        type: "chunk-stages",
        asset: job.asset,
        chunk: chunk.name,
        where: "worker",
        seconds: clock.seconds,
        cpu: clock.cpu,
      });
      await recorded();
      const done = io.chunkDone(entry, i, job.wantScored ? result.chunk : null);
      recording = { done, keep: stored!.manifest.version, chunk: chunk.name, index: i, started };
    } catch (e) {
      if (e instanceof ChunkFailure) throw e; // the previous chunk's pruning failed (named)
      // The main thread hears of this failure after it recorded the previous chunk.
      await recorded().catch(() => {});
      throw new ChunkFailure(chunk.name, i, started, e);
    }
  }
  await recorded();
  const closing = new StageClock();
  for (const s of sinks) {
    await s.sink.close?.();
    closing.lap(`close:${s.node.id}`);
  }
  io.event({
    type: "chunk-stages",
    asset: job.asset,
    chunk: "",
    where: "worker",
    seconds: closing.seconds,
    cpu: closing.cpu,
  });
}

/** A chunk failed: carries the chunk, its index and the cause. */
export class ChunkFailure extends Error {
  constructor(
    readonly chunk: string,
    readonly index: number,
    readonly started: Date,
    cause: unknown,
  ) {
    super(
      cause instanceof Error
        ? `${cause.name === "Error" ? "" : cause.name + ": "}${cause.message}`
        : String(cause),
    );
    this.name = "ChunkFailure";
    this.cause = cause;
  }
}

function facts(m: ModelManifest): ModelFacts {
  return {
    version: m.version,
    signature: m.signature,
    sensors: m.sensors,
    trainedColumns: m.sensor_health.map((s) => s.sensor),
    trainEnd: m.train.end_ms,
  };
}

/** Notes on a degraded chunk (too many sensors unmonitored) and on columns the model never saw. */
function coverageNotes(
  m: ModelManifest,
  chunk: { columns: readonly string[]; allNaN: readonly string[] },
  maxMissing: number,
): DataNote[] {
  const cov = sensorCoverage(facts(m), chunk, maxMissing);
  const notes: DataNote[] = [];
  const n = cov.unmonitored.length;
  // The unmonitored sensors themselves are noted by the engine's gate (selectHealthy).
  if (cov.degraded) {
    notes.push({
      kind: "degraded",
      message: `${n}/${m.sensors.length} model sensors unmonitored, more than ` +
        `max_missing_sensor_fraction ${maxMissing}: this chunk's scores rest on few sensors`,
      count: n,
    });
  }
  if (cov.unmodelled.length > 0) {
    notes.push({
      kind: "unmodelled",
      message: `column(s) ${list(cov.unmodelled)} not seen in training (model v${m.version}): ` +
        "not scored until a stated retrain (retrain_on_new_sensors, refit policy or --clear-cache)",
      count: cov.unmodelled.length,
    });
  }
  return notes;
}

/** The built-in csv source's resample_s (0 when off or another source plugin). */
function resampleSeconds(pipeline: Pipeline): number {
  const options = pipeline.source.options as { resample_s?: unknown };
  return pipeline.source.pluginName === "csv" && typeof options.resample_s === "number"
    ? options.resample_s
    : 0;
}

function createSource(pipeline: Pipeline, log: Logger): Source {
  const node = pipeline.source;
  return node.plugin.create(
    node.options as never,
    pluginContext(node.id, node.pluginName, pipeline.seed, log),
  );
}

async function openSinks(
  pipeline: Pipeline,
  job: AssetJob,
  log: Logger,
): Promise<{ node: ResolvedNode<SinkPlugin>; sink: Sink }[]> {
  const out = [];
  for (const node of pipeline.sinks) {
    if (node.plugin.scope === "fleet") continue;
    const sink = node.plugin.create(
      node.options as never,
      pluginContext(node.id, node.pluginName, pipeline.seed, log),
    );
    await sink.open?.({ asset: job.asset, assetDir: job.assetDir, artifactRoot: job.artifactRoot });
    out.push({ node, sink });
  }
  return out;
}

async function readCheckpoint(
  stateDir: string,
  ref: { file: string; sha256: string | null },
  assetDir: string,
): Promise<StreamState> {
  const path = `${stateDir}/${ref.file}.bin`;
  try {
    const bytes = await Deno.readFile(path);
    if (ref.sha256 && sha256Hex(bytes) !== ref.sha256) {
      throw new Error(
        `checkpoint "${path}" does not match the ledger's hash (truncated or replaced)`,
      );
    }
    return decodeState(bytes, `checkpoint "${path}"`) as StreamState;
  } catch (e) {
    const why = (e as Error).message.includes(path)
      ? (e as Error).message
      : `"${path}": ${(e as Error).message}`;
    throw new Error(`Cannot resume: ${why}; ${recoveryHint(assetDir)}`);
  }
}

/** Columns of `frame` with no finite value. */
export function allNaNColumns(frame: Frame): string[] {
  const out: string[] = [];
  for (let j = 0; j < frame.columns.length; j++) {
    let any = false;
    for (let i = j * frame.rows, end = i + frame.rows; i < end && !any; i++) {
      any = Number.isFinite(frame.values[i]);
    }
    if (!any) out.push(frame.columns[j]);
  }
  return out;
}

function warnSmallBootstrap(frame: Frame, name: string, log: Logger): void {
  const hours = coveredHours(frame.timestamps);
  if (frame.rows < BOOTSTRAP_MIN_ROWS || hours < BOOTSTRAP_MIN_HOURS) {
    log.warn(
      `training chunk ${name} is small (${frame.rows} rows, ${formatHours(hours)}; the guide ` +
        `recommends ≥ ${BOOTSTRAP_MIN_ROWS} rows and ≥ ${BOOTSTRAP_MIN_HOURS} h) — models may be unstable`,
    );
  }
}

/**
 * Hours a chunk covers: first to last timestamp plus one median sampling step, so 1,440
 * one-minute rows cover 24 h (not the 23.98 h between the first and the last row).
 */
export function coveredHours(ts: Float64Array): number {
  const n = ts.length;
  if (n < 2) return 0;
  return (ts[n - 1] - ts[0] + medianStep(ts)) / 3.6e6;
}

/** Hours with one decimal, rounded down so that a span below a threshold never reads as it. */
export function formatHours(h: number): string {
  return `${(Math.floor(h * 10 + 1e-6) / 10).toFixed(1)} h`;
}
