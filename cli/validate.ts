/** `acm validate FILE…`: reports every problem of pipeline files in one pass. */
import { stringify } from "yaml";
import { resolve } from "node:path";
import { formatDiagnostic } from "../core/errors.ts";
import { validatePipelineFile } from "../core/pipeline/load.ts";
import { enterPluginIsolation } from "../core/pipeline/plugin_sandbox.ts";
import { validateSensorMetadataFile } from "../core/sensor_metadata/load.ts";
import { yamlFileKind } from "../core/sensor_metadata/kind.ts";
import type { Pipeline } from "../core/pipeline/types.ts";
import { parseCommandArgs, stringList, usageError } from "./_args.ts";
import { type Command, EXIT, EXIT_CODES_HELP } from "./_command.ts";

function describe(p: Pipeline): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return [
    `source ${p.source.pluginName}`,
    plural(p.features.length, "feature"),
    plural(p.detectors.length, "detector"),
    `fusion ${p.fusion.pluginName}`,
    plural(p.sinks.length, "sink"),
  ].join(", ");
}

/** True when `file` reads as a sensor metadata file (an unreadable file goes the pipeline way). */
async function isSensorFile(file: string): Promise<boolean> {
  const text = await Deno.readTextFile(file).catch(() => null);
  return text !== null && yamlFileKind(text.slice(0, 1 << 20), file) === "sensors";
}

const command: Command = {
  name: "validate",
  summary: "Check pipeline and sensor metadata files; every problem with file:line:column",
  usage: `Usage: acm validate FILE... [--set key.path=value]... [--json] [--print]
                    [--kind auto|pipeline|sensors]

Reads each pipeline file, interpolates \${VAR} references, applies the --set
overrides, loads every plugin and validates the whole pipeline. Every problem
is reported in one pass as
  file:line:column: error[code] message (at /json/pointer) [node, plugin]
      hint: ...

A sensor metadata file (units, descriptions, limits; schemas/sensor_metadata.schema.json)
is recognised by a name ending in sensors.yaml, or by a top-level \`sensors\` key
without \`source\`/\`detectors\`; --kind forces one or the other.

Options:
  --set key.path=value  override a setting; repeatable. Node lists are addressed
                        by node id: --set detectors.pca.n_components=3,
                        --set fusion.weights.ar1=0.3, --set episodes.on_z=2.5
  --json                print the diagnostics as JSON
  --print               print the effective pipeline (defaults filled) as YAML
  --kind KIND           auto (default), pipeline or sensors
  -h, --help            show this help

${EXIT_CODES_HELP.replace("(invalid pipeline, failed run)", "(a pipeline is invalid)")}`,
  async run(argv) {
    const parsed = parseCommandArgs(this, argv, {
      set: { type: "string", multiple: true },
      json: { type: "boolean" },
      print: { type: "boolean" },
      kind: { type: "string" },
    }, { min: 1, name: "FILE" });
    if ("exit" in parsed) return parsed.exit;
    const { values, positionals } = parsed.args;
    const kind = (values.kind as string | undefined) ?? "auto";
    if (!["auto", "pipeline", "sensors"].includes(kind)) {
      return usageError(this, `--kind "${kind}" is not one of auto, pipeline, sensors`);
    }
    const overrides = stringList(values.set);
    // Third-party plugins load and create() in a narrowed worker (core/pipeline/plugin_sandbox.ts).
    const release = enterPluginIsolation();
    let failed = false;
    const report: unknown[] = [];
    for (const file of positionals.map((f) => resolve(f))) {
      if (kind === "sensors" || (kind === "auto" && await isSensorFile(file))) {
        const { metadata, diagnostics } = await validateSensorMetadataFile(file);
        failed ||= !metadata;
        if (values.json) {
          report.push({ file, kind: "sensors", valid: !!metadata, diagnostics });
          continue;
        }
        for (const d of diagnostics) console.log(formatDiagnostic(d));
        const n = diagnostics.filter((d) => d.severity === "error").length;
        console.log(
          metadata
            ? `${file}: valid sensor metadata (${Object.keys(metadata.sensors).length} sensors)`
            : `${file}: invalid sensor metadata, ${n} problem${n === 1 ? "" : "s"}`,
        );
        continue;
      }
      const { pipeline, diagnostics } = await validatePipelineFile(file, { overrides });
      failed ||= !pipeline;
      if (values.json) {
        report.push({ file, kind: "pipeline", valid: !!pipeline, diagnostics });
        continue;
      }
      for (const d of diagnostics) console.log(formatDiagnostic(d));
      const errors = diagnostics.filter((d) => d.severity === "error").length;
      if (pipeline) {
        console.log(`${file}: valid (${describe(pipeline)})`);
        if (values.print) console.log(stringify(pipeline.document).trimEnd());
      } else console.log(`${file}: invalid, ${errors} problem${errors === 1 ? "" : "s"}`);
    }
    release();
    if (values.json) console.log(JSON.stringify(report, null, 2));
    return failed ? EXIT.failure : EXIT.ok;
  },
};

export default command;
