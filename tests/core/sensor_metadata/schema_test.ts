import assert from "node:assert/strict";
import { Ajv2020 } from "ajv";
import { parse } from "yaml";
import { SENSOR_METADATA_SCHEMA } from "../../../core/sensor_metadata/schema.ts";
import { sensorMetadataSchemaText } from "../../../cli/schema.ts";

const root = (p: string) => new URL(`../../../${p}`, import.meta.url);

Deno.test("schemas/sensor_metadata.schema.json equals SENSOR_METADATA_SCHEMA", async () => {
  const committed = await Deno.readTextFile(root("schemas/sensor_metadata.schema.json"));
  assert.ok(
    committed === sensorMetadataSchemaText(),
    "schemas/sensor_metadata.schema.json is stale: run `deno task acm schema --kind sensors --output schemas/sensor_metadata.schema.json`",
  );
});

Deno.test("the committed sensor metadata schema accepts the FD_FAN example and its own examples, as an editor would", async () => {
  const schema = JSON.parse(await Deno.readTextFile(root("schemas/sensor_metadata.schema.json")));
  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
  const example = parse(
    await Deno.readTextFile(root("examples/sensor_metadata/FD_FAN_sensors.yaml")),
  );
  assert.equal(validate(example), true, JSON.stringify(validate.errors));
  const props = SENSOR_METADATA_SCHEMA.properties as Record<string, { examples?: unknown[] }>;
  for (const sensors of props.sensors.examples ?? []) {
    assert.equal(validate({ version: 1, sensors }), true, JSON.stringify(validate.errors));
  }
  assert.equal(validate({ version: 1, sensors: { a: { unit: "C", colour: "red" } } }), false);
});
