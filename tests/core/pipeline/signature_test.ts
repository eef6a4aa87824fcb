import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { loadPipeline } from "../../../core/pipeline/load.ts";
import { canonicalJson, pipelineSignature } from "../../../core/pipeline/signature.ts";

const VALID = fileURLToPath(new URL("../../fixtures/pipelines/valid.yaml", import.meta.url));
const sig = async (...overrides: string[]) =>
  pipelineSignature(await loadPipeline(VALID, { env: {}, overrides }));

Deno.test("canonicalJson() sorts keys at every level and drops undefined members", () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } }),
    '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
  );
  assert.equal(canonicalJson(new Float64Array([1, 2.5])), "[1,2.5]");
  assert.equal(canonicalJson(null), "null");
});

Deno.test("pipelineSignature() changes with model-relevant settings only", async () => {
  const base = await sig();
  assert.match(base, /^[0-9a-f]{64}$/);
  assert.equal(await sig(), base, "deterministic");
  for (
    const same of [
      "fusion.weights.ar1=0.9",
      "episodes.on_z=5",
      "health.center_z=3",
      "model.keep_versions=2",
      "sinks.out.path=elsewhere",
      "name=renamed",
    ]
  ) {
    assert.equal(await sig(same), base, same);
  }
  const changed = new Set<string>([base]);
  for (
    const diff of [
      "seed=8",
      "detectors.pca.n_components=4",
      "features.roll.window_rows=8",
      "source.timestamp_column=Ts",
      "sensor_health.max_nan_fraction=0.3",
      "calibration.clip_z=20",
      "regimes.k_max=3",
      "detectors.ar1.inputs=[roll]",
    ]
  ) {
    const s = await sig(diff);
    assert.ok(!changed.has(s), diff);
    changed.add(s);
  }
});
