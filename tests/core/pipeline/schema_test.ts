import assert from "node:assert/strict";
import { Ajv2020 } from "ajv";
import { parse } from "yaml";
import type { AnyPlugin } from "../../../core/plugin.ts";
import { composeSchema, envelopeSchema } from "../../../core/pipeline/schema.ts";
import { composedSchemaText } from "../../../cli/schema.ts";
import detector from "../../fixtures/plugins/fixture_detector.ts";
import single from "../../fixtures/plugins/fixture_single.ts";
import source from "../../fixtures/plugins/fixture_source.ts";
import fusion from "../../fixtures/plugins/fixture_fusion.ts";

const plugins = [detector, single, source, fusion] as unknown as AnyPlugin[];
const editorAjv = () => new Ajv2020({ allErrors: true, strict: false });

const doc = (detectorNode: Record<string, unknown>) => ({
  version: 1,
  name: "x",
  source: { id: "raw", plugin: "fixture_source", timestamp_column: "Ts" },
  detectors: [detectorNode],
  fusion: { id: "fused", plugin: "fixture_fusion", inputs: ["pca"], weights: { pca_spe: 1 } },
});

Deno.test("composeSchema() checks each node's options by the schema of the plugin it names", () => {
  const validate = editorAjv().compile(composeSchema(plugins));
  const ok = doc({ id: "pca", plugin: "fixture_detector", inputs: ["raw"], n_components: 3 });
  assert.equal(validate(ok), true, JSON.stringify(validate.errors));
  const typo = doc({ id: "pca", plugin: "fixture_detector", inputs: ["raw"], n_componets: 3 });
  assert.equal(validate(typo), false);
  assert.ok(validate.errors!.some((e) => e.keyword === "additionalProperties"));
  const otherPluginsOption = doc({
    id: "pca",
    plugin: "fixture_single",
    inputs: ["raw"],
    n_components: 3,
  });
  assert.equal(validate(otherPluginsOption), false, "options are per plugin");
  const badValue = doc({ id: "pca", plugin: "fixture_single", inputs: ["raw"], alpha: -1 });
  assert.equal(validate(badValue), false);
  const noInputs = doc({ id: "pca", plugin: "fixture_detector" });
  assert.equal(validate(noInputs), false);
});

Deno.test("composeSchema() lists plugin names per kind and keeps the stage sections", () => {
  const schema = composeSchema(plugins) as {
    $defs: Record<string, { properties: { plugin: { examples: string[] } }; allOf: unknown[] }>;
    properties: Record<string, unknown>;
  };
  assert.deepEqual(schema.$defs.detector_node.properties.plugin.examples, [
    "fixture_detector",
    "fixture_single",
  ]);
  assert.equal(schema.$defs.detector_node.allOf.length, 2);
  assert.equal(schema.$defs.sink_node.allOf, undefined);
  for (const stage of ["sensor_health", "calibration", "regimes", "episodes", "health", "model"]) {
    assert.ok(stage in schema.properties, stage);
  }
});

Deno.test("envelopeSchema() compiles and rejects unknown top-level keys", () => {
  const validate = editorAjv().compile(envelopeSchema());
  assert.equal(validate({ ...doc({ id: "a", plugin: "p", inputs: [] }) }), true);
  assert.equal(validate({ ...doc({ id: "a", plugin: "p", inputs: [] }), episode: {} }), false);
});

Deno.test("schemas/pipeline.schema.json equals the schema composed from the built-in plugins", async () => {
  const { text, failures } = await composedSchemaText();
  assert.deepEqual(failures, [], "every built-in plugin loads");
  const committed = await Deno.readTextFile(
    new URL("../../../schemas/pipeline.schema.json", import.meta.url),
  );
  assert.ok(
    committed === text,
    "schemas/pipeline.schema.json is stale: run `deno task acm schema --output schemas/pipeline.schema.json`",
  );
});

Deno.test("the committed schema accepts pipelines/default.yaml as an editor would check it", async () => {
  const schema = JSON.parse(
    await Deno.readTextFile(new URL("../../../schemas/pipeline.schema.json", import.meta.url)),
  );
  const yaml = parse(
    await Deno.readTextFile(new URL("../../../pipelines/default.yaml", import.meta.url)),
  );
  const validate = editorAjv().compile(schema);
  assert.equal(validate(yaml), true, JSON.stringify(validate.errors));
});
