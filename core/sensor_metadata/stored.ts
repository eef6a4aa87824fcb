/**
 * The asset's copy of its sensor metadata, `<asset>/sensor_metadata.json`,
 * written by replay so the report (and `acm report`, which sees only the
 * artifact folder) can show units, descriptions and limits. No metadata file →
 * the copy is removed, so a deleted sensors.yaml disappears from the report.
 */
import { atomicWriteText } from "../io/atomic_write.ts";
import type { SensorInfo, SensorMetadata } from "./load.ts";

/** Name of the copy inside the asset's artifact folder. */
export const STORED_METADATA_FILE = "sensor_metadata.json";

/** Writes (or, for null, removes) the asset's copy of its sensor metadata. */
export async function writeStoredMetadata(
  assetDir: string,
  metadata: SensorMetadata | null,
): Promise<void> {
  const path = `${assetDir}/${STORED_METADATA_FILE}`;
  if (metadata === null) {
    await Deno.remove(path).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
    return;
  }
  const text = JSON.stringify({ file: metadata.file, sensors: metadata.sensors }, null, 1);
  await atomicWriteText(path, text + "\n");
}

/** The sensors of the asset's stored metadata copy ({} when there is none). */
export async function readStoredMetadata(assetDir: string): Promise<Record<string, SensorInfo>> {
  const path = `${assetDir}/${STORED_METADATA_FILE}`;
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return {};
    throw e;
  }
  try {
    const data = JSON.parse(text) as { sensors?: Record<string, SensorInfo> };
    return data.sensors ?? {};
  } catch (e) {
    throw new SyntaxError(
      `Cannot read "${path}": not valid JSON (${
        (e as Error).message
      }); replay the asset to rewrite it`,
    );
  }
}
