import assert from "node:assert/strict";
import { assetMetadataPath, pipelineMetadataPath } from "../../../core/sensor_metadata/locate.ts";

Deno.test("assetMetadataPath() prefers the pipeline's sensor_metadata (relative to the pipeline file), else sensors.yaml beside the chunks", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.mkdir(`${dir}/chunks/A`, { recursive: true });
    await Deno.mkdir(`${dir}/meta`);
    await Deno.writeTextFile(`${dir}/meta/a.yaml`, "");
    const pipeline = `${dir}/pipeline.yaml`;
    assert.equal(pipelineMetadataPath({}, pipeline), null);
    assert.equal(await assetMetadataPath({}, pipeline, `${dir}/chunks/A`), null);
    await Deno.writeTextFile(`${dir}/chunks/A/sensors.yaml`, "");
    assert.equal(
      await assetMetadataPath({}, pipeline, `${dir}/chunks/A`),
      `${dir}/chunks/A/sensors.yaml`,
    );
    const doc = { sensor_metadata: "meta/a.yaml" };
    assert.equal(pipelineMetadataPath(doc, pipeline), `${dir}/meta/a.yaml`);
    assert.equal(await assetMetadataPath(doc, pipeline, `${dir}/chunks/A`), `${dir}/meta/a.yaml`);
    // A named file that does not exist stays named, so reading it fails with its path.
    const missing = { sensor_metadata: "meta/none.yaml" };
    assert.equal(
      await assetMetadataPath(missing, pipeline, `${dir}/chunks/A`),
      `${dir}/meta/none.yaml`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("assetMetadataPath() does not follow a sensors.yaml symlink out of the chunk folder", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.mkdir(`${dir}/chunks/A`, { recursive: true });
    await Deno.writeTextFile(`${dir}/outside.yaml`, "");
    await Deno.symlink(`${dir}/outside.yaml`, `${dir}/chunks/A/sensors.yaml`);
    assert.equal(await assetMetadataPath({}, `${dir}/p.yaml`, `${dir}/chunks/A`), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
