/**
 * `--resume` vouches for the outputs of the chunks the ledger lists as done, so
 * before it skips them it checks the csv sink's files (core/io/csv_outputs.ts):
 * every done chunk's committed part manifest and part files, then the
 * cumulative files. A missing cumulative file (scores.csv, sensors.csv,
 * episodes.csv, the JSON companions) is rebuilt from the parts; a missing part
 * cannot be, so it is named with the command that regenerates it — and so is a
 * missing expected.csv holding parts kept only in it.
 */
import { type CsvManifest, rebuildCsvOutputs } from "../io/csv_outputs.ts";
import { PartStore } from "../io/part_store.ts";

/** What the check did for one asset. */
export interface OutputCheck {
  /** Cumulative files that were missing and are rebuilt now. */
  rebuilt: string[];
  /** Parts (or part manifests) of done chunks that are gone, as paths. */
  missing: string[];
}

const exists = (p: string) => Deno.stat(p).then(() => true, () => false);

/** Checks (and where it can, rebuilds) the csv outputs of `doneChunks` in `assetDir`. */
export async function verifyCsvOutputs(
  assetDir: string,
  doneChunks: readonly string[],
  opts: { sensors: boolean },
): Promise<OutputCheck> {
  const out: OutputCheck = { rebuilt: [], missing: [] };
  if (doneChunks.length === 0) return out;
  const store = new PartStore<CsvManifest>(`${assetDir}/.parts/csv`);
  const manifests = await store.manifests();
  const committed = new Set(manifests.map((m) => m.chunk));
  const partNames = opts.sensors ? ["scores.csv", "sensors.csv"] : ["scores.csv"];
  for (const chunk of doneChunks) {
    if (!committed.has(chunk)) {
      out.missing.push(store.partPath(chunk, "manifest.json"));
      continue;
    }
    for (const name of partNames) {
      const path = store.partPath(chunk, name);
      if (!(await exists(path))) out.missing.push(path);
    }
  }
  // expected.csv holds the only copy of the parts kept in it (core/io/part_store.ts).
  const expected = `${assetDir}/expected.csv`;
  if (!(await exists(expected))) {
    for (const m of manifests) {
      if (m.expected && (await store.isKept(m.chunk, "expected.csv"))) {
        out.missing.push(expected);
        break;
      }
    }
  }
  if (out.missing.length > 0) return out;
  const cumulative = [
    ...partNames,
    "episodes.csv",
    "data_quality.json",
    "training.json",
    "summary.json",
  ];
  for (const name of cumulative) {
    if (!(await exists(`${assetDir}/${name}`))) out.rebuilt.push(`${assetDir}/${name}`);
  }
  if (out.rebuilt.length > 0) await rebuildCsvOutputs(assetDir, opts);
  return out;
}

/** The failure message for an asset whose done chunks lost parts. */
export function missingOutputsMessage(asset: string, missing: readonly string[]): string {
  const shown = missing.slice(0, 3).join(", ");
  return `--resume: ${missing.length} output file(s) of chunks the ledger lists as done are missing ` +
    `(${shown}${missing.length > 3 ? ", ..." : ""}); they cannot be rebuilt from what is left. ` +
    `Regenerate the asset: acm replay --equip ${asset} --clear-cache (same --pipeline/--chunk-root/--artifact-root)`;
}
