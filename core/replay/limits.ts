/**
 * Resource limits of one replay chunk, applied with default settings so a
 * runaway plugin or an absurd file cannot hang a run:
 * - a default chunk timeout scaled to the chunk's size (`--chunk-timeout`
 *   overrides it; `--chunk-timeout 0` turns it off);
 * - a guard on sensor columns and on columns × rows, checked after the chunk is
 *   read and before any model work (a d-sensor model costs d² memory and d³
 *   time; 10,000 columns would run for hours).
 */

/** Seconds every chunk gets, whatever its size (worker start, model fit). */
export const DEFAULT_TIMEOUT_BASE_S = 300;
/** Extra seconds per MiB of chunk file: ~35 KB/s, far below the slowest measured pipeline. */
export const DEFAULT_TIMEOUT_S_PER_MIB = 30;

/** Most sensor columns one chunk may have. */
export const MAX_COLUMNS = 2000;
/** Most values (rows × columns) one chunk may have: 50 M values = 400 MB as Float64. */
export const MAX_CELLS = 50_000_000;

/** The default per-chunk limit in seconds for a chunk file of `bytes` bytes. */
export function defaultChunkTimeoutS(bytes: number): number {
  return Math.ceil(DEFAULT_TIMEOUT_BASE_S + (bytes / 2 ** 20) * DEFAULT_TIMEOUT_S_PER_MIB);
}

/** Null when a chunk of `rows` × `columns` is within the limits, else the reason. */
export function checkChunkSize(chunk: string, rows: number, columns: number): string | null {
  if (columns > MAX_COLUMNS) {
    return `Chunk ${chunk} has ${columns} sensor columns; the limit is ${MAX_COLUMNS} ` +
      `(a model over d sensors needs d² memory and d³ time). Drop columns from the chunk files ` +
      `or split the asset into groups of fewer sensors`;
  }
  if (rows * columns > MAX_CELLS) {
    return `Chunk ${chunk} has ${(rows * columns).toLocaleString("en-US")} values (${
      rows.toLocaleString("en-US")
    } rows × ${columns} columns); the limit is ${
      MAX_CELLS.toLocaleString("en-US")
    }. Re-split the data into smaller chunks (acm split --chunk-days D)`;
  }
  return null;
}
