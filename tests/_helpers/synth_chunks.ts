/** Test helpers: a small synthetic fleet cut into replay chunks, and the default pipeline with other sinks. */
import { generateFleet, writeFleetCsv } from "../../core/synth/fleet.ts";
import { splitFiles } from "../../core/replay/split.ts";

const DEFAULT = new URL("../../pipelines/default.yaml", import.meta.url).pathname;

/**
 * Writes `assets` synthetic assets (15-min data, 8 days) to `dir`/chunks, each as a
 * 4-day bootstrap chunk and then `chunkDays`-day chunks; returns the chunk root and
 * the asset names.
 */
export async function synthChunks(
  dir: string,
  opts: { assets?: number; chunkDays?: number } = {},
): Promise<{ root: string; assets: string[] }> {
  const fleet = generateFleet({ assets: opts.assets ?? 2, days: 8, cadenceS: 900, trainDays: 4 });
  const files = await writeFleetCsv(fleet, `${dir}/data`);
  for (const a of fleet.assets) {
    await splitFiles({
      inputs: [files.csv[a.name]],
      output: `${dir}/chunks/${a.name}`,
      firstChunkDays: 4,
      chunkDays: opts.chunkDays ?? 2,
    });
  }
  return { root: `${dir}/chunks`, assets: fleet.assets.map((a) => a.name) };
}

/** pipelines/default.yaml with its sinks replaced by `sinks` (flow-style YAML nodes), as `dir`/pipeline.yaml. */
export async function defaultWithSinks(
  dir: string,
  sinks: readonly string[] = ["{ id: csv, plugin: csv }"],
): Promise<string> {
  const yaml = (await Deno.readTextFile(DEFAULT)).replace(
    /\nsinks:\n[\s\S]*$/,
    `\nsinks:\n${sinks.map((s) => `  - ${s}\n`).join("")}`,
  );
  await Deno.writeTextFile(`${dir}/pipeline.yaml`, yaml);
  return `${dir}/pipeline.yaml`;
}
