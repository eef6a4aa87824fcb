import assert from "node:assert/strict";
import {
  childPointer,
  indexPositions,
  parseYamlSource,
  splitPointer,
} from "../../../core/pipeline/yaml_source.ts";
import { moduleSpecifier } from "../../../core/pipeline/plugin_ref.ts";

const TEXT = `# comment
name: demo
detectors:
  - id: pca
    inputs: [roll, "raw"]
  - &base { id: ar1 }
fusion:
weird/key~x: 1
`;

Deno.test("indexPositions() maps JSON pointers of values and keys to line:column", () => {
  const source = parseYamlSource(TEXT, "p.yaml");
  assert.deepEqual(source.diagnostics, []);
  const map = indexPositions(source, "p.yaml");
  const at = (p: string) => `${map.at(p).line}:${map.at(p).column}`;
  const key = (p: string) => `${map.keyAt(p).line}:${map.keyAt(p).column}`;
  assert.equal(at("/name"), "2:7");
  assert.equal(key("/name"), "2:1");
  assert.equal(at("/detectors/0"), "4:5");
  assert.equal(at("/detectors/0/inputs/1"), "5:20");
  assert.equal(at("/detectors/1/id"), "6:17");
  assert.equal(at("/fusion"), "7:1", "a key without a value points at the key");
  assert.equal(at("/weird~1key~0x"), "8:14");
  assert.equal(
    at("/detectors/0/n_components"),
    "4:5",
    "absent pointers fall back to the nearest ancestor",
  );
  assert.equal(map.at("/detectors/0/n_components").pointer, "/detectors/0/n_components");
});

Deno.test("splitPointer() and childPointer() escape ~ and / (RFC 6901)", () => {
  assert.equal(childPointer(childPointer("", "a/b"), "c~d"), "/a~1b/c~0d");
  assert.deepEqual(splitPointer("/a~1b/c~0d/0"), ["a/b", "c~d", "0"]);
  assert.deepEqual(splitPointer(""), []);
});

Deno.test("parseYamlSource() positions syntax errors and duplicate keys", () => {
  const dup = parseYamlSource("a: 1\nb:\n  c: 1\n  c: 2\n", "d.yaml");
  assert.deepEqual(dup.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`), [
    "yaml-duplicate-key 4:3",
  ]);
  assert.match(dup.diagnostics[0].message, /"c" appears twice/);
  const bad = parseYamlSource("a: [1, 2\nb: 3\n", "s.yaml");
  assert.equal(bad.diagnostics[0].code, "yaml-syntax");
  assert.equal(bad.diagnostics[0].file, "s.yaml");
});

Deno.test("moduleSpecifier() resolves plugin paths against the pipeline file and refuses other schemes", () => {
  assert.equal(moduleSpecifier("./p/x.ts", "/work/pipes/a.yaml"), "file:///work/pipes/p/x.ts");
  assert.equal(moduleSpecifier("../x.ts", "/work/pipes/a.yaml"), "file:///work/x.ts");
  assert.equal(moduleSpecifier("/abs/x.ts", "/work/pipes/a.yaml"), "file:///abs/x.ts");
  assert.equal(moduleSpecifier("file:///y.ts", "/work/a.yaml"), "file:///y.ts");
  assert.equal(moduleSpecifier("npm:acm-cusum@1", "/work/a.yaml"), "npm:acm-cusum@1");
  assert.equal(moduleSpecifier("https://example.com/x.ts", "/work/a.yaml"), undefined);
});
