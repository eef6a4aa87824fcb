/**
 * The pipeline signature: SHA-256 over canonical JSON of the configuration that
 * changes fitted state — seed, source options, sensor health, features,
 * detectors (ids, plugin names and versions, inputs, options), calibration and
 * regimes. Fusion, episodes, health, sinks and the model policy are left out:
 * changing them re-uses a fitted model.
 */
import { sha256Hex } from "../hash.ts";
import type { Pipeline, ResolvedNode } from "./types.ts";

/** JSON with object keys sorted at every level and no whitespace; undefined members dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    return JSON.stringify(value ?? null);
  }
  if (ArrayBuffer.isView(value)) {
    return canonicalJson(Array.from(value as unknown as ArrayLike<number>));
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

function node(n: ResolvedNode<{ name: string; version: string }>) {
  return {
    id: n.id,
    plugin: n.plugin.name,
    version: n.plugin.version,
    inputs: n.inputs,
    options: n.options,
  };
}

/** The model-relevant part of a pipeline, as plain data. */
export function signatureInput(p: Pipeline): Record<string, unknown> {
  return {
    seed: p.seed,
    source: node(p.source),
    sensor_health: p.stages.sensor_health,
    features: p.features.map(node),
    detectors: p.detectors.map(node),
    calibration: p.stages.calibration,
    regimes: p.stages.regimes,
  };
}

/** SHA-256 hex of the canonical JSON of the model-relevant configuration. */
export function pipelineSignature(p: Pipeline): string {
  return sha256Hex(canonicalJson(signatureInput(p)));
}
