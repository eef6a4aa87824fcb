import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { describeType, formatPlugins, listPlugins, wrap } from "../../cli/plugins.ts";
import { BUILTINS } from "../../plugins/registry.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const WITH_CUSUM = `${ROOT}examples/pipelines/with_cusum.yaml`;

async function acm(
  args: string[],
  cwd = ROOT,
): Promise<{ code: number; out: string; err: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--config",
      `${ROOT}deno.json`,
      "--allow-read",
      "--allow-write",
      "--allow-env",
      `${ROOT}cli/acm.ts`,
      ...args,
    ],
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: r.code, out: text(r.stdout), err: text(r.stderr) };
}

Deno.test("listPlugins() lists every built-in with version, summary and schema options", async () => {
  const { plugins, problems } = await listPlugins();
  assert.deepEqual(problems, []);
  assert.deepEqual(
    plugins.map((p) => `${p.kind}/${p.name}`).sort(),
    BUILTINS.map((b) => `${b.kind}/${b.name}`).sort(),
  );
  const ar1 = plugins.find((p) => p.name === "ar1")!;
  assert.equal(ar1.origin, "built-in");
  assert.equal(ar1.module, "plugins/detectors/ar1.ts");
  assert.match(ar1.version, /^\d+\.\d+\.\d+$/);
  const aggregate = ar1.options.find((o) => o.name === "aggregate")!;
  assert.deepEqual(aggregate, {
    name: "aggregate",
    type: '"mean"|"max"|"p95"',
    default: "mean",
    required: false,
    description: aggregate.description,
  });
  assert.ok(aggregate.description.length > 20);
});

Deno.test("listPlugins() adds the plugins a pipeline's `plugins` map declares and reports broken ones", async () => {
  const { plugins } = await listPlugins(WITH_CUSUM);
  const cusum = plugins.find((p) => p.name === "cusum")!;
  assert.equal(cusum.origin, "pipeline");
  assert.equal(cusum.kind, "detector");
  assert.ok(cusum.module.endsWith("examples/plugins/cusum.ts"), cusum.module);
  assert.deepEqual(cusum.options.map((o) => [o.name, o.default]), [["k", 0.5], ["h", 5], [
    "std_floor",
    1e-9,
  ], ["reset", false]]);
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/p.yaml`,
    "plugins:\n  gone: ./missing.ts\n  web: https://example.com/x.ts\n",
  );
  const broken = await listPlugins(`${dir}/p.yaml`);
  assert.deepEqual(broken.problems.map((p) => p.name), ["gone", "web"]);
  assert.match(broken.problems[0].message, /Cannot load plugin module/);
});

Deno.test("describeType() names enums, arrays, maps and bounds", () => {
  assert.equal(describeType({ enum: ["a", 1] }), '"a"|1');
  assert.equal(
    describeType({ type: "array", items: { type: "integer", minimum: 1 } }),
    "integer ≥ 1[]",
  );
  assert.equal(
    describeType({ type: "object", additionalProperties: { type: "number" } }),
    "map of number",
  );
  assert.equal(
    describeType({ type: "number", exclusiveMinimum: 0, maximum: 1 }),
    "number > 0, ≤ 1",
  );
  assert.equal(describeType({}), "any");
});

Deno.test("formatPlugins() prints a heading, the summary and an options table wrapped to the width", async () => {
  const { plugins } = await listPlugins(WITH_CUSUM);
  const text = formatPlugins(plugins.filter((p) => p.name === "cusum"), 80);
  const lines = text.split("\n");
  assert.match(lines[0], /^detector cusum 1\.0\.0 \(pipeline, .*cusum\.ts\)$/);
  assert.ok(lines.some((l) => /^ {2}OPTION +TYPE +DEFAULT +DESCRIPTION$/.test(l)));
  assert.ok(lines.some((l) => /^ {2}k +number ≥ 0 +0\.5 +Allowance/.test(l)));
  for (const l of lines) assert.ok(l.length <= 80, `too wide: ${l}`);
  assert.deepEqual(wrap("aa bb cc", 5), ["aa bb", "cc"]);
});

Deno.test("acm plugins list --kind --pipeline --json prints only that kind, built-in and declared", async () => {
  const r = await acm([
    "plugins",
    "list",
    "--kind",
    "detector",
    "--pipeline",
    WITH_CUSUM,
    "--json",
  ]);
  assert.equal(r.code, 0, r.err);
  const { plugins } = JSON.parse(r.out) as { plugins: { kind: string; name: string }[] };
  assert.ok(plugins.every((p) => p.kind === "detector"));
  assert.ok(plugins.some((p) => p.name === "cusum") && plugins.some((p) => p.name === "pca"));
  const bad = await acm(["plugins", "--kind", "widget"]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--kind "widget" is not one of source, feature, detector, fusion, sink/);
});

Deno.test("acm plugins new detector NAME writes a plugin and a test that pass as generated", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_scaffold_" });
  const r = await acm(["plugins", "new", "detector", "spike_z", "--dir", `${dir}/mine`]);
  assert.equal(r.code, 0, r.err);
  const source = await Deno.readTextFile(`${dir}/mine/spike_z.ts`);
  assert.match(source, /import type \{[^}]*DetectorPlugin[^}]*\} from "[^"]*\/mod\.ts";/);
  assert.doesNotMatch(source, /from "[^"]*\/(core|plugins)\//, "the plugin imports only mod.ts");
  const test = await new Deno.Command(Deno.execPath(), {
    args: [
      "test",
      "--config",
      `${ROOT}deno.json`,
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "spike_z_test.ts",
    ],
    cwd: `${dir}/mine`,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const out = new TextDecoder().decode(test.stdout) + new TextDecoder().decode(test.stderr);
  assert.equal(test.code, 0, out);
  const m = /ok \| (\d+) passed \| 0 failed/.exec(out);
  assert.ok(m && Number(m[1]) >= 10, out);
  assert.match(
    out,
    /spike_z score\(\) is highest on the row that leaves the training range \.\.\. ok/,
  );
  const fmt = await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--check", "--config", `${ROOT}deno.json`, "."],
    cwd: `${dir}/mine`,
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(fmt.code, 0, new TextDecoder().decode(fmt.stderr));
  const again = await acm(["plugins", "new", "detector", "spike_z", "--dir", `${dir}/mine`]);
  assert.equal(again.code, 1);
  assert.match(again.err, /exists \(use --force to replace it\)/);
  const badName = await acm(["plugins", "new", "detector", "SpikeZ", "--dir", dir]);
  assert.equal(badName.code, 1);
  assert.match(badName.err, /snake_case/);
  const badKind = await acm(["plugins", "new", "sink", "x", "--dir", dir]);
  assert.equal(badKind.code, 2);
  await Deno.remove(dir, { recursive: true });
});
