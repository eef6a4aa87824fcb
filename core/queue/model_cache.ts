/**
 * A queue worker's local cache of one asset, in the layout the local replay
 * uses (`<cache>/<asset>/models/vN/`, `<cache>/<asset>/state/<chunk>.bin`), so
 * the one chunk runner (core/replay/asset_runner.ts) reads and writes it exactly
 * as it reads and writes an artifact directory. Before a chunk runs, the cache
 * is brought to the committed state in the database: the latest committed model
 * version (downloaded only when its hash differs from the cached copy) and the
 * stream-state checkpoint of the previous chunk.
 */
import { sha256Hex } from "../hash.ts";
import { atomicWriteFile } from "../io/atomic_write.ts";
import type { ModelManifest } from "../replay/model_store.ts";
import { listVersions, modelsDir } from "../replay/model_store.ts";
import type { Sql } from "../store/pg_connect.ts";

/** Where chunk `idx` of an asset continues from, as committed in the database. */
export interface CommittedPoint {
  /** Latest committed model version (0 = none yet: the chunk bootstraps). */
  modelVersion: number;
  /** Checkpoint of the previous chunk (null for the first chunk). */
  resumeState: { file: string; sha256: string | null } | null;
  chunksSinceFit: number;
  /** Whether the model was downloaded (false: the cached copy matched). */
  downloaded: boolean;
}

/** Reads the committed point before chunk `idx` and writes the files the runner needs. */
export async function prepareCache(
  sql: Sql,
  schema: string,
  asset: string,
  idx: number,
  assetDir: string,
): Promise<CommittedPoint> {
  const prev = idx === 0 ? [] : await sql.unsafe(
    `SELECT chunk, status, model_version_after, state, state_sha256 FROM ${schema}.chunks
     WHERE asset = $1 AND idx = $2`,
    [asset, idx - 1],
  );
  if (idx > 0 && (!prev[0] || prev[0].status !== "done")) {
    throw new Error(
      `Cannot run chunk #${idx + 1} of "${asset}": the previous chunk is not committed as done`,
    );
  }
  const modes = await sql.unsafe(
    `SELECT mode FROM ${schema}.chunks WHERE asset = $1 AND idx < $2 AND status = 'done'
     ORDER BY idx`,
    [asset, idx],
  );
  const lastFit = modes.map((r) => r.mode).lastIndexOf("bootstrap");
  const chunksSinceFit = lastFit < 0 ? modes.length : modes.length - lastFit;
  const modelVersion = idx === 0 ? 0 : Number(prev[0].model_version_after);
  let downloaded = false;
  if (modelVersion > 0) downloaded = await ensureModel(sql, schema, asset, modelVersion, assetDir);
  let resumeState: CommittedPoint["resumeState"] = null;
  if (idx > 0) {
    const bytes = prev[0].state as Uint8Array;
    const file = String(prev[0].chunk);
    await Deno.mkdir(`${assetDir}/state`, { recursive: true });
    await atomicWriteFile(`${assetDir}/state/${file}.bin`, bytes);
    resumeState = { file, sha256: prev[0].state_sha256 ?? sha256Hex(bytes) };
  }
  return { modelVersion, resumeState, chunksSinceFit, downloaded };
}

/** Makes `<assetDir>/models/v<version>` the database's copy; true when it had to be downloaded. */
async function ensureModel(
  sql: Sql,
  schema: string,
  asset: string,
  version: number,
  assetDir: string,
): Promise<boolean> {
  const [row] = await sql.unsafe(
    `SELECT sha256 FROM ${schema}.model_versions WHERE asset = $1 AND version = $2`,
    [asset, version],
  );
  if (!row) throw new Error(`Cannot continue "${asset}": model v${version} is not in the store`);
  const dir = `${modelsDir(assetDir)}/v${version}`;
  const cached = await Deno.readTextFile(`${dir}/manifest.json`).then(
    (t) => (JSON.parse(t) as ModelManifest).state_sha256,
    () => null,
  );
  if (cached === row.sha256) {
    const bytes = await Deno.readFile(`${dir}/state.bin`).catch(() => null);
    if (bytes && sha256Hex(bytes) === row.sha256) return false;
  }
  const [full] = await sql.unsafe(
    `SELECT manifest, state FROM ${schema}.model_versions WHERE asset = $1 AND version = $2`,
    [asset, version],
  );
  const state = full.state as Uint8Array;
  if (sha256Hex(state) !== row.sha256) {
    throw new Error(
      `Cannot load model v${version} of "${asset}" from the store: its bytes do not match its sha256`,
    );
  }
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  const tmp = `${modelsDir(assetDir)}/.v${version}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  await Deno.mkdir(tmp, { recursive: true });
  await Deno.writeFile(`${tmp}/state.bin`, state);
  await Deno.writeTextFile(`${tmp}/manifest.json`, JSON.stringify(full.manifest, null, 2) + "\n");
  await Deno.rename(tmp, dir);
  return true;
}

/** Local model versions above `version` (made by the chunk just run), manifest + state. */
export async function newModels(
  assetDir: string,
  version: number,
): Promise<{ manifest: ModelManifest; state: Uint8Array }[]> {
  const out = [];
  for (const v of await listVersions(assetDir)) {
    if (v <= version) continue;
    const dir = `${modelsDir(assetDir)}/v${v}`;
    out.push({
      manifest: JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`)) as ModelManifest,
      state: await Deno.readFile(`${dir}/state.bin`),
    });
  }
  return out;
}
