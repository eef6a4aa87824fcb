/**
 * Temp files a killed run leaves behind. Every atomic write here
 * (core/io/atomic_write.ts, the model store) goes through a temporary named
 * `.<name>.<...>.tmp` next to its target, then a rename; kill -9 between the
 * two leaves that temporary, often 0 bytes. A run that holds the artifact
 * root's lock (core/replay/lock.ts) is the only writer, so every such file
 * under the root is a leftover and is removed before planning.
 */

/** Folders deeper than this under the root are not searched (the layout is ≤ 4 deep). */
const MAX_DEPTH = 6;

/** Removes every `.*.tmp` entry under `root`; returns the removed paths. */
export async function removeLeftoverTemps(root: string): Promise<string[]> {
  const gone: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(dir));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
      throw e;
    }
    for (const e of entries) {
      const path = `${dir}/${e.name}`;
      if (e.name.startsWith(".") && e.name.endsWith(".tmp")) {
        await Deno.remove(path, { recursive: true });
        gone.push(path);
      } else if (e.isDirectory && depth < MAX_DEPTH) {
        await walk(path, depth + 1);
      }
    }
  };
  await walk(root, 0);
  return gone;
}
