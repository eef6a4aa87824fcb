/**
 * Tells a sensor metadata file from a pipeline file, for `acm validate`: a
 * name ending in `sensors.yaml`/`sensors.yml`, or a top-level mapping with a
 * `sensors` key and none of a pipeline's `source`/`detectors` keys.
 */
import { parse } from "yaml";

/** Which kind of acm YAML file the text (named `file`) is. */
export function yamlFileKind(text: string, file: string): "pipeline" | "sensors" {
  if (/sensors\.ya?ml$/i.test(file)) return "sensors";
  let data: unknown;
  try {
    data = parse(text, { maxAliasCount: 100 });
  } catch {
    return "pipeline"; // the pipeline reader reports the syntax error with its position
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) return "pipeline";
  const keys = Object.keys(data);
  return keys.includes("sensors") && !keys.includes("source") && !keys.includes("detectors")
    ? "sensors"
    : "pipeline";
}
