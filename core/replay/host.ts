/**
 * The functions replay needs from the pipeline loader and the engine, loaded by
 * module specifier so a Worker can load them too and tests can substitute a
 * small fake engine (`hostModules`). The default modules are the real ones.
 */
import type { Frame } from "../frame.ts";
import type { Logger } from "../log.ts";
import type { ScoredChunk } from "../plugin.ts";
import type { Pipeline } from "../pipeline/types.ts";
import type { FittedModel, StreamState } from "../engine/types.ts";
import type { StageTimings } from "../engine/timings.ts";

/** Scores chunks of one asset with one fitted model (core/engine/score.ts). */
export interface HostScorer {
  score(
    frame: Frame,
    stream: StreamState | null,
    meta: { asset: string; chunk: string; modelVersion: number },
  ): Promise<{ chunk: ScoredChunk; stream: StreamState }>;
  update(frame: Frame, chunk: ScoredChunk): FittedModel | null | Promise<FittedModel | null>;
}

/** Loader + engine entry points. */
export interface ReplayHost {
  loadPipeline(
    file: string,
    opts?: { overrides?: string[]; env?: Record<string, string | undefined> },
  ): Promise<Pipeline>;
  resolveDocument(document: Record<string, unknown>, opts: { file: string }): Promise<Pipeline>;
  pipelineSignature(pipeline: Pipeline): string;
  fitModel(
    pipeline: Pipeline,
    frame: Frame,
    opts?: { log?: Logger; timings?: StageTimings },
  ): Promise<FittedModel>;
  createScorer(
    pipeline: Pipeline,
    model: FittedModel,
    opts?: { log?: Logger; timings?: StageTimings },
  ): Promise<HostScorer>;
}

const NAMES = [
  "loadPipeline",
  "resolveDocument",
  "pipelineSignature",
  "fitModel",
  "createScorer",
] as const;

/** The real modules, as absolute file URLs (a Worker needs read permission on them: core/). */
export const DEFAULT_HOST_MODULES: readonly string[] = [
  new URL("../pipeline/load.ts", import.meta.url).href,
  new URL("../pipeline/signature.ts", import.meta.url).href,
  new URL("../engine/fit.ts", import.meta.url).href,
  new URL("../engine/score.ts", import.meta.url).href,
];

/** Imports `modules` and picks each entry point from the first module that exports it. */
export async function loadHost(
  modules: readonly string[] = DEFAULT_HOST_MODULES,
): Promise<ReplayHost> {
  const loaded: Record<string, unknown>[] = [];
  for (const specifier of modules) {
    try {
      loaded.push(await import(specifier));
    } catch (e) {
      throw new Error(`Cannot load replay host module "${specifier}": ${(e as Error).message}`);
    }
  }
  const host: Record<string, unknown> = {};
  for (const name of NAMES) {
    const mod = loaded.find((m) => typeof m[name] === "function");
    if (!mod) {
      throw new Error(
        `Cannot load replay host: no module among ${
          modules.map((m) => `"${m}"`).join(", ")
        } exports "${name}"`,
      );
    }
    host[name] = mod[name];
  }
  return host as unknown as ReplayHost;
}
