/**
 * `acm eval skab`: the SKAB benchmark protocol (fit on each file's first 400 rows,
 * score the rest, pool the files) run through a pipeline, or the scorer alone on a
 * given alarm file. Prints F1 / FAR / MAR, the three NAB profiles, missed
 * changepoints, FPs and mean delay, beside the published leaderboard (all 34 files)
 * and, on a subset, beside the published algorithms re-scored on the same files.
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { type Frame, selectColumns, sliceRows } from "../core/frame.ts";
import { createLogger, type Logger } from "../core/log.ts";
import type { ScoredChunk } from "../core/plugin.ts";
import type { Pipeline } from "../core/pipeline/types.ts";
import { loadPipeline } from "../core/pipeline/load.ts";
import { sandboxedSpecifier, withPluginIsolation } from "../core/pipeline/plugin_sandbox.ts";
import type { FittedModel, StreamState } from "../core/engine/types.ts";
import { fitModel } from "../core/engine/fit.ts";
import { createScorer, withoutEpisodes } from "../core/engine/score.ts";
import { callHook, pluginContext } from "../core/engine/context.ts";
import { type Command, EXIT, EXIT_CODES_HELP } from "./_command.ts";
import { runEvalFleet } from "./_eval_fleet.ts";
import { parseCommandArgs, stringList, usageError } from "./_args.ts";
import {
  type AlarmSeries,
  formatSkabTimestamp,
  listSkabFiles,
  readSkabLabels,
  type RleSeries,
  sliceLabels,
  toRle,
} from "../core/eval/skab_files.ts";
import { lowerBound } from "../core/numeric/lower_bound.ts";
import { scoreSkabFile, type SkabFileScore, summariseSkab } from "../core/eval/skab_score.ts";
import { scoreAlarmFile } from "../core/eval/alarm_file.ts";
import { findLeaderboard } from "../core/eval/leaderboard.ts";
import {
  findReferencePredictions,
  formatLikeForLike,
  type LikeForLike,
  PREDICTIONS_FILE,
  rescoreReferenceFile,
} from "../core/eval/like_for_like.ts";
import {
  type FileTiming,
  formatFileTable,
  formatLeaderboards,
  formatSummary,
  reportJson,
  summaryRow,
} from "../core/eval/report.ts";

const USAGE = `Usage:
  acm eval fleet [--pipeline FILE] [--seeds 101,102] [--json FILE]   (acm eval fleet --help)
  acm eval skab --data DIR [--pipeline FILE] [--set key=value]... [--reference FILE] [--json FILE]
                [--save-alarms FILE]
  acm eval skab --alarms-only FILE --labels DIR [--algorithm NAME] [--reference FILE] [--json FILE]

Runs the SKAB protocol: per file, fit on the first --train-rows rows (400), score the rest,
pool the counts over files. Prints F1, FAR %, MAR %, NAB standard / LowFP / LowFN, missed
changepoints, FPs and mean detection delay beside the published leaderboard, which pools all
34 SKAB files. When fewer files are scored, the published algorithms' stored predictions
(SKAB's predictions_rle.json) are re-scored on exactly the same files and test rows, and
printed as a second, like-for-like table.

  --data DIR          a folder laid out like SKAB's data/ (valve1/, valve2/, other/ ...; any subset;
                      anomaly-free/ is skipped). Each CSV's anomaly/changepoint columns are the truth
                      and are never given to the model.
  --pipeline FILE     pipeline to evaluate (default: pipelines/skab.yaml); built-in plugins only, as
                      it runs in this process (a third-party one: \`acm eval fleet\` or \`acm replay\`)
  --set key=value     override a pipeline value (repeatable)
  --save-alarms FILE  write the per-row alarms as run-length JSON (re-score it with --alarms-only)
  --alarms-only FILE  score a given alarm file instead of running a pipeline. JSON, one key per
                      labels file: { "valve1/0.csv": [["2020-03-09 10:25:56", "2020-03-09 10:32:29"], ...] }
                      (runs of alarm = 1, inclusive timestamps, covering the test rows), or
                      { "valve1/0.csv": { "first": ts, "last": ts, "ones": [...] } } as in SKAB's
                      predictions_rle.json; a file keyed by algorithm needs --algorithm.
  --labels DIR        labels folder (valve1/0.csv ... with datetime;anomaly;changepoint)
  --algorithm NAME    the algorithm to take from a multi-algorithm alarm file
  --cp-rolling-max N  rolling max over N rows before building changepoint events (default 0 = none;
                      SKAB's Isolation Forest baseline uses 30)
  --train-rows N      training rows per file (default 400)
  --reference FILE    the published algorithms' stored predictions (SKAB's predictions_rle.json)
                      to re-score on the same files; default: looked up in DIR/reference-predictions/
                      and DIR/../reference-predictions/ (DIR = --data or --labels), used on a subset
  --json FILE         also write the full result as JSON (- for stdout: then stdout has
                      only the JSON and the tables go to stderr)
  -h, --help          show this help

${EXIT_CODES_HELP}`;

const LABEL_COLUMNS = ["anomaly", "changepoint"];

/** The engine functions the pipeline mode calls (core/engine; replaceable in tests). */
export interface EngineApi {
  fitModel(pipeline: Pipeline, frame: Frame, opts?: { log?: Logger }): Promise<FittedModel>;
  createScorer(pipeline: Pipeline, model: FittedModel, opts?: { log?: Logger }): Promise<{
    score(
      frame: Frame,
      stream: StreamState | null,
      meta: { asset: string; chunk: string; modelVersion: number },
    ): Promise<{ chunk: ScoredChunk; stream: StreamState }>;
  }>;
}

/** Protocol settings: training rows per file, rolling max before changepoint events. */
export interface Settings {
  trainRows: number;
  cpRollingMaxRows: number;
}

/** Per-file scores of one evaluation, with timings in pipeline mode. */
export interface Outcome {
  scores: SkabFileScore[];
  timings?: Map<string, FileTiming>;
  label: string;
  notes: string[];
}

/**
 * The SKAB protocol runs the source, features, detectors and fusion in this thread, with
 * the permissions `acm eval` was started with: a third-party plugin among them (a stand-in
 * from the plugin sandbox, core/pipeline/plugin_sandbox.ts) is refused, positioned.
 */
export function refuseThirdPartyNodes(pipeline: Pipeline): void {
  // (A test's fake engine may give a pipeline with the source only.)
  const nodes = [
    pipeline.source,
    ...(pipeline.features ?? []),
    ...(pipeline.detectors ?? []),
    pipeline.fusion,
  ];
  for (const node of nodes) {
    const specifier = node && sandboxedSpecifier(node.plugin);
    if (!specifier) continue;
    throw new Error(
      `${pipeline.file}:${node.position.line ?? 0}:${node.position.column ?? 0}: plugin ` +
        `"${node.pluginName}" (${specifier}) is third-party; acm eval skab runs the pipeline in ` +
        "its own process with its full permissions, so it runs built-in plugins only. " +
        "Evaluate a third-party plugin with `acm eval fleet`, or run it through `acm replay`; " +
        "both sandbox plugins",
    );
  }
}

/**
 * Runs a loaded pipeline over every SKAB file of `dataDir`: per file, fit on the rows before
 * the `trainRows`-th timestamp, score the rest, keep the alarms in `alarmsOut`.
 */
export async function runSkabPipeline(
  dataDir: string,
  pipeline: Pipeline,
  engine: EngineApi = { fitModel, createScorer },
  s: Settings,
  alarmsOut: Map<string, AlarmSeries>,
): Promise<Outcome> {
  refuseThirdPartyNodes(pipeline);
  const log = createLogger((e) => {
    if (e.level === "warn" || e.level === "error") console.error(`${e.level}: ${e.message}`);
  });
  const node = pipeline.source;
  const ctx = pluginContext(node.id, node.pluginName, pipeline.seed, log);
  const source = await callHook(
    node,
    "create",
    () => node.plugin.create(node.options as never, ctx),
  );
  const keys = await listSkabFiles(dataDir);
  if (keys.length === 0) throw new RangeError(`Cannot evaluate: no SKAB CSV under "${dataDir}"`);
  const scores: SkabFileScore[] = [];
  const timings = new Map<string, FileTiming>();
  const notes: string[] = [];
  for (const key of keys) {
    const path = join(dataDir, key);
    const labels = await readSkabLabels(path);
    if (labels.timestamps.length <= s.trainRows) {
      notes.push(`skipped "${key}": ${labels.timestamps.length} rows, none left after training`);
      continue;
    }
    const read = await callHook(node, "read", () => source.read(path));
    const frame = withoutLabels(read.frame);
    const cut = lowerBound(frame.timestamps, labels.timestamps[s.trainRows]);
    const t0 = performance.now();
    const fileLog = log.child(key);
    const model = await engine.fitModel(pipeline, sliceRows(frame, 0, cut), { log: fileLog });
    const scorer = await engine.createScorer(pipeline, model, { log: fileLog });
    const t1 = performance.now();
    // Stream the training rows first so rolling windows are warm at the first test
    // row (as in a replay, where the bootstrap chunk precedes the scored ones); the
    // episode state starts fresh so training-time alarms do not leak into the test.
    const meta = { asset: key, chunk: key, modelVersion: 1 };
    const warm = await scorer.score(sliceRows(frame, 0, cut), null, meta);
    const { chunk } = await scorer.score(
      sliceRows(frame, cut, frame.rows),
      withoutEpisodes(warm.stream),
      meta,
    );
    const t2 = performance.now();
    const pred = { timestamps: chunk.timestamps, alarm: chunk.alarm };
    alarmsOut.set(key, pred);
    timings.set(key, { fitMs: t1 - t0, scoreMs: t2 - t1 });
    const truth = sliceLabels(labels, s.trainRows);
    scores.push(scoreSkabFile(key, truth, pred, { cpRollingMaxRows: s.cpRollingMaxRows }));
  }
  return { scores, timings, label: `acm (${pipeline.name})`, notes };
}

/** Drops SKAB's truth columns so they never reach the model. */
function withoutLabels(frame: Frame): Frame {
  const keep = frame.columns.flatMap((c, j) => (LABEL_COLUMNS.includes(c) ? [] : [j]));
  return keep.length === frame.columns.length ? frame : selectColumns(frame, keep);
}

function intFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) {
    throw new TypeError(`Cannot parse --${name}: "${value}" is not a non-negative integer`);
  }
  return Number(value);
}

const OPTIONS = {
  data: { type: "string" },
  pipeline: { type: "string" },
  set: { type: "string", multiple: true },
  json: { type: "string" },
  "save-alarms": { type: "string" },
  "alarms-only": { type: "string" },
  labels: { type: "string" },
  algorithm: { type: "string" },
  "cp-rolling-max": { type: "string" },
  "train-rows": { type: "string" },
  reference: { type: "string" },
} as const;

/** Files in the full SKAB benchmark (the published rows pool all of them). */
const SKAB_FILES = 34;

async function run(argv: string[]): Promise<number> {
  if (argv[0] === "fleet") return await runEvalFleet(command, argv.slice(1));
  const parsed = parseCommandArgs(command, argv, OPTIONS, { min: 1, max: 1, name: "BENCHMARK" });
  if ("exit" in parsed) return parsed.exit;
  const v = parsed.args.values;
  const str = (key: keyof typeof OPTIONS) => v[key] === undefined ? undefined : String(v[key]);
  const alarmsOnly = str("alarms-only"), data = str("data"), labels = str("labels");
  const bench = parsed.args.positionals[0];
  const problem = bench !== "skab"
    ? `unknown benchmark "${bench}" (give "fleet" or "skab")`
    : alarmsOnly !== undefined && data !== undefined
    ? "give --data or --alarms-only, not both"
    : alarmsOnly === undefined && data === undefined
    ? "give --data DIR or --alarms-only FILE"
    : alarmsOnly !== undefined && labels === undefined
    ? "--alarms-only needs --labels DIR"
    : "";
  if (problem) return usageError(command, problem);
  let settings: Settings;
  try {
    settings = {
      trainRows: intFlag("train-rows", str("train-rows"), 400),
      cpRollingMaxRows: intFlag("cp-rolling-max", str("cp-rolling-max"), 0),
    };
  } catch (e) {
    return usageError(command, (e as Error).message);
  }
  const pipelineFile = str("pipeline") ??
    fileURLToPath(new URL("../pipelines/skab.yaml", import.meta.url));
  const alarmsOut = new Map<string, AlarmSeries>();
  let outcome: Outcome;
  try {
    outcome = alarmsOnly !== undefined
      ? {
        ...await scoreAlarmFile(alarmsOnly, labels as string, {
          ...settings,
          algorithm: str("algorithm"),
        }),
        label: str("algorithm") ?? "alarm file",
      }
      : await runSkabPipeline(
        data as string,
        // Third-party modules load only in the plugin sandbox; runSkabPipeline refuses them.
        await withPluginIsolation(() =>
          loadPipeline(pipelineFile, { overrides: stringList(v.set) })
        ),
        undefined,
        settings,
        alarmsOut,
      );
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    return EXIT.failure;
  }
  const summary = summariseSkab(outcome.scores);
  const truthDir = (alarmsOnly !== undefined ? labels : data) as string;
  const board = await findLeaderboard(truthDir);
  const subset = summary.files !== SKAB_FILES;
  const reference = str("reference");
  const lflNotes: string[] = [];
  let lfl: LikeForLike | null = null;
  const refFile = reference ?? (subset ? await findReferencePredictions(truthDir) : null);
  if (refFile !== null && outcome.scores.length > 0) {
    try {
      lfl = await rescoreReferenceFile(refFile, truthDir, outcome.scores.map((f) => f.file), {
        trainRows: settings.trainRows,
        labels: Object.fromEntries(board.rows.map((r) => [r.key, r.label])),
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (reference !== undefined) {
        console.error(message);
        return EXIT.failure;
      }
      lflNotes.push(`no like-for-like rows: ${message}`);
    }
  }
  const saveTo = str("save-alarms"), jsonTo = str("json");
  // With --json - stdout carries only the JSON document; the tables go to stderr.
  const say = jsonTo === "-" ? console.error : console.log;
  say(formatFileTable(outcome.scores, outcome.timings));
  say(`\n${outcome.label}\n${formatSummary(summary)}`);
  for (const note of outcome.notes) say(`note: ${note}`);
  const ours = summaryRow(summary, "ours", outcome.label);
  say(
    `\nLeaderboard (published, all ${SKAB_FILES} files; ${board.from})\n${
      formatLeaderboards(ours, board.rows)
    }`,
  );
  if (lfl !== null) say(`\n${formatLikeForLike(ours, lfl)}`);
  for (const note of lflNotes) say(`note: ${note}`);
  if (lfl === null && subset) {
    say(
      `note: the published rows pool all ${SKAB_FILES} SKAB files, not these ${summary.files}; for like-for-like rows put SKAB's ${PREDICTIONS_FILE} in ${
        join(truthDir, "reference-predictions")
      }/ or pass --reference FILE`,
    );
  }
  if (saveTo !== undefined) await saveAlarms(saveTo, alarmsOut);
  if (jsonTo !== undefined) {
    const report = reportJson({
      mode: alarmsOnly !== undefined ? "alarms-only" : "pipeline",
      label: outcome.label,
      settings: { ...settings, windowS: 60, ...(alarmsOnly ? {} : { pipeline: pipelineFile }) },
      summary,
      scores: outcome.scores,
      timings: outcome.timings,
      notes: outcome.notes,
      leaderboard: board,
      likeForLike: lfl,
    });
    const text = JSON.stringify(report, null, 1) + "\n";
    if (jsonTo === "-") await Deno.stdout.write(new TextEncoder().encode(text));
    else await Deno.writeTextFile(jsonTo, text);
  }
  return EXIT.ok;
}

/** Writes alarms in the layout of SKAB's predictions_rle.json (one series per file). */
async function saveAlarms(file: string, alarms: ReadonlyMap<string, AlarmSeries>): Promise<void> {
  const out: Record<string, RleSeries> = {};
  for (const [key, a] of alarms) {
    const n = a.timestamps.length;
    if (n === 0) continue;
    out[key] = {
      first: formatSkabTimestamp(a.timestamps[0]),
      last: formatSkabTimestamp(a.timestamps[n - 1]),
      ones: toRle(a, formatSkabTimestamp),
    };
  }
  await Deno.writeTextFile(file, JSON.stringify(out, null, 1) + "\n");
}

/** The `eval` command: SKAB benchmark through a pipeline, or scoring of a given alarm file. */
const command: Command = {
  name: "eval",
  summary: "Score a pipeline on labelled synthetic fleets or the SKAB benchmark",
  usage: USAGE,
  run,
};

export default command;

if (import.meta.main) Deno.exit(await command.run(Deno.args));
