/**
 * The embedded SQLite store (`node:sqlite`, built into Deno): open with
 * migrations, WAL and a busy timeout; write a scored chunk so that re-writing it
 * replaces its rows (delete that asset+chunk's rows, insert, one transaction);
 * record runs, chunks and model versions for the replay runner. Every failure
 * is an OutputError naming the database file and what to do.
 */
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import { storeTime, storeTimeText } from "./timestamps.ts";
import type { ScoredChunk } from "../plugin.ts";
import { OutputError, outputError } from "../io/output_error.ts";
import { MIGRATIONS, SCHEMA_VERSION, TABLE_KEYS } from "./schema.ts";

/** An open store: the connection and the file it belongs to. */
export interface SqliteStore {
  readonly db: DatabaseSync;
  readonly path: string;
}

/** A replay run (upserted by run id; omitted fields keep their stored value). */
export interface RunRecord {
  runId: string;
  startedAt?: string;
  finishedAt?: string;
  pipelineFile?: string;
  pipelineSignature?: string;
  status?: string;
  /** The run manifest (stored as JSON text). */
  manifest?: unknown;
}

/** A chunk's processing record (upserted by asset + chunk; omitted fields keep their value). */
export interface ChunkRecord {
  asset: string;
  chunk: string;
  runId?: string;
  contentHash?: string;
  status?: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  rows?: number;
  modelVersion?: number;
}

/** A fitted model version of an asset (upserted by asset + version). */
export interface ModelVersionRecord {
  asset: string;
  version: number;
  signature?: string;
  createdAt?: string;
  trainRows?: number;
  trainStart?: string;
  trainEnd?: string;
  trainHash?: string;
  /** The model manifest (stored as JSON text). */
  manifest?: unknown;
}

const real = (x: number): number | null => (Number.isNaN(x) ? null : x);
const opt = <T extends SQLInputValue>(x: T | undefined): T | null => (x === undefined ? null : x);

/** Runs `fn` in an IMMEDIATE transaction; rolls back and rethrows on error. */
function transaction(store: SqliteStore, action: string, fn: () => void): void {
  try {
    store.db.exec("BEGIN IMMEDIATE");
  } catch (err) {
    throw outputError(action, store.path, err);
  }
  try {
    fn();
    store.db.exec("COMMIT");
  } catch (err) {
    try {
      store.db.exec("ROLLBACK");
    } catch { /* the transaction may already be gone */ }
    throw outputError(action, store.path, err);
  }
}

/** Opens (creating if needed) the store at `path` and applies missing migrations. */
export function openStore(path: string, opts: { busyTimeoutMs?: number } = {}): SqliteStore {
  let db: DatabaseSync;
  try {
    const dir = path.slice(0, path.lastIndexOf("/"));
    if (dir) Deno.mkdirSync(dir, { recursive: true });
    db = new DatabaseSync(path);
  } catch (err) {
    throw outputError("open database", path, err);
  }
  const store = { db, path };
  try {
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    migrate(store);
  } catch (err) {
    db.close();
    throw err instanceof OutputError ? err : outputError("open database", path, err);
  }
  return store;
}

/** The schema version stored in the file (`PRAGMA user_version`). */
export function schemaVersion(store: SqliteStore): number {
  const row = store.db.prepare("PRAGMA user_version").get() as { user_version: number };
  return row.user_version;
}

function migrate(store: SqliteStore): void {
  const current = schemaVersion(store);
  if (current > SCHEMA_VERSION) {
    throw new OutputError(
      `Cannot open database "${store.path}": its schema version ${current} is newer than this acm's (${SCHEMA_VERSION})`,
      store.path,
      "upgrade acm, or write to another --artifact-root",
    );
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    transaction(store, `migrate to schema ${m.version}`, () => {
      store.db.exec(m.sql);
      store.db.exec(`PRAGMA user_version = ${m.version}`);
    });
  }
}

/** Closes the connection. */
export function closeStore(store: SqliteStore): void {
  if (store.db.isOpen) store.db.close();
}

/** Writes a scored chunk; re-writing the same asset+chunk replaces its rows (one transaction). */
export function writeScoredChunk(store: SqliteStore, chunk: ScoredChunk): void {
  const { db } = store;
  const { asset, chunk: name } = chunk;
  const n = chunk.timestamps.length;
  const ts: string[] = new Array(n);
  for (let i = 0; i < n; i++) ts[i] = storeTime(chunk.timestamps[i]);
  const seenUntil = n > 0 ? ts[n - 1] : "";
  transaction(store, `write chunk "${name}" of "${asset}" to database`, () => {
    db.prepare(
      "DELETE FROM head_scores WHERE asset = ? AND ts IN (SELECT ts FROM scores WHERE asset = ? AND chunk = ?)",
    ).run(asset, asset, name);
    for (const table of ["scores", "sensor_health", "data_notes"]) {
      db.prepare(`DELETE FROM ${table} WHERE asset = ? AND chunk = ?`).run(asset, name);
    }
    const { envelope, transient } = chunk;
    insertRows(
      db,
      "INSERT OR REPLACE INTO scores (asset, ts, chunk, model_version, fused, alarm, health, regime, regime_unseen, envelope, transient) VALUES ",
      11,
      n,
      (i, v, at) => {
        v[at] = asset;
        v[at + 1] = ts[i];
        v[at + 2] = name;
        v[at + 3] = chunk.modelVersion;
        v[at + 4] = real(chunk.fused[i]);
        v[at + 5] = chunk.alarm[i];
        v[at + 6] = real(chunk.health[i]);
        v[at + 7] = chunk.regime[i];
        v[at + 8] = chunk.regimeUnseen[i];
        v[at + 9] = envelope ? envelope[i] : null;
        v[at + 10] = transient ? transient[i] : null;
      },
    );
    for (const [head, z] of Object.entries(chunk.heads)) {
      const contrib = chunk.contributions[head];
      insertRows(
        db,
        "INSERT OR REPLACE INTO head_scores (asset, ts, head, z, contribution) VALUES ",
        5,
        n,
        (i, v, at) => {
          v[at] = asset;
          v[at + 1] = ts[i];
          v[at + 2] = head;
          v[at + 3] = real(z[i]);
          v[at + 4] = contrib ? real(contrib[i]) : null;
        },
      );
    }
    writeEpisodes(store, chunk, seenUntil);
    writeEnvelopeExits(store, chunk, seenUntil);
    const health = db.prepare(
      "INSERT OR REPLACE INTO sensor_health (asset, chunk, sensor, status, reason) VALUES (?, ?, ?, ?, ?)",
    );
    for (const h of chunk.sensorHealth) health.run(asset, name, h.sensor, h.status, opt(h.reason));
    const note = db.prepare(
      "INSERT INTO data_notes (asset, chunk, seq, kind, message, column_name, count, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    chunk.notes.forEach((d, k) =>
      note.run(asset, name, k, d.kind, d.message, opt(d.column), opt(d.count), opt(d.line))
    );
    db.prepare(
      `INSERT INTO chunks (asset, chunk, first_ts, last_ts, rows, model_version) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (asset, chunk) DO UPDATE SET first_ts = excluded.first_ts, last_ts = excluded.last_ts,
         rows = excluded.rows, model_version = excluded.model_version`,
    ).run(asset, name, n > 0 ? ts[0] : null, n > 0 ? seenUntil : null, n, chunk.modelVersion);
  });
}

/** Rows per multi-row INSERT: one statement call per block instead of per row (same rows, same order). */
const INSERT_BLOCK = 64;

/**
 * Inserts `n` rows of `width` values with `sql` + "(?, …), (?, …)…" in blocks of
 * INSERT_BLOCK rows (SQLite applies a multi-row VALUES in order, so OR REPLACE
 * resolves as row by row); `fill(i, values, at)` writes row i's values at `at`.
 */
function insertRows(
  db: DatabaseSync,
  sql: string,
  width: number,
  n: number,
  fill: (i: number, values: SQLInputValue[], at: number) => void,
): void {
  const tuple = `(${new Array(width).fill("?").join(", ")})`;
  const statement = (rows: number) => db.prepare(sql + new Array(rows).fill(tuple).join(", "));
  const full = n >= INSERT_BLOCK ? statement(INSERT_BLOCK) : null;
  const values: SQLInputValue[] = new Array(INSERT_BLOCK * width);
  for (let start = 0; start < n; start += INSERT_BLOCK) {
    const rows = Math.min(INSERT_BLOCK, n - start);
    const v = rows === INSERT_BLOCK ? values : new Array<SQLInputValue>(rows * width);
    for (let r = 0; r < rows; r++) fill(start + r, v, r * width);
    (rows === INSERT_BLOCK ? full! : statement(rows)).run(...v);
  }
}

/**
 * Episodes are upserted by id; the version seen up to the latest time wins, so
 * re-writing an earlier chunk does not roll back an episode a later chunk updated.
 */
function writeEpisodes(store: SqliteStore, chunk: ScoredChunk, seenUntil: string): void {
  const { db } = store;
  const { asset, chunk: name } = chunk;
  db.prepare(
    "DELETE FROM episode_culprits WHERE asset = ? AND episode_id IN " +
      "(SELECT episode_id FROM episodes WHERE asset = ? AND chunk = ?)",
  ).run(asset, asset, name);
  db.prepare("DELETE FROM episodes WHERE asset = ? AND chunk = ?").run(asset, name);
  const existing = db.prepare("SELECT seen_until FROM episodes WHERE asset = ? AND episode_id = ?");
  const upsert = db.prepare(
    `INSERT OR REPLACE INTO episodes (asset, episode_id, chunk, seen_until, start_ts, end_ts, duration_s,
       peak_z, mean_z, severity, detector, regime, open, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const dropCulprits = db.prepare(
    "DELETE FROM episode_culprits WHERE asset = ? AND episode_id = ?",
  );
  const culprit = db.prepare(
    "INSERT INTO episode_culprits (asset, episode_id, rank, sensor, pct) VALUES (?, ?, ?, ?, ?)",
  );
  for (const e of chunk.episodes) {
    const row = existing.get(asset, e.id) as { seen_until: string } | undefined;
    if (row && row.seen_until > seenUntil) continue;
    upsert.run(
      asset,
      e.id,
      name,
      seenUntil,
      storeTime(e.start),
      storeTime(e.end),
      real(e.duration_s),
      real(e.peak_z),
      real(e.mean_z),
      e.severity,
      e.detector,
      e.regime,
      e.open ? 1 : 0,
      e.kind ?? null,
    );
    dropCulprits.run(asset, e.id);
    e.culprits.forEach((c, k) => culprit.run(asset, e.id, k + 1, c.sensor, real(c.pct)));
  }
}

/**
 * Envelope exits are upserted by start time with the same rule as episodes: the
 * version seen up to the latest time wins.
 */
function writeEnvelopeExits(store: SqliteStore, chunk: ScoredChunk, seenUntil: string): void {
  const { db } = store;
  const { asset, chunk: name } = chunk;
  db.prepare("DELETE FROM envelope_exits WHERE asset = ? AND chunk = ?").run(asset, name);
  const existing = db.prepare(
    "SELECT seen_until FROM envelope_exits WHERE asset = ? AND start_ts = ?",
  );
  const upsert = db.prepare(
    `INSERT OR REPLACE INTO envelope_exits (asset, start_ts, chunk, seen_until, end_ts, shift,
       episode_id, open) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const x of chunk.envelopeExits ?? []) {
    const start = storeTime(x.start);
    const row = existing.get(asset, start) as { seen_until: string } | undefined;
    if (row && row.seen_until > seenUntil) continue;
    upsert.run(
      asset,
      start,
      name,
      seenUntil,
      storeTime(x.end),
      x.shift ? 1 : 0,
      x.episodeId,
      x.open ? 1 : 0,
    );
  }
}

/** Records (or updates) a replay run. */
export function recordRun(store: SqliteStore, run: RunRecord): void {
  transaction(store, `record run "${run.runId}" in database`, () => {
    store.db.prepare(
      `INSERT INTO runs (run_id, started_at, finished_at, pipeline_file, pipeline_signature, status, manifest)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id) DO UPDATE SET
         started_at = COALESCE(excluded.started_at, started_at),
         finished_at = COALESCE(excluded.finished_at, finished_at),
         pipeline_file = COALESCE(excluded.pipeline_file, pipeline_file),
         pipeline_signature = COALESCE(excluded.pipeline_signature, pipeline_signature),
         status = COALESCE(excluded.status, status),
         manifest = COALESCE(excluded.manifest, manifest)`,
    ).run(
      run.runId,
      opt(storeTimeText(run.startedAt)),
      opt(storeTimeText(run.finishedAt)),
      opt(run.pipelineFile),
      opt(run.pipelineSignature),
      opt(run.status),
      run.manifest === undefined ? null : JSON.stringify(run.manifest),
    );
  });
}

/** Records (or updates) the processing of one chunk. */
export function recordChunk(store: SqliteStore, c: ChunkRecord): void {
  transaction(store, `record chunk "${c.chunk}" of "${c.asset}" in database`, () => {
    store.db.prepare(
      `INSERT INTO chunks (asset, chunk, run_id, content_hash, status, started_at, finished_at, duration_ms,
         rows, model_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (asset, chunk) DO UPDATE SET
         run_id = COALESCE(excluded.run_id, run_id),
         content_hash = COALESCE(excluded.content_hash, content_hash),
         status = COALESCE(excluded.status, status),
         started_at = COALESCE(excluded.started_at, started_at),
         finished_at = COALESCE(excluded.finished_at, finished_at),
         duration_ms = COALESCE(excluded.duration_ms, duration_ms),
         rows = COALESCE(excluded.rows, rows),
         model_version = COALESCE(excluded.model_version, model_version)`,
    ).run(
      c.asset,
      c.chunk,
      opt(c.runId),
      opt(c.contentHash),
      opt(c.status),
      opt(storeTimeText(c.startedAt)),
      opt(storeTimeText(c.finishedAt)),
      opt(c.durationMs),
      opt(c.rows),
      opt(c.modelVersion),
    );
  });
}

/** Records (or replaces) a fitted model version of an asset. */
export function recordModelVersion(store: SqliteStore, m: ModelVersionRecord): void {
  transaction(store, `record model version ${m.version} of "${m.asset}" in database`, () => {
    store.db.prepare(
      `INSERT OR REPLACE INTO model_versions (asset, version, signature, created_at, train_rows, train_start,
         train_end, train_hash, manifest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      m.asset,
      m.version,
      opt(m.signature),
      opt(storeTimeText(m.createdAt)),
      opt(m.trainRows),
      opt(storeTimeText(m.trainStart)),
      opt(storeTimeText(m.trainEnd)),
      opt(m.trainHash),
      m.manifest === undefined ? null : JSON.stringify(m.manifest),
    );
  });
}

/** Every row of a store table, ordered by its key (tests, debugging). */
export function dumpTable(store: SqliteStore, table: string): Record<string, unknown>[] {
  const key = TABLE_KEYS[table];
  if (!key) throw new RangeError(`Cannot dump table: "${table}" is not a store table`);
  const rows = store.db.prepare(`SELECT * FROM ${table} ORDER BY ${key}`).all();
  return rows.map((r) => ({ ...r }));
}
