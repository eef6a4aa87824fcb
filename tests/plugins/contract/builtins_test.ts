/**
 * The plugin contract suite over every plugin of the built-in registry (all
 * five kinds) and over the example third-party plugins in examples/plugins/.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { BUILTINS } from "../../../plugins/registry.ts";
import { writeCsvChunk } from "../../../core/io/csv_outputs.ts";
import { type ContractOptions, runContractSuite } from "./contract_suite.ts";

/** Per-plugin knobs: the report sink renders what the csv sink wrote. */
const KNOBS: Record<string, ContractOptions> = {
  "sink/report": { beforeSinkWrite: (dir, chunk) => writeCsvChunk(dir, chunk) },
  // Writes to a database server, not under the artifact root: its write/rewrite contract
  // runs against a real PostgreSQL in tests/plugins/sinks/postgres_test.ts.
  "sink/postgres": { optionSets: [] },
  // Nothing listens on port 9: every event goes to the dead-letter file (which carries times).
  "sink/webhook": {
    optionSets: [{ url: "http://127.0.0.1:9/hook", max_attempts: 1, backoff_ms: 0 }],
    volatileFiles: /webhook_dead_letter\.jsonl$/,
  },
};

const modules = await Promise.all(BUILTINS.map((b) => b.load() as Promise<{ default: unknown }>));
BUILTINS.forEach((b, i) => runContractSuite(modules[i].default, KNOBS[`${b.kind}/${b.name}`]));

Deno.test("the contract suite covers every kind of the registry", () => {
  assert.deepEqual(
    [...new Set(BUILTINS.map((b) => b.kind))].sort(),
    ["detector", "feature", "fusion", "sink", "source"],
  );
});

const EXAMPLES = new URL("../../../examples/plugins/", import.meta.url);
const examples = [...Deno.readDirSync(EXAMPLES)].filter((e) => e.isFile && e.name.endsWith(".ts"))
  .map((e) => e.name).sort();
for (const name of examples) {
  const mod = await import(new URL(name, EXAMPLES).href);
  // escape.ts reads its `path` option while fitting: point it at its own module, not /etc/passwd.
  const opts: ContractOptions = name === "escape.ts"
    ? { optionSets: [{ path: fileURLToPath(new URL(name, EXAMPLES)) }] }
    : {};
  runContractSuite(mod.default, { label: `example ${name}`, ...opts });
}

Deno.test("the contract suite runs over the example plugins", () => {
  assert.ok(examples.includes("cusum.ts") && examples.includes("escape.ts"), examples.join(", "));
});
