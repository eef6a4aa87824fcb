import assert from "node:assert/strict";
import { readStoredMetadata, writeStoredMetadata } from "../../../core/sensor_metadata/stored.ts";

Deno.test("writeStoredMetadata() writes the asset's copy, readStoredMetadata() reads it back, null removes it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.deepEqual(await readStoredMetadata(dir), {});
    const sensors = { a: { unit: "°C", limits: { high: 80 } } };
    await writeStoredMetadata(dir, { file: "/x/sensors.yaml", sensors, positions: {} });
    assert.deepEqual(await readStoredMetadata(dir), sensors);
    await writeStoredMetadata(dir, null);
    assert.deepEqual(await readStoredMetadata(dir), {});
    await writeStoredMetadata(dir, null); // already gone: no error
    await Deno.writeTextFile(`${dir}/sensor_metadata.json`, "{oops");
    await assert.rejects(() => readStoredMetadata(dir), /sensor_metadata\.json": not valid JSON/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
