/**
 * Schema of the embedded SQLite store (`<artifact-root>/acm.sqlite`), as ordered
 * migrations. `PRAGMA user_version` holds the applied version; opening a store
 * applies the missing migrations in one transaction each.
 *
 * Scores are one row per asset and timestamp with the fixed columns (fused,
 * alarm, health, regime); head z-scores sit in the long table `head_scores`
 * because the set of heads differs from pipeline to pipeline. Every row written
 * from a chunk names that chunk (head scores through their scores row, which
 * keeps the long table small), so re-writing a chunk deletes and re-inserts
 * exactly its rows. Schema 2 adds the operating status: `scores.envelope` (1 =
 * outside the training envelope) and `scores.transient` (1 = start/stop/ramp
 * transient; both NULL for chunks of pipelines that do not set them),
 * `episodes.kind` ("envelope" for a persistent envelope exit, NULL or "fault"
 * otherwise) and `envelope_exits` (each exit with its start: since-when).
 * Schema 3 stores every timestamp as ISO-8601 UTC with milliseconds and `Z`
 * (core/store/timestamps.ts) and rewrites the timestamps of older stores so.
 */
import { sqlStoreTime } from "./timestamps.ts";

/** Every timestamp column, per table (schema 3 rewrote them to the store format). */
export const TIME_COLUMNS: readonly (readonly [string, readonly string[]])[] = [
  ["runs", ["started_at", "finished_at"]],
  ["chunks", ["first_ts", "last_ts", "started_at", "finished_at"]],
  ["model_versions", ["created_at", "train_start", "train_end"]],
  ["scores", ["ts"]],
  ["head_scores", ["ts"]],
  ["episodes", ["seen_until", "start_ts", "end_ts"]],
  ["envelope_exits", ["start_ts", "seen_until", "end_ts"]],
];

/** One schema step: applying `sql` moves the store from `version - 1` to `version`. */
export interface Migration {
  version: number;
  summary: string;
  sql: string;
}

/** Every migration, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    summary: "runs, chunks, model versions, scores, head scores, episodes, culprits, sensor health",
    sql: `
CREATE TABLE runs (
  run_id TEXT PRIMARY KEY,
  started_at TEXT,
  finished_at TEXT,
  pipeline_file TEXT,
  pipeline_signature TEXT,
  status TEXT,
  manifest TEXT
);
CREATE TABLE chunks (
  asset TEXT NOT NULL,
  chunk TEXT NOT NULL,
  first_ts TEXT,
  last_ts TEXT,
  rows INTEGER,
  model_version INTEGER,
  run_id TEXT,
  content_hash TEXT,
  status TEXT,
  started_at TEXT,
  finished_at TEXT,
  duration_ms REAL,
  PRIMARY KEY (asset, chunk)
);
CREATE TABLE model_versions (
  asset TEXT NOT NULL,
  version INTEGER NOT NULL,
  signature TEXT,
  created_at TEXT,
  train_rows INTEGER,
  train_start TEXT,
  train_end TEXT,
  train_hash TEXT,
  manifest TEXT,
  PRIMARY KEY (asset, version)
);
CREATE TABLE scores (
  asset TEXT NOT NULL,
  ts TEXT NOT NULL,
  chunk TEXT NOT NULL,
  model_version INTEGER,
  fused REAL,
  alarm INTEGER,
  health REAL,
  regime INTEGER,
  regime_unseen INTEGER,
  PRIMARY KEY (asset, ts)
) WITHOUT ROWID;
CREATE INDEX scores_by_chunk ON scores (asset, chunk);
CREATE TABLE head_scores (
  asset TEXT NOT NULL,
  ts TEXT NOT NULL,
  head TEXT NOT NULL,
  z REAL,
  contribution REAL,
  PRIMARY KEY (asset, ts, head)
) WITHOUT ROWID;
CREATE TABLE episodes (
  asset TEXT NOT NULL,
  episode_id INTEGER NOT NULL,
  chunk TEXT NOT NULL,
  seen_until TEXT NOT NULL,
  start_ts TEXT,
  end_ts TEXT,
  duration_s REAL,
  peak_z REAL,
  mean_z REAL,
  severity TEXT,
  detector TEXT,
  regime INTEGER,
  open INTEGER,
  PRIMARY KEY (asset, episode_id)
);
CREATE TABLE episode_culprits (
  asset TEXT NOT NULL,
  episode_id INTEGER NOT NULL,
  rank INTEGER NOT NULL,
  sensor TEXT,
  pct REAL,
  PRIMARY KEY (asset, episode_id, rank)
);
CREATE TABLE sensor_health (
  asset TEXT NOT NULL,
  chunk TEXT NOT NULL,
  sensor TEXT NOT NULL,
  status TEXT,
  reason TEXT,
  PRIMARY KEY (asset, chunk, sensor)
);
CREATE TABLE data_notes (
  asset TEXT NOT NULL,
  chunk TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT,
  message TEXT,
  column_name TEXT,
  count INTEGER,
  line INTEGER,
  PRIMARY KEY (asset, chunk, seq)
);
`,
  },
  {
    version: 2,
    summary:
      "operating status: envelope and transient flags per score row, episode kind, envelope exits",
    sql: `
ALTER TABLE scores ADD COLUMN envelope INTEGER;
ALTER TABLE scores ADD COLUMN transient INTEGER;
ALTER TABLE episodes ADD COLUMN kind TEXT;
CREATE TABLE envelope_exits (
  asset TEXT NOT NULL,
  start_ts TEXT NOT NULL,
  chunk TEXT NOT NULL,
  seen_until TEXT NOT NULL,
  end_ts TEXT,
  shift INTEGER,
  episode_id INTEGER,
  open INTEGER,
  PRIMARY KEY (asset, start_ts)
);
`,
  },
  {
    version: 3,
    summary: "timestamps in ISO-8601 UTC with milliseconds and Z (2020-01-04T08:00:00.000Z)",
    sql: TIME_COLUMNS.flatMap(([table, cols]) =>
      cols.map((c) => `UPDATE ${table} SET ${c} = ${sqlStoreTime(c)} WHERE ${c} <> '';`)
    ).join("\n"),
  },
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Table names and their key columns (for ordered dumps). */
export const TABLE_KEYS: Record<string, string> = {
  runs: "run_id",
  chunks: "asset, chunk",
  model_versions: "asset, version",
  scores: "asset, ts",
  head_scores: "asset, ts, head",
  episodes: "asset, episode_id",
  episode_culprits: "asset, episode_id, rank",
  sensor_health: "asset, chunk, sensor",
  data_notes: "asset, chunk, seq",
  envelope_exits: "asset, start_ts",
};
