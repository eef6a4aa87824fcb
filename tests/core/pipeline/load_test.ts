import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { PipelineError } from "../../../core/errors.ts";
import {
  loadPipeline,
  resolveDocument,
  validatePipelineFile,
  validatePipelineText,
} from "../../../core/pipeline/load.ts";
import { pipelineSignature } from "../../../core/pipeline/signature.ts";

const fixture = (p: string) => fileURLToPath(new URL(`../../fixtures/${p}`, import.meta.url));
const VALID = fixture("pipelines/valid.yaml");
const DEFAULT = fileURLToPath(new URL("../../../pipelines/default.yaml", import.meta.url));
const V8 = fileURLToPath(new URL("../../../pipelines/acm_v8.yaml", import.meta.url));

Deno.test("loadPipeline() resolves every node with its plugin, absolute specifier and filled options", async () => {
  const p = await loadPipeline(VALID, { env: {} });
  assert.equal(p.file, VALID);
  assert.equal(p.name, "fixture");
  assert.equal(p.seed, 7);
  assert.deepEqual(p.features.map((f) => [f.id, f.inputs, f.options.window_rows]), [
    ["roll", ["raw"], 16],
    ["lag", ["roll"], 16],
  ]);
  const pca = p.detectors[0];
  assert.equal(pca.pluginName, "fx_detector");
  assert.equal(pca.plugin.name, "fixture_detector");
  assert.deepEqual(pca.options, { n_components: 3, mode: "fast", center: true, sensors: [] });
  assert.equal(
    pca.specifier,
    new URL("../../fixtures/plugins/fixture_detector.ts", import.meta.url).href,
  );
  assert.deepEqual([pca.position.line, pca.position.column], [22, 5]);
  assert.equal(p.sinks[0].options.path, "out");
  assert.equal(p.stages.episodes.on_z, 3);
  assert.equal(p.stages.episodes.off_hold_rows, 5, "stage defaults are filled");
  assert.equal(p.stages.regimes.k_max, 6);
  const doc = p.document as { detectors: Record<string, unknown>[] };
  assert.equal(doc.detectors[0].mode, "fast", "the effective document carries the defaults");
});

Deno.test("ResolvedNode.specifier re-imports the same plugin (as a Worker would)", async () => {
  const p = await loadPipeline(VALID, { env: {} });
  for (const node of [p.source, ...p.features, ...p.detectors, p.fusion, ...p.sinks]) {
    assert.ok(node.specifier.startsWith("file:///"), node.specifier);
    const module = await import(node.specifier);
    assert.equal(module.default, node.plugin);
  }
});

Deno.test("resolveDocument() rebuilds an equal pipeline from the effective document", async () => {
  const p = await loadPipeline(VALID, { env: {}, overrides: ["detectors.pca.n_components=5"] });
  const again = await resolveDocument(structuredClone(p.document), { file: p.file });
  assert.deepEqual(again.document, p.document);
  assert.deepEqual(again.detectors.map((d) => d.options), p.detectors.map((d) => d.options));
  assert.equal(again.detectors[0].options.n_components, 5);
  assert.equal(pipelineSignature(again), pipelineSignature(p));
  const broken = { ...structuredClone(p.document), seed: "x" };
  await assert.rejects(() => resolveDocument(broken, { file: p.file }), PipelineError);
});

Deno.test("loadPipeline() throws a PipelineError carrying every diagnostic", async () => {
  const file = fixture("pipelines/invalid/many_problems.yaml");
  const error = await loadPipeline(file).then(() => undefined, (e) => e);
  assert.ok(error instanceof PipelineError);
  assert.equal(error.diagnostics.length, 6);
  assert.match(error.message, /^Cannot use pipeline: 6 problems/);
  assert.match(
    error.message,
    /many_problems\.yaml:21:5: error\[unknown-key\] Unknown key "n_componets"/,
  );
});

Deno.test("validatePipelineFile() gives the allowed keys and a did-you-mean for an unknown option", async () => {
  const { diagnostics } = await validatePipelineFile(fixture("pipelines/invalid/unknown_key.yaml"));
  assert.equal(diagnostics.length, 1);
  const d = diagnostics[0];
  assert.equal(d.pointer, "/detectors/0/n_componets");
  assert.equal(d.node, "pca");
  assert.equal(d.plugin, "fx_detector");
  assert.equal(
    d.hint,
    "did you mean `n_components`? allowed keys: id, plugin, inputs, n_components, mode, center, sensors",
  );
});

Deno.test("validatePipelineFile() reports an unreadable file and a non-mapping document", async () => {
  const missing = await validatePipelineFile("/nonexistent/pipeline.yaml");
  assert.deepEqual(missing.diagnostics.map((d) => d.code), ["file-read"]);
  const list = await validatePipelineText("- a\n- b\n", "<inline>");
  assert.deepEqual(list.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`), [
    "not-a-mapping 1:1",
  ]);
  const empty = await validatePipelineText("", "<inline>");
  assert.deepEqual(empty.diagnostics.map((d) => d.code), ["not-a-mapping"]);
});

Deno.test("loadPipeline() loads pipelines/default.yaml: the condition model, max_z fusion, csv + sqlite + report", async () => {
  const p = await loadPipeline(DEFAULT, { env: {} });
  assert.deepEqual(p.detectors.map((d) => `${d.id}:${d.plugin.name}:${d.inputs}`), [
    "condition:condition:raw",
  ]);
  assert.deepEqual(p.detectors[0].options.time_constants_s, [600, 3600]);
  assert.equal(p.fusion.plugin.name, "max_z");
  assert.deepEqual(p.sinks.map((s) => s.plugin.name), ["csv", "sqlite", "report"]);
});

Deno.test("loadPipeline() loads pipelines/acm_v8.yaml: V8's heads on raw sensors, V8 weights but omr", async () => {
  const p = await loadPipeline(V8, { env: {} });
  assert.equal(p.source.plugin.name, "csv");
  assert.deepEqual(p.detectors.map((d) => `${d.id}:${d.plugin.name}:${d.inputs}`), [
    "ar1:ar1:raw",
    "pca:pca:raw",
    "mahalanobis:mahalanobis:raw",
    "iforest:isolation_forest:raw",
    "gmm:gmm:raw",
    "omr:omr:raw",
  ]);
  assert.equal(p.features[0].options.window_rows, 16);
  assert.deepEqual(p.fusion.options.weights, {
    ar1: 0.2,
    iforest: 0.2,
    gmm: 0.1,
    pca_spe: 0.2,
    mahalanobis: 0.2,
    pca_t2: 0,
    omr: 0.5,
  });
  assert.equal(p.sinks[0].plugin.name, "csv");
});

Deno.test("validatePipelineFile() validates the file named by sensor_metadata, at that file's positions", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const text = (await Deno.readTextFile(VALID)).replace(
      /^name: (.*)$/m,
      "name: $1\nsensor_metadata: meta/sensors.yaml",
    );
    // Plugin paths in the fixture are relative to its folder: keep the copy beside it.
    const file = VALID.replace(/valid\.yaml$/, `_sm_${crypto.randomUUID()}.yaml`);
    await Deno.writeTextFile(file, text.replace("meta/sensors.yaml", `${dir}/sensors.yaml`));
    try {
      const missing = await validatePipelineFile(file, { env: {} });
      assert.equal(missing.pipeline, undefined);
      const d = missing.diagnostics[0];
      assert.equal(d.code, "file-read");
      assert.equal(d.file, file);
      assert.equal(d.pointer, "/sensor_metadata");
      assert.equal(d.line, text.split("\n").findIndex((l) => l.startsWith("sensor_metadata")) + 1);
      await Deno.writeTextFile(
        `${dir}/sensors.yaml`,
        "version: 1\nsensors:\n  a: {unit: C, lim: 1}\n",
      );
      const bad = await validatePipelineFile(file, { env: {} });
      assert.deepEqual(bad.diagnostics.map((x) => [x.file, x.line, x.column, x.code]), [
        [`${dir}/sensors.yaml`, 3, 16, "unknown-key"],
      ]);
      await Deno.writeTextFile(`${dir}/sensors.yaml`, "version: 1\nsensors:\n  a: {unit: C}\n");
      const ok = await validatePipelineFile(file, { env: {} });
      assert.ok(ok.pipeline, JSON.stringify(ok.diagnostics));
    } finally {
      await Deno.remove(file);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
