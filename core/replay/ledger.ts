/**
 * The chunk ledger `<artifact-root>/.chunk_replay_progress.json`: per asset, per
 * chunk, what ran (file name, sha256, rows, model version, mode, status, times).
 * Only the main thread writes it, always as a whole file through an atomic
 * replace (temp file + fsync + rename), one write at a time. A ledger that
 * cannot be read is an error naming the file and the way out — never silently
 * treated as empty (ACM V8 did that and re-ran, or lost, work).
 */
import { atomicWriteText } from "../io/atomic_write.ts";

/** Name of the ledger file inside the artifact root. */
export const LEDGER_FILE = ".chunk_replay_progress.json";

/** One chunk's record. */
export interface LedgerEntry {
  file: string;
  sha256: string;
  bytes: number;
  rows: number;
  /** Model version the chunk was scored with. */
  model_version: number;
  /** Latest model version after the chunk (differs after an incremental update). */
  model_version_after: number;
  status: "done" | "failed";
  mode: "bootstrap" | "score";
  /** Why a model was (re)trained on this chunk; null for a plain score chunk. */
  retrain_reason: string | null;
  /** SHA-256 of the stream-state checkpoint saved after the chunk (done chunks). */
  state_sha256: string | null;
  started: string;
  finished: string;
  error: string | null;
}

/** One asset's record. */
export interface LedgerAsset {
  /**
   * Latest stored model version when the asset's first recorded chunk started.
   * With the entries' `model_version_after` it tells which versions belong to
   * completed work; newer ones are leftovers of a killed chunk.
   */
  base_model_version: number;
  chunks: LedgerEntry[];
}

/** The whole ledger. */
export interface Ledger {
  format: "acm-chunk-ledger";
  version: 1;
  assets: Record<string, LedgerAsset>;
}

/** The ledger cannot be read: the message names the file and the recovery path. */
export class LedgerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LedgerError";
  }
}

/** An empty ledger. */
export function emptyLedger(): Ledger {
  return { format: "acm-chunk-ledger", version: 1, assets: {} };
}

/** Reads the ledger; a missing file is an empty ledger, anything unreadable throws LedgerError. */
export async function readLedger(path: string): Promise<Ledger> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return emptyLedger();
    throw new LedgerError(corruptMessage(path, (e as Error).message));
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new LedgerError(corruptMessage(path, `not valid JSON (${(e as Error).message})`));
  }
  const problem = validate(doc);
  if (problem) throw new LedgerError(corruptMessage(path, problem));
  return doc as Ledger;
}

function corruptMessage(path: string, why: string): string {
  return `Cannot read the chunk ledger "${path}": ${why}.\n` +
    `    Nothing was run. To recover, move it aside and re-run with --resume:\n` +
    `      mv "${path}" "${path}.bad"\n` +
    `    Every chunk is then re-run; outputs are idempotent (a re-run chunk replaces its rows).`;
}

function validate(doc: unknown): string | null {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    return "the top level is not an object";
  }
  const d = doc as Record<string, unknown>;
  if (d.format !== "acm-chunk-ledger") {
    const legacy = Object.values(d).every((v) => Array.isArray(v));
    return legacy
      ? "it is an ACM V8 progress file (asset → list of names, no content hashes)"
      : `"format" is ${JSON.stringify(d.format)}, expected "acm-chunk-ledger"`;
  }
  if (d.version !== 1) return `ledger version ${JSON.stringify(d.version)} is not supported`;
  if (d.assets === null || typeof d.assets !== "object") return `"assets" is not an object`;
  for (const [asset, rec] of Object.entries(d.assets as Record<string, unknown>)) {
    const r = rec as Partial<LedgerAsset> | null;
    if (!r || typeof r !== "object" || !Array.isArray(r.chunks)) {
      return `asset "${asset}" has no "chunks" list`;
    }
    if (typeof r.base_model_version !== "number") {
      return `asset "${asset}" has no "base_model_version"`;
    }
    for (const [i, e] of r.chunks.entries()) {
      if (
        !e || typeof e.file !== "string" || typeof e.sha256 !== "string" ||
        (e.status !== "done" && e.status !== "failed")
      ) return `asset "${asset}" chunk #${i + 1} is malformed`;
    }
  }
  return null;
}

/** Where an asset's `--resume` starts: the longest prefix of done chunks whose names and hashes match. */
export interface ResumePoint {
  /** Number of leading chunks to skip. */
  skip: number;
  /** Chunks that changed since they were done (they and everything after re-run). */
  changed: string[];
}

/** Compares the asset's current chunk list (in order) with its ledger entries. */
export function resumePoint(
  entries: readonly LedgerEntry[],
  chunks: readonly { name: string; sha256: string }[],
): ResumePoint {
  const done = new Map(entries.filter((e) => e.status === "done").map((e) => [e.file, e]));
  const changed: string[] = [];
  let skip = 0;
  for (const c of chunks) {
    const e = done.get(c.name);
    if (!e) break;
    if (e.sha256 !== c.sha256) {
      changed.push(c.name);
      break;
    }
    skip++;
  }
  return { skip, changed };
}

/** Keeps the ledger in memory and replaces the file atomically on every change, one write at a time. */
export class LedgerWriter {
  #queue: Promise<void> = Promise.resolve();
  constructor(readonly path: string, readonly ledger: Ledger) {}

  /** Applies `change` to the ledger and writes it; resolves once the new file is durable. */
  update(change: (ledger: Ledger) => void): Promise<void> {
    const run = async () => {
      change(this.ledger);
      await atomicWriteText(this.path, JSON.stringify(this.ledger, null, 2) + "\n");
    };
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => {});
    return next;
  }

  /** The asset's record, created when missing. */
  asset(name: string): LedgerAsset {
    return (this.ledger.assets[name] ??= { base_model_version: 0, chunks: [] });
  }
}

/** Replaces (or adds) `entry` in the asset record, keeping entries in run order. */
export function putEntry(record: LedgerAsset, entry: LedgerEntry): void {
  const i = record.chunks.findIndex((e) => e.file === entry.file);
  if (i >= 0) record.chunks.splice(i, 1);
  record.chunks.push(entry);
}
