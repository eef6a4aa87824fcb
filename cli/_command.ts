/** The shape of one `acm <command>` module. */

/** A CLI command: its module default-exports one of these. */
export interface Command {
  /** Name typed after `acm`. */
  readonly name: string;
  /** One line for `acm --help`. */
  readonly summary: string;
  /** Full help text printed by `acm <name> --help`. */
  readonly usage: string;
  /** Runs the command; resolves to the process exit code (0 ok, 1 failure, 2 usage). */
  run(args: string[]): Promise<number>;
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** The exit-code paragraph every usage text ends with. */
export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  failure (invalid pipeline, failed run)
  2  usage error (unknown command or flag, missing argument)`;
