/**
 * Keeping a cumulative file (scores.csv, sensors.csv, scores.jsonl) up to date by
 * appending the newest chunk instead of rewriting the whole history each time.
 *
 * Next to the parts, a small state file per cumulative file records the chunks
 * the file holds (in order), its header line and its byte length; it is written
 * atomically after the file. A chunk is appended only when it is the last one in
 * time order, the file holds exactly the chunks before it, its header is the
 * file's, and the file on disk still has the recorded length; the state is then
 * updated. A kill between the append and the state update leaves a file longer
 * than recorded, and a torn append one of another length: either fails the
 * length check on the next write, and the file is rebuilt from the parts. So the
 * file always ends up equal to the merge of the committed parts, and a resume
 * never builds on a half-written append.
 */
import { atomicWriteFile, atomicWriteText, baseName } from "./atomic_write.ts";
import { outputError } from "./output_error.ts";

/** What the state file of one cumulative file records. */
interface CumulativeState {
  chunks: string[];
  header: string;
  bytes: number;
}

function statePath(partsDir: string, file: string): string {
  return `${partsDir}/${baseName(file)}.cumulative.json`;
}

async function readState(path: string): Promise<CumulativeState | null> {
  try {
    const s = JSON.parse(await Deno.readTextFile(path)) as CumulativeState;
    return Array.isArray(s.chunks) && typeof s.header === "string" && Number.isInteger(s.bytes)
      ? s
      : null;
  } catch {
    return null; // missing or unreadable: the caller rebuilds, which rewrites it
  }
}

/** Whether each part (and the cumulative file) starts with a header line: CSV yes, JSON Lines no. */
export interface CumulativeFormat {
  headerLine: boolean;
}

const CSV: CumulativeFormat = { headerLine: true };

/** The header line of a part given as bytes, and the offset of its body. */
function splitBytes(part: Uint8Array, format: CumulativeFormat): { header: string; body: number } {
  if (!format.headerLine) return { header: "", body: 0 };
  const nl = part.indexOf(10);
  const end = nl < 0 ? part.length : nl;
  return {
    header: new TextDecoder().decode(part.subarray(0, end)),
    body: Math.min(part.length, end + 1),
  };
}

/** Where an appended part's body sits in the cumulative file (its bytes, fsynced). */
export interface AppendedRange {
  offset: number;
  length: number;
  /** The part's header line (left out of the file), "" without header lines. */
  header: string;
}

/**
 * Appends the body of `part` (the text of chunk `chunk`, header line first) to the
 * cumulative `file` when that yields the merge of `order` (every committed chunk,
 * in time order) and returns where the body went; returns null, touching nothing,
 * when the file must be rebuilt.
 */
export async function appendPart(
  partsDir: string,
  file: string,
  order: readonly string[],
  chunk: string,
  part: string | Uint8Array,
  format: CumulativeFormat = CSV,
): Promise<AppendedRange | null> {
  if (order.length < 2 || order[order.length - 1] !== chunk) return null;
  const state = await readState(statePath(partsDir, file));
  const bytes = typeof part === "string" ? new TextEncoder().encode(part) : part;
  const { header, body: start } = splitBytes(bytes, format);
  if (!state || state.header !== header || state.chunks.length !== order.length - 1) return null;
  if (state.chunks.some((c, i) => c !== order[i])) return null;
  const size = await Deno.stat(file).then((s) => s.size, () => -1);
  if (size !== state.bytes) return null;
  const body = bytes.subarray(start);
  let handle: Deno.FsFile | undefined;
  try {
    handle = await Deno.open(file, { append: true });
    let off = 0;
    while (off < body.length) off += await handle.write(body.subarray(off));
    await handle.sync();
  } catch (err) {
    throw outputError("append to", file, err);
  } finally {
    handle?.close();
  }
  await writeState(partsDir, file, { chunks: [...order], header, bytes: size + body.length });
  return { offset: size, length: body.length, header };
}

/** Replaces the cumulative `file` with `text` (the merge of `order`) atomically and records it. */
export async function rewriteCumulative(
  partsDir: string,
  file: string,
  order: readonly string[],
  text: string,
  format: CumulativeFormat = CSV,
): Promise<void> {
  await rewriteCumulativeBytes(partsDir, file, order, new TextEncoder().encode(text), format);
}

/**
 * `rewriteCumulative` of UTF-8 bytes (e.g. a lone part's own bytes: no decode and
 * re-encode); returns where the body after the header line lies.
 */
export async function rewriteCumulativeBytes(
  partsDir: string,
  file: string,
  order: readonly string[],
  bytes: Uint8Array,
  format: CumulativeFormat = CSV,
): Promise<AppendedRange> {
  await atomicWriteFile(file, bytes, { syncDir: false });
  const { header, body } = splitBytes(bytes, format);
  await writeState(partsDir, file, { chunks: [...order], header, bytes: bytes.length });
  return { offset: body, length: bytes.length - body, header };
}

function writeState(partsDir: string, file: string, state: CumulativeState): Promise<void> {
  return atomicWriteText(statePath(partsDir, file), JSON.stringify(state), { syncDir: false });
}
