/**
 * The per-asset CSV outputs (the contract other tools read) and their JSON
 * companions, written from scored chunks:
 *
 * - `scores.csv`: timestamp, `<head>_z`…, fused, alarm, health, regime
 * - `episodes.csv`: episode_id,start,end,duration_s,peak_z,mean_z,severity,detector,culprits,regime
 * - `sensors.csv`: timestamp + the raw sensor values (report traces)
 * - `data_quality.json`: per chunk, sensor health verdicts and data notes
 * - `training.json`: per model version, the training range of every sensor; thresholds
 * - `summary.json`: rows, time span, current health, open episodes (fleet index)
 *
 * Each chunk is kept as part files under `.parts/csv/`. A chunk that comes after
 * every committed one (the replay case) is appended to scores.csv and sensors.csv
 * (O(chunk rows); see core/io/cumulative.ts for how a torn append is detected and
 * repaired); any other write — a re-written chunk, an out-of-order one, a changed
 * header — rebuilds the cumulative files from the parts and replaces each one
 * atomically. episodes.csv and the JSON companions are small and always rebuilt.
 */
import { formatTimestamp } from "../frame.ts";
import type { ScoredChunk } from "../plugin.ts";
import { chunkThresholds, type ReportThresholds } from "../report/thresholds.ts";
import { atomicWriteText, ensureDir, syncDir } from "./atomic_write.ts";
import { mergeCsvParts } from "./csv_merge.ts";
import { appendPart, rewriteCumulative } from "./cumulative.ts";
import { csvLine, formatNumber } from "./csv_text.ts";
import { type PartManifest, PartStore } from "./part_store.ts";
import { type EpisodeRecord, formatCulprits, latestEpisodes } from "./records.ts";
import { chunkQuality, type ChunkSummary, chunkSummary } from "./chunk_summary.ts";

/** Header of episodes.csv (the contract). */
export const EPISODE_COLUMNS = [
  "episode_id",
  "start",
  "end",
  "duration_s",
  "peak_z",
  "mean_z",
  "severity",
  "detector",
  "culprits",
  "regime",
] as const;

/** The csv sink's manifest of one chunk. */
export interface CsvManifest extends PartManifest, ChunkSummary {
  thresholds: ReportThresholds;
}

/** The rows of one chunk as scores.csv text (with header). */
export function scoresCsv(chunk: ScoredChunk): string {
  const heads = Object.keys(chunk.heads);
  const parts: string[] = [
    csvLine(["timestamp", ...heads.map((h) => `${h}_z`), "fused", "alarm", "health", "regime"]),
  ];
  const cols = heads.map((h) => chunk.heads[h]);
  for (let i = 0; i < chunk.timestamps.length; i++) {
    let line = formatTimestamp(chunk.timestamps[i]);
    for (const c of cols) line += "," + formatNumber(c[i]);
    line += `,${formatNumber(chunk.fused[i])},${chunk.alarm[i]},${formatNumber(chunk.health[i])},${
      chunk.regime[i]
    }\n`;
    parts.push(line);
  }
  return parts.join("");
}

/** The chunk's raw sensor values as sensors.csv text (with header). */
export function sensorsCsv(chunk: ScoredChunk): string {
  const raw = chunk.raw;
  const parts: string[] = [csvLine(["timestamp", ...raw.columns])];
  const n = raw.rows;
  for (let i = 0; i < n; i++) {
    let line = formatTimestamp(raw.timestamps[i]);
    for (let j = 0; j < raw.columns.length; j++) line += "," + formatNumber(raw.values[j * n + i]);
    parts.push(line + "\n");
  }
  return parts.join("");
}

/** episodes.csv text for stored episodes. */
export function episodesCsv(episodes: readonly EpisodeRecord[]): string {
  let out = csvLine(EPISODE_COLUMNS);
  for (const e of episodes) {
    out += csvLine([
      String(e.episode_id),
      e.start,
      e.end,
      formatNumber(e.duration_s),
      formatNumber(e.peak_z),
      formatNumber(e.mean_z),
      e.severity,
      e.detector,
      formatCulprits(e.culprits),
      String(e.regime),
    ]);
  }
  return out;
}

/** Writes one chunk's parts, then brings every cumulative CSV/JSON output of the asset up to date. */
export async function writeCsvChunk(
  assetDir: string,
  chunk: ScoredChunk,
  opts: { sensors?: boolean } = {},
): Promise<void> {
  await ensureDir(assetDir);
  const store = new PartStore<CsvManifest>(`${assetDir}/.parts/csv`);
  const parts: Record<string, string> = { "scores.csv": scoresCsv(chunk) };
  if (opts.sensors !== false) parts["sensors.csv"] = sensorsCsv(chunk);
  const manifest: CsvManifest = { ...chunkSummary(chunk), thresholds: chunkThresholds(chunk) };
  await store.put(manifest, parts);
  await rebuildCsvOutputs(assetDir, opts, { chunk: manifest.chunk, parts });
}

/**
 * Rebuilds scores.csv, sensors.csv, episodes.csv and the JSON companions from the
 * parts. With `added` (the chunk just written and its part texts), the large CSVs
 * are appended to instead when that gives the same file (see the module comment).
 */
export async function rebuildCsvOutputs(
  assetDir: string,
  opts: { sensors?: boolean } = {},
  added?: { chunk: string; parts: Record<string, string> },
): Promise<void> {
  const store = new PartStore<CsvManifest>(`${assetDir}/.parts/csv`);
  const manifests = await store.manifests();
  const order = manifests.map((m) => m.chunk);
  const files = opts.sensors !== false ? ["scores.csv", "sensors.csv"] : ["scores.csv"];
  for (const name of files) {
    const path = `${assetDir}/${name}`;
    const part = added?.parts[name];
    if (part !== undefined && await appendPart(store.dir, path, order, added!.chunk, part)) {
      continue;
    }
    const texts: string[] = [];
    for (const m of manifests) texts.push(await store.read(m.chunk, name));
    await rewriteCumulative(store.dir, path, order, mergeCsvParts(texts));
  }
  const episodes = latestEpisodes(manifests.map((m) => m.episodes));
  await atomicWriteText(`${assetDir}/episodes.csv`, episodesCsv(episodes), { syncDir: false });
  await writeCompanions(assetDir, manifests, episodes);
  await syncDir(assetDir);
}

async function writeCompanions(
  assetDir: string,
  manifests: CsvManifest[],
  episodes: EpisodeRecord[],
): Promise<void> {
  const last = manifests[manifests.length - 1];
  const asset = last?.asset ?? "";
  await atomicWriteText(
    `${assetDir}/data_quality.json`,
    JSON.stringify({ asset, chunks: manifests.map(chunkQuality) }, null, 1) + "\n",
    { syncDir: false },
  );
  const versions: Record<string, { sensors: string[]; trainRanges: CsvManifest["trainRanges"] }> =
    {};
  for (const m of manifests) {
    versions[m.modelVersion] = { sensors: Object.keys(m.trainRanges), trainRanges: m.trainRanges };
  }
  await atomicWriteText(
    `${assetDir}/training.json`,
    JSON.stringify({ asset, thresholds: last?.thresholds, versions }, null, 1) + "\n",
    { syncDir: false },
  );
  const summary = {
    asset,
    chunks: manifests.length,
    rows: manifests.reduce((s, m) => s + m.rows, 0),
    first: manifests[0]?.first ?? "",
    last: last?.last ?? "",
    modelVersion: last?.modelVersion ?? 0,
    heads: last?.heads ?? [],
    current: last?.current ?? null,
    episodes: episodes.length,
    openEpisodes: episodes.filter((e) => e.open).map((e) => e.episode_id),
  };
  await atomicWriteText(`${assetDir}/summary.json`, JSON.stringify(summary, null, 1) + "\n", {
    syncDir: false,
  });
}
