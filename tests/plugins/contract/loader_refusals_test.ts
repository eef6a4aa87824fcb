/**
 * A third-party plugin that breaks the contract is refused when the pipeline is
 * loaded, with a diagnostic positioned at the node (or `plugins` map entry) that
 * names it: host API mismatch (both versions in the message), malformed default
 * export, options schema that does not compile, examples that do not validate,
 * a module that does not import. All are found in one pass.
 */
import assert from "node:assert/strict";
import { formatDiagnostic } from "../../../core/errors.ts";
import { HOST_API_VERSION } from "../../../core/plugin.ts";
import { loadPipeline, validatePipelineFile } from "../../../core/pipeline/load.ts";

const GOOD = `export default {
  kind: "detector",
  name: "NAME",
  version: "1.0.0",
  summary: "A detector for the loader tests.",
  host_api: "^1.0.0",
  options: {
    type: "object",
    additionalProperties: false,
    properties: { gain: { type: "number", minimum: 0, description: "Gain.", default: 1 } },
    examples: [{ gain: 2 }],
  },
  create: () => ({
    outputs: [""],
    fit() {},
    score: (f) => ({ outputs: { "": new Float64Array(f.rows) } }),
    save: () => ({ plugin: "NAME", version: "1.0.0", data: null }),
    load() {},
  }),
};
`;

const VARIANTS: Record<string, string> = {
  good: GOOD,
  future: GOOD.replace('host_api: "^1.0.0"', 'host_api: "^2.0.0"'),
  shapeless: "export const detector = { kind: 'detector' };\n",
  misshapen: GOOD.replace('version: "1.0.0",\n', 'version: "v1",\n').replace("create:", "make:"),
  uncompilable: GOOD.replace('gain: { type: "number"', 'gain: { type: "float"'),
  bad_example: GOOD.replace("examples: [{ gain: 2 }]", 'examples: [{ gain: -1 }, { gain: "x" }]'),
  broken_syntax: "export default {\n",
};

const PIPELINE = `version: 1
name: refusals
plugins:
${Object.keys(VARIANTS).map((k) => `  ${k}: ./${k}.ts`).join("\n")}
  unused_future: ./future.ts
source: { id: raw, plugin: csv }
detectors:
  - { id: ok, plugin: good, inputs: [raw] }
  - { id: fut, plugin: future, inputs: [raw] }
  - { id: shp, plugin: shapeless, inputs: [raw] }
  - { id: mis, plugin: misshapen, inputs: [raw] }
  - { id: unc, plugin: uncompilable, inputs: [raw] }
  - { id: bex, plugin: bad_example, inputs: [raw] }
  - { id: syn, plugin: broken_syntax, inputs: [raw] }
fusion: { id: fused, plugin: weighted_mean, inputs: [ok] }
sinks: [{ id: csv, plugin: csv }]
`;

async function fixture(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "acm_refuse_" });
  for (const [name, text] of Object.entries(VARIANTS)) {
    await Deno.writeTextFile(`${dir}/${name}.ts`, text.replaceAll("NAME", name));
  }
  await Deno.writeTextFile(`${dir}/pipeline.yaml`, PIPELINE);
  return `${dir}/pipeline.yaml`;
}

Deno.test("validatePipelineFile() refuses each broken plugin at its node's line and column, in one pass", async () => {
  const file = await fixture();
  const { pipeline, diagnostics } = await validatePipelineFile(file);
  assert.equal(pipeline, undefined);
  const errors = diagnostics.filter((d) => d.severity === "error");
  const got = errors.map((d) => `${d.code} ${d.line}:${d.column} ${d.node ?? d.plugin}`);
  // Node `plugin:` values sit at column 24 of lines 14–20; the unused map entry's value at 11:18.
  assert.deepEqual(
    got.sort(),
    [
      "plugin-example 19:24 bex",
      "plugin-example 19:24 bex",
      "plugin-host-api 11:18 unused_future",
      "plugin-host-api 15:24 fut",
      "plugin-load 20:24 syn",
      "plugin-schema 18:24 unc",
      "plugin-shape 16:24 shp",
      "plugin-shape 17:24 mis",
      "plugin-shape 17:24 mis",
    ].sort(),
  );
  for (const d of errors) assert.equal(d.file, file);
});

Deno.test("a host API mismatch names both the plugin's range and the host's version", async () => {
  const { diagnostics } = await validatePipelineFile(await fixture());
  const d = diagnostics.find((x) => x.code === "plugin-host-api" && x.node === "fut")!;
  assert.ok(
    d.message.includes('"^2.0.0"') && d.message.includes(`host API ${HOST_API_VERSION}`),
    d.message,
  );
  assert.match(d.hint!, /\^1\.0\.0/);
  assert.match(
    formatDiagnostic(d),
    /pipeline\.yaml:15:24: error\[plugin-host-api\] .* \[node "fut", plugin "future"\]/,
  );
});

Deno.test("the refusals say what is wrong: the missing default export, the bad fields, the schema and example errors", async () => {
  const { diagnostics } = await validatePipelineFile(await fixture());
  const of = (node: string) =>
    diagnostics.filter((d) => d.node === node).map((d) => d.message).join("\n");
  assert.match(of("shp"), /has no default-exported plugin object/);
  assert.match(of("mis"), /version is "v1"/);
  assert.match(of("mis"), /create is undefined, not a function/);
  assert.match(of("unc"), /options schema does not compile: .*properties\/gain\/type/);
  assert.match(of("bex"), /options example 0 does not validate/);
  assert.match(of("bex"), /options example 1 does not validate/);
  assert.match(of("syn"), /Cannot load plugin module ".*broken_syntax\.ts"/);
});

Deno.test("loadPipeline() throws a PipelineError carrying the refusals; a good plugin alone loads", async () => {
  const file = await fixture();
  await assert.rejects(() => loadPipeline(file), (e: Error & { diagnostics?: unknown[] }) => {
    assert.equal(e.name, "PipelineError");
    assert.ok((e.diagnostics?.length ?? 0) >= 8);
    return true;
  });
  const dir = file.slice(0, file.lastIndexOf("/"));
  await Deno.writeTextFile(
    `${dir}/ok.yaml`,
    "version: 1\nname: ok\nplugins: { good: ./good.ts }\nsource: { id: raw, plugin: csv }\n" +
      "detectors: [{ id: g, plugin: good, inputs: [raw], gain: 3 }]\n" +
      "fusion: { id: fused, plugin: weighted_mean, inputs: [g] }\nsinks: [{ id: csv, plugin: csv }]\n",
  );
  const p = await loadPipeline(`${dir}/ok.yaml`);
  assert.equal(p.detectors[0].pluginName, "good");
  assert.deepEqual(p.detectors[0].options, { gain: 3 });
  assert.ok(p.detectors[0].specifier.endsWith("/good.ts"));
});
