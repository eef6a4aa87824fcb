/** Shared checks for the ar1 / pca / mahalanobis / omr detector tests (numeric helper A). */
import assert from "node:assert/strict";
import { Ajv2020 } from "ajv";
import { type Frame, makeFrame } from "../../../core/frame.ts";
import { pluginContext } from "../../../core/engine/context.ts";
import { type Logger, silentLogger } from "../../../core/log.ts";
import type { DetectorPlugin } from "../../../core/plugin.ts";
import { createRng } from "../../../core/rng.ts";
import { decodeState, encodeState } from "../../../core/state_codec.ts";

/** Validated options with schema defaults filled. */
export function options<O>(plugin: DetectorPlugin<O>, extra: Record<string, unknown> = {}): O {
  const ajv = new Ajv2020({ strict: true, strictTypes: false, useDefaults: true });
  const o = structuredClone(extra);
  assert.ok(ajv.compile(plugin.options)(o), `options ${JSON.stringify(extra)} validate`);
  return o as O;
}

/** A detector instance with a seeded context. */
export function create<O>(
  plugin: DetectorPlugin<O>,
  extra: Record<string, unknown> = {},
  seed = 17,
  log: Logger = silentLogger,
) {
  return plugin.create(options(plugin, extra), pluginContext(plugin.name, plugin.name, seed, log));
}

/**
 * 1,000 rows × 5 columns: a, b = 0.8a + noise, c = AR(1), d = 100 + noise, e constant.
 * With `anomaly`, rows 900..909 break the a–b relation (b jumps by 5 noise-free units).
 */
export function data(seed: number, anomaly: boolean, rows = 1000): Frame {
  const rng = createRng(seed), n = rows, cols = ["a", "b", "c", "d", "e"];
  const v = new Float64Array(n * cols.length);
  let c = 0;
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    c = 0.8 * c + 0.6 * rng.normal();
    v[i] = z;
    v[n + i] = 0.8 * z + 0.3 * rng.normal() + (anomaly && i >= 900 && i < 910 ? 5 : 0);
    v[2 * n + i] = c;
    v[3 * n + i] = 100 + rng.normal();
    v[4 * n + i] = 7;
  }
  const timestamps = Float64Array.from({ length: n }, (_, i) => i * 60_000);
  return makeFrame({ columns: cols, values: v, timestamps });
}

/** Plugin metadata: kind, host api, option schema rules, examples validate, unknown keys rejected. */
export function checkMetadata<O>(plugin: DetectorPlugin<O>): void {
  assert.equal(plugin.kind, "detector");
  assert.equal(plugin.host_api, "^1.0.0");
  assert.equal(plugin.options.additionalProperties, false);
  const props = plugin.options.properties as Record<string, Record<string, unknown>>;
  for (const [key, p] of Object.entries(props)) {
    assert.match(key, /^[a-z][a-z0-9_]*$/);
    assert.ok(typeof p.description === "string" && p.description.length > 10, key);
    assert.ok("default" in p, key);
  }
  const validate = new Ajv2020({ strict: true, strictTypes: false }).compile(plugin.options);
  const examples = plugin.options.examples as unknown[];
  assert.ok(examples.length >= 1);
  for (const ex of examples) assert.ok(validate(ex), JSON.stringify(ex));
  assert.ok(!validate({ no_such_option: 1 }));
}

/** Mean of a[lo, hi). */
export function meanOf(a: Float64Array, lo = 0, hi = a.length): number {
  let s = 0;
  for (let i = lo; i < hi; i++) s += a[i];
  return s / (hi - lo);
}

/** Asserts two score maps are bit-identical (Object.is per value). */
export function assertSameScores(
  a: Record<string, Float64Array>,
  b: Record<string, Float64Array>,
): void {
  assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
  for (const k of Object.keys(a)) {
    assert.equal(a[k].length, b[k].length);
    for (let i = 0; i < a[k].length; i++) assert.ok(Object.is(a[k][i], b[k][i]), `${k}[${i}]`);
  }
}

/** save() → binary codec → load() into a fresh instance: scores must be bit-identical. */
export function checkRoundTrip<O>(
  plugin: DetectorPlugin<O>,
  extra: Record<string, unknown> = {},
): void {
  const det = create(plugin, extra);
  det.fit(data(1, false));
  const frame = data(2, true);
  const before = det.score(frame);
  const restored = create(plugin, extra);
  restored.load(decodeState(encodeState(det.save() as never)) as never);
  const after = restored.score(frame);
  assertSameScores(before.outputs, after.outputs);
  assertSameScores(before.contributions ?? {}, after.contributions ?? {});
  assert.deepEqual(restored.metrics?.(), det.metrics?.());
}
