/**
 * The raw sensor values of an asset read back from the chunk files the replay
 * read, when the csv sink wrote no sensors.csv copy (its default). Each csv part
 * manifest names its chunk file, the source plugin and its options, and the raw
 * columns the engine kept; chunks read by the built-in `csv` source are read
 * again with the same options. A chunk whose file is gone, changed shape, or came
 * from another source plugin is left out (its rows have no trace), never an error.
 */
import type { CsvReadOptions } from "../source/csv_reader.ts";
import { readCsvFile } from "../source/csv_reader.ts";
import type { CsvManifest } from "../io/csv_outputs.ts";
import { PartStore } from "../io/part_store.ts";
import type { CachedChunk } from "./cached_chunk.ts";

/** Sensor traces as the report draws them. */
export interface SensorTraces {
  t: Float64Array;
  columns: string[];
  values: Record<string, Float64Array>;
}

/**
 * The raw values of every chunk that can be read back, in chunk order; null when
 * none can. A chunk in `cache` whose raw values are as read from its file (same
 * columns and rows) is taken from there instead of reading the file again.
 */
export async function readSourceSensors(
  assetDir: string,
  cache?: ReadonlyMap<string, CachedChunk>,
): Promise<SensorTraces | null> {
  const manifests = await new PartStore<CsvManifest>(`${assetDir}/.parts/csv`).manifests();
  const columns: string[] = [];
  const seen = new Set<string>();
  const pieces: Array<{ t: Float64Array; cols: Map<string, Float64Array> }> = [];
  for (const m of manifests) {
    const src = m.source;
    if (!src || src.plugin !== "csv") continue;
    const c = cache?.get(m.chunk);
    if (
      c?.raw?.asRead && c.t.length === m.rows &&
      c.raw.columns.length === src.columns.length &&
      c.raw.columns.every((x, j) => x === src.columns[j])
    ) {
      const cols = new Map<string, Float64Array>();
      for (const [j, name] of c.raw.columns.entries()) {
        if (cols.has(name)) continue; // as indexOf finds the first
        cols.set(name, c.raw.values.subarray(j * m.rows, (j + 1) * m.rows));
        if (!seen.has(name)) {
          seen.add(name);
          columns.push(name);
        }
      }
      pieces.push({ t: c.t, cols });
      continue;
    }
    let frame;
    try {
      frame = (await readCsvFile(src.path, src.options as CsvReadOptions)).frame;
    } catch {
      continue; // moved, deleted or unreadable since the replay
    }
    if (frame.rows !== m.rows) continue; // not the file that was scored
    const cols = new Map<string, Float64Array>();
    for (const c of src.columns) {
      const j = frame.columns.indexOf(c);
      if (j < 0) continue;
      cols.set(c, frame.values.subarray(j * frame.rows, (j + 1) * frame.rows));
      if (!seen.has(c)) {
        seen.add(c);
        columns.push(c);
      }
    }
    pieces.push({ t: frame.timestamps, cols });
  }
  if (pieces.length === 0) return null;
  const n = pieces.reduce((s, p) => s + p.t.length, 0);
  const t = new Float64Array(n);
  const values: Record<string, Float64Array> = {};
  for (const c of columns) values[c] = new Float64Array(n).fill(NaN);
  let at = 0;
  for (const p of pieces) {
    t.set(p.t, at);
    for (const [c, v] of p.cols) values[c].set(v, at);
    at += p.t.length;
  }
  return { t, columns, values };
}
