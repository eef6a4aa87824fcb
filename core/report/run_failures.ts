/**
 * Which assets the latest run failed for, from the run manifests
 * `<artifact-root>/runs/*.json` (and the run still in progress, which has not
 * written its manifest yet when the fleet index is drawn). Per asset the most
 * recent run that processed it decides: failed → its error, ok → none. A
 * manifest that cannot be parsed is skipped (it is the replay's record, not the
 * report's input, and the index must still be written).
 */

/** One asset's outcome in a run (the fields of a run manifest's `assets[]` the report uses). */
export interface RunAssetOutcome {
  asset: string;
  status: "ok" | "failed";
  error: string | null;
  failedChunk: string | null;
}

/** A run: when it started and how each asset went. */
export interface RunOutcome {
  started: string;
  assets: readonly RunAssetOutcome[];
}

/** The failure text of an outcome: "chunk X: error" or the error alone. */
function failureText(a: RunAssetOutcome): string {
  const err = (a.error ?? "failed").split("\n")[0];
  return a.failedChunk ? `chunk ${a.failedChunk}: ${err}` : err;
}

/** Reads the run manifests under `<artifactRoot>/runs`, oldest first. */
export async function readRunOutcomes(artifactRoot: string): Promise<RunOutcome[]> {
  const runs: RunOutcome[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(`${artifactRoot}/runs`));
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
  for (const e of entries) {
    if (!e.isFile || !e.name.endsWith(".json")) continue;
    try {
      const m = JSON.parse(await Deno.readTextFile(`${artifactRoot}/runs/${e.name}`));
      if (m?.format !== "acm-run" || !Array.isArray(m.assets) || m.dry_run) continue;
      runs.push({ started: String(m.started ?? ""), assets: m.assets as RunAssetOutcome[] });
    } catch { /* not a readable manifest: skipped (see the module doc) */ }
  }
  return runs.sort((a, b) => (a.started < b.started ? -1 : a.started > b.started ? 1 : 0));
}

/** asset → failure text, for assets whose latest run (the `current` one last) failed. */
export function latestFailures(
  runs: readonly RunOutcome[],
  current?: RunOutcome,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const run of current ? [...runs, current] : runs) {
    for (const a of run.assets) {
      if (a.status === "failed") out.set(a.asset, failureText(a));
      else out.delete(a.asset);
    }
  }
  return out;
}
