/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
/**
 * Worker entry module: runs one asset (core/replay/asset_runner.ts) under the
 * narrowed permissions the pool gave it, and talks to the main thread:
 * in  `{type:"run", job}`, `{type:"ack"}` (the ledger has the last chunk);
 * out `{type:"event", event}`, `{type:"chunk", entry, index, scored}` (typed
 * arrays moved in the transfer list), `{type:"done"}`, `{type:"failed", ...}`.
 */
import { transferableBuffers } from "../frame.ts";
import type { ScoredChunk } from "../plugin.ts";
import { type AssetJob, ChunkFailure, runAsset } from "./asset_runner.ts";
import { loadHost } from "./host.ts";

// The pool starts a worker before its asset's turn (core/replay/pool.ts): load the
// real engine modules meanwhile (cached for runAsset's own loadHost; a job with
// replacement modules loads those then, and a failure here is runAsset's to report).
loadHost().catch(() => {});

let pendingAck: (() => void) | null = null;

self.onmessage = (e: MessageEvent) => {
  const msg = e.data as { type: string; job?: AssetJob };
  if (msg.type === "ack") {
    const resolve = pendingAck;
    pendingAck = null;
    resolve?.();
  } else if (msg.type === "run" && msg.job) {
    run(msg.job);
  }
};

async function run(job: AssetJob): Promise<void> {
  try {
    await runAsset(job, {
      event: (event) => self.postMessage({ type: "event", event }),
      chunkDone(entry, index, scored) {
        const ack = new Promise<void>((resolve) => (pendingAck = resolve));
        self.postMessage(
          { type: "chunk", entry, index, scored },
          scored ? transferables(scored) : [],
        );
        return ack;
      },
    });
    self.postMessage({ type: "done" });
  } catch (e) {
    const failure = e instanceof ChunkFailure ? e : null;
    const cause = failure?.cause ?? e;
    self.postMessage({
      type: "failed",
      chunk: failure?.chunk ?? null,
      index: failure?.index ?? null,
      started: failure?.started.toISOString() ?? null,
      error: failure ? failure.message : describe(cause),
      errorName: cause instanceof Error ? cause.name : "Error",
    });
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name === "Error" ? "" : e.name + ": "}${e.message}` : String(e);
}

/** The chunk's typed arrays that can move to the main thread without a copy. */
function transferables(chunk: ScoredChunk): ArrayBuffer[] {
  return transferableBuffers([
    chunk.timestamps,
    chunk.fused,
    chunk.alarm,
    chunk.health,
    chunk.regime,
    chunk.regimeUnseen,
    chunk.raw.values,
    chunk.raw.timestamps,
    ...Object.values(chunk.heads),
    ...Object.values(chunk.contributions),
  ]);
}
