import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  checkPluginImports,
  importSpecifiers,
  scanImportGraph,
} from "../../../core/pipeline/import_graph.ts";
import { indexPositions, parseYamlSource } from "../../../core/pipeline/yaml_source.ts";

const PLUGINS = new URL("../../fixtures/plugins/", import.meta.url);
const real = (rel: string) => Deno.realPathSync(fileURLToPath(new URL(rel, PLUGINS)));

Deno.test("importSpecifiers() finds static, re-export, side-effect and literal dynamic imports, not type-only ones or comments", () => {
  const source = [
    `import { a } from "./a.ts";`,
    `import b, { type C } from './b.ts';`,
    `import type { D } from "./d.ts";`,
    `export type { E } from "./e.ts";`,
    `export * from "./f.ts";`,
    `import "./g.ts";`,
    `// import "./commented.ts";`,
    `/* import { x } from "./block.ts"; */`,
    `const s = "import './in_string.ts'";`,
    `const m = await import("./h.ts");`,
    `const n = await import(name);`,
    `export default { url: "https://not.an.import/" };`,
  ].join("\n");
  assert.deepEqual(importSpecifiers(source), ["./a.ts", "./b.ts", "./f.ts", "./g.ts", "./h.ts"]);
});

Deno.test("scanImportGraph() lists a plugin's own helper file and reports nothing for host imports", async () => {
  const g = await scanImportGraph(new URL("with_helper/detector.ts", PLUGINS).href);
  assert.deepEqual(g.files, [real("with_helper/detector.ts"), real("with_helper/helper.ts")]);
  assert.equal(g.root, real("with_helper"));
  assert.deepEqual(g.problems, []);
});

Deno.test("scanImportGraph() reports a file outside the plugin's folder with a hint", async () => {
  const g = await scanImportGraph(new URL("outside_import/detector.ts", PLUGINS).href);
  assert.deepEqual(g.files, [real("outside_import/detector.ts")]);
  assert.deepEqual(g.problems.map((p) => p.specifier), ["../with_helper/helper.ts"]);
  assert.match(g.problems[0].message, /outside the plugin's folder .*outside_import/);
  assert.match(g.problems[0].hint, /move \.\.\/with_helper\/helper\.ts into .*outside_import/);
});

Deno.test("scanImportGraph() follows a plugin's subfolders and reports remote, jsr and missing imports", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "acm_graph_" }));
  await Deno.mkdir(`${dir}/lib`);
  await Deno.writeTextFile(`${dir}/p.ts`, `import "./lib/a.ts";\nimport "jsr:@std/path";\n`);
  await Deno.writeTextFile(
    `${dir}/lib/a.ts`,
    `export * from "https://example.com/x.ts";\nimport "./gone.ts";\nimport "../p.ts";\n`,
  );
  const g = await scanImportGraph(`file://${dir}/p.ts`);
  assert.deepEqual(g.files, [`${dir}/p.ts`, `${dir}/lib/a.ts`]);
  assert.deepEqual(g.problems.map((p) => [p.specifier, p.from]), [
    ["jsr:@std/path", `${dir}/p.ts`],
    ["https://example.com/x.ts", `${dir}/lib/a.ts`],
    ["./gone.ts", `${dir}/lib/a.ts`],
  ]);
  assert.match(
    g.problems[0].message,
    /remote module "jsr:@std\/path", which the replay sandbox refuses/,
  );
  assert.match(g.problems[1].hint, /copy the module into .*acm_graph_/);
  assert.match(g.problems[2].message, /does not exist/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("checkPluginImports() positions each refused import at the pipeline's plugins entry", async () => {
  const yaml = "version: 1\nplugins:\n  outside: ./x.ts\n";
  const positions = indexPositions(parseYamlSource(yaml, "/p.yaml"), "/p.yaml");
  const d = await checkPluginImports(
    "outside",
    new URL("outside_import/detector.ts", PLUGINS).href,
    positions,
  );
  assert.equal(d.length, 1);
  assert.deepEqual([d[0].file, d[0].line, d[0].column, d[0].pointer], [
    "/p.yaml",
    3,
    12,
    "/plugins/outside",
  ]);
  assert.match(
    d[0].message,
    /Plugin "outside" cannot run in replay: .*"\.\.\/with_helper\/helper\.ts"/,
  );
});
