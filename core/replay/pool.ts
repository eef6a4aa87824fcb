/**
 * Worker pool: at most `maxWorkers` assets run at once, each in its own Web
 * Worker (core/replay/worker.ts) — by default inside a child process of its own
 * with a memory limit (`memoryMb`, core/replay/asset_channel.ts), so a plugin
 * that exhausts memory fails only its asset — whose permissions cover only that
 * asset (unless `shared`, below): read its chunk files, the code it may load and
 * its artifact directory; write its artifact directory; env LOG_TOKENS/LOG_STREAM
 * (npm:yaml); no run, ffi or sys, net only for webhook sinks. An asset's chunks
 * run in order inside its worker. With a
 * `weight` (replay: the bytes of an asset's chunks still to run) the heaviest
 * assets start first, so the largest one does not end the run alone.
 *
 * With `shared` permissions (replay: a pipeline of built-in plugins only) a
 * worker is reused: each lane keeps one worker, granted the union of the jobs'
 * permissions, for the assets it runs one after another, so module loading and
 * the JIT's warm-up are paid once per lane instead of once per asset (about
 * 0.5 s of wall and 0.8 s of CPU per asset here). A job that fails or times out
 * ends its worker; the lane's next job starts a fresh one.
 *
 * `--chunk-timeout`: a chunk that has not finished after the limit marks its
 * asset failed and the worker is terminated; the other assets continue. Without
 * the flag each chunk gets a default limit scaled to its size
 * (core/replay/limits.ts), so a busy-looping plugin cannot hang a run. An
 * asset's process is stopped with SIGKILL; an in-process worker
 * (`memoryMb` 0) cannot be interrupted in a synchronous loop by
 * `worker.terminate()` (Deno 2.9), so the CLI ends with an explicit
 * `Deno.exit(code)` to make sure a stuck worker cannot keep the process alive.
 */
import { coversPermissions } from "./permissions.ts";
import type { ScoredChunk } from "../plugin.ts";
import type { AssetJob } from "./asset_runner.ts";
import type { LedgerEntry } from "./ledger.ts";
import type { ReplayEvent } from "./events.ts";
import {
  type AssetChannel,
  type ChannelEvents,
  dataLimitMb,
  processChannel,
  workerChannel,
} from "./asset_channel.ts";

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
  /** JS heap limit of each asset's own process in MiB; 0 = a Web Worker in this process, no limit. */
  memoryMb?: number;
  /** Permissions of an asset's worker. */
  permissions(job: AssetJob): Deno.PermissionOptionsObject;
  /**
   * Reuse workers (see the module comment): `permissions` covers every job's own;
   * `outer`, when given, are the flags of a reused worker's process instead (the
   * same grant with directories for file lists: a command line has a length limit;
   * the worker inside still holds `permissions`).
   */
  shared?: { permissions: Deno.PermissionOptionsObject; outer?: Deno.PermissionOptionsObject };
  /**
   * The expected work of a job (e.g. the bytes of the chunks it will read): with
   * several workers the heaviest jobs start first (longest processing time first,
   * Graham 1969), so a big asset does not start last and run alone. Absent: job order.
   */
  weight?(job: AssetJob): number;
  event(e: ReplayEvent): void;
  /** Main-thread work for a finished chunk (fleet sinks, ledger); the worker waits for it. */
  chunkDone(
    job: AssetJob,
    entry: LedgerEntry,
    index: number,
    scored: ScoredChunk | null,
  ): Promise<void>;
}

/** A refused ArrayBuffer inside a limited process: say which limit refused it. */
function memoryHint(error: string, memoryMb: number): string {
  if (memoryMb <= 0 || !/Array buffer allocation failed/i.test(error)) return error;
  return `${error} (the asset's process may use at most ${
    dataLimitMb(memoryMb)
  } MiB of data: --asset-memory-mb ${memoryMb}; raise it, or find the plugin that allocates without bound)`;
}

/** The order jobs start in: by `weight` descending (ties and no weight: job order). */
export function startOrder(
  jobs: readonly AssetJob[],
  weight?: (job: AssetJob) => number,
): number[] {
  const order = jobs.map((_, i) => i);
  if (!weight) return order;
  const w = jobs.map(weight);
  return order.sort((a, b) => w[b] - w[a] || a - b);
}

/** A job whose worker is starting (or started): `run()` hands it the job. */
interface Prepared {
  index: number;
  /** Hands the job to its worker; `begun` is called when its first chunk starts. */
  run(begun: () => void): Promise<AssetOutcome>;
}

/**
 * Runs every job; resolves with one outcome per job, in job order. Once a job's
 * first chunk has started, the worker of the next job to start is started ahead
 * (one at a time), so its process start-up and module loading overlap the
 * running assets instead of following them, without competing with their own
 * start-up.
 */
export async function runPool(
  jobs: readonly AssetJob[],
  opts: PoolOptions,
): Promise<AssetOutcome[]> {
  const outcomes: AssetOutcome[] = new Array(jobs.length);
  const order = startOrder(jobs, opts.weight);
  let next = 0;
  const width = Math.max(1, Math.min(opts.maxWorkers, jobs.length));
  const shared = opts.shared;
  if (shared) {
    // One worker per lane, kept while its jobs succeed.
    const lane = async (k: number) => {
      const worker = new Lane(`acm-replay:worker-${k + 1}`);
      try {
        while (next < order.length) {
          const index = order[next++];
          opts.event({
            type: "log",
            asset: jobs[index].asset,
            level: "debug",
            message: `runs in worker ${k + 1} (${worker.grant ? "reused" : "started"})`,
          });
          outcomes[index] = await worker.run(jobs[index], shared.permissions, opts, {
            outer: shared.outer,
          });
        }
      } finally {
        worker.close();
      }
    };
    await Promise.all(Array.from({ length: width }, (_, k) => lane(k)));
    return outcomes;
  }
  let ahead: Prepared | null = null;
  const prepare = (): Prepared | null => {
    if (next >= order.length) return null;
    const index = order[next++];
    const job = jobs[index];
    const slot = new Slot((events) =>
      openChannel(`acm-replay:${job.asset}`, opts.permissions(job), opts, events)
    );
    return { index, run: prepareOne(job, opts, slot, false) };
  };
  const begun = () => {
    ahead ??= prepare();
  };
  const lane = async () => {
    for (;;) {
      const p = ahead ?? prepare();
      ahead = null;
      if (p === null) return;
      outcomes[p.index] = await p.run(begun);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return outcomes;
}

/**
 * One worker that runs jobs handed to it one at a time (a lane of a shared pool,
 * a queue worker's slot): a job runs in the current worker when that worker's
 * grant covers the job's (coversPermissions); otherwise, after a job run without
 * `keep` and after a failed job, a fresh worker starts with the job's grant.
 * Each job brings its own hooks (`opts`: events, chunkDone, timeouts);
 * `memoryMb` must not change between jobs.
 */
export class Lane {
  #slot: Slot | null = null;
  #grant: Deno.PermissionOptionsObject | null = null;
  /** Workers started so far. */
  starts = 0;
  constructor(private readonly name: string) {}
  /** The grant of the running worker (null when none runs). */
  get grant(): Deno.PermissionOptionsObject | null {
    return this.#slot?.running ? this.#grant : null;
  }
  /**
   * Runs `job` under `grant`; resolves with its outcome. `keep` (default true):
   * the worker stays for the next job when this one succeeds; `outer`: the flags
   * of a fresh worker's process instead of `grant` (see PoolOptions.shared).
   */
  run(
    job: AssetJob,
    grant: Deno.PermissionOptionsObject,
    opts: PoolOptions,
    how: { keep?: boolean; outer?: Deno.PermissionOptionsObject } = {},
  ): Promise<AssetOutcome> {
    const have = this.grant;
    if (have === null || !coversPermissions(have, grant)) {
      this.#slot?.stop();
      this.#grant = grant;
      this.#slot = new Slot((events) => {
        this.starts++;
        return openChannel(this.name, grant, opts, events, how.outer);
      });
    }
    return prepareOne(job, opts, this.#slot!, how.keep ?? true)(() => {});
  }
  /** Ends the worker. */
  close(): void {
    this.#slot?.stop();
    this.#slot = null;
  }
}

/** A worker channel: in a process of its own with `opts.memoryMb` > 0, else in this one. */
function openChannel(
  name: string,
  permissions: Deno.PermissionOptionsObject,
  opts: PoolOptions,
  events: ChannelEvents,
  outer?: Deno.PermissionOptionsObject,
): AssetChannel {
  return (opts.memoryMb ?? 0) > 0
    ? processChannel(permissions, opts.memoryMb!, events, undefined, outer)
    : workerChannel(name, permissions, events);
}

/**
 * A worker that runs jobs one after another: its messages and errors go to the
 * job running on it; an idle worker that dies is dropped (the next job starts a
 * new one).
 */
class Slot {
  #channel: AssetChannel | null = null;
  #on: ChannelEvents | null = null;
  constructor(private readonly open: (events: ChannelEvents) => AssetChannel) {}
  /** A worker is running (started and not ended). */
  get running(): boolean {
    return this.#channel !== null;
  }
  /** The worker, started now if none runs; throws when it cannot start. */
  start(): AssetChannel {
    this.#channel ??= this.open({
      message: (msg) => this.#on?.message(msg),
      error: (reason, name) => (this.#on ? this.#on.error(reason, name) : this.stop()),
    });
    return this.#channel;
  }
  /** Routes the worker's messages and errors to `on` (null: no job runs). */
  attach(on: ChannelEvents | null): void {
    this.#on = on;
  }
  /** Ends the worker (and its process). */
  stop(): void {
    const channel = this.#channel;
    this.#channel = null;
    this.#on = null;
    channel?.terminate();
  }
}

/**
 * Starts the slot's worker now (unless it runs); the returned function hands it
 * the job (once) and resolves with its outcome. With `keep` the worker stays for
 * the slot's next job when this one succeeds; otherwise, and after a failure, it
 * is ended.
 */
function prepareOne(
  job: AssetJob,
  opts: PoolOptions,
  slot: Slot,
  keep: boolean,
): (begun: () => void) => Promise<AssetOutcome> {
  let t0 = performance.now();
  let start = () => {};
  let onBegun: (() => void) | null = null;
  const outcome = new Promise<AssetOutcome>((resolve) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let currentChunk: { name: string; index: number; started: string } | null = null;
    const events: ChannelEvents = {
      message: (msg) => onMessage(msg),
      error: (reason, name) => fail(reason, name),
    };
    let worker: AssetChannel | null = null;
    const finish = (outcome: Omit<AssetOutcome, "asset" | "seconds">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      slot.attach(null);
      if (!keep || !outcome.ok) slot.stop();
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
    // deno-lint-ignore no-explicit-any
    function onMessage(msg: any): void {
      if (settled) return;
      switch (msg.type) {
        case "event": {
          const ev = msg.event as ReplayEvent;
          if (ev.type === "chunk-start") {
            const first = onBegun;
            onBegun = null;
            first?.();
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
        case "chunk": {
          clearTimeout(timer);
          // The worker may already be on the next chunk while this one is recorded.
          const recorded = { name: msg.entry.file, index: msg.index, started: msg.entry.started };
          opts.chunkDone(job, msg.entry, msg.index, msg.scored ?? null).then(
            () => {
              if (currentChunk?.index === recorded.index) currentChunk = null;
              if (!settled) worker?.post({ type: "ack" });
            },
            (err) => {
              currentChunk = recorded;
              fail(
                `main thread could not record chunk ${msg.entry.file}: ${(err as Error).message}`,
              );
            },
          );
          break;
        }
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
          fail(memoryHint(msg.error, opts.memoryMb ?? 0), msg.errorName);
          break;
      }
    }
    slot.attach(events);
    try {
      worker = slot.start();
    } catch (e) {
      return fail(`could not start the asset's worker: ${(e as Error).message}`);
    }
    start = () => {
      t0 = performance.now();
      if (!settled) worker!.post({ type: "run", job });
    };
  });
  return (begun) => {
    onBegun = begun;
    start();
    return outcome;
  };
}
