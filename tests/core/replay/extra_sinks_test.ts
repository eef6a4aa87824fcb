import assert from "node:assert/strict";
import { checkSinkNames, SinkNameError, withSinks } from "../../../core/replay/extra_sinks.ts";

Deno.test("withSinks() adds named built-in sinks with default options, keeps present ones and puts csv before report", () => {
  const doc = { name: "p", sinks: [{ id: "report", plugin: "report", top_episodes: 5 }] };
  const r = withSinks(doc, ["jsonl", "report", "csv", "jsonl"]);
  assert.deepEqual(r.added, ["jsonl", "csv"]);
  assert.deepEqual(r.present, ["report"]);
  assert.deepEqual(r.document.sinks, [
    { id: "csv", plugin: "csv" },
    { id: "report", plugin: "report", top_episodes: 5 },
    { id: "jsonl", plugin: "jsonl" },
  ]);
  assert.deepEqual(doc.sinks.length, 1, "the input document is not changed");
  // A node id already taken by another plugin gets a suffix.
  const taken = withSinks({ sinks: [{ id: "sqlite", plugin: "postgres" }] }, ["sqlite"]);
  assert.deepEqual(taken.document.sinks, [
    { id: "sqlite", plugin: "postgres" },
    { id: "sqlite_2", plugin: "sqlite" },
  ]);
  assert.deepEqual(withSinks({}, ["sqlite"]).document.sinks, [{ id: "sqlite", plugin: "sqlite" }]);
});

Deno.test("checkSinkNames() refuses a name --sink cannot add, listing the ones it can", () => {
  checkSinkNames(["csv", "jsonl", "sqlite", "report"]);
  assert.throws(
    () => checkSinkNames(["csv", "webhook"]),
    (e: Error) =>
      e instanceof SinkNameError &&
      /Cannot add sink "webhook": --sink takes one of csv, jsonl, sqlite, report/.test(e.message),
  );
  assert.throws(() => withSinks({}, ["parquet"]), SinkNameError);
});
