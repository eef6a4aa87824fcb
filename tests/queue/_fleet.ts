/** Test helpers: a small demo fleet split into chunks, and the PostgreSQL test URL. */
import { generateFleet, writeFleetCsv } from "../../core/synth/fleet.ts";
import { splitFiles } from "../../core/replay/split.ts";
import postgres from "postgres";

/** The small pipeline these tests use (not default.yaml, whose content other work changes). */
export const QUEUE_PIPELINE = new URL("../fixtures/pipelines/queue.yaml", import.meta.url).pathname;

/** Writes `assets` assets × `days` days at 5 min, split 4 days + 2-day chunks; returns the chunk root. */
export async function demoChunks(
  dir: string,
  opts: { assets?: number; days?: number; seed?: number } = {},
): Promise<string> {
  const fleet = generateFleet({
    assets: opts.assets ?? 3,
    days: opts.days ?? 10,
    seed: opts.seed ?? 7,
  });
  const files = await writeFleetCsv(fleet, `${dir}/data`);
  for (const a of fleet.assets) {
    await splitFiles({
      inputs: [files.csv[a.name]],
      output: `${dir}/chunked/${a.name}`,
      firstChunkDays: 4,
      chunkDays: 2,
    });
  }
  return `${dir}/chunked`;
}

/**
 * The test database: $ACM_TEST_PG_URL (set by .ci/run, or `.ci/postgres.sh start`).
 * Returns null — the caller skips and says why — when unset or unreachable.
 */
export async function testPgUrl(): Promise<string | null> {
  const url = Deno.env.get("ACM_TEST_PG_URL");
  if (!url) {
    console.log(
      "SKIPPED: ACM_TEST_PG_URL is not set (start one: export ACM_TEST_PG_URL=$(.ci/postgres.sh start))",
    );
    return null;
  }
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
    return url;
  } catch (e) {
    console.log(`SKIPPED: PostgreSQL at ACM_TEST_PG_URL is unreachable (${(e as Error).message})`);
    return null;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** A fresh database on the test server (dropped by the returned function). */
export async function freshDatabase(
  url: string,
  name: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const db = `${name}_${Deno.pid}_${Math.floor(Math.random() * 1e6)}`;
  await admin.unsafe(`CREATE DATABASE ${db}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${db}`;
  return {
    url: u.toString(),
    async drop() {
      const a = postgres(url, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await a.end();
    },
  };
}
