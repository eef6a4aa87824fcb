/** Result types of a replay and the run manifest `<artifact-root>/runs/<run-id>.json`. */
import { atomicWriteText } from "../io/atomic_write.ts";
import type { Pipeline } from "../pipeline/types.ts";
import type { DryRunChunk } from "./plan.ts";

/** How one asset went. */
export interface AssetSummary {
  asset: string;
  status: "ok" | "failed";
  chunks: number;
  done: number;
  skipped: number;
  failed: number;
  /** Chunks not run because an earlier chunk of the asset failed (they run on `--resume`). */
  blocked: number;
  rows: number;
  /** Model versions used or created in this run, ascending. */
  modelVersions: number[];
  seconds: number;
  failedChunk: string | null;
  error: string | null;
  /** Data notes of the chunks run (see each asset's data_quality.json). */
  notes?: number;
  /** Dry run only: the predicted action per chunk. */
  plan?: DryRunChunk[];
}

/** What `replay()` returns (and `--json` writes). */
export interface ReplaySummary {
  runId: string;
  dryRun: boolean;
  pipelineFile: string;
  pipelineName: string;
  signature: string;
  overrides: string[];
  chunkRoot: string;
  artifactRoot: string;
  assets: AssetSummary[];
  warnings: string[];
  /** 0 all ok, 1 any asset failed. */
  exitCode: 0 | 1;
  started: string;
  seconds: number;
  rows: number;
  rowsPerSecond: number;
  /** Path of the run manifest (null in a dry run). */
  manifest: string | null;
  /** Path of the fleet report index, when the pipeline has a report sink. */
  report?: string;
  /** True when the run was stopped early (Ctrl-C); its manifest has status `interrupted`. */
  interrupted?: boolean;
}

/** A sortable, unique run id: `20250611T101500Z-1a2b`. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${stamp}-${crypto.randomUUID().slice(0, 4)}`;
}

/** Writes the run manifest atomically; returns its path. */
export async function writeRunManifest(
  artifactRoot: string,
  summary: ReplaySummary,
  pipeline: Pipeline,
  options: Record<string, unknown>,
): Promise<string> {
  const dir = `${artifactRoot}/runs`;
  await Deno.mkdir(dir, { recursive: true });
  const path = `${dir}/${summary.runId}.json`;
  const nodes = [
    pipeline.source,
    ...pipeline.features,
    ...pipeline.detectors,
    pipeline.fusion,
    ...pipeline.sinks,
  ];
  const manifest = {
    format: "acm-run",
    run_id: summary.runId,
    command: "replay",
    started: summary.started,
    seconds: round(summary.seconds),
    exit_code: summary.interrupted ? 130 : summary.exitCode,
    status: summary.interrupted ? "interrupted" : summary.exitCode === 0 ? "ok" : "failed",
    pipeline: {
      file: summary.pipelineFile,
      name: summary.pipelineName,
      signature: summary.signature,
      seed: pipeline.seed,
    },
    overrides: summary.overrides,
    options,
    runtime: { deno: Deno.version.deno, v8: Deno.version.v8, typescript: Deno.version.typescript },
    plugins: nodes.map((n) => ({
      node: n.id,
      plugin: n.plugin.name,
      version: n.plugin.version,
      kind: n.plugin.kind,
    })),
    chunk_root: summary.chunkRoot,
    artifact_root: summary.artifactRoot,
    rows: summary.rows,
    rows_per_second: round(summary.rowsPerSecond),
    assets: summary.assets.map((a) => ({ ...a, seconds: round(a.seconds) })),
    warnings: summary.warnings,
  };
  await atomicWriteText(path, JSON.stringify(manifest, null, 2) + "\n");
  return path;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
