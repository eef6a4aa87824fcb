/**
 * The plugin sandbox (core/pipeline/plugin_sandbox.ts): a third-party module's
 * top-level code and validation-time create() run in a narrowed worker, so the
 * hostile fixture's write and its /etc/passwd read are refused even when the
 * calling process holds full permissions; a well-behaved plugin validates the
 * same with and without the sandbox.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { validatePipelineFile } from "../../../core/pipeline/load.ts";
import {
  enterPluginIsolation,
  sandboxedSpecifier,
  sandboxPermissions,
} from "../../../core/pipeline/plugin_sandbox.ts";
import { pipelineSignature } from "../../../core/pipeline/signature.ts";
import { replay } from "../../../core/replay/replay.ts";

const fixture = (p: string) => fileURLToPath(new URL(`../../fixtures/${p}`, import.meta.url));
const CLI = fileURLToPath(new URL("../../../cli/acm.ts", import.meta.url));

const isolated = async <T>(fn: () => Promise<T>): Promise<T> => {
  const release = enterPluginIsolation();
  try {
    return await fn();
  } finally {
    release();
  }
};

/** A temp folder holding a copy of the hostile plugin and a pipeline that uses it. */
async function hostileSetup(): Promise<{ dir: string; pipeline: string; plugin: string }> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "acm_sandbox_" }));
  const plugin = `${dir}/top_level_escape.ts`;
  await Deno.copyFile(fixture("plugins/hostile/top_level_escape.ts"), plugin);
  const pipeline = `${dir}/hostile.yaml`;
  await Deno.writeTextFile(
    pipeline,
    [
      "version: 1",
      "name: hostile",
      "plugins:",
      "  escape: ./top_level_escape.ts",
      "source: { id: raw, plugin: csv }",
      "detectors:",
      "  - { id: esc, plugin: escape, inputs: [raw] }",
      "fusion: { id: fused, plugin: weighted_mean, inputs: [esc] }",
      "sinks:",
      "  - { id: csv, plugin: csv }",
      "",
    ].join("\n"),
  );
  return { dir, pipeline, plugin };
}

Deno.test("validation with isolation refuses a plugin's top-level write and /etc/passwd read, naming the plugin file", async () => {
  const { dir, pipeline, plugin } = await hostileSetup();
  const { pipeline: p, diagnostics } = await isolated(() => validatePipelineFile(pipeline));
  assert.equal(p, undefined);
  const load = diagnostics.find((d) => d.code === "plugin-load");
  assert.ok(load, JSON.stringify(diagnostics));
  assert.ok(load.message.includes(`file://${plugin}`), load.message);
  assert.match(load.message, /NotCapable.*read access to "\/etc\/passwd"/);
  assert.equal(load.line, 7, "positioned at the node that names the plugin");
  assert.match(load.hint ?? "", /docs\/plugins\.md/);
  await assert.rejects(Deno.stat(`${dir}/escaped.txt`), Deno.errors.NotFound);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("acm validate (run with read, write and env) refuses the hostile plugin and writes nothing", async () => {
  const { dir, pipeline, plugin } = await hostileSetup();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", "--allow-env", CLI, "validate", pipeline],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 1, text);
  assert.ok(text.includes(`${pipeline}:7:`), text);
  assert.ok(text.includes(plugin), text);
  assert.match(text, /plugin sandbox: NotCapable: Requires read access to "\/etc\/passwd"/);
  assert.doesNotMatch(text, /run again with/);
  await assert.rejects(Deno.stat(`${dir}/escaped.txt`), Deno.errors.NotFound);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("replay() with the real loader refuses the hostile plugin before any work and writes nothing", async () => {
  const { dir, pipeline, plugin } = await hostileSetup();
  await Deno.mkdir(`${dir}/chunks/A`, { recursive: true });
  await Deno.writeTextFile(`${dir}/chunks/A/c1.csv`, "timestamp,a\n2024-01-01T00:00:00Z,1\n");
  const err = await replay({ pipeline, chunkRoot: `${dir}/chunks`, artifactRoot: `${dir}/art` })
    .then(() => null, (e: Error) => e);
  assert.ok(err, "replay must refuse the pipeline");
  assert.ok(err.message.includes(plugin), err.message);
  assert.match(err.message, /\/etc\/passwd/);
  await assert.rejects(Deno.stat(`${dir}/escaped.txt`), Deno.errors.NotFound);
  await assert.rejects(Deno.stat(`${dir}/art/A`), Deno.errors.NotFound);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a well-behaved third-party pipeline validates the same inside the sandbox: options, heads, signature", async () => {
  const file = fixture("pipelines/valid.yaml");
  const direct = await validatePipelineFile(file);
  const boxed = await isolated(() => validatePipelineFile(file));
  assert.ok(direct.pipeline && boxed.pipeline, JSON.stringify(boxed.diagnostics));
  assert.deepEqual(boxed.diagnostics, direct.diagnostics);
  assert.deepEqual(boxed.pipeline.document, direct.pipeline.document);
  assert.equal(pipelineSignature(boxed.pipeline), pipelineSignature(direct.pipeline));
  const pca = boxed.pipeline.detectors[0];
  assert.equal(sandboxedSpecifier(pca.plugin), pca.specifier);
  assert.equal(sandboxedSpecifier(direct.pipeline.detectors[0].plugin), undefined);
  assert.throws(
    () => pca.plugin.create({} as never, {} as never),
    /runs only inside a narrowed worker/,
  );
});

Deno.test("a create() that rejects its options is still a positioned diagnostic inside the sandbox", async () => {
  const file = fixture("pipelines/valid.yaml");
  const overrides = ["detectors.pca.n_components=60"];
  const direct = await validatePipelineFile(file, { overrides });
  const boxed = await isolated(() => validatePipelineFile(file, { overrides }));
  assert.equal(boxed.pipeline, undefined);
  assert.deepEqual(boxed.diagnostics, direct.diagnostics);
});

Deno.test("sandboxPermissions() reads the plugin's own modules and acm's code, nothing else", async () => {
  const spec = new URL("../../fixtures/plugins/with_helper/detector.ts", import.meta.url).href;
  const p = await sandboxPermissions(spec);
  assert.equal(p.write, false);
  assert.equal(p.net, false);
  assert.equal(p.run, false);
  const read = p.read as string[];
  assert.ok(read.some((r) => r.endsWith("/core")));
  assert.ok(read.every((r) => !r.startsWith("/etc") && r !== "/"));
});

Deno.test("replay() refuses a third-party fleet sink, which would run in its main thread", async () => {
  const { dir, pipeline } = await hostileSetup();
  await Deno.writeTextFile(
    `${dir}/fleet_sink.ts`,
    `export default { kind: "sink", name: "fleet_probe", version: "0.0.1", scope: "fleet",
  summary: "Test fixture: a third-party fleet sink.", host_api: "^1.0.0",
  options: { type: "object", additionalProperties: false, properties: {}, examples: [{}] },
  create() { Deno.writeTextFileSync(new URL("./escaped.txt", import.meta.url), "x"); return {}; } };
`,
  );
  const text = (await Deno.readTextFile(pipeline))
    .replace("  escape: ./top_level_escape.ts", "  probe: ./fleet_sink.ts")
    .replace("plugin: escape", "plugin: ar1")
    .replace(
      "  - { id: csv, plugin: csv }",
      "  - { id: csv, plugin: csv }\n  - { id: probe, plugin: probe }",
    );
  await Deno.writeTextFile(pipeline, text);
  await Deno.mkdir(`${dir}/chunks/A`, { recursive: true });
  await Deno.writeTextFile(`${dir}/chunks/A/c1.csv`, "timestamp,a\n2024-01-01T00:00:00Z,1\n");
  const err = await replay({ pipeline, chunkRoot: `${dir}/chunks`, artifactRoot: `${dir}/art` })
    .then(() => null, (e: Error) => e);
  assert.ok(err, "replay must refuse the pipeline");
  assert.match(
    err.message,
    /hostile\.yaml:11:\d+: plugin "probe" .*fleet_sink\.ts.*scope: "asset"/,
  );
  await assert.rejects(Deno.stat(`${dir}/escaped.txt`), Deno.errors.NotFound);
  await Deno.remove(dir, { recursive: true });
});

/** Runs the CLI with read, write and env (as a user would) and returns its exit code and output. */
async function acm(...args: string[]): Promise<{ code: number; text: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", "--allow-env", CLI, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code: out.code, text: d.decode(out.stdout) + d.decode(out.stderr) };
}

Deno.test("acm plugins --pipeline imports the hostile plugin in the sandbox: listed as a problem, nothing written", async () => {
  const { dir, pipeline, plugin } = await hostileSetup();
  const { code, text } = await acm("plugins", "--pipeline", pipeline, "--kind", "detector");
  assert.equal(code, 1, text);
  assert.match(text, /acm plugins: escape \(.*top_level_escape\.ts\): /);
  assert.ok(text.includes(`file://${plugin}`), text);
  assert.match(text, /plugin sandbox: NotCapable: Requires read access to "\/etc\/passwd"/);
  assert.match(text, /^detector pca /m, "built-ins are still listed");
  await assert.rejects(Deno.stat(`${dir}/escaped.txt`), Deno.errors.NotFound);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("listPlugins() describes a well-behaved third-party plugin from the sandbox as before", async () => {
  const { listPlugins } = await import("../../../cli/plugins.ts");
  const { plugins, problems } = await listPlugins(fixture("pipelines/valid.yaml"));
  assert.deepEqual(problems, []);
  const det = plugins.find((p) => p.name === "fx_detector");
  assert.ok(det, JSON.stringify(plugins.map((p) => p.name)));
  assert.equal(det.origin, "pipeline");
  assert.ok(det.options.some((o) => o.name === "n_components"), JSON.stringify(det.options));
});

Deno.test("acm eval skab refuses the hostile plugin in the sandbox and a well-behaved third-party one, positioned", async () => {
  const { dir, pipeline, plugin } = await hostileSetup();
  await Deno.mkdir(`${dir}/skab/valve1`, { recursive: true });
  const hostile = await acm("eval", "skab", "--data", `${dir}/skab`, "--pipeline", pipeline);
  assert.equal(hostile.code, 1, hostile.text);
  assert.ok(hostile.text.includes(plugin), hostile.text);
  assert.match(hostile.text, /plugin sandbox: NotCapable: Requires read access to "\/etc\/passwd"/);
  await assert.rejects(Deno.stat(`${dir}/escaped.txt`), Deno.errors.NotFound);
  // A plugin that loads cleanly would still run in eval's own process: refused with the fix.
  const valid = fixture("pipelines/valid.yaml");
  const benign = await acm("eval", "skab", "--data", `${dir}/skab`, "--pipeline", valid);
  assert.equal(benign.code, 1, benign.text);
  assert.match(
    benign.text,
    /valid\.yaml:\d+:\d+: plugin "fx_source" \(file:.*fixture_source\.ts\) is third-party; .*acm replay/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("acm eval fleet checks the pipeline in the sandbox: the hostile plugin is refused before any fleet is made", async () => {
  const { dir, pipeline, plugin } = await hostileSetup();
  const keep = `${dir}/keep`;
  const { code, text } = await acm(
    "eval",
    "fleet",
    "--pipeline",
    pipeline,
    "--seeds",
    "101",
    "--keep",
    keep,
  );
  assert.equal(code, 1, text);
  assert.ok(text.includes(plugin), text);
  assert.match(text, /NotCapable: Requires read access to "\/etc\/passwd"/);
  await assert.rejects(Deno.stat(`${dir}/escaped.txt`), Deno.errors.NotFound);
  await assert.rejects(Deno.stat(keep), Deno.errors.NotFound);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("acm demo --pipeline checks the pipeline in the sandbox: hostile plugin refused before data is written", async () => {
  const { dir, pipeline, plugin } = await hostileSetup();
  const out = `${dir}/demo`;
  const { code, text } = await acm("demo", "--pipeline", pipeline, "--out", out);
  assert.equal(code, 1, text);
  assert.ok(text.includes(plugin), text);
  assert.match(text, /NotCapable: Requires read access to "\/etc\/passwd"/);
  await assert.rejects(Deno.stat(`${dir}/escaped.txt`), Deno.errors.NotFound);
  await assert.rejects(Deno.stat(`${out}/data`), Deno.errors.NotFound);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("queueReplay() (acm replay --queue) loads the pipeline in the sandbox: hostile plugin refused before the store", async () => {
  const { queueReplay } = await import("../../../core/queue/coordinator.ts");
  const { dir, pipeline, plugin } = await hostileSetup();
  await Deno.mkdir(`${dir}/chunks/A`, { recursive: true });
  await Deno.writeTextFile(`${dir}/chunks/A/c1.csv`, "timestamp,a\n2024-01-01T00:00:00Z,1\n");
  const err = await queueReplay({
    url: "postgres://acm@127.0.0.1:1/none",
    pipeline,
    chunkRoot: `${dir}/chunks`,
  }).then(() => null, (e: Error) => e);
  assert.ok(err, "the queued replay must be refused");
  assert.ok(err.message.includes(plugin), err.message);
  assert.match(err.message, /\/etc\/passwd/);
  await assert.rejects(Deno.stat(`${dir}/escaped.txt`), Deno.errors.NotFound);
  await Deno.remove(dir, { recursive: true });
});
