/**
 * Child processes of the bench: our measured run (bench/_child.ts in a fresh
 * `deno run`, so its peak RSS is its own) and the Python peer
 * (`/usr/bin/python3 bench/peer/acm_peer.py`), each returning its JSON result.
 */
import { fileURLToPath } from "node:url";
import { RESULT_PREFIX } from "./_child.ts";

/** Repository root (the folder holding deno.json). */
export const REPO = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
/** The interpreter the peer runs with (Debian's, where python3-pandas/sklearn install). */
export const PYTHON = "/usr/bin/python3";
const PEER = `${REPO}/bench/peer/acm_peer.py`;
const CHILD = `${REPO}/bench/_child.ts`;

/** What bench/_child.ts reports (seconds, MB). */
export interface ChildResult {
  parse_s: number;
  train_s: number;
  score_s: number;
  total_s: number;
  /** CPU seconds (user + system, all threads) over the same span as total_s. */
  cpu_s: number;
  rows: number;
  train_rows: number;
  scored_rows: number;
  sensors: number;
  healthy_sensors: number;
  episodes: number;
  /** CPU seconds of training and of scoring (all chunks). */
  train_cpu_s: number;
  score_cpu_s: number;
  /** Engine stage CPU seconds of training: gate, feature:<id>, fit:<id>, crossfit:<id>, regimes, ... */
  fit_timings: Record<string, number>;
  /** Engine stage CPU seconds of scoring, summed over the scoring chunks: select, feature:<id>, score:<id>, ... */
  score_timings: Record<string, number>;
  metrics: Record<string, Record<string, number | string>>;
  baseline_rss_mb: number | null;
  peak_rss_mb: number | null;
  /** RSS with the parsed chunks loaded, and the peak of fit + scoring after it (null off Linux). */
  engine_baseline_rss_mb: number | null;
  engine_peak_rss_mb: number | null;
  raw_mb: number;
}

/** What the peer prints (seconds, MB). */
export interface PeerResult {
  parse_s: number;
  train_s: number;
  score_s: number;
  total_s: number;
  cpu_s: number;
  rows: number;
  train_rows: number;
  scored_rows: number;
  sensors: number;
  episodes: number;
  peak_rss_mb: number;
}

function tail(text: string, lines = 6): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

/** Runs our pipeline on a chunk folder in a child `deno run`; outputs go to `out`. */
export async function runChild(
  chunks: string,
  out: string,
  opts: { pipeline?: string } = {},
): Promise<ChildResult> {
  const args = [
    "run",
    "--quiet",
    `--config=${REPO}/deno.json`,
    "--allow-all", // /proc/self/clear_refs and /proc/self/status (the engine's own peak) need it
    CHILD,
    "--chunks",
    chunks,
    "--out",
    out,
  ];
  if (opts.pipeline) args.push("--pipeline", opts.pipeline);
  const r = await new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "piped" })
    .output();
  const stdout = new TextDecoder().decode(r.stdout);
  const line = stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
  if (!r.success || !line) {
    throw new Error(
      `Cannot measure "${chunks}": the child exited with code ${r.code}\n` +
        tail(new TextDecoder().decode(r.stderr) || stdout),
    );
  }
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildResult;
}

/** Null when the peer's Python dependencies import, else the reason it cannot run. */
export async function peerUnavailable(): Promise<string | null> {
  try {
    const r = await new Deno.Command(PYTHON, {
      args: ["-c", "import numpy, pandas, sklearn, scipy"],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (r.success) return null;
    return `${PYTHON} cannot import the peer's dependencies (${
      tail(new TextDecoder().decode(r.stderr), 1)
    }); install python3-pandas python3-sklearn python3-scipy`;
  } catch (err) {
    return `${PYTHON} cannot be started (${err instanceof Error ? err.message : err})`;
  }
}

/** Runs the Python peer on a chunk folder; outputs go to `out`. */
export async function runPeer(chunks: string, out: string): Promise<PeerResult> {
  const r = await new Deno.Command(PYTHON, {
    args: [PEER, "--chunks", chunks, "--out", out],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(r.stdout).trim();
  if (!r.success) {
    throw new Error(
      `Cannot run the peer on "${chunks}": exit code ${r.code}\n` +
        tail(new TextDecoder().decode(r.stderr)),
    );
  }
  return JSON.parse(stdout.split("\n").at(-1)!) as PeerResult;
}
