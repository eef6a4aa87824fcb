import assert from "node:assert/strict";
import {
  emptyLedger,
  type LedgerEntry,
  LedgerWriter,
  putEntry,
  readLedger,
  resumePoint,
} from "../../../core/replay/ledger.ts";

const entry = (file: string, sha256: string, status: "done" | "failed" = "done"): LedgerEntry => ({
  file,
  sha256,
  bytes: 1,
  rows: 1,
  model_version: 1,
  model_version_after: 1,
  status,
  mode: "score",
  retrain_reason: null,
  state_sha256: null,
  started: "",
  finished: "",
  error: null,
});

Deno.test("readLedger() returns an empty ledger for a missing file", async () => {
  const dir = await Deno.makeTempDir();
  assert.deepEqual(await readLedger(`${dir}/l.json`), emptyLedger());
});

Deno.test("readLedger() rejects torn, foreign and V8 files with the file name and a recovery path", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/l.json`;
  const cases: [string, RegExp][] = [
    ['{"format":"acm-chunk-ledger","version":1,"assets":{"A":{"base_model_ver', /not valid JSON/],
    ['{"FD_FAN": ["FD FAN_batch_1.csv"]}', /ACM V8 progress file/],
    [
      '{"format":"acm-chunk-ledger","version":1,"assets":{"A":{"base_model_version":0,"chunks":[{"file":1}]}}}',
      /chunk #1 is malformed/,
    ],
    ["[]", /top level is not an object/],
  ];
  for (const [text, why] of cases) {
    await Deno.writeTextFile(path, text);
    await assert.rejects(() => readLedger(path), (e: Error) => {
      assert.equal(e.name, "LedgerError");
      assert.match(e.message, why);
      assert.ok(e.message.includes(`"${path}"`));
      assert.match(
        e.message,
        /Nothing was run\. To recover, move it aside and re-run with --resume/,
      );
      return true;
    });
  }
});

Deno.test("LedgerWriter.update() replaces the file atomically and serialises concurrent updates", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/l.json`;
  const w = new LedgerWriter(path, emptyLedger());
  await Promise.all(
    Array.from(
      { length: 30 },
      (_, i) => w.update(() => putEntry(w.asset(i % 2 ? "A" : "B"), entry(`c${i}.csv`, "h"))),
    ),
  );
  const back = await readLedger(path);
  assert.equal(back.assets.A.chunks.length + back.assets.B.chunks.length, 30);
  const leftovers = [];
  for await (const e of Deno.readDir(dir)) leftovers.push(e.name);
  assert.deepEqual(leftovers, ["l.json"]);
});

Deno.test("putEntry() replaces an entry for the same file instead of adding a duplicate", () => {
  const rec = { base_model_version: 0, chunks: [entry("a.csv", "1", "failed")] };
  putEntry(rec, entry("a.csv", "1"));
  assert.deepEqual(rec.chunks.map((e) => e.status), ["done"]);
});

Deno.test("resumePoint() skips the done prefix whose names and hashes match", () => {
  const entries = [
    entry("b1", "h1"),
    entry("b2", "h2"),
    entry("b3", "h3", "failed"),
    entry("b4", "h4"),
  ];
  const chunks = [{ name: "b1", sha256: "h1" }, { name: "b2", sha256: "h2" }, {
    name: "b3",
    sha256: "h3",
  }, { name: "b4", sha256: "h4" }];
  assert.deepEqual(resumePoint(entries, chunks), { skip: 2, changed: [] });
  const changed = [{ name: "b1", sha256: "h1" }, { name: "b2", sha256: "XX" }, ...chunks.slice(2)];
  assert.deepEqual(resumePoint(entries, changed), { skip: 1, changed: ["b2"] });
  const inserted = [{ name: "b0", sha256: "h0" }, ...chunks];
  assert.deepEqual(resumePoint(entries, inserted), { skip: 0, changed: [] });
});
