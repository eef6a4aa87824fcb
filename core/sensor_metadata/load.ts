/**
 * Reads and validates a sensor metadata file like a pipeline: YAML with
 * positions, the same size/depth/alias limits, the file's JSON Schema through
 * Ajv (every problem in one pass at file:line:column, unknown keys with the
 * allowed ones and a did-you-mean), and low ≤ high for every sensor's limits.
 */
import { type Diagnostic, formatDiagnostic } from "../errors.ts";
import { ajv } from "../pipeline/ajv.ts";
import { ajvDiagnostics } from "../pipeline/ajv_errors.ts";
import { childPointer, indexPositions, parseYamlSource } from "../pipeline/yaml_source.ts";
import { documentData, MAX_PIPELINE_BYTES, tooLarge } from "../pipeline/yaml_limits.ts";
import { SENSOR_METADATA_SCHEMA, SENSOR_METADATA_SCHEMA_ID } from "./schema.ts";

/** What one sensor measures. */
export interface SensorInfo {
  unit?: string;
  description?: string;
  limits?: { low?: number; high?: number };
}

/** A validated sensor metadata file: its sensors and where each one is written. */
export interface SensorMetadata {
  /** Absolute path of the file. */
  file: string;
  sensors: Record<string, SensorInfo>;
  /** Line and column of each sensor's name in the file. */
  positions: Record<string, { line: number; column: number }>;
}

/** The metadata, when there is no error, and every problem found. */
export interface SensorMetadataResult {
  metadata?: SensorMetadata;
  diagnostics: Diagnostic[];
}

/** The parsers' messages say "pipeline"; this file is not one. */
function retitle(d: Diagnostic): Diagnostic {
  return {
    ...d,
    message: d.message.replace("Cannot read pipeline", "Cannot read sensor metadata"),
  };
}

function validator() {
  return ajv.getSchema(SENSOR_METADATA_SCHEMA_ID) ?? ajv.compile(SENSOR_METADATA_SCHEMA);
}

/** Validates sensor metadata YAML text; `file` is shown in every position. */
export function validateSensorMetadataText(text: string, file: string): SensorMetadataResult {
  const source = parseYamlSource(text, file);
  if (source.diagnostics.length > 0) return { diagnostics: source.diagnostics.map(retitle) };
  const positions = indexPositions(source, file);
  const converted = documentData(source);
  if ("diagnostic" in converted) return { diagnostics: [retitle(converted.diagnostic)] };
  const data = converted.data;
  const validate = validator();
  const diagnostics = validate(data)
    ? []
    : ajvDiagnostics(validate.errors, { positions, base: "" });
  // Limits order is checked in the same pass, wherever both limits are numbers.
  const sensors = (data as { sensors?: unknown } | null)?.sensors;
  const listed = sensors !== null && typeof sensors === "object" && !Array.isArray(sensors)
    ? Object.entries(sensors as Record<string, SensorInfo | null>)
    : [];
  const where: SensorMetadata["positions"] = {};
  for (const [name, info] of listed) {
    const pointer = childPointer("/sensors", name);
    const at = positions.keyAt(pointer);
    where[name] = { line: at.line ?? 1, column: at.column ?? 1 };
    const { low, high } = info?.limits ?? {};
    if (typeof low === "number" && typeof high === "number" && low > high) {
      diagnostics.push({
        ...positions.at(`${pointer}/limits/low`),
        code: "threshold-order",
        severity: "error",
        message: `Sensor "${name}": limits.low ${low} is above limits.high ${high}`,
        hint: "swap the two values; low must be ≤ high",
      });
    }
  }
  if (diagnostics.length > 0) {
    diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    return { diagnostics };
  }
  const metadata = {
    file,
    sensors: Object.fromEntries(listed) as Record<string, SensorInfo>,
    positions: where,
  };
  return { metadata, diagnostics };
}

/** Reads and validates a sensor metadata file (a missing or unreadable file is a diagnostic). */
export async function validateSensorMetadataFile(file: string): Promise<SensorMetadataResult> {
  let text: string;
  try {
    const size = (await Deno.stat(file)).size;
    if (size > MAX_PIPELINE_BYTES) return { diagnostics: [retitle(tooLarge(file, size))] };
    text = await Deno.readTextFile(file);
  } catch (e) {
    return {
      diagnostics: [{
        file,
        code: "file-read",
        severity: "error",
        message: `Cannot read sensor metadata file "${file}": ${(e as Error).message}`,
      }],
    };
  }
  return validateSensorMetadataText(text, file);
}

/** A sensor metadata file that cannot be used: carries every diagnostic. */
export class SensorMetadataError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === "error");
    super(
      `Cannot use sensor metadata: ${errors.length} problem${errors.length === 1 ? "" : "s"}\n` +
        errors.map(formatDiagnostic).join("\n"),
    );
    this.name = "SensorMetadataError";
  }
}

/** Reads a sensor metadata file; throws `SensorMetadataError` when it has errors. */
export async function loadSensorMetadata(file: string): Promise<SensorMetadata> {
  const { metadata, diagnostics } = await validateSensorMetadataFile(file);
  if (!metadata) throw new SensorMetadataError(diagnostics);
  return metadata;
}
