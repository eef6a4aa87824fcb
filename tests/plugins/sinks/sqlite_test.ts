import assert from "node:assert/strict";
import sqliteSink, { storePath } from "../../../plugins/sinks/sqlite.ts";
import { closeStore, dumpTable, openStore } from "../../../core/store/sqlite_store.ts";
import { TABLE_KEYS } from "../../../core/store/schema.ts";
import { makeScoredChunks, sinkContext, tempDir } from "../../_helpers/scored_chunk.ts";

Deno.test("storePath() defaults to <artifact-root>/acm.sqlite and resolves relative paths", () => {
  assert.equal(storePath("", "/art"), "/art/acm.sqlite");
  assert.equal(storePath("db/x.sqlite", "/art"), "/art/db/x.sqlite");
  assert.equal(storePath("/abs/x.sqlite", "/art"), "/abs/x.sqlite");
});

Deno.test("sqlite sink: a replayed fleet written twice leaves identical rows", async () => {
  const [root, cleanup] = await tempDir();
  try {
    const fleet = [
      makeScoredChunks({ asset: "FD_FAN", chunks: 3, rowsPerChunk: 90, seed: 1 }),
      makeScoredChunks({ asset: "GAS_TURBINE", chunks: 2, rowsPerChunk: 120, seed: 2 }),
    ];
    const replay = async () => {
      const sink = sqliteSink.create({ path: "", busy_timeout_ms: 1000 }, sinkContext("sqlite"));
      for (const chunks of fleet) {
        const asset = chunks[0].asset;
        await sink.open?.({ asset, assetDir: `${root}/${asset}`, artifactRoot: root });
        for (const c of chunks) await sink.write(c);
      }
      await sink.close?.();
      const store = openStore(`${root}/acm.sqlite`);
      const dump = Object.fromEntries(Object.keys(TABLE_KEYS).map((t) => [t, dumpTable(store, t)]));
      closeStore(store);
      return dump;
    };
    const first = await replay();
    assert.equal(first.scores.length, 3 * 90 + 2 * 120);
    assert.equal(first.head_scores.length, 5 * (3 * 90 + 2 * 120));
    assert.deepEqual(await replay(), first);
  } finally {
    await cleanup();
  }
});

Deno.test("sqlite sink: a malformed store file names the file and the exact recovery command", async () => {
  const [root, cleanup] = await tempDir();
  try {
    const file = `${root}/acm.sqlite`;
    const header = new TextEncoder().encode("SQLite format 3\0");
    const cases: [string, Uint8Array][] = [
      ["random bytes", crypto.getRandomValues(new Uint8Array(4096))],
      ["a SQLite header and zeros", new Uint8Array([...header, ...new Uint8Array(8192)])],
      ["a CSV file", new TextEncoder().encode("timestamp,a\n2024-01-01,1\n")],
    ];
    for (const [what, bytes] of cases) {
      await Deno.writeFile(file, bytes);
      const sink = sqliteSink.create({ path: "", busy_timeout_ms: 1000 }, sinkContext("sqlite"));
      const err = await Promise.resolve()
        .then(() => sink.open?.({ asset: "", assetDir: root, artifactRoot: root }))
        .then(() => null, (e: Error) => e);
      assert.ok(err, `${what}: open() must fail`);
      assert.match(
        err.message,
        /Cannot open database ".*acm\.sqlite": the file is not a readable SQLite database/,
        what,
      );
      assert.ok(err.message.includes(`mv '${file}' '${file}.corrupt'`), err.message);
      assert.match(err.message, /re-run the same acm replay command without --resume/);
      // The command works: after it a new store opens.
      await Deno.rename(file, `${file}.corrupt`);
      await sink.open?.({ asset: "", assetDir: root, artifactRoot: root });
      await sink.close?.();
      await Deno.remove(file);
    }
  } finally {
    await cleanup();
  }
});
