/**
 * `acm <command> …`: the command-line entry. Command modules are imported
 * lazily from a static table (so `deno compile` embeds them and a command only
 * loads what it needs); each default-exports a `Command` (cli/_command.ts).
 */
import denoJson from "../deno.json" with { type: "json" };
import { didYouMean } from "../core/pipeline/did_you_mean.ts";
import { type Command, EXIT, EXIT_CODES_HELP } from "./_command.ts";
import { enterCallerDir } from "./_args.ts";

/** One entry of the command table. */
export interface CommandEntry {
  /** Shown by `acm --help`; equals the module's own summary (a test checks). */
  summary: string;
  /** Module file, relative to cli/. */
  file: string;
  load: () => Promise<{ default: Command }>;
}

/** Every command, in help order. */
export const COMMANDS: Record<string, CommandEntry> = {
  validate: {
    summary: "Check pipeline and sensor metadata files; every problem with file:line:column",
    file: "validate.ts",
    load: () => import("./validate.ts"),
  },
  schema: {
    summary: "Print the pipeline (or sensor metadata) JSON Schema for editors",
    file: "schema.ts",
    load: () => import("./schema.ts"),
  },
  plugins: {
    summary: "List the built-in and pipeline plugins with their options; scaffold a new detector",
    file: "plugins.ts",
    load: () => import("./plugins.ts"),
  },
  replay: {
    summary: "Score every asset's chunks in time order, fitting and refitting models",
    file: "replay.ts",
    load: () => import("./replay.ts"),
  },
  worker: {
    summary: "Score chunk jobs of distributed replays from a PostgreSQL queue (pg-boss)",
    file: "worker.ts",
    load: () => import("./worker.ts"),
  },
  export: {
    summary: "Write the csv-sink files (scores.csv, episodes.csv, …) from the PostgreSQL store",
    file: "export.ts",
    load: () => import("./export.ts"),
  },
  split: {
    summary: "Cut a sensor CSV into replay chunks (batch_001.csv ...), sorted and de-duplicated",
    file: "split.ts",
    load: () => import("./split.ts"),
  },
  demo: {
    summary: "Generate a synthetic fleet with injected faults, replay it and report what was found",
    file: "demo.ts",
    load: () => import("./demo.ts"),
  },
  eval: {
    summary: "Score a pipeline on labelled synthetic fleets or the SKAB benchmark",
    file: "eval.ts",
    load: () => import("./eval.ts"),
  },
  report: {
    summary: "Rebuild the HTML reports and the fleet index from stored outputs",
    file: "report.ts",
    load: () => import("./report.ts"),
  },
};

/** Text of `acm --help` (summaries from the table: importing every command would be slow). */
export function mainUsage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length)) + 2;
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`);
  return `acm ${denoJson.version}: asset condition monitoring with declarative pipelines

Usage: acm <command> [options]
       acm <command> --help

Commands:
${lines.join("\n")}

Options:
  -h, --help     show this help
  -V, --version  print the version

${EXIT_CODES_HELP}`;
}

/** Runs `acm` with the given arguments; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    if (name === "help" && rest[0] && COMMANDS[rest[0]]) return main([rest[0], "--help"]);
    console.log(mainUsage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version" || name === "-V") {
    console.log(`acm ${denoJson.version}`);
    return EXIT.ok;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    const hint = didYouMean(name, Object.keys(COMMANDS));
    console.error(
      `acm: unknown command "${name}"${
        hint ? ` (${hint})` : ""
      }\nRun \`acm --help\` for the list of commands.`,
    );
    return EXIT.usage;
  }
  let command: Command;
  try {
    command = (await entry.load()).default;
  } catch (e) {
    console.error(
      `acm: cannot run \`acm ${name}\`: its module cli/${entry.file} could not be loaded (${
        (e as Error).message.split("\n")[0]
      })`,
    );
    return EXIT.failure;
  }
  return await command.run(rest);
}

if (import.meta.main) {
  enterCallerDir();
  Deno.exit(await main(Deno.args));
}
