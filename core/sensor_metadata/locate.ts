/**
 * Which sensor metadata file belongs to an asset: the pipeline's
 * `sensor_metadata` key (relative to the pipeline file; per asset through the
 * `assets:` overrides) when set, else `sensors.yaml` next to the asset's chunks
 * when it exists, else none.
 */
import { dirname, resolve } from "node:path";
import { SENSOR_METADATA_FILE } from "./schema.ts";

/** Absolute path of the pipeline's `sensor_metadata` file, or null when the key is absent. */
export function pipelineMetadataPath(
  document: Record<string, unknown>,
  pipelineFile: string,
): string | null {
  const value = document.sensor_metadata;
  if (typeof value !== "string" || value === "") return null;
  const base = pipelineFile.startsWith("<") ? Deno.cwd() : dirname(pipelineFile);
  return resolve(base, value);
}

/** Real path of the asset's sensor metadata file, or null when it has none. */
export async function assetMetadataPath(
  document: Record<string, unknown>,
  pipelineFile: string,
  chunkDir: string,
): Promise<string | null> {
  const named = pipelineMetadataPath(document, pipelineFile);
  // A named file that is missing is kept as written: reading it fails with the path.
  if (named) return await Deno.realPath(named).catch(() => named);
  const beside = `${chunkDir}/${SENSOR_METADATA_FILE}`;
  const real = await Deno.realPath(beside).catch(() => null);
  if (real === null) return null;
  // Only a file inside the chunk folder: a symlink out of it is not followed.
  const dir = await Deno.realPath(chunkDir);
  return real.startsWith(dir + "/") && (await Deno.stat(real)).isFile ? real : null;
}
