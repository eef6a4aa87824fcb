/**
 * Main-thread planning of each asset before any work: chunk hashes, the
 * `--resume` start point (longest prefix of done chunks whose name and sha256
 * match), which checkpoint and model version to continue from, and — for
 * `--dry-run` — the predicted bootstrap/score mode and model version of every
 * chunk. Planning only reads.
 */
import type { Source } from "../plugin.ts";
import type { ModelOptions } from "../pipeline/stage_schemas.ts";
import type { AssetChunks } from "./discover.ts";
import { type LedgerAsset, type LedgerEntry, resumePoint } from "./ledger.ts";
import { listVersions, readManifest } from "./model_store.ts";
import { decideRefit, type ModelFacts } from "./refit_policy.ts";
import { allNaNColumns } from "./asset_runner.ts";
import { digestHex } from "../hash.ts";

/** What will happen to one asset. */
export interface AssetPlan {
  asset: string;
  chunkDir: string;
  assetDir: string;
  chunks: { name: string; path: string; sha256: string; bytes: number }[];
  /** Leading chunks skipped by --resume. */
  skip: number;
  resumeState: { file: string; sha256: string | null } | null;
  rollbackAbove: number | null;
  chunksSinceFit: number;
  clearCache: boolean;
  /** Ledger entries kept (the skipped prefix) and the asset's base model version. */
  ledger: LedgerAsset;
  warnings: string[];
}

/** Plans one asset (hashes its chunks; reads the ledger record and the model store). */
export async function planAsset(input: {
  found: AssetChunks;
  assetDir: string;
  record: LedgerAsset | undefined;
  resume: boolean;
  clearCache: boolean;
}): Promise<AssetPlan> {
  const { found, assetDir, record } = input;
  const chunks: AssetPlan["chunks"] = [];
  for (const c of found.chunks) {
    chunks.push({ ...c, sha256: await digestHex(await Deno.readFile(c.path)) });
  }
  const versions = input.clearCache ? [] : await listVersions(assetDir);
  const latest = versions.at(-1) ?? 0;
  const warnings: string[] = [];
  const fresh = (clear: boolean): AssetPlan => ({
    asset: found.asset,
    chunkDir: found.dir,
    assetDir,
    chunks,
    skip: 0,
    resumeState: null,
    rollbackAbove: null,
    chunksSinceFit: 0,
    clearCache: clear,
    ledger: { base_model_version: clear ? 0 : latest, chunks: [] },
    warnings,
  });
  if (input.clearCache) {
    if (input.resume && record?.chunks.length) {
      warnings.push(`${found.asset}: --clear-cache re-runs every chunk (--resume ignored for it)`);
    }
    return fresh(true);
  }
  if (!input.resume || !record) return fresh(false);
  const rp = resumePoint(record.chunks, chunks);
  const byName = new Map(record.chunks.map((e) => [e.file, e]));
  if (rp.changed.length) {
    const after = chunks.length - rp.skip - 1;
    warnings.push(
      `${found.asset}: chunk ${rp.changed[0]} changed since it was done (sha256 differs); ` +
        `re-running it and the ${after} chunk(s) after it`,
    );
  }
  const kept: LedgerEntry[] = chunks.slice(0, rp.skip).map((c) => byName.get(c.name)!);
  const plan: AssetPlan = {
    ...fresh(false),
    skip: rp.skip,
    ledger: { base_model_version: record.base_model_version, chunks: kept },
    rollbackAbove: rp.skip > 0 ? kept[rp.skip - 1].model_version_after : record.base_model_version,
  };
  if (rp.skip > 0) {
    const last = kept[rp.skip - 1];
    const stateFile = `${assetDir}/state/${last.file}.bin`;
    const hasState = await Deno.stat(stateFile).then(() => true, () => false);
    if (!hasState) {
      warnings.push(`${found.asset}: checkpoint ${stateFile} is missing; re-running every chunk`);
      return { ...fresh(false), rollbackAbove: record.base_model_version };
    }
    plan.resumeState = { file: last.file, sha256: last.state_sha256 };
    const lastFit = kept.map((e) => e.mode).lastIndexOf("bootstrap");
    plan.chunksSinceFit = lastFit < 0 ? rp.skip : rp.skip - lastFit;
  }
  const need = plan.rollbackAbove ?? 0;
  if (need > 0 && !versions.includes(need)) {
    warnings.push(
      `${found.asset}: model v${need} needed to continue is no longer stored; re-running every chunk with a fresh model`,
    );
    return fresh(true);
  }
  return plan;
}

/** One row of a dry-run plan. */
export interface DryRunChunk {
  chunk: string;
  action: "skip" | "bootstrap" | "score";
  modelVersion: number;
  reason: string | null;
}

/** Predicts mode and model version per chunk (reads the chunks; writes nothing). */
export async function predictChunks(input: {
  plan: AssetPlan;
  source: Source;
  signature: string;
  options: ModelOptions;
}): Promise<DryRunChunk[]> {
  const { plan } = input;
  const rows: DryRunChunk[] = plan.chunks.slice(0, plan.skip).map((c, i) => ({
    chunk: c.name,
    action: "skip",
    modelVersion: plan.ledger.chunks[i].model_version,
    reason: null,
  }));
  let versions = plan.clearCache ? [] : await listVersions(plan.assetDir);
  if (plan.rollbackAbove !== null) versions = versions.filter((v) => v <= plan.rollbackAbove!);
  let next = (versions.at(-1) ?? 0) + 1;
  let model: ModelFacts | null = null;
  if (versions.length) {
    const m = await readManifest(plan.assetDir, versions.at(-1)!);
    model = {
      version: m.version,
      signature: m.signature,
      sensors: m.sensors,
      trainedColumns: m.sensor_health.map((s) => s.sensor),
      trainEnd: m.train.end_ms,
    };
  }
  let sinceFit = plan.chunksSinceFit;
  for (const c of plan.chunks.slice(plan.skip)) {
    const { frame } = await input.source.read(c.path);
    const dead = allNaNColumns(frame);
    const chunkFacts = { columns: frame.columns, allNaN: dead, start: frame.timestamps[0] };
    const d = decideRefit({
      model,
      signature: input.signature,
      chunk: chunkFacts,
      chunksSinceFit: sinceFit,
      options: input.options,
    });
    if (d.retrain) {
      model = {
        version: next++,
        signature: input.signature,
        sensors: frame.columns.filter((s) => !dead.includes(s)),
        trainedColumns: frame.columns,
        trainEnd: frame.timestamps[frame.rows - 1],
      };
      sinceFit = 0;
    }
    sinceFit++;
    rows.push({
      chunk: c.name,
      action: d.retrain ? "bootstrap" : "score",
      modelVersion: model!.version,
      reason: d.reason,
    });
  }
  return rows;
}
