import assert from "node:assert/strict";
import {
  loadSensorMetadata,
  SensorMetadataError,
  validateSensorMetadataFile,
  validateSensorMetadataText,
} from "../../../core/sensor_metadata/load.ts";

const EXAMPLE = new URL("../../../examples/sensor_metadata/FD_FAN_sensors.yaml", import.meta.url)
  .pathname;

const brief = (text: string) =>
  validateSensorMetadataText(text, "s.yaml").diagnostics.map((d) =>
    `${d.line}:${d.column} ${d.code} ${d.pointer ?? ""}${d.hint ? ` | ${d.hint}` : ""}`
  );

Deno.test("loadSensorMetadata() reads the FD_FAN example: 9 sensors with units, positions of the names", async () => {
  const m = await loadSensorMetadata(EXAMPLE);
  assert.equal(Object.keys(m.sensors).length, 9);
  const bearing = m.sensors["DEMO.SIM.06T32-1_1FD Fan Bearing Temperature"];
  assert.deepEqual(bearing, {
    unit: "°C",
    description: "Fan bearing temperature",
    limits: { high: 80 },
  });
  const lines = (await Deno.readTextFile(EXAMPLE)).split("\n");
  const at = m.positions["DEMO.SIM.06T32-1_1FD Fan Bearing Temperature"];
  assert.match(lines[at.line - 1].slice(at.column - 1), /^DEMO\.SIM\.06T32-1_1FD/);
});

Deno.test("validateSensorMetadataText() reports unknown keys at line:column with the allowed keys and a did-you-mean", () => {
  const text = `version: 1
sensors:
  A:
    unit: C
    descripton: x
  B:
    limits: { hi: 3 }
colour: red
`;
  assert.deepEqual(brief(text), [
    "5:5 unknown-key /sensors/A/descripton | did you mean `description`? allowed keys: unit, description, limits",
    "7:15 unknown-key /sensors/B/limits/hi | allowed keys: low, high",
    "8:1 unknown-key /colour | allowed keys: version, sensors",
  ]);
});

Deno.test("validateSensorMetadataText() checks types, the version, low ≤ high and empty files in one pass", () => {
  const text = `version: 2
sensors:
  A:
    unit: 5
    limits: { low: 9, high: 1 }
  B:
    limits: { low: "x" }
`;
  assert.deepEqual(brief(text), [
    "1:10 bad-value /version",
    "4:11 wrong-type /sensors/A/unit",
    "5:20 threshold-order /sensors/A/limits/low | swap the two values; low must be ≤ high",
    "7:20 wrong-type /sensors/B/limits/low",
  ]);
  assert.deepEqual(brief("version: 1\n"), [
    "1:1 missing-key  | sensors: " +
    "Sensor column name exactly as in the chunk files' header → what it measures. Sensors not listed are shown by name only.",
  ]);
  assert.deepEqual(brief("version: 1\nsensors: {}\n"), ["2:10 bad-value /sensors"]);
});

Deno.test("validateSensorMetadataText() turns YAML errors into positioned diagnostics that name the file kind", () => {
  const r = validateSensorMetadataText(
    "version: 1\nsensors:\n  A: {unit: C}\n  A: {unit: F}\n",
    "s.yaml",
  );
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].code, "yaml-duplicate-key");
  assert.equal(r.diagnostics[0].line, 4);
  assert.match(r.diagnostics[0].message, /^Cannot read sensor metadata: the key "A" appears twice/);
});

Deno.test("loadSensorMetadata() throws SensorMetadataError listing every problem; a missing file is file-read", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/bad.yaml`, "version: 1\nsensors:\n  A: {units: C}\n");
    await assert.rejects(
      () => loadSensorMetadata(`${dir}/bad.yaml`),
      (e: Error) =>
        e instanceof SensorMetadataError &&
        /bad\.yaml:3:7: error\[unknown-key\] Unknown key "units"/.test(e.message) &&
        /did you mean `unit`\?/.test(e.message),
    );
    const none = await validateSensorMetadataFile(`${dir}/none.yaml`);
    assert.equal(none.diagnostics[0].code, "file-read");
    assert.match(none.diagnostics[0].message, /none\.yaml/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
