/**
 * `acm replay`: score every asset's chunks in time order (core/replay/replay.ts),
 * with the flags of ACM V8's chunk_replay.py (see docs/batch_processing_guide).
 */
import { type Command, EXIT, EXIT_CODES_HELP } from "./_command.ts";
import { parseCommandArgs, stringList, usageError } from "./_args.ts";
import { replay, type ReplayOptions } from "../core/replay/replay.ts";
import { DEFAULT_ASSET_MEMORY_MB } from "../core/replay/asset_channel.ts";
import type { ReplaySummary } from "../core/replay/summary.ts";
import { assetStates } from "../core/replay/asset_state.ts";
import { resumeCommand } from "../core/replay/interrupt.ts";
import { DiscoveryError } from "../core/replay/discover.ts";
import { LedgerError } from "../core/replay/ledger.ts";
import { eventLine, LiveProgress, planText, summaryText } from "../core/replay/progress.ts";
import { atomicWriteText } from "../core/io/atomic_write.ts";
import { fileURLToPath } from "node:url";
import { queuedReplay } from "./_queue.ts";
import { checkSinkNames, SinkNameError } from "../core/replay/extra_sinks.ts";
import { resolve } from "node:path";

const usage = `Usage: acm replay [options]

Replays chunked CSV data per asset: the first chunk of an asset trains every
head (then is scored), later chunks are scored with the stored model; the
ledger <artifact-root>/.chunk_replay_progress.json makes runs resumable.

Options:
  --pipeline FILE        pipeline YAML (default pipelines/default.yaml)
  --equip A [B ...]      only these assets (sub-directories of the chunk root)
  --chunk-root DIR       chunked data, one sub-directory per asset (default data/chunked)
  --artifact-root DIR    outputs, models, ledger (default artifacts)
  --max-workers N        assets processed in parallel, one Web Worker each (default 1)
  --resume               skip chunks the ledger has as done with the same content hash
  --clear-cache          delete each asset's models and stream state, then bootstrap
  --dry-run              print the plan (chunk order, bootstrap/score, model versions); write nothing
  --set KEY=VALUE        override a pipeline value (repeatable), e.g. --set fusion.weights.ar1=0.3
  --chunk-timeout S      fail an asset whose chunk takes longer than S seconds (0 = no limit;
                         default 300 s + 30 s per MiB of the chunk file)
  --asset-memory-mb N    JS heap limit of each asset's own process in MiB (default 2048;
                         heap + typed arrays ≤ 2N); a plugin that exhausts it fails only
                         its asset. 0 = assets as Web Workers in this process, no limit.
                         Needs --allow-run=sh (deno task replay grants it)
  --isolate-assets       one worker (and process) per asset, granted only that asset's
                         files, even when every plugin is built-in (by default such a
                         pipeline's workers run several assets in turn, granted all of
                         them: modules load and the JIT warms up once per worker)
  --json FILE            write a machine-readable summary with each asset's episodes,
                         open episodes, health now and status (- for stdout: only the
                         JSON goes to stdout, every log line to stderr)
  --sink NAME            add a built-in sink for this run with default options, repeatable:
                         csv, jsonl, sqlite or report (one the pipeline has is kept as it is)
  --enable-report        add the report sink if the pipeline has none (≡ --sink report)
  --verbose              show debug log lines
  --queue URL            distributed: enqueue one job per (asset, chunk) on PostgreSQL for
                         \`acm worker\` processes and wait (docs/store.md); URL "env" = PG* variables
  --no-wait              with --queue: enqueue and return
  --expire S             with --queue: a job held longer than S s goes to another worker (default 600)
  --retries N            with --queue: retries of a failing chunk before its asset fails (default 2)
  -h, --help             show this help

ACM V8 compatibility: \`--acm-args -- --enable-report --config-override k=v\` is
accepted; --config-override ≡ --set, --config FILE ≡ --pipeline, --mode batch is ignored.

${EXIT_CODES_HELP}
  (replay: 1 = at least one asset failed, or a corrupt ledger / invalid pipeline;
   130 = interrupted by Ctrl-C: the run manifest has status "interrupted" and the
   command to resume is printed)`;

const OPTIONS = {
  pipeline: { type: "string" },
  config: { type: "string" },
  equip: { type: "string", multiple: true },
  "chunk-root": { type: "string" },
  "artifact-root": { type: "string" },
  "max-workers": { type: "string" },
  resume: { type: "boolean" },
  "clear-cache": { type: "boolean" },
  "dry-run": { type: "boolean" },
  set: { type: "string", multiple: true },
  "config-override": { type: "string", multiple: true },
  "chunk-timeout": { type: "string" },
  "asset-memory-mb": { type: "string" },
  "isolate-assets": { type: "boolean" },
  json: { type: "string" },
  "enable-report": { type: "boolean" },
  sink: { type: "string", multiple: true },
  mode: { type: "string" },
  verbose: { type: "boolean" },
  queue: { type: "string" },
  schema: { type: "string" },
  "no-wait": { type: "boolean" },
  expire: { type: "string" },
  retries: { type: "string" },
  // For tests: replacement loader/engine modules (file paths or URLs).
  "host-module": { type: "string", multiple: true },
} as const;

/** Rewrites `--equip A B` into `--equip=A --equip=B` and unwraps `--acm-args -- ...`. */
export function normalizeArgs(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--acm-args") {
      if (argv[i + 1] === "--") i++;
      continue;
    }
    if (a === "--equip") {
      let k = 0;
      while (i + 1 < argv.length && !argv[i + 1].startsWith("-")) {
        out.push(`--equip=${argv[++i]}`);
        k++;
      }
      if (k === 0) out.push(a); // let parseArgs report the missing value
      continue;
    }
    out.push(a);
  }
  return out;
}

const command: Command = {
  name: "replay",
  summary: "Score every asset's chunks in time order, fitting and refitting models",
  usage,
  async run(argv: string[]): Promise<number> {
    const parsed = parseCommandArgs(command, normalizeArgs(argv), OPTIONS, { max: 0 });
    if ("exit" in parsed) return parsed.exit;
    const v = parsed.args.values;
    const workers = intFlag(v["max-workers"], 1);
    const timeout = numFlag(v["chunk-timeout"], 0);
    if (workers === null || workers < 1) {
      return usageError(command, `--max-workers must be an integer ≥ 1`);
    }
    if (timeout === null || timeout < 0) {
      return usageError(command, `--chunk-timeout must be a number of seconds ≥ 0`);
    }
    const memory = intFlag(v["asset-memory-mb"], DEFAULT_ASSET_MEMORY_MB);
    if (memory === null || memory < 0 || (memory > 0 && memory < 64)) {
      return usageError(command, `--asset-memory-mb must be 0 (no limit) or an integer ≥ 64`);
    }
    if (v.pipeline && v.config) return usageError(command, "give --pipeline or --config, not both");
    if (v.mode !== undefined && v.mode !== "batch") {
      return usageError(
        command,
        `--mode "${v.mode}" is not supported (only "batch", which is the default)`,
      );
    }
    // With --json - stdout carries only the JSON document; every other line goes to stderr.
    const jsonStdout = v.json === "-";
    const say = jsonStdout ? console.error : console.log;
    if (v.mode === "batch") {
      say("[INFO] --mode batch: accepted and ignored (replay is always batch mode)");
    }
    const overrides = [...stringList(v.set), ...stringList(v["config-override"])];
    const bad = overrides.find((o) => !o.includes("="));
    if (bad) return usageError(command, `--set "${bad}" is not of the form key=value`);

    const sinks = stringList(v.sink);
    try {
      checkSinkNames(sinks);
    } catch (e) {
      if (e instanceof SinkNameError) return usageError(command, e.message);
      throw e;
    }
    if (typeof v.queue === "string") {
      if (sinks.length) {
        return usageError(
          command,
          "--sink does not apply with --queue (workers commit to the store)",
        );
      }
      const pipeline = await defaultPipeline((v.pipeline ?? v.config) as string | undefined);
      return await queuedReplay(command, v, pipeline, overrides);
    }
    const verbose = v.verbose === true;
    const tty = Deno.stdout.isTerminal() && !v.json?.toString().startsWith("-");
    const live = tty
      ? new LiveProgress((s) => Deno.stdout.writeSync(new TextEncoder().encode(s)), verbose)
      : null;
    const options: ReplayOptions = {
      pipeline: await defaultPipeline((v.pipeline ?? v.config) as string | undefined),
      overrides,
      equip: stringList(v.equip),
      chunkRoot: resolve((v["chunk-root"] as string | undefined) ?? "data/chunked"),
      artifactRoot: resolve((v["artifact-root"] as string | undefined) ?? "artifacts"),
      maxWorkers: workers,
      resume: v.resume === true,
      clearCache: v["clear-cache"] === true,
      dryRun: v["dry-run"] === true,
      chunkTimeoutS: v["chunk-timeout"] === undefined ? undefined : timeout,
      assetMemoryMb: memory,
      isolateAssets: v["isolate-assets"] === true,
      enableReport: v["enable-report"] === true,
      sinks,
      hostModules: v["host-module"]
        ? stringList(v["host-module"]).map((
          m,
        ) => (m.includes(":") ? m : new URL(m, `file://${Deno.cwd()}/`).href))
        : undefined,
      onEvent(e) {
        if (live) return live.on(e);
        const line = eventLine(e, verbose);
        if (line === null) return;
        if (
          e.type === "asset-failed" ||
          (e.type === "log" && e.level !== "info" && e.level !== "debug")
        ) {
          console.error(line);
        } else say(line);
      },
    };
    // Ctrl-C: stop, write an `interrupted` run manifest, say how to resume; twice: quit at once.
    const interrupt = new AbortController();
    const onSigint = () => {
      if (interrupt.signal.aborted) Deno.exit(130);
      live?.end();
      console.error(
        "\nacm replay: interrupted — writing the run manifest (Ctrl-C again quits now)",
      );
      interrupt.abort();
    };
    const sigint = Deno.build.os !== "windows";
    if (sigint) Deno.addSignalListener("SIGINT", onSigint);
    options.signal = interrupt.signal;
    let summary;
    try {
      summary = await replay(options);
    } catch (e) {
      live?.end();
      if (e instanceof DiscoveryError) {
        console.error(`acm replay: ${e.message}`);
        return /--equip|no asset directory/.test(e.message) ? EXIT.usage : EXIT.failure;
      }
      if (e instanceof LedgerError) {
        console.error(`acm replay: ${e.message}`);
        return EXIT.failure;
      }
      console.error(`acm replay: ${(e as Error).message}`);
      return EXIT.failure;
    } finally {
      if (sigint) Deno.removeSignalListener("SIGINT", onSigint);
    }
    live?.end();
    if (summary.interrupted) {
      console.error(summaryText(summary));
      console.error(
        `acm replay: interrupted; chunks recorded as done are kept. Resume with:\n  ${
          resumeCommand(argv)
        }`,
      );
    } else say(summary.dryRun ? planText(summary) : "\n" + summaryText(summary));
    if (typeof v.json === "string") {
      const text = JSON.stringify(await replayJson(summary), null, 2) + "\n";
      if (jsonStdout) await Deno.stdout.write(new TextEncoder().encode(text));
      else await atomicWriteText(v.json, text);
    }
    return summary.interrupted ? 130 : summary.exitCode;
  },
};

/** The summary plus, per asset, its state after the run (episodes, open episodes, health, status). */
async function replayJson(summary: ReplaySummary): Promise<unknown> {
  if (summary.dryRun) return summary;
  const states = await assetStates(summary.artifactRoot, summary.assets);
  return { ...summary, assets: summary.assets.map((a, i) => ({ ...a, state: states[i] })) };
}

function intFlag(value: unknown, def: number): number | null {
  if (value === undefined) return def;
  const x = Number(value);
  return Number.isInteger(x) ? x : null;
}

function numFlag(value: unknown, def: number): number | null {
  if (value === undefined) return def;
  const x = Number(value);
  return Number.isFinite(x) ? x : null;
}

/** The given pipeline, or `pipelines/default.yaml` from the cwd, else from the project root. */
async function defaultPipeline(given: string | undefined): Promise<string> {
  if (given) return resolve(given);
  const local = "pipelines/default.yaml";
  if (await Deno.stat(local).then((s) => s.isFile, () => false)) return local;
  return fileURLToPath(new URL("../pipelines/default.yaml", import.meta.url));
}

export default command;

if (import.meta.main) Deno.exit(await command.run(Deno.args));
