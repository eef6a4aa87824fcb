/**
 * The per-asset CSV outputs (the contract other tools read) and their JSON
 * companions, written from scored chunks:
 *
 * - `scores.csv`: timestamp, `<head>_z`…, fused, alarm, health, regime, envelope,
 *   transient, top_head, culprit, signature
 * - `expected.csv` (when a head exports traces): timestamp, then per model sensor
 *   `<sensor>_expected`, `<sensor>_residual`, rounded to `expectedDigits`
 *   significant digits (default 7; 0 = full precision)
 * - `episodes.csv`: episode_id,start,end,duration_s,peak_z,mean_z,severity,detector,culprits,regime
 * - `sensors.csv` (only with `sensors: true`): timestamp + the raw sensor values; by
 *   default the report reads them from the chunk file each part manifest names (`source`)
 * - `data_quality.json`: per chunk, sensor health verdicts and data notes
 * - `training.json`: per model version, the training range of every sensor; thresholds
 * - `summary.json`: rows, time span, current health, open episodes (fleet index)
 *
 * Each chunk is kept as part files under `.parts/csv/`. A chunk that comes after
 * every committed one (the replay case) is appended to scores.csv, sensors.csv
 * and expected.csv (O(chunk rows); see core/io/cumulative.ts for how a torn
 * append is detected and repaired), and its expected.csv part is then kept only
 * in expected.csv (a checked byte range, core/io/part_store.ts); any other write — a re-written chunk, an out-of-order one, a changed
 * header — rebuilds the cumulative files from the parts and replaces each one
 * atomically. episodes.csv and the JSON companions are small and always rebuilt.
 */
import type { ChunkSource, ScoredChunk } from "../plugin.ts";
import { chunkThresholds, type ReportThresholds } from "../report/thresholds.ts";
import { atomicWriteText, ensureDir, syncDir } from "./atomic_write.ts";
import { mergeCsvParts } from "./csv_merge.ts";
import { appendPart, rewriteCumulativeBytes } from "./cumulative.ts";
import { csvLine, formatNumber } from "./csv_text.ts";
import { checkDigits } from "./round_significant.ts";
import { CsvWriter } from "./csv_writer.ts";
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
  /** The chunk file the raw values can be read back from (absent: unknown), and its raw columns. */
  source?: ChunkSource & { columns: string[] };
  /** True when the chunk has an expected.csv part (a head exported traces). */
  expected?: boolean;
  /**
   * Significant digits its expected values and residuals were rounded to (0 or
   * absent: full precision); readers of the traces apply the same rounding.
   */
  expectedDigits?: number;
}

/**
 * Outputs whose appended parts are kept only in the cumulative file (PartStore.keepIn):
 * expected.csv, the largest (about 3× the input CSV), is then not on disk twice.
 * scores.csv and sensors.csv keep their part files, which a resume checks.
 */
const KEPT_IN_CUMULATIVE = new Set(["expected.csv"]);

/** Significant digits of expected.csv values when the caller names none (the csv sink's default). */
export const DEFAULT_EXPECTED_DIGITS = 7;

/**
 * Bytes to reserve for `rows` rows of `fields` numeric fields of about `perField`
 * bytes each with their comma (avoids regrowing the buffer: each regrowth copies it).
 */
function estimate(rows: number, fields: number, perField = 12): number {
  return 64 + rows * (24 + perField * fields);
}

/** Columns scores.csv has after the head z-scores (the contract). */
export const SCORE_TAIL_COLUMNS = [
  "fused",
  "alarm",
  "health",
  "regime",
  "envelope",
  "transient",
  "top_head",
  "culprit",
  "signature",
] as const;

/**
 * The rows of one chunk as scores.csv bytes (with header): timestamp, `<head>_z`…,
 * fused, alarm, health, regime, envelope (0/1), transient (0/1), top_head (the
 * fused z's winning head, empty when none), culprit and signature (the winning
 * head's sensor and test word, empty when it names none).
 */
export function scoresCsvBytes(chunk: ScoredChunk): Uint8Array {
  const heads = Object.keys(chunk.heads);
  const n = chunk.timestamps.length;
  const w = new CsvWriter(estimate(n, heads.length + 9, 14));
  w.text(csvLine(["timestamp", ...heads.map((h) => `${h}_z`), ...SCORE_TAIL_COLUMNS]));
  const cols = heads.map((h) => chunk.heads[h]);
  const { timestamps, fused, alarm, health, regime, envelope, transient, topHead, signature } =
    chunk;
  // Names repeated on many rows: quoted and encoded once.
  const encoder = new TextEncoder();
  const field = (s: string) => encoder.encode(csvLine([s]).slice(0, -1));
  const headNames = heads.map(field);
  const sensorNames = signature?.sensors.map(field) ?? [];
  const testNames = signature?.tests.map((t) => encoder.encode(t)) ?? [];
  for (let i = 0; i < n; i++) {
    w.timestamp(timestamps[i]);
    for (let c = 0; c < cols.length; c++) {
      w.comma();
      w.number(cols[c][i]);
    }
    w.comma();
    w.number(fused[i]);
    w.comma();
    w.int(alarm[i]);
    w.comma();
    w.number(health[i]);
    w.comma();
    w.int(regime[i]);
    w.comma();
    w.int(envelope ? envelope[i] : 0);
    w.comma();
    w.int(transient ? transient[i] : 0);
    w.comma();
    const top = topHead ? topHead[i] : -1;
    if (top >= 0) w.raw(headNames[top]);
    w.comma();
    const who = signature ? signature.sensor[i] : -1;
    if (who >= 0) w.raw(sensorNames[who]);
    w.comma();
    const test = signature ? signature.test[i] : -1;
    if (test >= 0) w.raw(testNames[test]);
    w.newline();
  }
  return w.bytes();
}

/**
 * The chunk's per-sensor traces as expected.csv bytes (with header): timestamp,
 * then per model sensor `<sensor>_expected` and `<sensor>_residual`, each
 * rounded to `digits` significant digits (0 = full precision, the shortest
 * round-trip decimal); null when no head exports traces.
 */
export function expectedCsvBytes(
  chunk: ScoredChunk,
  digits = DEFAULT_EXPECTED_DIGITS,
): Uint8Array | null {
  checkDigits(digits);
  const tr = chunk.traces;
  if (!tr) return null;
  const n = chunk.timestamps.length, d = tr.sensors.length;
  const header = ["timestamp"];
  for (const s of tr.sensors) header.push(`${s}_expected`, `${s}_residual`);
  // full precision: ~19 characters and a comma; rounded: about digits + 3
  const w = new CsvWriter(estimate(n, 2 * d, digits === 0 ? 20 : digits + 4));
  w.text(csvLine(header));
  const { expected, residual } = tr;
  for (let i = 0; i < n; i++) {
    w.timestamp(chunk.timestamps[i]);
    w.significantPairs(expected, residual, i, n, d, digits);
    w.newline();
  }
  return w.bytes();
}

/** The chunk's raw sensor values as sensors.csv bytes (with header). */
export function sensorsCsvBytes(chunk: ScoredChunk): Uint8Array {
  const raw = chunk.raw;
  const n = raw.rows, d = raw.columns.length;
  const w = new CsvWriter(estimate(n, d));
  w.text(csvLine(["timestamp", ...raw.columns]));
  const values = raw.values;
  for (let i = 0; i < n; i++) {
    w.timestamp(raw.timestamps[i]);
    for (let j = 0; j < d; j++) {
      w.comma();
      w.number(values[j * n + i]);
    }
    w.newline();
  }
  return w.bytes();
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

/** What the csv outputs include beyond scores, episodes and the JSON companions. */
export interface CsvOutputOptions {
  /**
   * Also write sensors.csv, a copy of the raw sensor values (default false: the
   * report reads them from the chunk files named in each part manifest's `source`).
   */
  sensors?: boolean;
  /** Write expected.csv for chunks whose heads exported traces (default true). */
  expected?: boolean;
  /**
   * Significant digits of expected.csv's values, 0–17 (0 = full precision;
   * default `DEFAULT_EXPECTED_DIGITS`).
   */
  expectedDigits?: number;
}

/** Writes one chunk's parts, then brings every cumulative CSV/JSON output of the asset up to date. */
export async function writeCsvChunk(
  assetDir: string,
  chunk: ScoredChunk,
  opts: CsvOutputOptions = {},
): Promise<void> {
  await ensureDir(assetDir);
  const store = new PartStore<CsvManifest>(`${assetDir}/.parts/csv`);
  const parts: Record<string, Uint8Array> = { "scores.csv": scoresCsvBytes(chunk) };
  if (opts.sensors === true) parts["sensors.csv"] = sensorsCsvBytes(chunk);
  const digits = opts.expectedDigits ?? DEFAULT_EXPECTED_DIGITS;
  const expected = opts.expected === false ? null : expectedCsvBytes(chunk, digits);
  if (expected !== null) parts["expected.csv"] = expected;
  const manifest: CsvManifest = {
    ...chunkSummary(chunk),
    thresholds: chunkThresholds(chunk),
    ...(expected !== null ? { expected: true, expectedDigits: digits } : {}),
  };
  if (chunk.source) manifest.source = { ...chunk.source, columns: [...chunk.raw.columns] };
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
  opts: CsvOutputOptions = {},
  added?: { chunk: string; parts: Record<string, string | Uint8Array> },
): Promise<void> {
  const store = new PartStore<CsvManifest>(`${assetDir}/.parts/csv`);
  const manifests = await store.manifests();
  const files = opts.sensors === true ? ["scores.csv", "sensors.csv"] : ["scores.csv"];
  if (manifests.some((m) => m.expected)) files.push("expected.csv");
  // Every output file is independent of the others: brought up to date (and
  // fsynced) concurrently, then the directory once.
  const episodes = latestEpisodes(manifests.map((m) => m.episodes));
  await Promise.all([
    ...files.map(async (name) => {
      const path = `${assetDir}/${name}`;
      // expected.csv holds the chunks whose heads exported traces.
      const having = name === "expected.csv" ? manifests.filter((m) => m.expected) : manifests;
      const order = having.map((m) => m.chunk);
      const part = added?.parts[name];
      const keep = KEPT_IN_CUMULATIVE.has(name) && part instanceof Uint8Array;
      const appended = part !== undefined
        ? await appendPart(store.dir, path, order, added!.chunk, part)
        : null;
      if (appended) {
        if (keep) {
          const body = part.subarray(part.length - appended.length);
          await store.keepIn(added!.chunk, name, path, appended, body);
        }
        return;
      }
      // The chunk just written is the only one: the file is its part, byte for byte
      // (the merge of one part that ends its header line is that part).
      if (order.length === 1 && order[0] === added?.chunk && part instanceof Uint8Array) {
        if (part.includes(10)) {
          const body = await rewriteCumulativeBytes(store.dir, path, order, part);
          // Kept in the same form as an appended part: the body after the header line.
          if (keep) await store.keepIn(added!.chunk, name, path, body, part.subarray(body.offset));
          return;
        }
      }
      const texts: string[] = [];
      for (const m of having) {
        const { text, kept } = await store.readPart(m.chunk, name);
        // A part kept in this file becomes a file of its own before the file is replaced.
        if (kept) await store.materialise(m.chunk, name, text);
        texts.push(text);
      }
      const merged = new TextEncoder().encode(mergeCsvParts(texts));
      await rewriteCumulativeBytes(store.dir, path, order, merged);
      if (KEPT_IN_CUMULATIVE.has(name)) await keepMerged(store, name, path, having, texts, merged);
    }),
    atomicWriteText(`${assetDir}/episodes.csv`, episodesCsv(episodes), { syncDir: false }),
    writeCompanions(assetDir, manifests, episodes),
  ]);
  await syncDir(assetDir);
}

/**
 * After a rebuild from parts that share one header line (the merge is that line,
 * then each part's body in order), keeps every part of `name` in the rebuilt file.
 */
async function keepMerged(
  store: PartStore<CsvManifest>,
  name: string,
  path: string,
  having: readonly CsvManifest[],
  texts: readonly string[],
  merged: Uint8Array,
): Promise<void> {
  const headerOf = (t: string) => (t.includes("\n") ? t.slice(0, t.indexOf("\n")) : null);
  const header = headerOf(texts[0] ?? "");
  if (!header || texts.some((t) => headerOf(t) !== header)) return;
  const encoder = new TextEncoder();
  const headerBytes = encoder.encode(header).length + 1;
  let offset = headerBytes;
  for (const [k, m] of having.entries()) {
    const length = encoder.encode(texts[k]).length - headerBytes;
    const body = merged.subarray(offset, offset + length);
    await store.keepIn(m.chunk, name, path, { offset, length, header }, body);
    offset += length;
  }
}

async function writeCompanions(
  assetDir: string,
  manifests: CsvManifest[],
  episodes: EpisodeRecord[],
): Promise<void> {
  const last = manifests[manifests.length - 1];
  const asset = last?.asset ?? "";
  const quality = atomicWriteText(
    `${assetDir}/data_quality.json`,
    JSON.stringify({ asset, chunks: manifests.map(chunkQuality) }, null, 1) + "\n",
    { syncDir: false },
  );
  const versions: Record<string, { sensors: string[]; trainRanges: CsvManifest["trainRanges"] }> =
    {};
  for (const m of manifests) {
    versions[m.modelVersion] = { sensors: Object.keys(m.trainRanges), trainRanges: m.trainRanges };
  }
  const training = atomicWriteText(
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
  await Promise.all([
    quality,
    training,
    atomicWriteText(`${assetDir}/summary.json`, JSON.stringify(summary, null, 1) + "\n", {
      syncDir: false,
    }),
  ]);
}
