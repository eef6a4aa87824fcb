/**
 * Checks between consecutive chunks of one asset, and how a chunk's data notes reach the
 * console. One rule for time order: a chunk must start after the last row of the chunk
 * before it. A chunk that overlaps it (or lies before it) is refused with a positioned
 * error, so no sink ever receives a timestamp twice: scores.csv, the part files and SQLite
 * keep the same rows.
 */
import { DataError } from "../errors.ts";
import { formatTimestamp, type Frame } from "../frame.ts";
import type { Logger } from "../log.ts";
import type { DataNote } from "../plugin.ts";
import type { StreamState } from "../engine/types.ts";

/** Key of the last timestamp (epoch ms) of the previous chunk in the stream checkpoint. */
export const STREAM_END_KEY = "chunk_end_ms";

/**
 * Throws chunk-overlap when `frame` starts at or before the end of the previous chunk (from
 * the carried stream state), naming the file, the line of the first overlapping row and the
 * previous chunk. Older checkpoints without the end time are not checked. `resampleS`
 * (the source's resample_s, 0 = off) explains the usual cause when it is on: a
 * resampling bucket cut by the chunk boundary lands in both chunks.
 */
export function checkTimeOrder(
  frame: Frame,
  lines: Int32Array | undefined,
  file: string,
  previous: string | null,
  stream: StreamState | null,
  resampleS = 0,
): void {
  const end = stream?.[STREAM_END_KEY];
  if (typeof end !== "number" || frame.rows === 0) return;
  const ts = frame.timestamps;
  if (ts[0] > end) return;
  let k = 0;
  while (k < frame.rows && ts[k] <= end) k++;
  const prev = previous ? `chunk ${previous}` : "the previous chunk";
  const line = lines?.[0];
  const what = k === frame.rows
    ? `all ${k} rows (${formatTimestamp(ts[0])} to ${formatTimestamp(ts[k - 1])}) ` +
      `lie before the end of ${prev} (${formatTimestamp(end)}): the chunk goes back in time`
    : `${k} row${k === 1 ? "" : "s"} (${formatTimestamp(ts[0])} to ${
      formatTimestamp(ts[k - 1])
    }) overlap ${prev}, which ends at ${formatTimestamp(end)}`;
  throw new DataError(
    "chunk-overlap",
    `Cannot score chunk: ${what}`,
    { file, line, value: formatTimestamp(ts[0]) },
    resampleS > 0 && k === 1 && ts[0] === end
      ? `with source.resample_s ${resampleS}, the bucket at ${formatTimestamp(end)} holds rows ` +
        `of both chunks: cut the chunks on multiples of ${resampleS} s (acm split cuts at ` +
        "midnight, so take a resample_s that divides 86400), or turn resample_s off"
      : "chunks must follow each other in time: cut the source with `acm split` " +
        "(non-overlapping chunks), or remove the rows up to the previous chunk's end, or fix " +
        "the file order",
  );
}

/** Note kinds that only describe the file (not a value lost, altered or doubted). */
const DESCRIPTIVE = new Set([
  "descriptive-rows",
  "units",
  "blank-lines",
  "trailing-empty-fields",
  "exclude-missing",
  "exclude-timestamp",
  "encoding",
]);

/** Logs a data note: a warning when values were lost or altered, else info. */
export function logNote(log: Logger, chunk: string, note: DataNote): void {
  const text = `${chunk}: ${note.message}`;
  if (DESCRIPTIVE.has(note.kind)) log.info(text);
  else log.warn(text);
}
