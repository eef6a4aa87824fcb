/** `acm schema`: prints the composed pipeline JSON Schema (for editors) or writes it to a file. */
import { composeSchema } from "../core/pipeline/schema.ts";
import { loadBuiltinPlugins } from "../core/pipeline/builtins.ts";
import { parseCommandArgs } from "./_args.ts";
import { type Command, EXIT, EXIT_CODES_HELP } from "./_command.ts";

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
  summary: "Print the pipeline JSON Schema (envelope + every built-in plugin's options)",
  usage: `Usage: acm schema [--output FILE]

Prints the JSON Schema (draft 2020-12) of pipeline files, composed from the
envelope, the stage sections and the options schema of every built-in plugin.
Point your editor at it, e.g. for yaml-language-server put this first line in
a pipeline file:
  # yaml-language-server: $schema=../schemas/pipeline.schema.json

Options:
  -o, --output FILE  write the schema to FILE instead of standard output
  -h, --help         show this help

The committed copy is schemas/pipeline.schema.json; refresh it with
  deno task acm schema --output schemas/pipeline.schema.json

${EXIT_CODES_HELP}`,
  async run(argv) {
    const parsed = parseCommandArgs(this, argv, { output: { type: "string", short: "o" } }, {
      max: 0,
    });
    if ("exit" in parsed) return parsed.exit;
    const { text, failures } = await composedSchemaText();
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
