import assert from "node:assert/strict";
import { checkPluginExport, loadPluginModule } from "../../../core/pipeline/plugin_loader.ts";
import single from "../../fixtures/plugins/fixture_single.ts";

const codes = (module: unknown) => {
  const r = checkPluginExport(module, "mem:test");
  return "ok" in r ? [] : r.problems.map((p) => p.code);
};

Deno.test("checkPluginExport() accepts a plugin that follows the contract", () => {
  const r = checkPluginExport({ default: single }, "mem:single");
  assert.ok("ok" in r);
  assert.equal(r.ok.plugin, single);
  assert.deepEqual(r.ok.warnings, []);
  const options = {};
  assert.equal(r.ok.validate(options), true);
  assert.deepEqual(options, { alpha: 0.5 }, "the compiled validator fills defaults");
});

Deno.test("checkPluginExport() names each broken part of the contract", () => {
  assert.deepEqual(codes({}), ["plugin-shape"]);
  assert.deepEqual(codes({ default: 42 }), ["plugin-shape"]);
  assert.deepEqual(codes({ default: { ...single, kind: "widget" } }), ["plugin-shape"]);
  assert.deepEqual(codes({ default: { ...single, version: "1.0" } }), ["plugin-shape"]);
  assert.deepEqual(codes({ default: { ...single, summary: " " } }), ["plugin-shape"]);
  assert.deepEqual(codes({ default: { ...single, create: undefined } }), ["plugin-shape"]);
  assert.deepEqual(codes({ default: { ...single, host_api: "latest" } }), ["plugin-shape"]);
  assert.deepEqual(codes({ default: { ...single, host_api: "^0.9.0" } }), ["plugin-host-api"]);
  const badType = { ...single.options, properties: { alpha: { type: "float" } } };
  assert.deepEqual(codes({ default: { ...single, options: badType } }), ["plugin-schema"]);
  const noExamples = { ...single.options, examples: undefined };
  assert.deepEqual(codes({ default: { ...single, options: noExamples } }), ["plugin-example"]);
  const badExample = { ...single.options, examples: [{ alpha: "x" }, { beta: 1 }] };
  assert.deepEqual(codes({ default: { ...single, options: badExample } }), [
    "plugin-example",
    "plugin-example",
  ]);
});

Deno.test("checkPluginExport() names both versions on a host API mismatch", () => {
  const r = checkPluginExport({ default: { ...single, host_api: "^2.0.0" } }, "mem:future");
  assert.ok("problems" in r);
  assert.match(r.problems[0].message, /"\^2\.0\.0".*host API 1\.0\.0/);
});

Deno.test("checkPluginExport() warns about options without description or default", () => {
  const options = {
    ...single.options,
    properties: { alpha: { type: "number" }, beta: { type: "number", description: "b" } },
    required: ["beta"],
    examples: [{ beta: 1 }],
  };
  const r = checkPluginExport({ default: { ...single, options } }, "mem:warn");
  assert.ok("ok" in r);
  assert.deepEqual(r.ok.warnings.map((w) => w.message.replace(/^.*: /, "")), [
    'option "alpha" has no a description and no a default'.replace(/^.*: /, ""),
  ]);
});

Deno.test("loadPluginModule() imports a specifier once and reports a missing module", async () => {
  let imports = 0;
  const importer = () => {
    imports++;
    return Promise.resolve({ default: single });
  };
  const a = await loadPluginModule("mem:cached", importer);
  const b = await loadPluginModule("mem:cached", importer);
  assert.equal(imports, 1);
  assert.equal(a, b);
  const missing = await loadPluginModule(new URL("./no_such_plugin.ts", import.meta.url).href);
  assert.ok("problems" in missing && missing.problems[0].code === "plugin-load");
});
