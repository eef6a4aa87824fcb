/** Events a replay reports while it runs (progress display, logs, tests). */

/** One progress or log event; `asset` is empty for run-level events. */
export type ReplayEvent =
  | { type: "log"; asset: string; level: "debug" | "info" | "warn" | "error"; message: string }
  | { type: "asset-start"; asset: string; chunks: number; skipped: number; rows?: number }
  | { type: "chunk-start"; asset: string; index: number; total: number; chunk: string }
  | {
    type: "chunk-done";
    asset: string;
    index: number;
    total: number;
    chunk: string;
    mode: "bootstrap" | "score";
    rows: number;
    modelVersion: number;
    seconds: number;
    episodes: number;
    /** Data notes of the chunk (reader, coverage, engine): in data_quality.json and the stores. */
    notes?: number;
  }
  | {
    /**
     * Wall seconds per stage of one chunk (read, parse, fit:…, score:…, sink:<id>,
     * checkpoint, ledger, …): "worker" from the asset's Worker, "main" for the fleet
     * sinks and the ledger on the main thread. For benchmarks; not shown.
     */
    type: "chunk-stages";
    asset: string;
    chunk: string;
    where: "worker" | "main";
    seconds: Record<string, number>;
    /** Process CPU seconds of the same laps (engine sub-stages have wall only). */
    cpu?: Record<string, number>;
  }
  | { type: "chunk-skipped"; asset: string; index: number; total: number; chunk: string }
  | { type: "model"; asset: string; version: number; reason: string }
  | { type: "asset-done"; asset: string; seconds: number }
  | { type: "asset-failed"; asset: string; chunk: string | null; error: string; seconds: number };
