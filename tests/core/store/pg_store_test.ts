/**
 * The PostgreSQL results store against a real server ($ACM_TEST_PG_URL, set by
 * .ci/run): migrations, the COPY write, the exact read-back, idempotent re-writes.
 */
import assert from "node:assert/strict";
import { connectPg } from "../../../core/store/pg_connect.ts";
import { migrate, SCHEMA_VERSION } from "../../../core/store/pg_schema.ts";
import { readChunkResults, writeChunkResults } from "../../../core/store/pg_store.ts";
import { makeScoredChunks } from "../../_helpers/scored_chunk.ts";
import { freshDatabase, testPgUrl } from "../queue/_pg.ts";

const url = await testPgUrl();

Deno.test({
  name: "migrate() creates the schema once, records its version and refuses a newer one",
  ignore: !url,
  async fn() {
    const db = await freshDatabase(url!, "acm_store");
    const sql = connectPg({ url: db.url, max: 2 });
    try {
      assert.deepEqual(await migrate(sql, "acm"), [1]);
      assert.deepEqual(await migrate(sql, "acm"), [], "second run applies nothing");
      const [r] = await sql`SELECT max(version)::int AS v FROM acm.schema_migrations`;
      assert.equal(r.v, SCHEMA_VERSION);
      await sql`INSERT INTO acm.schema_migrations (version, name) VALUES (99, 'future')`;
      await assert.rejects(migrate(sql, "acm"), /version 99, newer than this acm/);
      await assert.rejects(migrate(sql, "Robert'); DROP"), /Cannot use schema/);
    } finally {
      await sql.end();
      await db.drop();
    }
  },
});

Deno.test({
  name:
    "writeChunkResults() loads rows by COPY and readChunkResults() gives the chunk back exactly",
  ignore: !url,
  async fn() {
    const db = await freshDatabase(url!, "acm_store");
    const sql = connectPg({ url: db.url, max: 2 });
    try {
      await migrate(sql, "acm");
      const [chunk] = makeScoredChunks({ asset: "PUMP_A", chunks: 1, rowsPerChunk: 300 });
      const n = chunk.timestamps.length;
      // The optional row fields other stages fill in, and awkward values.
      chunk.envelope = Uint8Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 1 : 0));
      chunk.transient = Uint8Array.from({ length: n }, (_, i) => (i % 11 === 0 ? 1 : 0));
      const heads = Object.keys(chunk.heads);
      chunk.topHead = Int32Array.from(
        { length: n },
        (_, i) => (i % 5 === 0 ? -1 : i % heads.length),
      );
      chunk.signature = {
        sensors: ["A\tB", "C\\D"],
        tests: ["mean_up", "variance_down"],
        sensor: Int32Array.from({ length: n }, (_, i) => (i % 3) - 1),
        test: Int32Array.from({ length: n }, (_, i) => (i % 2 ? 0 : 1)),
      };
      chunk.fused[3] = NaN;
      chunk.fused[4] = 0.1 + 0.2;
      chunk.health[5] = -Infinity;
      await sql.begin((tx) => writeChunkResults(tx, "acm", chunk));
      const back = await readChunkResults(sql, "acm", "PUMP_A", chunk.chunk);
      assert.deepEqual(back.timestamps, chunk.timestamps);
      assert.deepEqual(back.fused, chunk.fused);
      assert.deepEqual(back.health, chunk.health);
      for (const h of heads) assert.deepEqual(back.heads[h], chunk.heads[h], h);
      assert.deepEqual(back.alarm, chunk.alarm);
      assert.deepEqual(back.regime, chunk.regime);
      assert.deepEqual(back.regimeUnseen, chunk.regimeUnseen);
      assert.deepEqual(back.envelope, chunk.envelope);
      assert.deepEqual(back.transient, chunk.transient);
      assert.deepEqual(back.topHead, chunk.topHead);
      assert.deepEqual(back.signature, chunk.signature);
      assert.deepEqual(back.raw.values, chunk.raw.values);
      assert.deepEqual(back.raw.columns, chunk.raw.columns);
      assert.deepEqual(
        JSON.parse(JSON.stringify(back.episodes)),
        JSON.parse(JSON.stringify(chunk.episodes)),
      );
      assert.deepEqual(back.sensorHealth, chunk.sensorHealth);
      const [c] = await sql`SELECT count(*)::int AS n FROM acm.scores`;
      assert.equal(c.n, n);
      const culprits =
        await sql`SELECT count(*)::int AS n FROM acm.scores WHERE culprit = ${"A\tB"}`;
      assert.ok(culprits[0].n > 0, "tab inside a name survives COPY");
    } finally {
      await sql.end();
      await db.drop();
    }
  },
});

Deno.test({
  name: "writeChunkResults() twice leaves the rows of one write (scores, episodes, sensor health)",
  ignore: !url,
  async fn() {
    const db = await freshDatabase(url!, "acm_store");
    const sql = connectPg({ url: db.url, max: 2 });
    try {
      await migrate(sql, "acm");
      const chunks = makeScoredChunks({ asset: "FAN_B", chunks: 3, rowsPerChunk: 200 });
      const counts = async () =>
        (await sql`SELECT (SELECT count(*) FROM acm.scores)::int AS s,
          (SELECT count(*) FROM acm.episodes)::int AS e,
          (SELECT count(*) FROM acm.sensor_health)::int AS h,
          (SELECT count(*) FROM acm.chunks)::int AS c`)[0];
      for (const c of chunks) await sql.begin((tx) => writeChunkResults(tx, "acm", c));
      const once = await counts();
      assert.equal(once.s, 600);
      assert.equal(once.c, 3);
      for (const c of [chunks[1], chunks[2], chunks[1]]) {
        await sql.begin((tx) => writeChunkResults(tx, "acm", c));
      }
      assert.deepEqual(await counts(), once);
      // The head view Grafana reads: one row per (row, head).
      const [v] = await sql`SELECT count(*)::int AS n FROM acm.head_scores`;
      assert.equal(v.n, 600 * Object.keys(chunks[0].heads).length);
    } finally {
      await sql.end();
      await db.drop();
    }
  },
});
