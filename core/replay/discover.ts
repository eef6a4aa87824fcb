/**
 * Chunk discovery: assets are the sub-directories of the chunk root (sorted by
 * name); an asset's chunks are its `*.csv` regular files (case-insensitive),
 * ordered by the LAST integer in the file stem (`batch_001`, `FD FAN_batch_2`,
 * `X_2024_batch_3` → 3), then by name. Paths are resolved with `Deno.realPath`
 * so a worker's permissions can be scoped to the real directories, and a chunk
 * that is a symlink resolving outside its asset directory is refused.
 */
import { closest } from "../pipeline/did_you_mean.ts";
import { SENSOR_METADATA_FILE } from "../sensor_metadata/schema.ts";

/** One chunk file of an asset. */
export interface ChunkFile {
  /** File name (basename), e.g. `FD FAN_batch_2.csv`. */
  name: string;
  /** Real absolute path. */
  path: string;
  /** Last integer in the stem, or -1 when the stem has none. */
  index: number;
  /** Size in bytes. */
  bytes: number;
}

/** One asset found under the chunk root. */
export interface AssetChunks {
  asset: string;
  /** Real absolute path of the asset's chunk directory. */
  dir: string;
  chunks: ChunkFile[];
  /** Set when the asset cannot run (no chunks, a symlink escaping the directory ...). */
  error?: string;
  /** Non-fatal remarks (ignored files). */
  notes: string[];
}

/** What discovery found. */
export interface Discovery {
  /** Real absolute path of the chunk root. */
  root: string;
  assets: AssetChunks[];
  /** Remarks about the root itself (stray files ignored). */
  notes: string[];
}

/** The last integer in a file stem, or -1 when there is none. */
export function chunkIndex(fileName: string): number {
  const stem = fileName.replace(/\.[^.]*$/, "");
  const all = stem.match(/\d+/g);
  return all ? Number(all[all.length - 1]) : -1;
}

/** Orders chunk names by their last integer, then by name. */
export function compareChunkNames(a: string, b: string): number {
  const d = chunkIndex(a) - chunkIndex(b);
  if (d !== 0) return d;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Thrown for problems that stop the whole replay (missing root, unknown `--equip` name). */
export class DiscoveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DiscoveryError";
  }
}

/** Lists the assets (all, or the `equip` names in the given order) and their ordered chunks. */
export async function discoverChunks(
  chunkRoot: string,
  equip: readonly string[] = [],
): Promise<Discovery> {
  let root: string;
  try {
    root = await Deno.realPath(chunkRoot);
    if (!(await Deno.stat(root)).isDirectory) throw new Deno.errors.NotADirectory(root);
  } catch (e) {
    throw new DiscoveryError(
      `Cannot discover chunks: chunk root "${chunkRoot}" is not a readable directory (${
        (e as Error).name
      })`,
    );
  }
  const dirs: string[] = [];
  const notes: string[] = [];
  const stray: string[] = [];
  for await (const entry of Deno.readDir(root)) {
    if (entry.isDirectory) dirs.push(entry.name);
    else if (entry.isSymlink) {
      const target = await Deno.stat(`${root}/${entry.name}`).catch(() => null);
      if (target?.isDirectory) dirs.push(entry.name);
      else stray.push(entry.name);
    } else stray.push(entry.name);
  }
  dirs.sort();
  stray.sort();
  if (stray.length > 0) {
    const shown = stray.slice(0, 5).map((s) => `"${s}"`).join(", ");
    notes.push(
      `ignored ${stray.length} file(s) in the chunk root (assets are sub-directories): ${shown}${
        stray.length > 5 ? ", ..." : ""
      }`,
    );
  }
  let names = dirs;
  if (equip.length > 0) {
    const missing = equip.filter((e) => !dirs.includes(e));
    if (missing.length > 0) {
      const parts = missing.map((m) => {
        const guess = closest(m, dirs);
        return guess ? `"${m}" (did you mean "${guess}"?)` : `"${m}"`;
      });
      throw new DiscoveryError(
        `Cannot replay: no asset directory for ${parts.join(", ")} under "${root}"; assets found: ${
          dirs.length ? dirs.map((d) => `"${d}"`).join(", ") : "none"
        }`,
      );
    }
    names = [...new Set(equip)];
  }
  const assets: AssetChunks[] = [];
  for (const asset of names) assets.push(await listAsset(root, asset));
  return { root, assets, notes };
}

async function listAsset(root: string, asset: string): Promise<AssetChunks> {
  const dir = await Deno.realPath(`${root}/${asset}`);
  const chunks: ChunkFile[] = [];
  const notes: string[] = [];
  const ignored: string[] = [];
  const escaping: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!/\.csv$/i.test(entry.name)) {
      if (entry.name === SENSOR_METADATA_FILE) notes.push(`sensor metadata: ${entry.name}`);
      else if (!entry.name.startsWith(".")) ignored.push(entry.name);
      continue;
    }
    if (entry.isDirectory) {
      ignored.push(entry.name);
      continue;
    }
    let path = `${dir}/${entry.name}`;
    if (entry.isSymlink) {
      const real = await Deno.realPath(path).catch(() => null);
      if (real === null || !real.startsWith(dir + "/")) {
        escaping.push(entry.name);
        continue;
      }
      path = real;
    }
    const info = await Deno.stat(path);
    if (!info.isFile) {
      ignored.push(entry.name);
      continue;
    }
    chunks.push({ name: entry.name, path, index: chunkIndex(entry.name), bytes: info.size });
  }
  chunks.sort((a, b) => compareChunkNames(a.name, b.name));
  if (ignored.length > 0) {
    notes.push(
      `ignored ${ignored.length} non-CSV entr${ignored.length === 1 ? "y" : "ies"}: ${
        ignored.sort().slice(0, 5).map((s) => `"${s}"`).join(", ")
      }`,
    );
  }
  let error: string | undefined;
  if (escaping.length > 0) {
    error = `Cannot read chunks of ${asset}: ${
      escaping.sort().map((s) => `"${s}"`).join(", ")
    } is a symlink resolving outside "${dir}" (refused; copy the file into the asset directory instead)`;
  } else if (chunks.length === 0) {
    error = `No chunks found for ${asset} under ${dir}`;
  }
  return { asset, dir, chunks, error, notes };
}
