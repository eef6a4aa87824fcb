/**
 * Per-chunk part files behind the cumulative outputs. Each written chunk leaves
 * its part files plus a small JSON manifest (written last: the commit marker)
 * in one directory; cumulative files are rebuilt from the committed parts, so
 * re-writing a chunk replaces its rows and never duplicates them.
 */
import { sha256Hex } from "../hash.ts";
import { atomicWriteFile, atomicWriteText, ensureDir, syncDir } from "./atomic_write.ts";
import { outputError } from "./output_error.ts";

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
      Object.entries(parts).map(([suffix, data]) => {
        const path = this.partPath(manifest.chunk, suffix);
        return typeof data === "string"
          ? atomicWriteText(path, data, { syncDir: false })
          : atomicWriteFile(path, data, { syncDir: false });
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

  /** The text of a chunk's part file; throws OutputError when it is missing. */
  async read(chunk: string, suffix: string): Promise<string> {
    const path = this.partPath(chunk, suffix);
    try {
      return await Deno.readTextFile(path);
    } catch (err) {
      throw outputError("read part", path, err);
    }
  }
}
