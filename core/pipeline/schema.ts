/**
 * The pipeline envelope schema (draft 2020-12) and its composition with every
 * plugin's options schema. Validation uses the open envelope (node options are
 * checked per node by the plugin's own compiled schema, which gives precise
 * errors); `composeSchema()` builds the closed, single-file schema editors use
 * (`acm schema`, schemas/pipeline.schema.json).
 */
import type { AnyPlugin, JsonSchema, PluginKind } from "../plugin.ts";
import { STAGE_SCHEMAS } from "./stage_schemas.ts";

/** A pipeline section holding plugin nodes. */
export interface NodeSection {
  key: "source" | "features" | "detectors" | "fusion" | "sinks";
  kind: PluginKind;
  /** A list of nodes (else one node). */
  list: boolean;
}

/** The node sections in data-path order. */
export const NODE_SECTIONS: readonly NodeSection[] = [
  { key: "source", kind: "source", list: false },
  { key: "features", kind: "feature", list: true },
  { key: "detectors", kind: "detector", list: true },
  { key: "fusion", kind: "fusion", list: false },
  { key: "sinks", kind: "sink", list: true },
];

/** Keys of a node that are not plugin options. */
export const RESERVED_KEYS = ["id", "plugin", "inputs"] as const;

/** JSON Schema `$id` of the composed pipeline schema. */
export const PIPELINE_SCHEMA_ID = "https://acm.dev/schemas/pipeline.schema.json";

const INPUTS_TEXT: Record<PluginKind, string> = {
  source: "A source takes no inputs.",
  feature: "Ids of the source or of other feature nodes this feature reads.",
  detector: "Ids of the source or of feature nodes whose columns this detector models.",
  fusion: "Detector node ids (all their heads) or head names (`pca_spe`) to fuse.",
  sink: "Ignored: a sink receives every scored chunk.",
};

/** The reserved properties of a node of the given kind. */
function reservedProperties(kind: PluginKind): Record<string, JsonSchema> {
  return {
    id: {
      type: "string",
      pattern: "^[A-Za-z][A-Za-z0-9_-]*$",
      description:
        "Node id, unique in the pipeline; names the node's outputs and addresses it in --set.",
    },
    plugin: {
      type: "string",
      minLength: 1,
      description: `Name of a built-in ${kind} plugin or an id from the \`plugins\` map.`,
    },
    inputs: {
      type: "array",
      items: { type: "string", minLength: 1 },
      uniqueItems: true,
      description: INPUTS_TEXT[kind],
      ...(kind === "source" ? { maxItems: 0 } : {}),
    },
  };
}

/** An open node schema: reserved keys checked, options left to the plugin's schema. */
function openNode(kind: PluginKind): JsonSchema {
  return {
    type: "object",
    description:
      `A ${kind} node: \`id\`, \`plugin\`, \`inputs\`; every other key is an option of the plugin.`,
    required: kind === "source" || kind === "sink" ? ["id", "plugin"] : ["id", "plugin", "inputs"],
    properties: reservedProperties(kind),
  };
}

/** Builds the envelope; `node(kind)` gives the schema of one node of a kind. */
function envelope(node: (kind: PluginKind) => JsonSchema): JsonSchema {
  const list = (kind: PluginKind, description: string, extra: JsonSchema = {}) => ({
    type: "array",
    description,
    items: node(kind),
    ...extra,
  });
  return {
    type: "object",
    additionalProperties: false,
    required: ["version", "name", "source", "detectors", "fusion"],
    properties: {
      version: { const: 1, description: "Pipeline file format version; must be 1." },
      name: {
        type: "string",
        minLength: 1,
        description: "Name of the pipeline (shown in reports).",
      },
      seed: {
        type: "integer",
        minimum: 0,
        maximum: 4294967295,
        default: 0,
        description:
          "Seed of every random choice; the same seed gives the same scores bit for bit.",
      },
      plugins: {
        type: "object",
        description:
          "Third-party plugin modules: id → path relative to this file, file URL or npm: specifier.",
        default: {},
        propertyNames: { pattern: "^[a-z][a-z0-9_]*$" },
        additionalProperties: { type: "string", minLength: 1 },
      },
      sensor_metadata: {
        type: "string",
        minLength: 1,
        description:
          "Sensor metadata YAML (units, descriptions, limits; schemas/sensor_metadata.schema.json), relative to this file. Unset: sensors.yaml next to each asset's chunks, when present.",
        examples: ["sensors/FD_FAN_sensors.yaml"],
      },
      source: node("source"),
      sensor_health: STAGE_SCHEMAS.sensor_health,
      features: list("feature", "Feature nodes: transforms of the source's columns.", {
        default: [],
      }),
      detectors: list("detector", "Detector nodes; each yields one or more heads (scores).", {
        minItems: 1,
      }),
      calibration: STAGE_SCHEMAS.calibration,
      regimes: STAGE_SCHEMAS.regimes,
      fusion: node("fusion"),
      episodes: STAGE_SCHEMAS.episodes,
      health: STAGE_SCHEMAS.health,
      model: STAGE_SCHEMAS.model,
      sinks: list("sink", "Sink nodes: where results are written.", { default: [] }),
      assets: {
        type: "object",
        description:
          "Per-asset settings (ACM V8 kept them as per-equipment config rows): asset name → overrides in the --set form, applied on top of this file for that asset only.",
        default: {},
        additionalProperties: {
          type: "array",
          items: { type: "string", pattern: "^[^=]+=" },
          description: "Overrides `path=value`, e.g. `regimes.sensors=[DWATT]`.",
        },
        examples: [{ GAS_TURBINE: ["regimes.sensors=[DWATT]"] }],
      },
    },
  };
}

/** The envelope used for validation: nodes are open, their options checked per plugin. */
export function envelopeSchema(): JsonSchema {
  return envelope(openNode);
}

/** A node schema closed over one plugin's options: reserved keys plus its option properties. */
export function nodeSchemaFor(kind: PluginKind, options: JsonSchema): JsonSchema {
  const { $schema: _s, $id: _i, examples: _e, title: _t, default: _d, ...rest } = options;
  return {
    ...rest,
    type: "object",
    properties: {
      ...reservedProperties(kind),
      ...(options.properties as Record<string, JsonSchema> | undefined ?? {}),
    },
    additionalProperties: false,
  };
}

/** The closed pipeline schema for editors: each node's options checked by its plugin's schema. */
export function composeSchema(plugins: readonly AnyPlugin[]): JsonSchema {
  const byKind = (kind: PluginKind) =>
    plugins.filter((p) => p.kind === kind).sort((a, b) => a.name.localeCompare(b.name));
  const defs: Record<string, JsonSchema> = {};
  for (const { kind } of NODE_SECTIONS) {
    const members = byKind(kind);
    const base = openNode(kind);
    const props = base.properties as Record<string, JsonSchema>;
    defs[`${kind}_node`] = {
      ...base,
      properties: {
        ...props,
        plugin: { ...props.plugin, examples: members.map((p) => p.name) },
      },
      ...(members.length === 0 ? {} : {
        allOf: members.map((p) => ({
          if: { properties: { plugin: { const: p.name } }, required: ["plugin"] },
          then: {
            description: `${p.name} ${p.version}: ${p.summary}`,
            ...nodeSchemaFor(kind, p.options),
          },
        })),
      }),
    };
  }
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: PIPELINE_SCHEMA_ID,
    title: "acm pipeline",
    description:
      "An acm pipeline file: source → features → detectors → fusion → sinks, with the fixed stage sections. Generated by `acm schema`; do not edit.",
    ...envelope((kind) => ({ $ref: `#/$defs/${kind}_node` })),
    $defs: defs,
  };
}
