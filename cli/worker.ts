/**
 * `acm worker --queue URL`: take chunk jobs of distributed replays from the
 * queue and score them (core/queue/queue_worker.ts). Run any number of these,
 * on any machines that can read the chunk root and reach the database.
 */
import { type Command, EXIT, EXIT_CODES_HELP } from "./_command.ts";
import { parseCommandArgs, usageError } from "./_args.ts";
import { runQueueWorker } from "../core/queue/queue_worker.ts";
import { pgErrorMessage } from "../core/store/pg_connect.ts";
import { queuePermissionProblem, queueUrl } from "./_queue.ts";

const usage = `Usage: acm worker --queue URL [options]

Takes chunk jobs queued by \`acm replay --queue URL\` and scores them with the
same chunk runner as a local replay; each chunk's results, ledger entry, model
versions and job completion are committed in one transaction.

Options:
  --queue URL          postgres://user@host:port/db (env = $ACM_PG_URL or PG* variables)
  --schema NAME        results schema (default acm)
  --slots N            chunk jobs at once, one Web Worker each (default 1)
  --exit-when-idle     stop when no job is waiting or running
  --cache-dir DIR      local model/checkpoint cache (default: a temp dir removed at exit)
  --chunk-timeout S    fail a chunk that takes longer than S seconds
  -h, --help           show this help

Passwords: use PGPASSWORD (or the URL in $ACM_PG_URL), never the command line.
Permissions: --allow-net=<db host:port> --allow-sys=hostname,systemMemoryInfo,cpus,loadavg.

${EXIT_CODES_HELP}`;

const OPTIONS = {
  queue: { type: "string" },
  schema: { type: "string" },
  slots: { type: "string" },
  "exit-when-idle": { type: "boolean" },
  "cache-dir": { type: "string" },
  "chunk-timeout": { type: "string" },
} as const;

const command: Command = {
  name: "worker",
  summary: "Score chunk jobs of distributed replays from a PostgreSQL queue (pg-boss)",
  usage,
  async run(argv: string[]): Promise<number> {
    const parsed = parseCommandArgs(command, argv, OPTIONS, { max: 0 });
    if ("exit" in parsed) return parsed.exit;
    const v = parsed.args.values;
    if (typeof v.queue !== "string") return usageError(command, "--queue URL is required");
    const slots = Number(v.slots ?? 1);
    if (!Number.isInteger(slots) || slots < 1) {
      return usageError(command, "--slots must be an integer ≥ 1");
    }
    const timeout = Number(v["chunk-timeout"] ?? 0);
    if (!Number.isFinite(timeout) || timeout < 0) {
      return usageError(command, "--chunk-timeout must be a number of seconds ≥ 0");
    }
    const url = queueUrl(v.queue);
    const problem = await queuePermissionProblem(url);
    if (problem) {
      console.error(`acm worker: ${problem}`);
      return EXIT.failure;
    }
    const ac = new AbortController();
    const stop = new Promise<void>((resolve) =>
      ac.signal.addEventListener("abort", () => resolve())
    );
    const onSignal = () => {
      console.error("acm worker: stopping after the current chunk(s)");
      ac.abort();
    };
    Deno.addSignalListener("SIGTERM", onSignal);
    Deno.addSignalListener("SIGINT", onSignal);
    try {
      const r = await runQueueWorker({
        url,
        schema: v.schema as string | undefined,
        slots,
        exitWhenIdle: v["exit-when-idle"] === true,
        cacheDir: v["cache-dir"] as string | undefined,
        chunkTimeoutS: timeout,
        stop,
      });
      console.log(
        `worker ${Deno.pid}: ${r.committed} chunk(s) committed, ${r.failed} failed, ` +
          `${r.refused} refused as stale, ${r.modelDownloads} model download(s), ` +
          `${r.workerStarts} asset worker start(s)`,
      );
      return EXIT.ok;
    } catch (e) {
      console.error(`acm worker: ${pgErrorMessage(e)}`);
      return EXIT.failure;
    } finally {
      Deno.removeSignalListener("SIGTERM", onSignal);
      Deno.removeSignalListener("SIGINT", onSignal);
    }
  },
};

export default command;

if (import.meta.main) Deno.exit(await command.run(Deno.args));
