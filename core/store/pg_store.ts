/**
 * Writing and reading scored chunks in the PostgreSQL results store
 * (core/store/pg_schema.ts). A chunk's rows are bulk-loaded with COPY after its
 * old rows are deleted, episodes are upserted by (asset, episode id), sensor
 * health and the chunk record are replaced: re-writing a chunk (a re-run, a
 * redelivered job) leaves exactly the rows of one write. Every function takes
 * the caller's transaction, so a queue worker can commit results, ledger and
 * job completion together.
 */
import { makeFrame } from "../frame.ts";
import type { Episode, ScoredChunk } from "../plugin.ts";
import type { Sql, TxSql } from "./pg_connect.ts";
import { checkSchemaName } from "./pg_schema.ts";

/** What a chunk keeps beside its rows, enough to rebuild the ScoredChunk exactly. */
export interface ChunkMeta {
  episodes: Episode[];
  sensorHealth: ScoredChunk["sensorHealth"];
  notes: ScoredChunk["notes"];
  trainRanges: ScoredChunk["trainRanges"];
  thresholds?: ScoredChunk["thresholds"];
  rawSensors: string[];
  signature?: { sensors: string[]; tests: string[] };
  has: { envelope: boolean; transient: boolean; topHead: boolean };
}

/** Writes one scored chunk (rows by COPY, episodes, sensor health, chunk record). */
export async function writeChunkResults(
  tx: TxSql,
  schema: string,
  chunk: ScoredChunk,
  extra: { runId?: string | null; idx?: number; sha256?: string } = {},
): Promise<number> {
  const s = checkSchemaName(schema);
  const heads = Object.keys(chunk.heads);
  const n = chunk.timestamps.length;
  const meta: ChunkMeta = {
    episodes: chunk.episodes,
    sensorHealth: chunk.sensorHealth,
    notes: chunk.notes,
    trainRanges: chunk.trainRanges,
    thresholds: chunk.thresholds,
    rawSensors: [...chunk.raw.sensors],
    signature: chunk.signature
      ? { sensors: chunk.signature.sensors, tests: chunk.signature.tests }
      : undefined,
    has: {
      envelope: chunk.envelope !== undefined,
      transient: chunk.transient !== undefined,
      topHead: chunk.topHead !== undefined,
    },
  };
  await tx.unsafe(
    `INSERT INTO ${s}.chunks (asset, chunk, idx, run_id, sha256, rows, status, model_version,
       first_ts, last_ts, heads, sensors, meta)
     VALUES ($1, $2, $3, $4, $5, $6, 'done', $7, $8, $9, $10, $11, $12)
     ON CONFLICT (asset, chunk) DO UPDATE SET rows = excluded.rows, model_version = excluded.model_version,
       first_ts = excluded.first_ts, last_ts = excluded.last_ts, heads = excluded.heads,
       sensors = excluded.sensors, meta = excluded.meta,
       run_id = COALESCE(excluded.run_id, ${s}.chunks.run_id)`,
    [
      chunk.asset,
      chunk.chunk,
      extra.idx ?? 0,
      extra.runId ?? null,
      extra.sha256 ?? "",
      n,
      chunk.modelVersion,
      n ? new Date(chunk.timestamps[0]) : null,
      n ? new Date(chunk.timestamps[n - 1]) : null,
      heads,
      chunk.raw.columns as string[],
      meta,
    ] as never[],
  );
  await tx.unsafe(`DELETE FROM ${s}.scores WHERE asset = $1 AND chunk = $2`, [
    chunk.asset,
    chunk.chunk,
  ]);
  const stream = await tx.unsafe(
    `COPY ${s}.scores (asset, chunk, row, ts, model_version, fused, alarm, health, regime,
       regime_unseen, envelope, transient, top_head, culprit, signature, heads, sensors)
     FROM STDIN`,
  ).writable();
  const done = new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
  });
  const lines = copyLines(chunk, heads);
  for (let i = 0; i < lines.length; i++) {
    if (!stream.write(lines[i])) await new Promise((r) => stream.once("drain", r));
  }
  stream.end();
  await done;
  for (const e of chunk.episodes) {
    await tx.unsafe(
      `INSERT INTO ${s}.episodes (asset, episode_id, chunk, start_ts, end_ts, duration_s, peak_z,
         mean_z, severity, detector, top_culprit, culprits, regime, open)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (asset, episode_id) DO UPDATE SET chunk = excluded.chunk,
         start_ts = excluded.start_ts, end_ts = excluded.end_ts, duration_s = excluded.duration_s,
         peak_z = excluded.peak_z, mean_z = excluded.mean_z, severity = excluded.severity,
         detector = excluded.detector, top_culprit = excluded.top_culprit,
         culprits = excluded.culprits, regime = excluded.regime, open = excluded.open`,
      [
        chunk.asset,
        e.id,
        chunk.chunk,
        new Date(e.start),
        new Date(e.end),
        e.duration_s,
        e.peak_z,
        e.mean_z,
        e.severity,
        e.detector,
        e.culprits[0]?.sensor ?? null,
        e.culprits,
        e.regime,
        e.open,
      ] as never[],
    );
  }
  await tx.unsafe(`DELETE FROM ${s}.sensor_health WHERE asset = $1 AND chunk = $2`, [
    chunk.asset,
    chunk.chunk,
  ]);
  for (const h of chunk.sensorHealth) {
    await tx.unsafe(
      `INSERT INTO ${s}.sensor_health (asset, chunk, sensor, status, reason)
       VALUES ($1, $2, $3, $4, $5)`,
      [chunk.asset, chunk.chunk, h.sensor, h.status, h.reason ?? null],
    );
  }
  return n;
}

/** COPY text lines of a chunk's rows (one string per ≤ 2,000 rows). */
function copyLines(chunk: ScoredChunk, heads: string[]): string[] {
  const out: string[] = [];
  const cols = heads.map((h) => chunk.heads[h]);
  const raw = chunk.raw;
  const n = chunk.timestamps.length;
  const rawRows = raw.rows === n;
  const a = copyText(chunk.asset) + "\t" + copyText(chunk.chunk) + "\t";
  const sig = chunk.signature;
  let buf = "";
  for (let i = 0; i < n; i++) {
    let heads = "{";
    for (let k = 0; k < cols.length; k++) heads += (k ? "," : "") + num(cols[k][i]);
    heads += "}";
    let sensors = "\\N";
    if (rawRows) {
      sensors = "{";
      for (let j = 0; j < raw.columns.length; j++) {
        sensors += (j ? "," : "") + num(raw.values[j * n + i]);
      }
      sensors += "}";
    }
    const top = chunk.topHead ? name(heads_(chunk), chunk.topHead[i]) : "\\N";
    const culprit = sig ? name(sig.sensors, sig.sensor[i]) : "\\N";
    const test = sig ? name(sig.tests, sig.test[i]) : "\\N";
    buf += a + i + "\t" + new Date(chunk.timestamps[i]).toISOString() + "\t" + chunk.modelVersion +
      "\t" + num(chunk.fused[i]) + "\t" + chunk.alarm[i] + "\t" + num(chunk.health[i]) + "\t" +
      chunk.regime[i] + "\t" + chunk.regimeUnseen[i] + "\t" + flag(chunk.envelope, i) + "\t" +
      flag(chunk.transient, i) + "\t" + top + "\t" + culprit + "\t" + test + "\t" + heads + "\t" +
      sensors + "\n";
    if ((i + 1) % 2000 === 0) {
      out.push(buf);
      buf = "";
    }
  }
  if (buf) out.push(buf);
  return out;
}

const heads_ = (chunk: ScoredChunk) => Object.keys(chunk.heads);
const flag = (a: Uint8Array | undefined, i: number) => (a ? String(a[i]) : "\\N");
const name = (names: readonly string[], i: number) => (i >= 0 ? copyText(names[i]) : "\\N");
/** float8 text that PostgreSQL reads back bit for bit (shortest round-trip digits). */
const num = (x: number) =>
  Number.isNaN(x) ? "NaN" : x === Infinity ? "Infinity" : x === -Infinity ? "-Infinity" : String(x);

function copyText(s: string): string {
  return s.replace(
    /[\\\t\n\r]/g,
    (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"),
  );
}

/** The stored chunks of an asset in replay order (done ones). */
export async function storedChunks(
  sql: Sql,
  schema: string,
  asset: string,
): Promise<{ chunk: string; idx: number }[]> {
  const s = checkSchemaName(schema);
  const rows = await sql.unsafe(
    `SELECT chunk, idx FROM ${s}.chunks WHERE asset = $1 AND status = 'done' AND meta IS NOT NULL
     ORDER BY idx, chunk`,
    [asset],
  );
  return rows.map((r) => ({ chunk: String(r.chunk), idx: Number(r.idx) }));
}

/** Rebuilds one stored chunk as the ScoredChunk the csv sink was given (contributions empty). */
export async function readChunkResults(
  sql: Sql,
  schema: string,
  asset: string,
  chunk: string,
): Promise<ScoredChunk> {
  const s = checkSchemaName(schema);
  const [c] = await sql.unsafe(
    `SELECT model_version, heads, sensors, meta FROM ${s}.chunks WHERE asset = $1 AND chunk = $2`,
    [asset, chunk],
  );
  if (!c) throw new Error(`Cannot read chunk "${chunk}" of "${asset}": it is not in the store`);
  const rows = await sql.unsafe(
    `SELECT ts, fused, alarm, health, regime, regime_unseen, envelope, transient, top_head,
       culprit, signature, heads, sensors
     FROM ${s}.scores WHERE asset = $1 AND chunk = $2 ORDER BY row`,
    [asset, chunk],
  );
  const meta = c.meta as ChunkMeta;
  const heads = c.heads as string[];
  const rawColumns = (c.sensors ?? []) as string[];
  const n = rows.length;
  const out: ScoredChunk = {
    asset,
    chunk,
    modelVersion: Number(c.model_version),
    timestamps: new Float64Array(n),
    heads: Object.fromEntries(heads.map((h) => [h, new Float64Array(n)])),
    fused: new Float64Array(n),
    contributions: {},
    alarm: new Uint8Array(n),
    health: new Float64Array(n),
    regime: new Int32Array(n),
    regimeUnseen: new Uint8Array(n),
    episodes: meta.episodes,
    sensorHealth: meta.sensorHealth,
    notes: meta.notes,
    trainRanges: meta.trainRanges,
    raw: makeFrame({
      columns: rawColumns,
      sensors: meta.rawSensors,
      values: new Float64Array(n * rawColumns.length),
      timestamps: new Float64Array(n),
    }),
  };
  if (meta.thresholds) out.thresholds = meta.thresholds;
  if (meta.has.envelope) out.envelope = new Uint8Array(n);
  if (meta.has.transient) out.transient = new Uint8Array(n);
  if (meta.has.topHead) out.topHead = new Int32Array(n);
  if (meta.signature) {
    out.signature = {
      ...meta.signature,
      sensor: new Int32Array(n),
      test: new Int32Array(n),
    };
  }
  const headArrays = heads.map((h) => out.heads[h]);
  rows.forEach((r, i) => {
    const t = (r.ts as Date).getTime();
    out.timestamps[i] = t;
    (out.raw.timestamps as Float64Array)[i] = t;
    out.fused[i] = toNum(r.fused);
    out.alarm[i] = Number(r.alarm);
    out.health[i] = toNum(r.health);
    out.regime[i] = Number(r.regime);
    out.regimeUnseen[i] = Number(r.regime_unseen);
    if (out.envelope) out.envelope[i] = Number(r.envelope ?? 0);
    if (out.transient) out.transient[i] = Number(r.transient ?? 0);
    if (out.topHead) out.topHead[i] = r.top_head === null ? -1 : heads.indexOf(r.top_head);
    if (out.signature) {
      out.signature.sensor[i] = r.culprit === null ? -1 : out.signature.sensors.indexOf(r.culprit);
      out.signature.test[i] = r.signature === null ? -1 : out.signature.tests.indexOf(r.signature);
    }
    const z = r.heads as unknown[];
    for (let k = 0; k < headArrays.length; k++) headArrays[k][i] = toNum(z[k]);
    const v = r.sensors as unknown[] | null;
    if (v) { for (let j = 0; j < rawColumns.length; j++) out.raw.values[j * n + i] = toNum(v[j]); }
  });
  return out;
}

function toNum(x: unknown): number {
  if (x === null || x === undefined) return NaN;
  return typeof x === "number" ? x : Number(x);
}
