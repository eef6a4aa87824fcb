import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { parseOverride } from "../../../core/pipeline/overrides.ts";
import { validatePipelineFile } from "../../../core/pipeline/load.ts";

const VALID = fileURLToPath(new URL("../../fixtures/pipelines/valid.yaml", import.meta.url));
const withSets = (...overrides: string[]) => validatePipelineFile(VALID, { overrides, env: {} });

Deno.test("parseOverride() splits dotted paths, honours quoted segments and rejects malformed text", () => {
  assert.deepEqual(parseOverride("detectors.pca.n_components=3"), {
    text: "detectors.pca.n_components=3",
    path: ["detectors", "pca", "n_components"],
    value: "3",
  });
  assert.deepEqual(parseOverride('sensor_health.ranges."A.B".min=-1')?.path, [
    "sensor_health",
    "ranges",
    "A.B",
    "min",
  ]);
  assert.equal(parseOverride("name=a=b")?.value, "a=b");
  assert.equal(parseOverride("name=")?.value, "");
  assert.equal(parseOverride("no_equals_sign"), undefined);
  assert.equal(parseOverride("a..b=1"), undefined);
  assert.equal(parseOverride('a."b=1'), undefined);
});

Deno.test("--set types each value by the schema at its path", async () => {
  const { pipeline, diagnostics } = await withSets(
    "detectors.pca.n_components=4",
    "detectors.pca.mode=slow",
    "detectors.pca.center=false",
    "detectors.pca.sensors=[A, B]",
    "fusion.weights.ar1=0.3",
    "episodes.on_z=2.5",
    "source.timestamp_column=42",
    "seed=9",
    'sensor_health.ranges."DEMO.SIM.FSAA".min=0',
  );
  assert.deepEqual(diagnostics, []);
  const pca = pipeline!.detectors.find((d) => d.id === "pca")!;
  assert.equal(pca.options.n_components, 4);
  assert.equal(pca.options.mode, "slow");
  assert.equal(pca.options.center, false);
  assert.deepEqual(pca.options.sensors, ["A", "B"]);
  assert.deepEqual(pipeline!.fusion.options.weights, { ar1: 0.3, pca_spe: 0.2, pca_t2: 0 });
  assert.equal(pipeline!.stages.episodes.on_z, 2.5);
  assert.equal(pipeline!.source.options.timestamp_column, "42", "a string option stays a string");
  assert.equal(pipeline!.seed, 9);
  assert.deepEqual(pipeline!.stages.sensor_health.ranges, { "DEMO.SIM.FSAA": { min: 0 } });
});

Deno.test("--set accepts ACM V8's `_z` weight names when the head exists", async () => {
  const { pipeline } = await withSets("fusion.weights.pca_t2_z=0.4", "fusion.weights.ar1_z=0.1");
  assert.deepEqual(pipeline!.fusion.options.weights, { ar1: 0.1, pca_spe: 0.2, pca_t2: 0.4 });
  const { diagnostics } = await withSets("fusion.weights.nothing_z=0.4");
  assert.deepEqual(diagnostics.map((d) => d.code), ["unknown-head"]);
});

Deno.test("--set reports unknown paths with did-you-mean and wrong types", async () => {
  const cases: [string, string, RegExp][] = [
    ["detectors.pac.n_components=3", "override-path", /did you mean `pca`\?/],
    [
      "detectors.pca.n_componets=3",
      "override-path",
      /did you mean `n_components`\?.*allowed keys: id, plugin, inputs, n_components/,
    ],
    ["episode.on_z=3", "override-path", /did you mean `episodes`\?/],
    ["episodes.on_zz=3", "override-path", /did you mean `on_z`\?/],
    ["episodes.on_z=high", "override-type", /./],
    ["detectors.pca.n_components=2.5", "override-type", /./],
    ["detectors.pca.center=maybe", "override-type", /./],
    ["regimes.sensors=DWATT", "override-type", /./],
    ["no-equals", "override-syntax", /--set/],
  ];
  for (const [text, code, hint] of cases) {
    const { pipeline, diagnostics } = await withSets(text);
    assert.equal(pipeline, undefined, text);
    assert.equal(diagnostics.length, 1, `${text}: ${diagnostics.map((d) => d.message).join("; ")}`);
    const d = diagnostics[0];
    assert.equal(d.code, code, text);
    assert.match(`${d.message} ${d.hint ?? ""}`, hint, text);
    assert.ok(d.message.includes(text), "the message quotes the override");
    assert.ok(d.line! > 0 && d.column! > 0, "positioned in the file");
  }
});

Deno.test("--set applies overrides in order and a later plugin override retypes its options", async () => {
  const { pipeline } = await withSets("episodes.on_z=4", "episodes.on_z=5");
  assert.equal(pipeline!.stages.episodes.on_z, 5);
  const swapped = await withSets(
    "detectors.ar1.plugin=fx_detector",
    "detectors.ar1.n_components=7",
  );
  assert.deepEqual(swapped.diagnostics.filter((d) => d.severity === "error").map((d) => d.code), [
    "unknown-head",
  ]);
  assert.match(
    swapped.diagnostics[0].message,
    /"ar1"/,
    "ar1 is now a two-head node (ar1_spe, ar1_t2)",
  );
});
