/**
 * Entry module of an asset's child process (core/replay/asset_channel.ts): the
 * process `acm replay` starts per asset so that a plugin that exhausts memory
 * ends only this process (its V8 heap limit and data-size limit are set on the
 * command line). It holds no more permissions than the asset's worker and does
 * one thing: start that worker (core/replay/worker.ts, narrowed again to the
 * same permissions) and relay messages between it and the parent over
 * stdin/stdout (core/replay/wire.ts). The first frame is
 * `{type:"$init", permissions, worker?, name?}` (`worker`: the module URL of the
 * worker, by default core/replay/worker.ts; the plugin sandbox passes
 * core/pipeline/plugin_sandbox_worker.ts); a worker error is sent as
 * `{type:"$error", message}`.
 */
import { encodeFrame, readFrames } from "./wire.ts";

const WORKER_URL = new URL("./worker.ts", import.meta.url);

// Ctrl-C reaches the whole process group: the parent handles it (interrupted run manifest)
// and ends this process by closing its stdin, so the signal itself is ignored here.
if (Deno.build.os !== "windows") Deno.addSignalListener("SIGINT", () => {});
const out = Deno.stdout.writable.getWriter();
let writing: Promise<void> = Promise.resolve();

function send(message: unknown): void {
  let frame: Uint8Array;
  try {
    frame = encodeFrame(message);
  } catch (e) {
    frame = encodeFrame({
      type: "$error",
      message: `cannot send a message: ${(e as Error).message}`,
    });
  }
  writing = writing.then(() => out.write(frame)).catch(() => Deno.exit(1));
}

let worker: Worker | null = null;
for await (const message of readFrames(Deno.stdin.readable)) {
  const msg = message as {
    type: string;
    permissions?: Deno.PermissionOptionsObject;
    worker?: string;
    name?: string;
  };
  if (msg.type === "$init") {
    worker = new Worker(msg.worker ? new URL(msg.worker) : WORKER_URL, {
      type: "module",
      name: msg.name ?? "acm-replay-asset",
      deno: { permissions: msg.permissions ?? "none" },
    });
    worker.onmessage = (e: MessageEvent) => send(e.data);
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      send({ type: "$error", message: e.message });
    };
    worker.onmessageerror = () =>
      send({ type: "$error", message: "worker sent a message that could not be read" });
  } else {
    worker?.postMessage(msg);
  }
}
// The parent closed the pipe: it is done with this asset (or gone).
await writing;
Deno.exit(0);
