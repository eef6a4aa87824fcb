/**
 * Human output of a replay: one line per event (pipes, CI logs) or, on a TTY,
 * a live block with one line per asset (chunk k/N, rows/s, ETA) redrawn with
 * plain ANSI escapes, log lines scrolling above it. Also the end summary table
 * and the dry-run plan.
 */
import type { ReplayEvent } from "./events.ts";
import type { ReplaySummary } from "./summary.ts";

const fmt = new Intl.NumberFormat("en-US");
/** `17,511`. */
export const n = (x: number) => fmt.format(Math.round(x));
const secs = (s: number) => (s < 10 ? s.toFixed(2) : s.toFixed(1)) + " s";

/** One line for an event, or null for events not shown. */
export function eventLine(e: ReplayEvent, verbose = false): string | null {
  switch (e.type) {
    case "asset-start":
      return `[INFO] ${e.asset}: ${e.chunks} chunk(s)` +
        (e.skipped ? `, ${e.skipped} already done — resuming at chunk ${e.skipped + 1}` : "");
    case "chunk-skipped":
      return `[INFO] ${e.asset}: chunk ${e.index + 1}/${e.total} (skipped, done) -> ${e.chunk}`;
    case "chunk-start":
    case "chunk-stages":
      return null;
    case "chunk-done":
      return `[INFO] ${e.asset}: chunk ${e.index + 1}/${e.total} (${e.mode}) -> ${e.chunk} — ${
        n(e.rows)
      } rows, model v${e.modelVersion}, ${secs(e.seconds)}` +
        (e.episodes ? `, ${e.episodes} episode(s)` : "");
    case "model":
      return `[INFO] ${e.asset}: saved model v${e.version} (${e.reason})`;
    case "asset-done":
      return `[OK]   ${e.asset}: done in ${secs(e.seconds)}`;
    case "asset-failed":
      return `[FAIL] ${e.asset}: ${e.chunk ? `chunk ${e.chunk} failed: ` : ""}${e.error}`;
    case "log":
      if (e.level === "debug" && !verbose) return null;
      return `[${
        e.level === "warn" ? "WARN" : e.level === "error" ? "ERROR" : e.level.toUpperCase()
      }] ${e.asset ? e.asset + ": " : ""}${e.message}`;
  }
}

/** Live per-asset lines on a terminal. */
export class LiveProgress {
  #state = new Map<
    string,
    { done: number; total: number; rows: number; t0: number; text: string }
  >();
  #drawn = 0;
  constructor(private readonly write: (s: string) => void, private readonly verbose = false) {}

  /** Feeds one event. */
  on(e: ReplayEvent): void {
    const st = this.#state.get(e.asset);
    if (e.type === "asset-start") {
      this.#state.set(e.asset, {
        done: e.skipped,
        total: e.chunks,
        rows: 0,
        t0: performance.now(),
        text: `waiting (${e.chunks} chunks)`,
      });
    } else if (st && e.type === "chunk-start") {
      st.text = `chunk ${e.index + 1}/${e.total} ${e.chunk}`;
    } else if (st && e.type === "chunk-done") {
      st.done = e.index + 1;
      st.rows += e.rows;
      const el = (performance.now() - st.t0) / 1000;
      const rate = st.rows / Math.max(el, 1e-3);
      const perChunk = el / Math.max(1, st.done);
      const eta = perChunk * (st.total - st.done);
      st.text = `${bar(st.done / st.total)} ${st.done}/${st.total}  ${n(st.rows)} rows  ${
        n(rate)
      } rows/s  ETA ${secs(eta)}`;
    } else if (st && e.type === "asset-done") {
      st.text = `${bar(1)} ${st.total}/${st.total}  ${n(st.rows)} rows  done in ${secs(e.seconds)}`;
    } else if (st && e.type === "asset-failed") {
      st.text = `FAILED at ${e.chunk ?? "start"}`;
    }
    const line = e.type === "log" || e.type === "model" || e.type === "asset-failed"
      ? eventLine(e, this.verbose)
      : null;
    this.#redraw(line);
  }

  /** Leaves the block on screen and stops redrawing. */
  end(): void {
    this.#drawn = 0;
  }

  #redraw(logLine: string | null): void {
    let out = this.#drawn ? `\x1b[${this.#drawn}A\x1b[J` : "";
    if (logLine) out += logLine + "\n";
    const width = Math.max(0, ...[...this.#state.keys()].map((k) => k.length));
    for (const [asset, st] of this.#state) out += `  ${asset.padEnd(width)}  ${st.text}\n`;
    this.#drawn = this.#state.size;
    this.write(out);
  }
}

function bar(f: number): string {
  const w = 20, k = Math.round(Math.max(0, Math.min(1, f)) * w);
  return `[${"#".repeat(k)}${".".repeat(w - k)}]`;
}

/** The end-of-run table and verdict line. */
export function summaryText(s: ReplaySummary): string {
  const head = [
    "asset",
    "chunks",
    "done",
    "skipped",
    "failed",
    "blocked",
    "rows",
    "notes",
    "models",
    "time",
  ];
  const rows = s.assets.map((a) => [
    a.asset,
    String(a.chunks),
    String(a.done),
    String(a.skipped),
    String(a.failed),
    String(a.blocked ?? 0),
    n(a.rows),
    String(a.notes ?? 0),
    a.modelVersions.length ? a.modelVersions.map((v) => `v${v}`).join(",") : "-",
    secs(a.seconds),
  ]);
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) =>
    r.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join("  ");
  const out = [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
  const failed = s.assets.filter((a) => a.status === "failed");
  out.push("");
  if (s.interrupted) {
    out.push(
      `[INTERRUPTED] Chunk replay stopped after ${n(s.rows)} rows in ${secs(s.seconds)}; ` +
        `the chunks counted as done are recorded`,
    );
  } else if (failed.length === 0) {
    out.push(
      `[OK] Chunk replay complete: ${s.assets.length} asset(s), ${n(s.rows)} rows in ${
        secs(s.seconds)
      } (${n(s.rowsPerSecond)} rows/s)`,
    );
  } else {
    out.push(`[FAIL] ${failed.length} of ${s.assets.length} asset(s) failed:`);
    for (const a of failed) {
      out.push(`  ${a.asset}: ${a.failedChunk ? `chunk ${a.failedChunk}: ` : ""}${a.error}`);
      if (a.blocked) {
        out.push(
          `    ${a.blocked} later chunk(s) not run (blocked); --resume runs them after a fix`,
        );
      }
    }
  }
  const notes = s.assets.reduce((k, a) => k + (a.notes ?? 0), 0);
  if (notes) {
    out.push(`${notes} data note(s) on the input; see <asset>/data_quality.json or the report`);
  }
  if (s.warnings.length) {
    out.push(`${s.warnings.length} warning(s) (also in the run manifest):`);
    for (const w of s.warnings) out.push(`  [WARN] ${w.replace(/\n/g, "\n         ")}`);
  }
  if (s.manifest) out.push(`Run manifest: ${s.manifest}`);
  if (s.report) out.push(`Fleet report: ${s.report}`);
  return out.join("\n");
}

/** The dry-run plan, one block per asset. */
export function planText(s: ReplaySummary): string {
  const out = [`[DRY] pipeline ${s.pipelineFile} (signature ${s.signature.slice(0, 12)})`];
  out.push(
    `[DRY] chunk root ${s.chunkRoot} → artifact root ${s.artifactRoot} (nothing is written)`,
  );
  for (const a of s.assets) {
    if (!a.plan) {
      out.push(`[DRY] ${a.asset}: cannot run — ${a.error}`);
      continue;
    }
    out.push(`[DRY] ${a.asset}: ${a.chunks} chunk(s)`);
    const w = Math.max(...a.plan.map((p) => p.chunk.length));
    a.plan.forEach((p, i) => {
      const what = p.action === "skip"
        ? `skip (done, model v${p.modelVersion})`
        : p.action === "bootstrap"
        ? `bootstrap → train model v${p.modelVersion} (${p.reason}), then score`
        : `score with model v${p.modelVersion}`;
      out.push(`  ${String(i + 1).padStart(3)}/${a.chunks}  ${p.chunk.padEnd(w)}  ${what}`);
    });
  }
  out.push(
    "[DRY] predicted from the chunks as they are now; incremental updates are not simulated",
  );
  return out.join("\n");
}
