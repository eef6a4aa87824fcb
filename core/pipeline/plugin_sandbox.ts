/**
 * The plugin sandbox: where a process that holds wide permissions (`acm replay`,
 * `acm validate`) loads third-party plugin modules. With isolation on, a module
 * from the pipeline's `plugins` map is never imported by the calling thread:
 * a Web Worker whose permissions are read-only on the plugin's own modules
 * (core/pipeline/import_graph.ts) and this acm's `core/`, `plugins/` and
 * `mod.ts` — no write, no other read, no net, run, ffi, sys, env beyond
 * LOG_TOKENS/LOG_STREAM (npm:yaml) — imports it, checks its export
 * (core/pipeline/plugin_loader.ts) and runs its validation-time `create()`.
 * `acm plugins --pipeline`, `acm eval` (fleet and skab), `acm demo` and the queue
 * coordinator (`acm replay --queue`) load pipelines the same way; `acm eval skab`,
 * which runs the engine in its own thread, then refuses a third-party node.
 * The caller gets a stand-in plugin: the export's data fields (kind, name,
 * version, options schema, scope, …) and a `create` that refuses to run,
 * because the real code runs only in the narrowed asset workers
 * (core/replay/permissions.ts). Built-in plugins are imported directly.
 */
import { fileURLToPath } from "node:url";
import type { ErrorCode } from "../errors.ts";
import { PluginError } from "../errors.ts";
import type { AnyPlugin } from "../plugin.ts";
import type { AssetChannel, ChannelEvents } from "../replay/asset_channel.ts";
import { processChannel, processChannelUnavailable } from "../replay/asset_channel.ts";
import { ajv } from "./ajv.ts";
import { hostCodeRoots, scanImportGraph } from "./import_graph.ts";
import type { LoadResult, PluginProblem } from "./plugin_loader.ts";

const WORKER_URL = new URL("./plugin_sandbox_worker.ts", import.meta.url);

/** A module that does not answer within this many seconds is reported as hung. */
export const SANDBOX_TIMEOUT_S = 60;

/** Marks a stand-in plugin: the value is its module specifier. */
export const SANDBOXED = Symbol.for("acm.sandboxedPlugin");

let depth = 0;

/**
 * Turns isolation on until the returned function is called (nested and concurrent
 * callers each hold it: it is on while any holds it).
 */
export function enterPluginIsolation(): () => void {
  depth++;
  let released = false;
  return () => {
    if (!released) depth--;
    released = true;
  };
}

/** Runs `fn` with isolation on (enterPluginIsolation), released when it settles. */
export async function withPluginIsolation<T>(fn: () => Promise<T>): Promise<T> {
  const release = enterPluginIsolation();
  try {
    return await fn();
  } finally {
    release();
  }
}

/** Whether third-party plugin modules are loaded in the sandbox. */
export function pluginIsolation(): boolean {
  return depth > 0;
}

/** The module specifier of a stand-in plugin, or undefined for a real one. */
export function sandboxedSpecifier(plugin: unknown): string | undefined {
  if (typeof plugin !== "object" || plugin === null) return undefined;
  const s = (plugin as Record<symbol, unknown>)[SANDBOXED];
  return typeof s === "string" ? s : undefined;
}

/** What the sandbox worker sends back (see plugin_sandbox_worker.ts). */
interface Reply {
  problems?: PluginProblem[];
  meta?: Record<string, unknown>;
  warnings?: PluginProblem[];
  outputs?: string[];
  error?: {
    name: string;
    message: string;
    detail: PluginError["detail"] | null;
    reason: string | null;
  };
}

/** The permissions of the sandbox worker for one module specifier. */
export async function sandboxPermissions(specifier: string): Promise<Deno.PermissionOptionsObject> {
  const read = new Set(await hostCodeRoots());
  if (specifier.startsWith("file:")) {
    for (const f of (await scanImportGraph(specifier)).files) read.add(f);
  }
  return {
    read: [...read],
    write: false,
    env: ["LOG_TOKENS", "LOG_STREAM"],
    net: false,
    run: false,
    ffi: false,
    sys: false,
    import: false,
  };
}

/** Default JS heap limit of the sandbox's child process, in MiB. */
export const DEFAULT_SANDBOX_MEMORY_MB = 1024;

/** Environment variable that overrides DEFAULT_SANDBOX_MEMORY_MB (0: no child process). */
export const SANDBOX_MEMORY_ENV = "ACM_PLUGIN_SANDBOX_MEMORY_MB";

/** The sandbox's JS heap limit: $ACM_PLUGIN_SANDBOX_MEMORY_MB when readable and valid, else the default. */
export function sandboxMemoryMb(): number {
  const allowed = Deno.permissions.querySync({ name: "env", variable: SANDBOX_MEMORY_ENV });
  const raw = allowed.state === "granted" ? Deno.env.get(SANDBOX_MEMORY_ENV) : undefined;
  if (raw === undefined || raw.trim() === "") return DEFAULT_SANDBOX_MEMORY_MB;
  const mb = Number(raw);
  if (!Number.isInteger(mb) || mb < 0) {
    throw new RangeError(
      `Cannot use ${SANDBOX_MEMORY_ENV}="${raw}": expected a whole number of MiB (0: no limit)`,
    );
  }
  return mb;
}

let warned = false;

/**
 * Starts the sandbox worker for one question: in a child process with a JS heap limit
 * (core/replay/asset_channel.ts processChannel), or, when this process cannot start one,
 * in a Web Worker here (warned once on stderr: no memory limit).
 */
function openSandbox(
  specifier: string,
  permissions: Deno.PermissionOptionsObject,
  memoryMb: number,
  on: ChannelEvents,
): AssetChannel {
  const name = `acm-plugin-sandbox:${specifier}`;
  const why = memoryMb > 0 ? processChannelUnavailable(permissions) : "it is off";
  if (why === null) return processChannel(permissions, memoryMb, on, { url: WORKER_URL, name });
  if (!warned && memoryMb > 0) {
    warned = true;
    console.error(
      `warning: third-party plugin modules load without a memory limit (a process of their own ` +
        `needs --allow-run=sh, and ${why}); a plugin whose top-level code exhausts memory stops ` +
        "the whole command",
    );
  }
  const worker = new Worker(WORKER_URL, { type: "module", name, deno: { permissions } });
  worker.onmessage = (e: MessageEvent) => on.message(e.data);
  worker.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    on.error(e.message);
  };
  worker.onmessageerror = () => on.error("sent a reply that could not be read");
  return { post: (m) => worker.postMessage(m), terminate: () => worker.terminate() };
}

const fail = (name: string, message: string): Reply => ({
  error: { name, message, detail: null, reason: null },
});

async function ask(specifier: string, message: Record<string, unknown>): Promise<Reply> {
  const memoryMb = sandboxMemoryMb();
  const permissions = await sandboxPermissions(specifier);
  let channel: AssetChannel | undefined;
  try {
    return await new Promise<Reply>((resolve) => {
      const timer = setTimeout(
        () =>
          resolve(fail(
            "TimedOut",
            `did not answer within ${SANDBOX_TIMEOUT_S} s (a loop in its top-level code?)`,
          )),
        SANDBOX_TIMEOUT_S * 1000,
      );
      const done = (r: Reply) => {
        clearTimeout(timer);
        resolve(r);
      };
      channel = openSandbox(specifier, permissions, memoryMb, {
        message: (m) => done(m as Reply),
        error: (reason, errorName) =>
          done(
            errorName === "OutOfMemory"
              ? fail("OutOfMemory", `ran out of memory (JS heap limit ${memoryMb} MiB)`)
              : fail("Error", reason.replace(/^worker error: /, "")),
          ),
      });
      channel.post({ ...message, specifier });
    });
  } finally {
    channel?.terminate();
  }
}

const loaded = new Map<string, Promise<LoadResult>>();

const problem = (code: ErrorCode, message: string, hint?: string): PluginProblem => ({
  code,
  severity: "error",
  message,
  hint,
});

/** Loads a third-party module in the sandbox (once per specifier); never throws. */
export function loadSandboxed(specifier: string): Promise<LoadResult> {
  let pending = loaded.get(specifier);
  if (!pending) {
    pending = ask(specifier, { op: "load" }).then((r) => standIn(specifier, r));
    loaded.set(specifier, pending);
  }
  return pending;
}

const SANDBOX_HINT =
  "a third-party plugin's top-level code and create() run with read access to its " +
  'own modules and acm\'s code only (docs/plugins.md "Permissions"); move file, network and ' +
  "environment access into the detector's fit()/score() (which run in the asset's worker) or out " +
  "of the plugin";

/** A refused permission inside the sandbox: say so, without Deno's "run again with --allow-…". */
function sandboxProblem(p: PluginProblem): PluginProblem {
  if (!/Requires \w+ access|NotCapable/.test(p.message)) return p;
  const message = p.message.replace(/, run again with the --allow-[a-z-]+ flag/, "")
    .replace(/": Requires/, '": refused in the plugin sandbox: NotCapable: Requires');
  return { ...p, message, hint: SANDBOX_HINT };
}

function standIn(specifier: string, r: Reply): LoadResult {
  if (r.problems) return { problems: r.problems.map(sandboxProblem) };
  if (r.error?.name === "OutOfMemory") {
    return {
      problems: [problem(
        "plugin-load",
        `Cannot load plugin module "${displayPath(specifier)}": the plugin module ${
          r.error.message.replace(/^ran out of memory/, "ran out of memory while loading")
        } and was stopped`,
        `its top-level code (or a module it imports) allocates without bound; fix the plugin, ` +
          `or raise the limit with ${SANDBOX_MEMORY_ENV}=<MiB>`,
      )],
    };
  }
  if (!r.meta) {
    return {
      problems: [problem(
        "plugin-load",
        `Cannot load plugin module "${specifier}" in the plugin sandbox: ${
          r.error?.name ?? "Error"
        }: ${r.error?.message.split("\n")[0] ?? "no reply"}`,
        SANDBOX_HINT,
      )],
    };
  }
  const name = String(r.meta.name);
  const plugin = {
    ...r.meta,
    [SANDBOXED]: specifier,
    create() {
      throw new PluginError(
        `plugin "${name}" (${specifier}) is third-party: its code runs only inside a narrowed worker`,
        { plugin: name, hook: "create" },
      );
    },
  } as unknown as AnyPlugin;
  // The schema compiled in the sandbox already; compiling plain data here runs no plugin code.
  const validate = ajv.compile(r.meta.options as object);
  return { ok: { plugin, specifier, validate, warnings: r.warnings ?? [] } };
}

/** A validation-time `create()` run in the sandbox: the detector outputs, or the error. */
export async function createSandboxed(
  specifier: string,
  id: string,
  options: Record<string, unknown>,
  seed: number,
): Promise<{ outputs: string[] } | { error: Reply["error"] & object }> {
  const r = await ask(specifier, { op: "create", id, options, seed });
  if (r.outputs) return { outputs: r.outputs };
  if (r.error?.name === "OutOfMemory") {
    const what = r.error.message.replace(/^ran out of memory/, "ran out of memory in create()");
    return {
      error: {
        ...r.error,
        name: "Error",
        message: `plugin module "${displayPath(specifier)}" ${what}`,
      },
    };
  }
  if (r.problems) {
    return { error: { name: "Error", message: r.problems[0].message, detail: null, reason: null } };
  }
  return {
    error: r.error ??
      { name: "Error", message: "no reply from the plugin sandbox", detail: null, reason: null },
  };
}

/** A file URL as its path; any other specifier as is. */
function displayPath(specifier: string): string {
  return specifier.startsWith("file:") ? fileURLToPath(specifier) : specifier;
}
