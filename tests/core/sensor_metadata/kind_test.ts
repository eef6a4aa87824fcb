import assert from "node:assert/strict";
import { yamlFileKind } from "../../../core/sensor_metadata/kind.ts";

Deno.test("yamlFileKind() tells sensor metadata from pipelines by name or by top-level keys", () => {
  assert.equal(yamlFileKind("version: 1\nname: x\n", "FD_FAN_sensors.yaml"), "sensors");
  assert.equal(yamlFileKind("version: 1\nsensors: {a: {}}\n", "meta.yml"), "sensors");
  assert.equal(yamlFileKind("version: 1\nsource: {}\nsensors: 1\n", "p.yaml"), "pipeline");
  assert.equal(yamlFileKind("version: 1\nsource: {plugin: csv}\n", "p.yaml"), "pipeline");
  assert.equal(yamlFileKind("sensors: [unclosed\n", "p.yaml"), "pipeline");
  assert.equal(yamlFileKind("- a\n", "p.yaml"), "pipeline");
});
