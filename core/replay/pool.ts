/**
 * Worker pool: at most `maxWorkers` assets run at once, each in its own Web
 * Worker (core/replay/worker.ts) whose permissions cover only that asset: read
 * its chunk directory, the code it may load and its artifact directory; write
 * its artifact directory; env LOG_TOKENS/LOG_STREAM (npm:yaml); no net, run,
 * ffi or sys. An asset's chunks run in order inside its worker.
 *
 * `--chunk-timeout`: a chunk that has not finished after the limit marks its
 * asset failed and the worker is terminated; the other assets continue. Without
 * the flag each chunk gets a default limit scaled to its size
 * (core/replay/limits.ts), so a busy-looping plugin cannot hang a run. Note
 * `worker.terminate()` cannot interrupt a worker stuck in a synchronous loop
 * (Deno 2.9), so the CLI ends with an explicit `Deno.exit(code)` to make sure a
 * stuck worker cannot keep the process alive.
 */
import type { ScoredChunk } from "../plugin.ts";
import type { AssetJob } from "./asset_runner.ts";
import type { LedgerEntry } from "./ledger.ts";
import type { ReplayEvent } from "./events.ts";

/** How one asset ended. */
export interface AssetOutcome {
  asset: string;
  ok: boolean;
  /** Failing chunk (null when the worker failed before or between chunks). */
  failedChunk: string | null;
  failedIndex: number | null;
  started: string | null;
  error: string | null;
  errorName: string | null;
  seconds: number;
}

/** Pool settings. */
export interface PoolOptions {
  maxWorkers: number;
  /** Per-chunk limit in seconds (0 = none). */
  chunkTimeoutS: number;
  /** When given, the limit of chunk `index` of `job` instead (0 = none): the size-scaled default. */
  chunkTimeoutFor?(job: AssetJob, index: number): number;
  /** Permissions of an asset's worker. */
  permissions(job: AssetJob): Deno.PermissionOptionsObject;
  event(e: ReplayEvent): void;
  /** Main-thread work for a finished chunk (fleet sinks, ledger); the worker waits for it. */
  chunkDone(
    job: AssetJob,
    entry: LedgerEntry,
    index: number,
    scored: ScoredChunk | null,
  ): Promise<void>;
}

const WORKER_URL = new URL("./worker.ts", import.meta.url);

/** Runs every job; resolves with one outcome per job, in job order. */
export async function runPool(
  jobs: readonly AssetJob[],
  opts: PoolOptions,
): Promise<AssetOutcome[]> {
  const outcomes: AssetOutcome[] = new Array(jobs.length);
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const i = next++;
      outcomes[i] = await runOne(jobs[i], opts);
    }
  };
  const lanes = Array.from({ length: Math.max(1, Math.min(opts.maxWorkers, jobs.length)) }, lane);
  await Promise.all(lanes);
  return outcomes;
}

function runOne(job: AssetJob, opts: PoolOptions): Promise<AssetOutcome> {
  const t0 = performance.now();
  return new Promise<AssetOutcome>((resolve) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let currentChunk: { name: string; index: number; started: string } | null = null;
    const worker = new Worker(WORKER_URL, {
      type: "module",
      name: `acm-replay:${job.asset}`,
      deno: { permissions: opts.permissions(job) },
    });
    const finish = (outcome: Omit<AssetOutcome, "asset" | "seconds">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.terminate();
      const seconds = (performance.now() - t0) / 1000;
      resolve({ asset: job.asset, seconds, ...outcome });
    };
    const fail = (error: string, errorName = "Error") =>
      finish({
        ok: false,
        failedChunk: currentChunk?.name ?? null,
        failedIndex: currentChunk?.index ?? null,
        started: currentChunk?.started ?? null,
        error,
        errorName,
      });
    worker.onmessage = (e: MessageEvent) => {
      if (settled) return;
      const msg = e.data;
      switch (msg.type) {
        case "event": {
          const ev = msg.event as ReplayEvent;
          if (ev.type === "chunk-start") {
            currentChunk = { name: ev.chunk, index: ev.index, started: new Date().toISOString() };
            const auto = opts.chunkTimeoutFor !== undefined;
            const limit = opts.chunkTimeoutFor?.(job, ev.index) ?? opts.chunkTimeoutS;
            if (limit > 0) {
              clearTimeout(timer);
              const why = auto
                ? "the default limit scaled to the chunk's size; raise it with --chunk-timeout S"
                : "--chunk-timeout";
              timer = setTimeout(() => {
                fail(
                  `chunk ${ev.chunk} did not finish within ${limit} s (${why}); its worker was stopped`,
                  "TimedOut",
                );
              }, limit * 1000);
            }
          }
          opts.event(ev);
          break;
        }
        case "chunk":
          clearTimeout(timer);
          opts.chunkDone(job, msg.entry, msg.index, msg.scored ?? null).then(
            () => {
              currentChunk = null;
              if (!settled) worker.postMessage({ type: "ack" });
            },
            (err) =>
              fail(
                `main thread could not record chunk ${msg.entry.file}: ${(err as Error).message}`,
              ),
          );
          break;
        case "done":
          finish({
            ok: true,
            failedChunk: null,
            failedIndex: null,
            started: null,
            error: null,
            errorName: null,
          });
          break;
        case "failed":
          if (msg.chunk !== null) {
            currentChunk = { name: msg.chunk, index: msg.index, started: msg.started };
          }
          fail(msg.error, msg.errorName);
          break;
      }
    };
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      fail(`worker error: ${e.message}`);
    };
    worker.onmessageerror = () => fail("worker sent a message that could not be read");
    worker.postMessage({ type: "run", job });
  });
}
