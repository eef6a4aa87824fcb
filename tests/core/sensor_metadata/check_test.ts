import assert from "node:assert/strict";
import { missingSensorWarnings } from "../../../core/sensor_metadata/check.ts";
import { validateSensorMetadataText } from "../../../core/sensor_metadata/load.ts";

Deno.test("missingSensorWarnings() names each listed sensor the data lacks, at its line:column, with a did-you-mean", () => {
  const text = "version: 1\nsensors:\n  temp_a: {unit: C}\n  presure: {unit: kPa}\n  gone: {}\n";
  const m = validateSensorMetadataText(text, "/x/sensors.yaml").metadata!;
  const w = missingSensorWarnings(m, ["temp_a", "pressure", "flow"]);
  assert.equal(w.length, 2);
  assert.match(
    w[0],
    /^\/x\/sensors\.yaml:4:3: sensor metadata names "presure", which is not a column/,
  );
  assert.match(w[0], /did you mean `pressure`\?/);
  assert.match(w[1], /^\/x\/sensors\.yaml:5:3: .*"gone"/);
  assert.doesNotMatch(w[1], /did you mean/);
  assert.deepEqual(missingSensorWarnings(m, ["temp_a", "presure", "gone"]), []);
});
