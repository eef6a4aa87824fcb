/**
 * Public entry points of the pipeline DSL: read a YAML pipeline file (with
 * positions), interpolate `${VAR}`, apply `--set` overrides, validate and
 * resolve every plugin. `loadPipeline` throws a `PipelineError` carrying every
 * diagnostic; `validatePipelineFile` returns them; `resolveDocument` rebuilds a
 * pipeline from an effective document (in a Worker) without re-reading YAML.
 */
import { dirname, resolve } from "node:path";
import { type Diagnostic, PipelineError } from "../errors.ts";
import type { Pipeline } from "./types.ts";
import { type EnvLookup, interpolateDocument } from "./env.ts";
import { checkDocument } from "./resolve.ts";
import { validateSensorMetadataFile } from "../sensor_metadata/load.ts";
import { pipelineMetadataPath } from "../sensor_metadata/locate.ts";
import { indexPositions, parseYamlSource, PositionMap } from "./yaml_source.ts";
import { documentData, MAX_PIPELINE_BYTES, tooLarge } from "./yaml_limits.ts";

/** Options of loading a pipeline file. */
export interface LoadOptions {
  /** `key.path=value` overrides, applied in order. */
  overrides?: readonly string[];
  /** Environment for `${VAR}`; default: the process environment. */
  env?: Record<string, string | undefined>;
}

/** Every problem of a pipeline, and the pipeline when there is no error. */
export interface ValidationResult {
  pipeline?: Pipeline;
  diagnostics: Diagnostic[];
}

function lookupOf(env: LoadOptions["env"]): EnvLookup {
  return env ? (name) => env[name] : (name) => Deno.env.get(name);
}

/** The per-asset override lists of a pipeline's `assets` section. */
export function assetOverrides(pipeline: Pipeline, asset: string): string[] {
  const assets = pipeline.document.assets as Record<string, string[]> | undefined;
  return assets?.[asset] ?? [];
}

/**
 * Checks every asset's overrides by validating the whole pipeline with them;
 * a problem is reported at the asset's entry in the `assets` section.
 */
async function checkAssetOverrides(
  data: unknown,
  pipeline: Pipeline,
  opts: LoadOptions,
  check: { file: string; positions: PositionMap; wholeReferences: ReadonlySet<string> },
): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const assets = (pipeline.document.assets ?? {}) as Record<string, string[]>;
  for (const [asset, list] of Object.entries(assets)) {
    if (list.length === 0) continue;
    const result = await checkDocument(data, {
      ...check,
      overrides: [...(opts.overrides ?? []), ...list],
    });
    for (const d of result.diagnostics) {
      if (d.severity !== "error") continue;
      const i = list.findIndex((o) => d.message.includes(`"${o}"`));
      const pointer = `/assets/${asset.replaceAll("~", "~0").replaceAll("/", "~1")}${
        i >= 0 ? `/${i}` : ""
      }`;
      out.push({
        ...d,
        ...check.positions.at(pointer),
        pointer,
        message: `asset "${asset}": ${d.message}`,
      });
    }
  }
  return out;
}

/** Validates the file named by `sensor_metadata` (its problems carry that file's positions). */
async function checkSensorMetadata(
  pipeline: Pipeline,
  positions: PositionMap,
): Promise<Diagnostic[]> {
  const path = pipelineMetadataPath(pipeline.document, pipeline.file);
  if (path === null) return [];
  const { diagnostics } = await validateSensorMetadataFile(path);
  // An unreadable file is reported where the pipeline names it.
  return diagnostics.map((d) =>
    d.code === "file-read"
      ? {
        ...d,
        ...positions.at("/sensor_metadata"),
        hint: `the path is relative to the pipeline file's folder (${dirname(pipeline.file)})`,
      }
      : d
  );
}

/** Validates pipeline YAML text; `file` is shown in positions and anchors relative plugin paths. */
export async function validatePipelineText(
  text: string,
  file: string,
  opts: LoadOptions = {},
): Promise<ValidationResult> {
  const source = parseYamlSource(text, file);
  if (source.diagnostics.length > 0) return { diagnostics: source.diagnostics };
  const env = interpolateDocument(source, lookupOf(opts.env));
  const positions = indexPositions(source, file);
  const converted = documentData(source);
  if ("diagnostic" in converted) return { diagnostics: [converted.diagnostic] };
  const data = converted.data;
  const absolute = file.startsWith("<") ? file : resolve(file);
  const checked = await checkDocument(data, {
    file: absolute,
    positions,
    overrides: opts.overrides,
    wholeReferences: env.wholeReferences,
  });
  if (checked.pipeline) {
    checked.diagnostics.push(
      ...await checkAssetOverrides(data, checked.pipeline, opts, {
        file: absolute,
        positions,
        wholeReferences: env.wholeReferences,
      }),
    );
    checked.diagnostics.push(...await checkSensorMetadata(checked.pipeline, positions));
    if (checked.diagnostics.some((d) => d.severity === "error")) delete checked.pipeline;
  }
  if (env.diagnostics.length === 0) return checked;
  // A failed reference stays as written; drop the follow-up errors it causes at the same spot.
  const failed = new Set(env.diagnostics.map((d) => d.pointer));
  const rest = checked.diagnostics.filter((d) => !failed.has(d.pointer));
  const diagnostics = [...env.diagnostics, ...rest].sort((a, b) =>
    (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)
  );
  return { diagnostics };
}

/** Reads and validates a pipeline file, collecting every problem in one pass. */
export async function validatePipelineFile(
  file: string,
  opts: LoadOptions = {},
): Promise<ValidationResult> {
  let text: string;
  try {
    // Refuse a huge file before reading it (the text check covers stdin and strings).
    const size = (await Deno.stat(file)).size;
    if (size > MAX_PIPELINE_BYTES) return { diagnostics: [tooLarge(file, size)] };
    text = await Deno.readTextFile(file);
  } catch (e) {
    return {
      diagnostics: [{
        file,
        code: "file-read",
        severity: "error",
        message: `Cannot read pipeline file "${file}": ${(e as Error).message}`,
      }],
    };
  }
  return validatePipelineText(text, file, opts);
}

/** Loads a pipeline file; throws `PipelineError` with every diagnostic when it has errors. */
export async function loadPipeline(file: string, opts: LoadOptions = {}): Promise<Pipeline> {
  const { pipeline, diagnostics } = await validatePipelineFile(file, opts);
  if (!pipeline) throw new PipelineError(diagnostics);
  return pipeline;
}

/**
 * Rebuilds a pipeline from an effective document (env already interpolated,
 * overrides applied) without reading YAML: a Worker re-imports the plugins by
 * specifier. `file` anchors relative plugin paths. Throws `PipelineError`.
 */
export async function resolveDocument(
  document: Record<string, unknown>,
  opts: { file: string },
): Promise<Pipeline> {
  const { pipeline, diagnostics } = await checkDocument(document, {
    file: opts.file,
    positions: new PositionMap(opts.file),
  });
  if (!pipeline) throw new PipelineError(diagnostics);
  return pipeline;
}
