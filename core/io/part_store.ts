/**
 * Per-chunk part files behind the cumulative outputs. Each written chunk leaves
 * its part files plus a small JSON manifest (written last: the commit marker)
 * in one directory; cumulative files are rebuilt from the committed parts, so
 * re-writing a chunk replaces its rows and never duplicates them.
 *
 * A part whose bytes were appended to a cumulative file can be *kept in* it
 * (`keepIn`): a small reference (file, byte range, the header line left out,
 * SHA-256 of the range) replaces the part file, so the largest output is not on
 * disk twice. Reading such a part reads and checks its range; the invariant is
 * that a part is always readable from one of the two forms — the reference is
 * written only after the range is fsynced, the part file removed only after
 * the reference, and every reference into a cumulative file is turned back into
 * a part file (`materialise`) before that file is replaced.
 */
import { createHash } from "node:crypto";
import { relative, resolve } from "node:path";
import { sha256Hex } from "../hash.ts";
import { atomicWriteFile, atomicWriteText, ensureDir, syncDir } from "./atomic_write.ts";
import { OutputError, outputError } from "./output_error.ts";
import { readRange } from "./read_range.ts";

/** Where a part kept in a cumulative file lies (`<part>.ref.json`). */
interface PartRef {
  /** The cumulative file, relative to the parts directory. */
  file: string;
  offset: number;
  length: number;
  /** The header line the part begins with, left out of the range ("" when none). */
  header: string;
  /** SHA-256 of the range's bytes. */
  sha256: string;
}

const REF = ".ref.json";
/** SHA-256 of a range's bytes (node:crypto: twice WebCrypto's speed on tens of MB here). */
const rangeDigest = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const isNotFound = (err: unknown) => err instanceof Deno.errors.NotFound;

/** Removes `path` if it is there. */
async function removeIfPresent(path: string): Promise<void> {
  await Deno.remove(path).catch((err) => {
    if (!isNotFound(err)) throw outputError("remove", path, err);
  });
}

/** What every part manifest carries; sinks add their own fields. */
export interface PartManifest {
  /** Chunk name as the pipeline knows it. */
  chunk: string;
  /** First and last timestamp of the chunk (ISO, sorts as text); "" for an empty chunk. */
  first: string;
  last: string;
  rows: number;
}

/** A file-system-safe, collision-free key for a chunk name. */
export function chunkKey(chunk: string): string {
  const safe = chunk.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^\.+/, "").slice(0, 80);
  return `${safe}-${sha256Hex(chunk).slice(0, 8)}`;
}

/** Orders manifests by first timestamp, then chunk name (chunk order in time). */
export function compareManifests(a: PartManifest, b: PartManifest): number {
  if (a.first !== b.first) return a.first < b.first ? -1 : 1;
  return a.chunk < b.chunk ? -1 : a.chunk > b.chunk ? 1 : 0;
}

/** The part files of one sink for one asset, in `dir`. */
export class PartStore<M extends PartManifest> {
  constructor(readonly dir: string) {}

  /** Path of one part file of a chunk. */
  partPath(chunk: string, suffix: string): string {
    return `${this.dir}/${chunkKey(chunk)}.${suffix}`;
  }

  /** Writes a chunk's parts (each atomically), then its manifest (the commit marker). */
  async put(manifest: M, parts: Record<string, string | Uint8Array>): Promise<void> {
    await ensureDir(this.dir);
    // The parts are independent: written (and fsynced) concurrently, so the disk
    // flushes overlap; the manifest, the commit marker, waits for all of them.
    await Promise.all(
      Object.entries(parts).map(async ([suffix, data]) => {
        const path = this.partPath(manifest.chunk, suffix);
        await (typeof data === "string"
          ? atomicWriteText(path, data, { syncDir: false })
          : atomicWriteFile(path, data, { syncDir: false }));
        // A reference left by an earlier write of this chunk no longer describes it.
        await removeIfPresent(path + REF);
      }),
    );
    await atomicWriteText(
      this.partPath(manifest.chunk, "manifest.json"),
      JSON.stringify(manifest),
      { syncDir: false },
    );
    await syncDir(this.dir);
  }

  /** Every committed manifest, in chunk time order. */
  async manifests(): Promise<M[]> {
    const out: M[] = [];
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(this.dir));
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return out;
      throw outputError("list", this.dir, err);
    }
    for (const e of entries) {
      if (!e.isFile || !e.name.endsWith(".manifest.json") || e.name.startsWith(".")) continue;
      const path = `${this.dir}/${e.name}`;
      try {
        out.push(JSON.parse(await Deno.readTextFile(path)) as M);
      } catch (err) {
        throw outputError("read part manifest", path, err);
      }
    }
    return out.sort(compareManifests);
  }

  /**
   * The text of a chunk's part: its file, or the range of the cumulative file it
   * is kept in (checked against its SHA-256); throws OutputError when neither is
   * there or the range no longer holds it.
   */
  async read(chunk: string, suffix: string): Promise<string> {
    return (await this.readPart(chunk, suffix)).text;
  }

  /** `read`, and whether the text came from the cumulative file it is kept in. */
  async readPart(chunk: string, suffix: string): Promise<{ text: string; kept: boolean }> {
    const path = this.partPath(chunk, suffix);
    try {
      return { text: await Deno.readTextFile(path), kept: false };
    } catch (err) {
      if (!isNotFound(err)) throw outputError("read part", path, err);
      const ref = await this.#ref(chunk, suffix);
      if (ref === null) throw outputError("read part", path, err);
      return { text: await this.#readKept(chunk, ref), kept: true };
    }
  }

  /** Whether the chunk's part is kept only in a cumulative file (no part file of its own). */
  async isKept(chunk: string, suffix: string): Promise<boolean> {
    const path = this.partPath(chunk, suffix);
    const own = await Deno.stat(path).then(() => true, (err) => {
      if (isNotFound(err)) return false;
      throw outputError("read part", path, err);
    });
    return !own && (await this.#ref(chunk, suffix)) !== null;
  }

  /**
   * Keeps the chunk's part only in `file`, where `range` (its body after the
   * header line `range.header`, `bytes` being the range's bytes) was appended and
   * fsynced: writes the reference, then removes the part file.
   */
  async keepIn(
    chunk: string,
    suffix: string,
    file: string,
    range: { offset: number; length: number; header: string },
    bytes: Uint8Array,
  ): Promise<void> {
    const path = this.partPath(chunk, suffix);
    const ref: PartRef = {
      file: relative(this.dir, file),
      offset: range.offset,
      length: range.length,
      header: range.header,
      sha256: rangeDigest(bytes),
    };
    await atomicWriteText(path + REF, JSON.stringify(ref), { syncDir: false });
    await syncDir(this.dir);
    await removeIfPresent(path);
  }

  /** Writes a kept part back as its own file (`text`, as `read` gave it) and drops its reference. */
  async materialise(chunk: string, suffix: string, text: string): Promise<void> {
    const path = this.partPath(chunk, suffix);
    await atomicWriteText(path, text);
    await removeIfPresent(path + REF);
  }

  async #ref(chunk: string, suffix: string): Promise<PartRef | null> {
    const path = this.partPath(chunk, suffix) + REF;
    try {
      return JSON.parse(await Deno.readTextFile(path)) as PartRef;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw outputError("read part reference", path, err);
    }
  }

  async #readKept(chunk: string, ref: PartRef): Promise<string> {
    const file = resolve(this.dir, ref.file);
    const lost = (why: string) =>
      new OutputError(
        `Cannot rebuild "${file}": the rows of chunk "${chunk}" were kept only in it, and ${why}`,
        file,
        "the file was changed or removed outside acm; restore it, or re-run the asset from scratch (acm replay --equip ASSET --clear-cache)",
      );
    let bytes: Uint8Array;
    try {
      using handle = await Deno.open(file, { read: true });
      bytes = await readRange(handle, ref.offset, ref.length);
    } catch (err) {
      if (isNotFound(err)) throw lost("it no longer exists");
      throw outputError("read", file, err);
    }
    if (bytes.length < ref.length) throw lost(`it ends before byte ${ref.offset + ref.length}`);
    if (rangeDigest(bytes) !== ref.sha256) {
      throw lost(`bytes ${ref.offset}–${ref.offset + ref.length} no longer hold them`);
    }
    const body = new TextDecoder().decode(bytes);
    return ref.header === "" ? body : `${ref.header}\n${body}`;
  }
}
