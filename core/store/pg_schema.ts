/**
 * The PostgreSQL results store's schema, as numbered migrations applied in
 * order inside one transaction each and recorded in `<schema>.schema_migrations`
 * (an advisory lock keeps concurrent workers from migrating twice). Every
 * timestamp is `timestamptz` (UTC). docs/store.md describes the tables.
 */
import type { Sql } from "./pg_connect.ts";

/** One schema step; never edit a released step, add the next one. */
export interface Migration {
  version: number;
  name: string;
  /** SQL with `{s}` standing for the schema name. */
  sql: string;
}

/** The migrations, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "results store: runs, assets, chunks, scores, episodes, sensor health, model versions",
    sql: `
CREATE TABLE {s}.runs (
  run_id text PRIMARY KEY,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  pipeline_file text NOT NULL,
  pipeline_name text NOT NULL,
  signature text NOT NULL,
  status text NOT NULL,
  kind text NOT NULL DEFAULT 'local',
  chunk_root text,
  document json,
  manifest json
);
CREATE TABLE {s}.assets (
  asset text PRIMARY KEY,
  run_id text REFERENCES {s}.runs (run_id),
  next_chunk integer NOT NULL DEFAULT 0,
  chunks integer NOT NULL DEFAULT 0,
  status text NOT NULL DEFAULT 'pending',
  base_model_version integer NOT NULL DEFAULT 0,
  error text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE {s}.chunks (
  asset text NOT NULL,
  chunk text NOT NULL,
  idx integer NOT NULL,
  run_id text,
  path text,
  sha256 text NOT NULL,
  bytes bigint NOT NULL DEFAULT 0,
  rows integer NOT NULL DEFAULT 0,
  status text NOT NULL,
  mode text,
  retrain_reason text,
  model_version integer,
  model_version_after integer,
  state_sha256 text,
  state bytea,
  attempts integer NOT NULL DEFAULT 0,
  started_at timestamptz,
  finished_at timestamptz,
  first_ts timestamptz,
  last_ts timestamptz,
  heads text[],
  sensors text[],
  meta json,
  error text,
  PRIMARY KEY (asset, chunk)
);
CREATE INDEX chunks_asset_idx ON {s}.chunks (asset, idx);
CREATE TABLE {s}.scores (
  asset text NOT NULL,
  chunk text NOT NULL,
  row integer NOT NULL,
  ts timestamptz NOT NULL,
  model_version integer NOT NULL,
  fused double precision,
  alarm smallint NOT NULL,
  health double precision,
  regime integer NOT NULL,
  regime_unseen smallint NOT NULL,
  envelope smallint,
  transient smallint,
  top_head text,
  culprit text,
  signature text,
  heads double precision[] NOT NULL,
  sensors double precision[],
  PRIMARY KEY (asset, chunk, row)
);
CREATE INDEX scores_asset_ts_idx ON {s}.scores (asset, ts);
CREATE TABLE {s}.episodes (
  asset text NOT NULL,
  episode_id integer NOT NULL,
  chunk text NOT NULL,
  start_ts timestamptz NOT NULL,
  end_ts timestamptz NOT NULL,
  duration_s double precision,
  peak_z double precision,
  mean_z double precision,
  severity text NOT NULL,
  detector text NOT NULL,
  top_culprit text,
  culprits json NOT NULL,
  regime integer NOT NULL,
  open boolean NOT NULL,
  PRIMARY KEY (asset, episode_id)
);
CREATE INDEX episodes_start_idx ON {s}.episodes (start_ts);
CREATE TABLE {s}.sensor_health (
  asset text NOT NULL,
  chunk text NOT NULL,
  sensor text NOT NULL,
  status text NOT NULL,
  reason text,
  PRIMARY KEY (asset, chunk, sensor)
);
CREATE TABLE {s}.model_versions (
  asset text NOT NULL,
  version integer NOT NULL,
  sha256 text NOT NULL,
  bytes integer NOT NULL,
  signature text NOT NULL,
  reason text NOT NULL,
  chunk text NOT NULL,
  created_at timestamptz NOT NULL,
  train_rows integer NOT NULL,
  train_start timestamptz,
  train_end timestamptz,
  manifest json NOT NULL,
  state bytea,
  PRIMARY KEY (asset, version)
);
CREATE VIEW {s}.head_scores AS
  SELECT s.asset, s.ts, h.head, s.heads[h.i] AS z
  FROM {s}.scores s
  JOIN {s}.chunks c ON c.asset = s.asset AND c.chunk = s.chunk
  CROSS JOIN LATERAL unnest(c.heads) WITH ORDINALITY AS h(head, i);
`,
  },
];

/** Latest schema version this build knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** A valid unquoted schema name (the name is spliced into SQL). */
export function checkSchemaName(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(
      `Cannot use schema "${name}": use lower-case letters, digits and _ (e.g. "acm")`,
    );
  }
  return name;
}

/** Applies the missing migrations; returns the versions applied now. */
export async function migrate(sql: Sql, schema: string): Promise<number[]> {
  const s = checkSchemaName(schema);
  return await sql.begin(async (tx) => {
    // One migrator at a time across processes (key: hash of the schema name).
    await tx`SELECT pg_advisory_xact_lock(hashtext(${"acm-migrate:" + s}))`;
    await tx.unsafe(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await tx.unsafe(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const rows = await tx.unsafe(`SELECT version FROM ${s}.schema_migrations`);
    const have = new Set(rows.map((r) => Number(r.version)));
    const newer = [...have].filter((v) => v > SCHEMA_VERSION);
    if (newer.length) {
      throw new Error(
        `Cannot use schema "${s}": it is at version ${Math.max(...newer)}, newer than this ` +
          `acm (${SCHEMA_VERSION}); upgrade acm`,
      );
    }
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (have.has(m.version)) continue;
      await tx.unsafe(m.sql.replaceAll("{s}", s));
      await tx.unsafe(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [
        m.version,
        m.name,
      ]);
      applied.push(m.version);
    }
    return applied;
  });
}
