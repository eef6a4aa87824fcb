/**
 * Argument parsing shared by the commands: `node:util` parseArgs in strict mode,
 * `--help`/`-h` on every command, repeatable options, and usage errors printed
 * with a pointer to `--help` (exit 2).
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { didYouMean } from "../core/pipeline/did_you_mean.ts";
import { type Command, EXIT } from "./_command.ts";

/** Option declarations (parseArgs format). */
export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/** What a command's arguments parsed to. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** Parsed arguments, or the exit code to return right away (help printed: 0, usage error: 2). */
export type ArgsResult = { args: ParsedArgs } | { exit: number };

/** Limits on positional arguments. */
export interface PositionalSpec {
  min?: number;
  max?: number;
  /** Names them in the error message, e.g. "FILE". */
  name?: string;
}

/** Prints a usage error for `cmd` and returns exit code 2. */
export function usageError(cmd: Pick<Command, "name">, message: string): number {
  console.error(`acm ${cmd.name}: ${message}\nRun \`acm ${cmd.name} --help\` for usage.`);
  return EXIT.usage;
}

/** Parses `argv` strictly against `options` (plus `--help`); prints help or a usage error itself. */
export function parseCommandArgs(
  cmd: Pick<Command, "name" | "usage">,
  argv: string[],
  options: OptionSpec = {},
  positionals: PositionalSpec = {},
): ArgsResult {
  const spec: OptionSpec = { ...options, help: { type: "boolean", short: "h" } };
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs({
      args: argv,
      options: spec,
      strict: true,
      allowPositionals: true,
    }) as ParsedArgs;
  } catch (e) {
    const message = (e as Error).message;
    const flag = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    if (flag) {
      const hint = didYouMean(flag.replace(/^-+/, ""), Object.keys(spec));
      return {
        exit: usageError(
          cmd,
          `unknown option ${flag}${hint ? ` (${hint.replace("`", "`--")})` : ""}`,
        ),
      };
    }
    return { exit: usageError(cmd, message.split("\n")[0]) };
  }
  if (parsed.values.help) {
    console.log(cmd.usage);
    return { exit: EXIT.ok };
  }
  const count = parsed.positionals.length;
  const what = positionals.name ?? "argument";
  if (positionals.min !== undefined && count < positionals.min) {
    return { exit: usageError(cmd, `missing ${what}`) };
  }
  if (positionals.max !== undefined && count > positionals.max) {
    return {
      exit: usageError(cmd, `unexpected argument "${parsed.positionals[positionals.max]}"`),
    };
  }
  return { args: parsed };
}

/** A repeatable string option's values (`--set a=1 --set b=2` → ["a=1", "b=2"]). */
export function stringList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/**
 * `deno task` runs in the folder of deno.json and passes the caller's folder
 * in `INIT_CWD`; moving there makes relative paths on the command line mean
 * what the user typed. Returns the folder moved to, or null (no INIT_CWD, it is
 * already the working folder, or it cannot be entered — then paths stay
 * relative to the project root and a note says so on stderr).
 */
export function enterCallerDir(
  env: (name: string) => string | undefined = Deno.env.get,
): string | null {
  const caller = env("INIT_CWD");
  if (!caller) return null;
  const here = Deno.cwd();
  if (caller === here) return null;
  try {
    Deno.chdir(caller);
    return caller;
  } catch (e) {
    console.error(
      `acm: note: relative paths are resolved against ${here}, not the calling folder ${caller} (${
        (e as Error).message
      })`,
    );
    return null;
  }
}
