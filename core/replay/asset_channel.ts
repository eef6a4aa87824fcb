/**
 * Where an asset's worker runs, behind one interface for the pool
 * (core/replay/pool.ts):
 * - `processChannel`: in a child `deno run` process of its own, started as
 *   `sh -c 'ulimit -d …; exec deno run --v8-flags=--max-old-space-size=M …'`
 *   with the worker's permissions as flags (core/replay/asset_process.ts). A
 *   plugin that exhausts the JS heap (V8 aborts the process) or asks for a huge
 *   ArrayBuffer (refused by the data-size limit) ends or fails only this asset;
 *   a busy loop is stopped by SIGKILL. The default (`--asset-memory-mb`).
 * - `workerChannel`: a Web Worker in this process (`--asset-memory-mb 0`, or
 *   when this process may not start `sh`): no memory limit.
 */
import { fileURLToPath } from "node:url";
import { encodeFrame, readFrames } from "./wire.ts";

/** A running asset worker: messages in and out, errors, stop. */
export interface AssetChannel {
  post(message: unknown): void;
  /** Stops it (a child process is killed with SIGKILL). */
  terminate(): void;
}

/** Callbacks of a channel. */
export interface ChannelEvents {
  message(msg: { type: string } & Record<string, unknown>): void;
  /** The worker failed outside the protocol, or its process died: a readable reason. */
  error(reason: string, errorName?: string): void;
}

const WORKER_URL = new URL("./worker.ts", import.meta.url);
const PROCESS_ENTRY = fileURLToPath(new URL("./asset_process.ts", import.meta.url));
const CONFIG = fileURLToPath(new URL("../../deno.json", import.meta.url));

/** Default JS heap limit of an asset's process, in MiB (`--asset-memory-mb`). */
export const DEFAULT_ASSET_MEMORY_MB = 2048;

/**
 * The data-size limit (RLIMIT_DATA: JS heap, typed arrays, the runtime's own memory and
 * thread stacks) of a process with a JS heap limit of `mb`: the heap again plus 1 GiB for
 * the runtime (a replay process needs ~0.5 GiB of address space for itself).
 */
export function dataLimitMb(mb: number): number {
  return 2 * mb + 1024;
}

/** A Web Worker in this process. */
export function workerChannel(
  name: string,
  permissions: Deno.PermissionOptionsObject,
  on: ChannelEvents,
): AssetChannel {
  const worker = new Worker(WORKER_URL, { type: "module", name, deno: { permissions } });
  worker.onmessage = (e: MessageEvent) => on.message(e.data);
  worker.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    on.error(`worker error: ${e.message}`);
  };
  worker.onmessageerror = () => on.error("worker sent a message that could not be read");
  return { post: (m) => worker.postMessage(m), terminate: () => worker.terminate() };
}

/**
 * Why a process-backed asset cannot be used here, or null: this process must be
 * allowed to run `sh` and be a `deno` executable (not a compiled binary), and no
 * granted path may contain a comma (Deno's flag lists are comma-separated).
 */
export function processChannelUnavailable(
  permissions?: Deno.PermissionOptionsObject,
): string | null {
  if (Deno.build.os === "windows") return "Windows has no `sh`/`ulimit`";
  if (!/^deno(\.exe)?$/.test(Deno.execPath().split("/").pop() ?? "")) {
    return `this acm runs as ${Deno.execPath()}, not deno`;
  }
  if (Deno.permissions.querySync({ name: "run", command: "sh" }).state !== "granted") {
    return "this process may not start `sh` (run acm replay with --allow-run=sh; `deno task replay` does)";
  }
  const paths = [...list(permissions?.read), ...list(permissions?.write)];
  const comma = paths.find((p) => p.includes(","));
  if (comma) return `the path "${comma}" contains a comma`;
  return null;
}

/** The heap limit assets run with: `mb`, unless this process cannot start them that way (0, warned). */
export function effectiveAssetMemory(
  mb: number,
  permissions?: Deno.PermissionOptionsObject,
): { mb: number; warning?: string } {
  if (mb <= 0) return { mb: 0 };
  const why = processChannelUnavailable(permissions);
  if (why === null) return { mb };
  return {
    mb: 0,
    warning: `assets run without a memory limit (--asset-memory-mb ${mb} needs a process per ` +
      `asset, and ${why}); a plugin that exhausts memory stops the whole run`,
  };
}

function list(x: unknown): string[] {
  return Array.isArray(x) ? x.map(String) : [];
}

/** The `deno run` permission flags equal to a worker permission set. */
export function permissionFlags(p: Deno.PermissionOptionsObject): string[] {
  const flags: string[] = ["--no-prompt"];
  const one = (name: string, v: unknown) => {
    if (v === true || v === "inherit") throw new Error(`${name}: a child gets explicit lists only`);
    const items = list(v);
    if (items.length > 0) flags.push(`--allow-${name}=${items.join(",")}`);
  };
  one("read", p.read);
  one("write", p.write);
  one("env", p.env);
  one("net", p.net);
  return flags;
}

/** The command line of an asset's process (`sh -c 'ulimit -d KiB; exec deno run …'`). */
export function processCommand(
  permissions: Deno.PermissionOptionsObject,
  memoryMb: number,
): string[] {
  const config = (() => {
    try {
      return Deno.statSync(CONFIG).isFile ? ["--config", CONFIG, "--no-lock"] : [];
    } catch {
      return [];
    }
  })();
  return [
    "-c",
    'ulimit -d "$1" || exit 97; shift; exec "$@"',
    "sh",
    String(dataLimitMb(memoryMb) * 1024),
    Deno.execPath(),
    "run",
    "--quiet",
    `--v8-flags=--max-old-space-size=${memoryMb}`,
    ...config,
    "--unstable-worker-options",
    ...permissionFlags(permissions),
    PROCESS_ENTRY,
  ];
}

const OOM = /out of memory|Reached heap limit|allocation failed - JavaScript heap/i;

/**
 * A worker inside a child process with a memory limit of its own; `worker` is the
 * worker's module and name (default: an asset's worker, core/replay/worker.ts).
 * The process runs with the flags of `outer` (default: `permissions`), the worker
 * inside with `permissions`, which `outer` must cover.
 */
export function processChannel(
  permissions: Deno.PermissionOptionsObject,
  memoryMb: number,
  on: ChannelEvents,
  worker?: { url: URL; name: string },
  outer: Deno.PermissionOptionsObject = permissions,
): AssetChannel {
  const child = new Deno.Command("sh", {
    args: processCommand(outer, memoryMb),
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stopped = false;
  let stderr = "";
  const input = child.stdin.getWriter();
  let writing: Promise<void> = Promise.resolve();
  const pumpStderr = (async () => {
    const decoder = new TextDecoder();
    for await (const c of child.stderr) stderr = (stderr + decoder.decode(c)).slice(-8192);
  })();
  const pumpStdout = (async () => {
    for await (const m of readFrames(child.stdout)) {
      const msg = m as { type: string; message?: string } & Record<string, unknown>;
      if (msg.type === "$error") on.error(`worker error: ${msg.message}`);
      else on.message(msg);
    }
  })().catch((e) => {
    if (!stopped) on.error(`cannot read the asset process's messages: ${(e as Error).message}`);
  });
  child.status.then(async (status) => {
    await Promise.allSettled([pumpStdout, pumpStderr]);
    if (stopped) return;
    on.error(...exitReason(status, stderr, memoryMb));
  });
  post({ type: "$init", permissions, worker: worker?.url.href, name: worker?.name });
  function post(message: unknown): void {
    const frame = encodeFrame(message);
    writing = writing.then(() => input.write(frame)).catch(() => {});
  }
  return {
    post,
    terminate() {
      if (stopped) return;
      stopped = true;
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
      writing.then(() => input.close()).catch(() => {});
    },
  };
}

/** Why an asset's process ended before it said done or failed. */
export function exitReason(
  status: Deno.CommandStatus,
  stderr: string,
  memoryMb: number,
): [string, string] {
  const last = stderr.trim().split("\n").filter((l) => l.trim() && !l.startsWith("#")).slice(-3)
    .join(" | ");
  if (OOM.test(stderr) || status.signal === "SIGTRAP" || status.code === 133) {
    return [
      `ran out of memory: the asset's process reached its JS heap limit of ${memoryMb} MiB ` +
      `(--asset-memory-mb; data limit ${dataLimitMb(memoryMb)} MiB) and was stopped; raise ` +
      `--asset-memory-mb, or find the plugin that allocates without bound`,
      "OutOfMemory",
    ];
  }
  if (status.code === 97) {
    return ["could not set the data-size limit of the asset's process (`ulimit -d`)", "Error"];
  }
  const how = status.signal ? `was killed by ${status.signal}` : `exited with code ${status.code}`;
  return [`the asset's process ${how}${last ? `: ${last}` : ""}`, "Error"];
}
