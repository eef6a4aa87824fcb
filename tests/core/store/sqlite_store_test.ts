import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import {
  closeStore,
  dumpTable,
  openStore,
  recordChunk,
  recordModelVersion,
  recordRun,
  schemaVersion,
  writeScoredChunk,
} from "../../../core/store/sqlite_store.ts";
import { MIGRATIONS, SCHEMA_VERSION, TABLE_KEYS } from "../../../core/store/schema.ts";
import { OutputError } from "../../../core/io/output_error.ts";
import { makeScoredChunks, tempDir } from "../../_helpers/scored_chunk.ts";

Deno.test("openStore() creates the schema at the current version in WAL mode", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const store = openStore(`${dir}/acm.sqlite`);
    assert.equal(schemaVersion(store), SCHEMA_VERSION);
    const mode = store.db.prepare("PRAGMA journal_mode").get() as { journal_mode: string };
    assert.equal(mode.journal_mode, "wal");
    for (const table of Object.keys(TABLE_KEYS)) assert.deepEqual(dumpTable(store, table), []);
    closeStore(store);
    const again = openStore(`${dir}/acm.sqlite`); // re-open: no migration re-applied
    assert.equal(schemaVersion(again), SCHEMA_VERSION);
    closeStore(again);
  } finally {
    await cleanup();
  }
});

Deno.test("openStore() refuses a store written by a newer schema, naming the file", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const db = new DatabaseSync(`${dir}/acm.sqlite`);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    assert.throws(
      () => openStore(`${dir}/acm.sqlite`),
      (e: unknown) => e instanceof OutputError && e.message.includes("is newer than this acm's"),
    );
  } finally {
    await cleanup();
  }
});

Deno.test("writeScoredChunk() stores rows, head z's, episodes with culprits at full precision", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const store = openStore(`${dir}/acm.sqlite`);
    const chunks = makeScoredChunks({ chunks: 2, rowsPerChunk: 150 });
    for (const c of chunks) writeScoredChunk(store, c);
    const scores = dumpTable(store, "scores");
    assert.equal(scores.length, 300);
    assert.equal(scores[160].ts, "2020-01-04T08:00:00.000Z");
    assert.equal(scores[160].fused, chunks[1].fused[10]);
    assert.equal(scores[160].chunk, "batch_002");
    const heads = store.db.prepare(
      "SELECT z FROM head_scores WHERE asset = ? AND ts = ? AND head = 'pca_spe'",
    ).get("FD_FAN", "2020-01-04T08:00:00.000Z") as { z: number };
    assert.equal(heads.z, chunks[1].heads.pca_spe[10]);
    const episodes = dumpTable(store, "episodes");
    assert.ok(episodes.length >= 1);
    const culprits = dumpTable(store, "episode_culprits").filter((c) => c.episode_id === 1);
    assert.deepEqual(culprits.map((c) => [c.rank, c.pct]), [[1, 55], [2, 30], [3, 15]]);
    assert.equal(dumpTable(store, "sensor_health").length, 14);
    assert.equal(dumpTable(store, "data_notes").length, 2);
    closeStore(store);
  } finally {
    await cleanup();
  }
});

Deno.test("writeScoredChunk() twice, or re-running a chunk, leaves identical tables", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const chunks = makeScoredChunks({
      chunks: 3,
      rowsPerChunk: 100,
      faults: [
        { start: 90, end: 130, sensors: { "DEMO.SIM.FSAA_1FD Fan Air Flow": 1 }, peakZ: 9 },
        { start: 250, end: 280, sensors: { "DEMO.SIM.06I03_1FD Fan Motor Current": 1 }, peakZ: 6 },
      ],
    });
    const dump = (s: ReturnType<typeof openStore>) =>
      Object.fromEntries(Object.keys(TABLE_KEYS).map((t) => [t, dumpTable(s, t)]));
    const a = openStore(`${dir}/a.sqlite`);
    for (const c of chunks) writeScoredChunk(a, c);
    const once = dump(a);
    for (const c of chunks) writeScoredChunk(a, c);
    assert.deepEqual(dump(a), once);
    writeScoredChunk(a, chunks[0]); // resume re-runs an early chunk: the later episode state stays
    assert.deepEqual(dump(a), once);
    const b = openStore(`${dir}/b.sqlite`);
    for (const c of [chunks[2], chunks[0], chunks[1]]) writeScoredChunk(b, c);
    assert.deepEqual(dump(b), once);
    assert.equal(once.episodes.length, 2);
    assert.equal(once.episodes[0].open, 0);
    closeStore(a);
    closeStore(b);
  } finally {
    await cleanup();
  }
});

Deno.test("writeScoredChunk() on a locked database fails clearly and changes nothing", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const path = `${dir}/acm.sqlite`;
    const store = openStore(path, { busyTimeoutMs: 50 });
    const [c1, c2] = makeScoredChunks({ chunks: 2, rowsPerChunk: 50 });
    writeScoredChunk(store, c1);
    const other = new DatabaseSync(path);
    other.exec("BEGIN EXCLUSIVE");
    assert.throws(
      () => writeScoredChunk(store, c2),
      (e: unknown) =>
        e instanceof OutputError && e.path === path &&
        /Cannot write chunk "batch_002" of "FD_FAN" to database ".*acm\.sqlite": the database is locked/
          .test(e.message) &&
        /busy_timeout_ms/.test(e.hint),
    );
    other.exec("ROLLBACK");
    other.close();
    assert.equal(dumpTable(store, "scores").length, 50);
    writeScoredChunk(store, c2); // works once the lock is gone
    assert.equal(dumpTable(store, "scores").length, 100);
    closeStore(store);
  } finally {
    await cleanup();
  }
});

Deno.test("recordRun(), recordChunk(), recordModelVersion() upsert and keep unset fields", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const store = openStore(`${dir}/acm.sqlite`);
    recordRun(store, { runId: "r1", startedAt: "2024-01-01T00:00:00", status: "running" });
    recordRun(store, {
      runId: "r1",
      finishedAt: "2024-01-01T00:05:00",
      status: "ok",
      manifest: { a: 1 },
    });
    assert.deepEqual(dumpTable(store, "runs"), [{
      run_id: "r1",
      started_at: "2024-01-01T00:00:00.000Z",
      finished_at: "2024-01-01T00:05:00.000Z",
      pipeline_file: null,
      pipeline_signature: null,
      status: "ok",
      manifest: '{"a":1}',
    }]);
    const [c] = makeScoredChunks({ chunks: 1, rowsPerChunk: 20 });
    writeScoredChunk(store, c);
    recordChunk(store, {
      asset: "FD_FAN",
      chunk: "batch_001",
      runId: "r1",
      contentHash: "abc",
      status: "done",
    });
    const row = dumpTable(store, "chunks")[0];
    assert.equal(row.rows, 20);
    assert.equal(row.first_ts, "2020-01-01T00:00:00.000Z");
    assert.equal(row.content_hash, "abc");
    recordModelVersion(store, {
      asset: "FD_FAN",
      version: 1,
      signature: "s",
      trainRows: 20,
      manifest: { heads: ["ar1"] },
    });
    assert.equal(dumpTable(store, "model_versions")[0].train_rows, 20);
    closeStore(store);
  } finally {
    await cleanup();
  }
});

Deno.test("writeScoredChunk() stores envelope/transient flags, episode kind and envelope exits (schema 2)", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const store = openStore(`${dir}/acm.sqlite`);
    const [a, b] = makeScoredChunks({ chunks: 2, rowsPerChunk: 50 });
    const n = a.timestamps.length;
    a.envelope = Uint8Array.from({ length: n }, (_, i) => (i >= 40 ? 1 : 0));
    a.transient = Uint8Array.from({ length: n }, (_, i) => (i < 5 ? 1 : 0));
    const exit = { start: a.timestamps[40], end: a.timestamps[n - 1], shift: true, open: true };
    a.envelopeExits = [{ ...exit, episodeId: 9 }];
    a.episodes = [...a.episodes, { ...a.episodes[0], id: 9, kind: "envelope", open: true }];
    writeScoredChunk(store, a);
    // The next chunk closes the exit: the later view wins.
    b.envelopeExits = [{ ...exit, end: b.timestamps[3], episodeId: 9, open: false }];
    writeScoredChunk(store, b);
    const scores = dumpTable(store, "scores");
    assert.deepEqual(scores.slice(0, 6).map((r) => r.transient), [1, 1, 1, 1, 1, 0]);
    assert.deepEqual([scores[39].envelope, scores[40].envelope], [0, 1]);
    assert.equal(scores[60].envelope, null, "a chunk without flags stores NULL");
    const kinds = dumpTable(store, "episodes").map((e) => [e.episode_id, e.kind]);
    assert.ok(kinds.some(([id, kind]) => id === 9 && kind === "envelope"));
    const exits = dumpTable(store, "envelope_exits");
    assert.equal(exits.length, 1);
    assert.deepEqual([exits[0].shift, exits[0].episode_id, exits[0].open, exits[0].chunk], [
      1,
      9,
      0,
      "batch_002",
    ]);
    assert.ok(SCHEMA_VERSION >= 2);
    closeStore(store);
  } finally {
    await cleanup();
  }
});

Deno.test("writeScoredChunk() stores ISO-8601 UTC timestamps with Z that SQLite's datetime() reads as UTC", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const store = openStore(`${dir}/acm.sqlite`);
    const [c] = makeScoredChunks({ chunks: 1, rowsPerChunk: 48 });
    writeScoredChunk(store, c);
    const ts = dumpTable(store, "scores").map((r) => r.ts as string);
    assert.ok(ts.every((t) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(t)), ts[0]);
    const q = (sql: string, ...args: string[]) =>
      store.db.prepare(sql).get(...args) as Record<string, unknown>;
    // datetime() and unixepoch() agree with the epoch ms the chunk carries.
    const first = q("SELECT datetime(ts) AS d, unixepoch(ts) AS s FROM scores ORDER BY ts LIMIT 1");
    assert.equal(first.d, new Date(c.timestamps[0]).toISOString().slice(0, 19).replace("T", " "));
    assert.equal(first.s, c.timestamps[0] / 1000);
    // A window given as datetime() text selects exactly the rows at or after it.
    const from = c.timestamps[10];
    const since = q(
      "SELECT count(*) AS n FROM scores WHERE julianday(ts) >= julianday(?)",
      new Date(from).toISOString().slice(0, 19).replace("T", " "),
    );
    assert.equal(since.n, 38);
    const asText = q(
      "SELECT count(*) AS n FROM scores WHERE ts >= strftime('%Y-%m-%dT%H:%M:%fZ', ?)",
      new Date(from).toISOString(),
    );
    assert.equal(asText.n, 38);
    const episodes = dumpTable(store, "episodes");
    assert.ok(
      episodes.every((e) => String(e.start_ts).endsWith("Z") && String(e.seen_until).endsWith("Z")),
    );
    closeStore(store);
  } finally {
    await cleanup();
  }
});

Deno.test("openStore() migrates a schema-2 store's naive timestamps to ISO-8601 with Z (schema 3)", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const path = `${dir}/acm.sqlite`;
    const db = new DatabaseSync(path);
    for (const m of MIGRATIONS.filter((m) => m.version <= 2)) db.exec(m.sql);
    db.exec("PRAGMA user_version = 2");
    db.exec(`INSERT INTO scores (asset, ts, chunk, fused) VALUES
      ('A', '2020-01-01T00:00:00', 'c1', 1), ('A', '2020-01-01T00:00:00.500', 'c1', 2)`);
    db.exec(
      `INSERT INTO head_scores (asset, ts, head, z) VALUES ('A', '2020-01-01T00:00:00', 'h', 1)`,
    );
    db.exec(`INSERT INTO episodes (asset, episode_id, chunk, seen_until, start_ts, end_ts)
      VALUES ('A', 1, 'c1', '', '2020-01-01T00:00:00', NULL)`);
    db.exec(`INSERT INTO runs (run_id, started_at) VALUES ('r', '2024-05-01T10:00:00.123Z')`);
    db.close();
    const store = openStore(path);
    assert.equal(schemaVersion(store), SCHEMA_VERSION);
    assert.deepEqual(dumpTable(store, "scores").map((r) => r.ts), [
      "2020-01-01T00:00:00.000Z",
      "2020-01-01T00:00:00.500Z",
    ]);
    assert.equal(dumpTable(store, "head_scores")[0].ts, "2020-01-01T00:00:00.000Z");
    const [e] = dumpTable(store, "episodes");
    assert.deepEqual([e.seen_until, e.start_ts, e.end_ts], ["", "2020-01-01T00:00:00.000Z", null]);
    assert.equal(dumpTable(store, "runs")[0].started_at, "2024-05-01T10:00:00.123Z");
    // New rows written after the migration sit in the same format and key space.
    const [c] = makeScoredChunks({ chunks: 1, rowsPerChunk: 5 });
    writeScoredChunk(store, c);
    assert.ok(dumpTable(store, "scores").every((r) => String(r.ts).endsWith("Z")));
    closeStore(store);
  } finally {
    await cleanup();
  }
});

Deno.test("writeScoredChunk() inserts in blocks with row-by-row semantics: of repeated timestamps the later row wins", async () => {
  const [dir, cleanup] = await tempDir();
  try {
    const store = openStore(`${dir}/acm.sqlite`);
    const [c] = makeScoredChunks({ chunks: 1, rowsPerChunk: 200 });
    c.timestamps[100] = c.timestamps[99]; // inside one block of 64
    c.timestamps[128] = c.timestamps[127]; // across two blocks
    writeScoredChunk(store, c);
    const scores = dumpTable(store, "scores");
    assert.equal(scores.length, 198);
    const at = (ms: number) => scores.find((r) => r.ts === new Date(ms).toISOString())!;
    assert.equal(at(c.timestamps[99]).fused, c.fused[100]);
    assert.equal(at(c.timestamps[127]).fused, c.fused[128]);
    assert.equal(at(c.timestamps[199]).fused, c.fused[199]);
    const heads = dumpTable(store, "head_scores").filter((r) => r.head === "pca_spe");
    assert.equal(heads.length, 198);
    closeStore(store);
  } finally {
    await cleanup();
  }
});
