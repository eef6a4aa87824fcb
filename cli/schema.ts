/** `acm schema`: prints the composed pipeline JSON Schema (for editors) or writes it to a file. */
import { composeSchema } from "../core/pipeline/schema.ts";
import { loadBuiltinPlugins } from "../core/pipeline/builtins.ts";
import { SENSOR_METADATA_SCHEMA } from "../core/sensor_metadata/schema.ts";
import { parseCommandArgs, usageError } from "./_args.ts";
import { type Command, EXIT, EXIT_CODES_HELP } from "./_command.ts";

/** The sensor metadata schema as committed in schemas/sensor_metadata.schema.json. */
export function sensorMetadataSchemaText(): string {
  return JSON.stringify(SENSOR_METADATA_SCHEMA, null, 2) + "\n";
}

/** The composed schema as committed in schemas/pipeline.schema.json (2-space JSON, final newline). */
export async function composedSchemaText(): Promise<{ text: string; failures: string[] }> {
  const { plugins, failures } = await loadBuiltinPlugins();
  return {
    text: JSON.stringify(composeSchema(plugins), null, 2) + "\n",
    failures: failures.flatMap((f) => f.problems.map((p) => `${f.kind} "${f.name}": ${p.message}`)),
  };
}

const command: Command = {
  name: "schema",
  summary: "Print the pipeline (or sensor metadata) JSON Schema for editors",
  usage: `Usage: acm schema [--kind pipeline|sensors] [--output FILE]

Prints the JSON Schema (draft 2020-12) of pipeline files, composed from the
envelope, the stage sections and the options schema of every built-in plugin.
Point your editor at it, e.g. for yaml-language-server put this first line in
a pipeline file:
  # yaml-language-server: $schema=../schemas/pipeline.schema.json

--kind sensors prints the schema of sensor metadata files (sensors.yaml: unit,
description and limits per sensor) instead.

Options:
  --kind KIND        pipeline (default) or sensors
  -o, --output FILE  write the schema to FILE instead of standard output
  -h, --help         show this help

The committed copies are schemas/pipeline.schema.json and
schemas/sensor_metadata.schema.json; refresh them with
  deno task acm schema --output schemas/pipeline.schema.json
  deno task acm schema --kind sensors --output schemas/sensor_metadata.schema.json

${EXIT_CODES_HELP}`,
  async run(argv) {
    const parsed = parseCommandArgs(this, argv, {
      output: { type: "string", short: "o" },
      kind: { type: "string" },
    }, { max: 0 });
    if ("exit" in parsed) return parsed.exit;
    const kind = (parsed.args.values.kind as string | undefined) ?? "pipeline";
    if (kind !== "pipeline" && kind !== "sensors") {
      return usageError(this, `--kind "${kind}" is not one of pipeline, sensors`);
    }
    const { text, failures } = kind === "sensors"
      ? { text: sensorMetadataSchemaText(), failures: [] }
      : await composedSchemaText();
    if (failures.length > 0) {
      console.error(`acm schema: cannot load every built-in plugin:\n  ${failures.join("\n  ")}`);
      return EXIT.failure;
    }
    const output = parsed.args.values.output as string | undefined;
    if (output) {
      await Deno.writeTextFile(output, text);
      console.error(`acm schema: wrote ${output}`);
    } else console.log(text.trimEnd());
    return EXIT.ok;
  },
};

export default command;
