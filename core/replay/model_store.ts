/**
 * Versioned model store `<assetDir>/models/vN/`: `manifest.json` (what was
 * trained, on what, why) + `state.bin` (the whole `FittedModel` through
 * core/state_codec.ts: every head, calibrator, regime model, medians). A
 * version is written into a temporary directory and renamed into place, so a
 * reader never sees half a model. Latest = highest N; new = highest N + 1.
 */
import type { FittedModel } from "../engine/types.ts";
import type { StateValue } from "../plugin.ts";
import { decodeState, encodeState } from "../state_codec.ts";
import { sha256Hex } from "../hash.ts";
import { formatTimestamp } from "../frame.ts";

/** Human-readable description of one stored model version. */
export interface ModelManifest {
  format: "acm-model";
  version: number;
  asset: string;
  created: string;
  /** Version this one was derived from (incremental update, retrain), or null. */
  parent_version: number | null;
  /** Why it was made: `bootstrap: no model yet`, `incremental update`, `retrain: ...`. */
  reason: string;
  /** Chunk file it was trained (or updated) on. */
  chunk: string;
  signature: string;
  seed: number;
  plugins: Record<string, { plugin: string; version: string }>;
  sensors: string[];
  sensor_health: FittedModel["sensorHealth"];
  features: Record<string, string[]>;
  heads: string[];
  train: {
    rows: number;
    start: string;
    end: string;
    start_ms: number;
    end_ms: number;
    hash: string;
    /** Median sampling step of the training rows, ms (absent: unknown, or a model saved before it was kept). */
    step_ms?: number;
  };
  metrics: FittedModel["metrics"];
  state_file: "state.bin";
  state_sha256: string;
  state_bytes: number;
}

/** A model read back from the store. */
export interface StoredModel {
  manifest: ModelManifest;
  model: FittedModel;
}

/** `<assetDir>/models`. */
export function modelsDir(assetDir: string): string {
  return `${assetDir}/models`;
}

/** Stored version numbers, ascending (only complete `vN` directories). */
export async function listVersions(assetDir: string): Promise<number[]> {
  const out: number[] = [];
  try {
    for await (const e of Deno.readDir(modelsDir(assetDir))) {
      const m = /^v(\d+)$/.exec(e.name);
      if (e.isDirectory && m) out.push(Number(m[1]));
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  return out.sort((a, b) => a - b);
}

/** Writes `model` as the next version; returns its manifest. */
export async function saveModel(
  assetDir: string,
  model: FittedModel,
  info: { asset: string; reason: string; chunk: string; parent: number | null; created?: Date },
): Promise<ModelManifest> {
  const versions = await listVersions(assetDir);
  const version = (versions.at(-1) ?? 0) + 1;
  const state = encodeState(model as unknown as StateValue);
  const manifest: ModelManifest = {
    format: "acm-model",
    version,
    asset: info.asset,
    created: (info.created ?? new Date()).toISOString(),
    parent_version: info.parent,
    reason: info.reason,
    chunk: info.chunk,
    signature: model.signature,
    seed: model.seed,
    plugins: model.plugins,
    sensors: model.sensors,
    sensor_health: model.sensorHealth,
    features: model.features,
    heads: model.heads,
    train: {
      rows: model.train.rows,
      start: Number.isFinite(model.train.start) ? formatTimestamp(model.train.start) : "",
      end: Number.isFinite(model.train.end) ? formatTimestamp(model.train.end) : "",
      start_ms: model.train.start,
      end_ms: model.train.end,
      hash: model.train.hash,
      ...(model.train.step! > 0 ? { step_ms: model.train.step } : {}),
    },
    metrics: model.metrics,
    state_file: "state.bin",
    state_sha256: sha256Hex(state),
    state_bytes: state.length,
  };
  const root = modelsDir(assetDir);
  await Deno.mkdir(root, { recursive: true });
  const tmp = `${root}/.v${version}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  await Deno.mkdir(tmp);
  try {
    await writeDurable(`${tmp}/state.bin`, state);
    await writeDurable(
      `${tmp}/manifest.json`,
      new TextEncoder().encode(JSON.stringify(manifest, null, 2) + "\n"),
    );
    await Deno.rename(tmp, `${root}/v${version}`);
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw new Error(
      `Cannot save model v${version} of "${info.asset}" in "${root}": ${(e as Error).message}`,
    );
  }
  await syncDir(root);
  return manifest;
}

/** The command that rebuilds an asset's models and state from its chunks. */
export function recoveryHint(assetDir: string): string {
  const asset = assetDir.replace(/\/+$/, "").split("/").at(-1);
  return `to rebuild this asset from its chunks, run: acm replay --equip ${asset} --clear-cache ` +
    `(same --pipeline, --chunk-root and --artifact-root)`;
}

/** Reads one version's manifest. */
export async function readManifest(assetDir: string, version: number): Promise<ModelManifest> {
  const file = `${modelsDir(assetDir)}/v${version}/manifest.json`;
  try {
    return JSON.parse(await Deno.readTextFile(file)) as ModelManifest;
  } catch (e) {
    throw new Error(
      `Cannot read model manifest "${file}": ${(e as Error).message}; ${recoveryHint(assetDir)}`,
    );
  }
}

/** Loads version `version` (default: latest), or null when the store is empty. */
export async function loadModel(assetDir: string, version?: number): Promise<StoredModel | null> {
  const v = version ?? (await listVersions(assetDir)).at(-1);
  if (v === undefined) return null;
  const manifest = await readManifest(assetDir, v);
  const file = `${modelsDir(assetDir)}/v${v}/state.bin`;
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(file);
  } catch (e) {
    throw new Error(
      `Cannot load model v${v}: "${file}" is unreadable (${(e as Error).message}); ${
        recoveryHint(assetDir)
      }`,
    );
  }
  if (sha256Hex(bytes) !== manifest.state_sha256) {
    throw new Error(
      `Cannot load model v${v}: "${file}" does not match its manifest hash (corrupt or replaced); ` +
        `delete "${modelsDir(assetDir)}/v${v}", or ${recoveryHint(assetDir)}`,
    );
  }
  return { manifest, model: decodeState(bytes, `model "${file}"`) as unknown as FittedModel };
}

/** Deletes versions above `version` (leftovers of a chunk that never completed); returns them. */
export async function removeVersionsAbove(assetDir: string, version: number): Promise<number[]> {
  const gone = (await listVersions(assetDir)).filter((v) => v > version);
  for (const v of gone) await Deno.remove(`${modelsDir(assetDir)}/v${v}`, { recursive: true });
  return gone;
}

/** Keeps the newest `keep` versions (and every version in `protect`); returns the removed ones. */
export async function pruneVersions(
  assetDir: string,
  keep: number,
  protect: readonly number[] = [],
): Promise<number[]> {
  const versions = await listVersions(assetDir);
  const kept = new Set([...versions.slice(-Math.max(1, keep)), ...protect]);
  const gone = versions.filter((v) => !kept.has(v));
  for (const v of gone) await Deno.remove(`${modelsDir(assetDir)}/v${v}`, { recursive: true });
  return gone;
}

/** Deletes `.*.tmp` leftovers (a version being written when the process was killed) in `dir`. */
export async function removeTempEntries(dir: string): Promise<string[]> {
  const gone: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.name.startsWith(".") && e.name.endsWith(".tmp")) {
        await Deno.remove(`${dir}/${e.name}`, { recursive: true });
        gone.push(e.name);
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return gone;
}

/** Removes the whole model store of an asset (`--clear-cache`). */
export async function clearModels(assetDir: string): Promise<void> {
  await Deno.remove(modelsDir(assetDir), { recursive: true }).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
}

async function writeDurable(path: string, data: Uint8Array): Promise<void> {
  const f = await Deno.open(path, { write: true, createNew: true });
  try {
    let off = 0;
    while (off < data.length) off += await f.write(data.subarray(off));
    await f.sync();
  } finally {
    f.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const h = await Deno.open(dir, { read: true });
    try {
      await h.sync();
    } finally {
      h.close();
    }
  } catch { /* not supported everywhere; the rename is still atomic */ }
}
