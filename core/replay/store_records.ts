/**
 * After a replay, records the run, every chunk the ledger holds for the assets
 * of this run, and every stored model version in the SQLite store — when the
 * pipeline has a `sqlite` sink (the scores themselves went through the sink).
 */
import type { Pipeline } from "../pipeline/types.ts";
import {
  closeStore,
  openStore,
  recordChunk,
  recordModelVersion,
  recordRun,
} from "../store/sqlite_store.ts";
import { storePath } from "../../plugins/sinks/sqlite.ts";
import type { Ledger } from "./ledger.ts";
import { listVersions, readManifest } from "./model_store.ts";
import type { ReplaySummary } from "./summary.ts";

/** Writes the run, chunk and model-version records; no-op without a sqlite sink. */
export async function recordReplayInStore(
  pipeline: Pipeline,
  summary: ReplaySummary,
  ledger: Ledger,
): Promise<void> {
  const node = pipeline.sinks.find((s) => s.plugin.name === "sqlite");
  if (!node) return;
  const options = node.options as { path: string; busy_timeout_ms: number };
  const store = openStore(storePath(options.path, summary.artifactRoot), {
    busyTimeoutMs: options.busy_timeout_ms,
  });
  try {
    recordRun(store, {
      runId: summary.runId,
      startedAt: summary.started,
      finishedAt: new Date().toISOString(),
      pipelineFile: summary.pipelineFile,
      pipelineSignature: summary.signature,
      status: summary.exitCode === 0 ? "ok" : "failed",
      manifest: summary,
    });
    for (const asset of summary.assets) {
      for (const e of ledger.assets[asset.asset]?.chunks ?? []) {
        recordChunk(store, {
          asset: asset.asset,
          chunk: e.file,
          runId: summary.runId,
          contentHash: e.sha256,
          status: e.status,
          startedAt: e.started,
          finishedAt: e.finished,
          durationMs: Date.parse(e.finished) - Date.parse(e.started),
          rows: e.rows,
          modelVersion: e.model_version,
        });
      }
      const assetDir = `${summary.artifactRoot}/${asset.asset}`;
      for (const version of await listVersions(assetDir)) {
        const m = await readManifest(assetDir, version);
        recordModelVersion(store, {
          asset: asset.asset,
          version,
          signature: m.signature,
          createdAt: m.created,
          trainRows: m.train.rows,
          trainStart: m.train.start,
          trainEnd: m.train.end,
          trainHash: m.train.hash,
          manifest: m,
        });
      }
    }
  } finally {
    closeStore(store);
  }
}
