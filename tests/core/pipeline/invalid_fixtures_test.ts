/**
 * Table-driven check of the invalid-pipeline fixtures: each file states the
 * diagnostics it must produce (`# expect: code line:col`), plus optional
 * `# set: key=value` overrides and `# env: NAME=value` variables (`\n` = newline).
 * A fixture must produce exactly its expected errors, no more and no fewer.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { CODES } from "../../../core/errors.ts";
import { validatePipelineFile } from "../../../core/pipeline/load.ts";

const DIR = fileURLToPath(new URL("../../fixtures/pipelines/invalid/", import.meta.url));

interface Fixture {
  name: string;
  path: string;
  expect: string[];
  overrides: string[];
  env: Record<string, string>;
}

function readFixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const entry of Deno.readDirSync(DIR)) {
    if (!entry.name.endsWith(".yaml")) continue;
    const path = DIR + entry.name;
    const fixture: Fixture = { name: entry.name, path, expect: [], overrides: [], env: {} };
    for (const line of Deno.readTextFileSync(path).split("\n")) {
      let m = /^# expect: ([a-z-]+) (\d+:\d+)$/.exec(line);
      if (m) fixture.expect.push(`${m[1]} ${m[2]}`);
      m = /^# set: (.+)$/.exec(line);
      if (m) fixture.overrides.push(m[1]);
      m = /^# env: (\w+)=(.*)$/.exec(line);
      if (m) fixture.env[m[1]] = m[2].replaceAll("\\n", "\n");
    }
    out.push(fixture);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

const fixtures = readFixtures();

Deno.test("invalid fixtures cover at least 16 cases and every expectation names a known code", () => {
  assert.ok(fixtures.length >= 16, `only ${fixtures.length} fixtures`);
  for (const f of fixtures) {
    assert.ok(f.expect.length > 0, `${f.name} states no expectation`);
    for (const e of f.expect) assert.ok(e.split(" ")[0] in CODES, `${f.name}: ${e}`);
  }
  const codes = new Set(fixtures.flatMap((f) => f.expect.map((e) => e.split(" ")[0])));
  for (
    const code of [
      "unknown-key",
      "wrong-type",
      "unknown-plugin",
      "dangling-input",
      "duplicate-id",
      "cycle",
      "env-undefined",
      "env-newline",
      "override-path",
      "override-type",
      "yaml-syntax",
      "yaml-duplicate-key",
      "plugin-host-api",
      "plugin-shape",
      "plugin-example",
    ]
  ) assert.ok(codes.has(code), `no fixture expects ${code}`);
});

for (const f of fixtures) {
  Deno.test(`validatePipelineFile() reports exactly the expected errors of ${f.name}`, async () => {
    const { pipeline, diagnostics } = await validatePipelineFile(f.path, {
      overrides: f.overrides,
      env: f.env,
    });
    assert.equal(pipeline, undefined);
    const errors = diagnostics.filter((d) => d.severity === "error");
    const actual = errors.map((d) => `${d.code} ${d.line}:${d.column}`).sort();
    assert.deepEqual(actual, [...f.expect].sort());
    for (const d of errors) {
      assert.equal(d.file, f.path);
      assert.ok(d.message.length > 10, `${d.code}: message too short`);
      if (!d.code.startsWith("yaml-")) assert.equal(typeof d.pointer, "string");
    }
  });
}

Deno.test("validatePipelineFile() reports several problems of one file in one pass", async () => {
  const f = fixtures.find((x) => x.name === "many_problems.yaml")!;
  const { diagnostics } = await validatePipelineFile(f.path);
  const codes = new Set(diagnostics.map((d) => d.code));
  assert.ok(codes.size >= 6, [...codes].join(", "));
  const plugin = diagnostics.find((d) => d.code === "unknown-plugin")!;
  assert.match(plugin.hint ?? "", /did you mean `isolation_forest`\?/);
  const dangling = diagnostics.find((d) => d.code === "dangling-input")!;
  assert.match(dangling.hint ?? "", /did you mean `raw`\?/);
});

Deno.test("validatePipelineFile() checks threshold order after --set overrides too", async () => {
  const valid = DIR + "../valid.yaml";
  const ok = await validatePipelineFile(valid);
  assert.deepEqual(ok.diagnostics.filter((d) => d.severity === "error"), []);
  const bad = await validatePipelineFile(valid, { overrides: ["episodes.warning_z=20"] });
  assert.deepEqual(
    bad.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.pointer]),
    [["threshold-order", "/episodes/warning_z"]],
  );
});
