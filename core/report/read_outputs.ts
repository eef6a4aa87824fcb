/**
 * Reads an asset's stored outputs back from disk (scores.csv, episodes.csv,
 * sensors.csv or else the chunk files, expected.csv, data_quality.json, training.json,
 * summary.json, sensor_metadata.json) into arrays the
 * report draws. Only scores.csv is required; the others degrade to empty.
 */
import { parseCsv, parseNumber } from "../io/csv_text.ts";
import { readNumericCsv } from "../io/numeric_csv.ts";
import { type EpisodeRecord, parseCulprits } from "../io/records.ts";
import type { CsvManifest, EPISODE_COLUMNS } from "../io/csv_outputs.ts";
import type { ChunkQuality, CurrentState } from "../io/chunk_summary.ts";
import { readSourceSensors } from "./source_sensors.ts";
import { tracesFromCache } from "./cached_traces.ts";
import { type CachedChunk, type ScoreColumns, scoresFromCache } from "./cached_chunk.ts";
import { PartStore } from "../io/part_store.ts";
import { completeThresholds, type ReportThresholds } from "./thresholds.ts";
import type { SensorInfo } from "../sensor_metadata/load.ts";
import { readStoredMetadata } from "../sensor_metadata/stored.ts";

/** summary.json: where an asset stands. */
export interface AssetSummary {
  asset: string;
  chunks: number;
  rows: number;
  first: string;
  last: string;
  modelVersion: number;
  heads: string[];
  current: CurrentState | null;
  episodes: number;
  openEpisodes: number[];
}

/** Everything the report of one asset draws. */
export interface AssetOutputs {
  asset: string;
  t: Float64Array;
  heads: Record<string, Float64Array>;
  fused: Float64Array;
  alarm: Uint8Array;
  health: Float64Array;
  regime: Int32Array;
  episodes: EpisodeRecord[];
  sensors: { t: Float64Array; columns: string[]; values: Record<string, Float64Array> } | null;
  /** Where `sensors` was read: sensors.csv, or the chunk files the replay read (null: no sensor values). */
  sensorsFrom: "sensors.csv" | "chunk files" | null;
  /** scores.csv `envelope` (1 = outside the operating envelope, alarms held); all 0 when absent. */
  envelope: Uint8Array;
  /** scores.csv `transient` (1 = start-up/shut-down, alarms held); all 0 when absent. */
  transient: Uint8Array;
  /** scores.csv `signature` per row ("" when absent). */
  signature: string[];
  /** scores.csv `culprit` per row ("" when absent). */
  culprit: string[];
  /** expected.csv: per sensor the model's expected value and residual (null when the file is absent). */
  expected: {
    t: Float64Array;
    expected: Record<string, Float64Array>;
    residual: Record<string, Float64Array>;
  } | null;
  quality: ChunkQuality[];
  trainRanges: Record<string, [number, number, number]>;
  thresholds: ReportThresholds;
  summary: AssetSummary;
  /** Unit, description and limits per sensor (sensor_metadata.json; {} when absent). */
  sensorInfo: Record<string, SensorInfo>;
}

/** Epoch ms of a stored ISO timestamp (naive wall clock read as UTC). */
export function parseIso(text: string): number {
  return Date.parse(text.length === 10 ? `${text}T00:00:00Z` : `${text}Z`);
}

async function readText(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw new Error(`Cannot read "${path}": ${err instanceof Error ? err.message : err}`, {
      cause: err,
    });
  }
}

async function readJson<T>(path: string): Promise<T | null> {
  const text = await readText(path);
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`Cannot read "${path}": not valid JSON (${(err as Error).message})`);
  }
}

/** Reads episodes.csv text into stored episodes (open flags from `openIds`). */
export function parseEpisodesCsv(text: string, openIds: readonly number[] = []): EpisodeRecord[] {
  const rows = parseCsv(text);
  const header = rows[0] ?? [];
  const at = (name: (typeof EPISODE_COLUMNS)[number]) => header.indexOf(name);
  const open = new Set(openIds);
  return rows.slice(1).filter((r) => r.length > 1).map((r) => {
    const id = Number(r[at("episode_id")]);
    return {
      episode_id: id,
      start: r[at("start")],
      end: r[at("end")],
      duration_s: parseNumber(r[at("duration_s")]),
      peak_z: parseNumber(r[at("peak_z")]),
      mean_z: parseNumber(r[at("mean_z")]),
      severity: r[at("severity")] as EpisodeRecord["severity"],
      detector: r[at("detector")],
      culprits: parseCulprits(r[at("culprits")] ?? ""),
      regime: Number(r[at("regime")]),
      open: open.has(id),
    };
  });
}

/** scores.csv text as score columns (NaN / 0 / "" for a column it lacks). */
function scoresFromCsv(text: string): ScoreColumns {
  const scores = readNumericCsv(text, parseIso, ["signature", "culprit"]);
  const col = (name: string) => {
    const j = scores.columns.indexOf(name);
    return j < 0 ? new Float64Array(scores.t.length).fill(NaN) : scores.values[j];
  };
  const flag = (name: string) => Uint8Array.from(col(name), (v) => (v === 1 ? 1 : 0));
  const heads: Record<string, Float64Array> = {};
  scores.columns.forEach((c, j) => {
    if (c.endsWith("_z")) heads[c.slice(0, -2)] = scores.values[j];
  });
  return {
    t: scores.t,
    heads,
    fused: col("fused"),
    alarm: flag("alarm"),
    health: col("health"),
    regime: Int32Array.from(col("regime"), (v) => (Number.isFinite(v) ? v : -1)),
    envelope: flag("envelope"),
    transient: flag("transient"),
    signature: scores.text["signature"],
    culprit: scores.text["culprit"],
  };
}

/** Reads every stored output of the asset in `assetDir`; throws naming scores.csv when it is missing. */
export async function readAssetOutputs(
  assetDir: string,
  opts: {
    /**
     * The chunks a sink was handed this run (cached_chunk.ts): stand in for
     * scores.csv, expected.csv and the chunk files when they cover them.
     */
    traces?: ReadonlyMap<string, CachedChunk>;
  } = {},
): Promise<AssetOutputs> {
  const manifests = opts.traces
    ? await new PartStore<CsvManifest>(`${assetDir}/.parts/csv`).manifests()
    : [];
  let scores = opts.traces ? scoresFromCache(manifests, opts.traces) : null;
  if (scores === null) {
    const scoresText = await readText(`${assetDir}/scores.csv`);
    if (scoresText === null) {
      throw new Error(
        `Cannot build the report: "${assetDir}/scores.csv" does not exist\n    hint: add the csv sink to the pipeline's sinks (before report), or replay the asset first`,
      );
    }
    scores = scoresFromCsv(scoresText);
  }
  const heads = scores.heads;
  const name = assetDir.replace(/\/+$/, "").split("/").pop() ?? assetDir;
  const summary = (await readJson<AssetSummary>(`${assetDir}/summary.json`)) ?? {
    asset: name,
    chunks: 0,
    rows: scores.t.length,
    first: "",
    last: "",
    modelVersion: 0,
    heads: Object.keys(heads),
    current: null,
    episodes: 0,
    openEpisodes: [],
  };
  const episodesText = await readText(`${assetDir}/episodes.csv`);
  const sensorsText = await readText(`${assetDir}/sensors.csv`);
  const cached = opts.traces ? await tracesFromCache(assetDir, opts.traces) : null;
  const expectedText = cached ? null : await readText(`${assetDir}/expected.csv`);
  const quality = await readJson<{ chunks: ChunkQuality[] }>(`${assetDir}/data_quality.json`);
  const training = await readJson<{
    thresholds?: Partial<ReportThresholds>;
    versions?: Record<string, { trainRanges: Record<string, [number, number, number]> }>;
  }>(`${assetDir}/training.json`);
  const versions = Object.keys(training?.versions ?? {}).sort((a, b) => Number(a) - Number(b));
  const latest = versions.length ? training!.versions![versions[versions.length - 1]] : undefined;
  // Without a sensors.csv copy (the csv sink's default) the traces come from the chunk files.
  let sensors: AssetOutputs["sensors"] = sensorsText === null
    ? await readSourceSensors(assetDir, opts.traces)
    : null;
  if (sensorsText !== null) {
    const s = readNumericCsv(sensorsText, parseIso);
    sensors = {
      t: s.t,
      columns: s.columns,
      values: Object.fromEntries(s.columns.map((c, j) => [c, s.values[j]])),
    };
  }
  let expected: AssetOutputs["expected"] = cached;
  if (expectedText !== null) {
    const e = readNumericCsv(expectedText, parseIso);
    expected = { t: e.t, expected: {}, residual: {} };
    e.columns.forEach((c, j) => {
      if (c.endsWith("_expected")) expected!.expected[c.slice(0, -9)] = e.values[j];
      else if (c.endsWith("_residual")) expected!.residual[c.slice(0, -9)] = e.values[j];
    });
  }
  return {
    asset: summary.asset || name,
    t: scores.t,
    envelope: scores.envelope,
    transient: scores.transient,
    signature: scores.signature,
    culprit: scores.culprit,
    expected,
    heads,
    fused: scores.fused,
    alarm: scores.alarm,
    health: scores.health,
    regime: scores.regime,
    episodes: episodesText === null ? [] : parseEpisodesCsv(episodesText, summary.openEpisodes),
    sensors,
    sensorsFrom: sensorsText !== null ? "sensors.csv" : sensors ? "chunk files" : null,
    quality: quality?.chunks ?? [],
    trainRanges: latest?.trainRanges ?? {},
    thresholds: completeThresholds(training?.thresholds),
    summary,
    sensorInfo: await readStoredMetadata(assetDir),
  };
}
