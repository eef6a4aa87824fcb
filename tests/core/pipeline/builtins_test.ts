import assert from "node:assert/strict";
import { loadBuiltinPlugins } from "../../../core/pipeline/builtins.ts";
import { builtinNames, BUILTINS, findBuiltin } from "../../../plugins/registry.ts";

Deno.test("loadBuiltinPlugins() loads every registry entry as the plugin it is registered as", async () => {
  const { plugins, failures } = await loadBuiltinPlugins();
  assert.deepEqual(failures.map((f) => `${f.kind}/${f.name}: ${f.problems[0].message}`), []);
  assert.deepEqual(
    plugins.map((p) => `${p.kind}/${p.name}`),
    BUILTINS.map((b) => `${b.kind}/${b.name}`),
  );
});

Deno.test("the registry holds the V8 set and the condition model under absolute specifiers", () => {
  assert.deepEqual(builtinNames("detector"), [
    "ar1",
    "pca",
    "mahalanobis",
    "isolation_forest",
    "gmm",
    "omr",
    "condition",
  ]);
  assert.deepEqual(builtinNames("fusion"), ["weighted_mean", "max_z"]);
  assert.deepEqual(builtinNames("sink"), [
    "csv",
    "jsonl",
    "sqlite",
    "postgres",
    "report",
    "webhook",
  ]);
  const csv = findBuiltin("source", "csv")!;
  assert.equal(csv.specifier, new URL("../../../plugins/sources/csv.ts", import.meta.url).href);
  assert.equal(findBuiltin("detector", "csv"), undefined);
});
