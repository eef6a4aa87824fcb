/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
/**
 * Worker entry module: runs one asset (core/replay/asset_runner.ts) under the
 * narrowed permissions the pool gave it, and talks to the main thread:
 * in  `{type:"run", job}`, `{type:"ack"}` (the ledger has the last chunk);
 * out `{type:"event", event}`, `{type:"chunk", entry, index, scored}` (typed
 * arrays moved in the transfer list), `{type:"done"}`, `{type:"failed", ...}`.
 */
import type { ScoredChunk } from "../plugin.ts";
import { type AssetJob, ChunkFailure, runAsset } from "./asset_runner.ts";

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

/** Buffers owned whole by one typed array of the chunk (views into shared buffers are copied instead). */
function transferables(chunk: ScoredChunk): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [
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
  ];
  const seen = new Map<ArrayBuffer, number>();
  for (const a of arrays) {
    if (!a || !(a.buffer instanceof ArrayBuffer)) continue;
    seen.set(a.buffer, (seen.get(a.buffer) ?? 0) + 1);
  }
  const out: ArrayBuffer[] = [];
  for (const a of arrays) {
    if (!a || !(a.buffer instanceof ArrayBuffer)) continue;
    const b = a.buffer;
    if (seen.get(b) === 1 && a.byteOffset === 0 && a.byteLength === b.byteLength) out.push(b);
  }
  return out;
}
