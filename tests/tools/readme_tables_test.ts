import { ok, strictEqual } from "node:assert/strict";
import { pluginTable, withPluginTable } from "../../tools/readme_tables.ts";
import { BUILTINS } from "../../plugins/registry.ts";

Deno.test("pluginTable() lists every built-in plugin with its version and options", async () => {
  const table = await pluginTable();
  for (const b of BUILTINS) {
    ok(table.includes(`| ${b.kind} | \`${b.name}\` |`), `${b.kind} ${b.name} listed`);
  }
});

Deno.test("README.md carries the current plugin table (run tools/readme_tables.ts when it fails)", async () => {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  strictEqual(await withPluginTable(readme), readme);
});
