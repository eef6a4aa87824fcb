/**
 * Stopping a replay early (Ctrl-C in `acm replay`): the run stops waiting for
 * its workers, and the caller writes an `interrupted` run manifest. Every
 * chunk whose ledger entry was written is done; a chunk in flight is redone by
 * `--resume` (the same guarantee as after a kill: the ledger is written
 * atomically, after the chunk's outputs).
 */

/** What `whenAborted()` resolves to. */
export const INTERRUPTED = Symbol("interrupted");

/** Resolves with INTERRUPTED once `signal` aborts (never without a signal). */
export function whenAborted(signal: AbortSignal | undefined): Promise<typeof INTERRUPTED> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) return resolve(INTERRUPTED);
    signal.addEventListener("abort", () => resolve(INTERRUPTED), { once: true });
  });
}

/** The command that resumes an interrupted run: the same arguments plus `--resume`. */
export function resumeCommand(argv: readonly string[], prefix = "deno task acm replay"): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`);
  const args = argv.includes("--resume") ? [...argv] : [...argv, "--resume"];
  return [prefix, ...args.map(quote)].join(" ");
}
