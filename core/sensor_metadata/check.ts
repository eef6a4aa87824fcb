/**
 * Compares a sensor metadata file with the data: a sensor the file describes
 * but the chunks lack is a warning at the name's file:line:column (usually a
 * typo or a renamed tag), never a failure.
 */
import { didYouMean } from "../pipeline/did_you_mean.ts";
import type { SensorMetadata } from "./load.ts";

/** One warning line per sensor named in `metadata` that is not among `columns`. */
export function missingSensorWarnings(
  metadata: SensorMetadata,
  columns: readonly string[],
): string[] {
  const have = new Set(columns);
  const out: string[] = [];
  for (const name of Object.keys(metadata.sensors)) {
    if (have.has(name)) continue;
    const at = metadata.positions[name] ?? { line: 1, column: 1 };
    const hint = didYouMean(name, columns);
    out.push(
      `${metadata.file}:${at.line}:${at.column}: sensor metadata names "${name}", which is not a column of the data; its unit, description and limits are not shown${
        hint ? ` (${hint})` : ""
      }`,
    );
  }
  return out;
}
