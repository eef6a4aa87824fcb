/** `acm validate FILE…`: reports every problem of pipeline files in one pass. */
import { stringify } from "yaml";
import { resolve } from "node:path";
import { formatDiagnostic } from "../core/errors.ts";
import { validatePipelineFile } from "../core/pipeline/load.ts";
import { enterPluginIsolation } from "../core/pipeline/plugin_sandbox.ts";
import type { Pipeline } from "../core/pipeline/types.ts";
import { parseCommandArgs, stringList } from "./_args.ts";
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

const command: Command = {
  name: "validate",
  summary: "Check pipeline files and report every problem with file:line:column",
  usage: `Usage: acm validate FILE... [--set key.path=value]... [--json] [--print]

Reads each pipeline file, interpolates \${VAR} references, applies the --set
overrides, loads every plugin and validates the whole pipeline. Every problem
is reported in one pass as
  file:line:column: error[code] message (at /json/pointer) [node, plugin]
      hint: ...

Options:
  --set key.path=value  override a setting; repeatable. Node lists are addressed
                        by node id: --set detectors.pca.n_components=3,
                        --set fusion.weights.ar1=0.3, --set episodes.on_z=2.5
  --json                print the diagnostics as JSON
  --print               print the effective pipeline (defaults filled) as YAML
  -h, --help            show this help

${EXIT_CODES_HELP.replace("(invalid pipeline, failed run)", "(a pipeline is invalid)")}`,
  async run(argv) {
    const parsed = parseCommandArgs(this, argv, {
      set: { type: "string", multiple: true },
      json: { type: "boolean" },
      print: { type: "boolean" },
    }, { min: 1, name: "FILE" });
    if ("exit" in parsed) return parsed.exit;
    const { values, positionals } = parsed.args;
    const overrides = stringList(values.set);
    // Third-party plugins load and create() in a narrowed worker (core/pipeline/plugin_sandbox.ts).
    const release = enterPluginIsolation();
    let failed = false;
    const report: unknown[] = [];
    for (const file of positionals.map((f) => resolve(f))) {
      const { pipeline, diagnostics } = await validatePipelineFile(file, { overrides });
      failed ||= !pipeline;
      if (values.json) {
        report.push({ file, valid: !!pipeline, diagnostics });
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
