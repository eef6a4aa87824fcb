/**
 * A small, deterministic stand-in for the pipeline loader and the engine, so
 * replay can be tested without them (pass this module as `hostModules`).
 *
 * The "pipeline file" is JSON: `{ name, seed, plugins?: {id: path},
 * detectors?: [{id, plugin, ...options}], model?: {...}, sinks?: ["csv" |
 * "fleet"], fake?: { hang_chunk?, spin_chunk?, fail_chunk? } }`. Chunks are CSVs
 * with an ISO `timestamp` first column. The model is per-sensor mean/std; the
 * head z is the mean |x−μ|/σ; fused is an EWMA carried across chunks in the
 * stream state (so a wrong checkpoint changes the output); episodes get ids
 * continued through the stream state.
 */
import { type Frame, makeFrame } from "../../core/frame.ts";
import type { Logger } from "../../core/log.ts";
import type {
  DetectorPlugin,
  ScoredChunk,
  SinkPlugin,
  SinkTarget,
  SourcePlugin,
  StateValue,
} from "../../core/plugin.ts";
import type { Pipeline, ResolvedNode } from "../../core/pipeline/types.ts";
import type { FittedModel, StreamState } from "../../core/engine/types.ts";
import { sha256Hex } from "../../core/hash.ts";
import { formatTimestamp } from "../../core/frame.ts";

const MODEL_DEFAULTS = {
  keep_versions: 5,
  refit_every_chunks: 0,
  max_age_days: 0,
  incremental: false,
  update_max_z: 2,
  max_missing_sensor_fraction: 0.25,
  retrain_on_new_sensors: false,
};

const fakeSource: SourcePlugin = {
  kind: "source",
  name: "fake_csv",
  version: "0.0.1",
  summary: "ISO-timestamp CSV",
  host_api: "^1.0.0",
  options: {},
  create: () => ({
    async read(path: string) {
      const lines = (await Deno.readTextFile(path)).split(/\r?\n/).filter((l) => l.trim());
      const header = lines[0].split(",");
      const cols = header.slice(1);
      const rows = lines.length - 1;
      const values = new Float64Array(rows * cols.length);
      const timestamps = new Float64Array(rows);
      for (let i = 0; i < rows; i++) {
        const f = lines[i + 1].split(",");
        timestamps[i] = Date.parse(f[0] + "Z");
        for (let j = 0; j < cols.length; j++) {
          values[j * rows + i] = f[j + 1] === "" ? NaN : Number(f[j + 1]);
        }
      }
      return { frame: makeFrame({ columns: cols, values, timestamps }), notes: [] };
    },
  }),
};

/** Sink writing `<assetDir>/parts/<chunk>.csv` then `scores.csv` = all parts in chunk order. */
const fakeCsvSink: SinkPlugin = {
  kind: "sink",
  name: "fake_csv",
  version: "0.0.1",
  summary: "scores.csv",
  host_api: "^1.0.0",
  scope: "asset",
  options: {},
  create: () => {
    let target: SinkTarget;
    return {
      open: (t) => Promise.resolve(void (target = t)),
      async write(chunk: ScoredChunk) {
        const dir = `${target.assetDir}/parts`;
        await Deno.mkdir(dir, { recursive: true });
        const lines = [];
        for (let i = 0; i < chunk.fused.length; i++) {
          lines.push(
            `${formatTimestamp(chunk.timestamps[i])},${chunk.heads.fake[i]},${chunk.fused[i]},${
              chunk.alarm[i]
            },${chunk.modelVersion}`,
          );
        }
        await Deno.writeTextFile(`${dir}/${chunk.chunk}.csv`, lines.join("\n") + "\n");
        const names: string[] = [];
        for await (const e of Deno.readDir(dir)) names.push(e.name);
        names.sort((a, b) => lastInt(a) - lastInt(b) || (a < b ? -1 : 1));
        let text = "timestamp,fake_z,fused,alarm,model\n";
        for (const n of names) text += await Deno.readTextFile(`${dir}/${n}`);
        const eps = chunk.episodes.map((e) => `${e.id},${formatTimestamp(e.start)},${e.peak_z}`);
        await Deno.writeTextFile(`${target.assetDir}/scores.csv`, text);
        await Deno.writeTextFile(`${target.assetDir}/episodes_${chunk.chunk}.txt`, eps.join("\n"));
      },
    };
  },
};

/** Fleet sink (main thread): one small file per (asset, chunk) under `<artifactRoot>/fleet/`. */
const fakeFleetSink: SinkPlugin = {
  kind: "sink",
  name: "fake_fleet",
  version: "0.0.1",
  summary: "fleet table",
  host_api: "^1.0.0",
  scope: "fleet",
  options: {},
  create: () => {
    let root = "";
    return {
      open: (t) => Promise.resolve(void (root = t.artifactRoot)),
      async write(chunk: ScoredChunk) {
        await Deno.mkdir(`${root}/fleet`, { recursive: true });
        let sum = 0;
        for (const x of chunk.fused) sum += x;
        const detached = chunk.raw.values.length; // typed arrays arrived intact
        await Deno.writeTextFile(
          `${root}/fleet/${chunk.asset}__${chunk.chunk}.txt`,
          `${chunk.fused.length},${sum},${detached}\n`,
        );
      },
    };
  },
};

function lastInt(name: string): number {
  const m = name.replace(/\.[^.]*$/, "").replace(/\.csv$/i, "").match(/\d+/g);
  return m ? Number(m[m.length - 1]) : -1;
}

function node<P>(
  id: string,
  pluginName: string,
  plugin: P,
  specifier = "",
  options = {},
): ResolvedNode<P> {
  return { id, pluginName, plugin, specifier, inputs: [], options, position: {} };
}

/** Loads a JSON "pipeline" file; `overrides` are `model.key=value` pairs. */
export async function loadPipeline(
  file: string,
  opts: { overrides?: string[] } = {},
): Promise<Pipeline> {
  const abs = await Deno.realPath(file);
  const doc = JSON.parse(await Deno.readTextFile(abs));
  for (const o of opts.overrides ?? []) {
    const [key, value] = o.split("=");
    const [section, name] = key.split(".");
    doc[section] = { ...(doc[section] ?? {}), [name]: JSON.parse(value) };
  }
  return resolveDocument(doc, { file: abs });
}

/** Builds the fake pipeline from its document (imports third-party detectors by path). */
export async function resolveDocument(
  document: Record<string, unknown>,
  opts: { file: string },
): Promise<Pipeline> {
  // deno-lint-ignore no-explicit-any
  const doc = document as Record<string, any>;
  const dir = opts.file.slice(0, opts.file.lastIndexOf("/"));
  const detectors: ResolvedNode<DetectorPlugin>[] = [];
  for (const d of doc.detectors ?? []) {
    const spec = new URL(doc.plugins[d.plugin], `file://${dir}/`).href;
    const mod = await import(spec);
    const { id, plugin: _p, ...options } = d;
    detectors.push(node(id, d.plugin, mod.default as DetectorPlugin, spec, options));
  }
  const sinks = (doc.sinks ?? ["csv"]).map((s: string) =>
    s === "fleet" ? node("fleet", "fake_fleet", fakeFleetSink) : node(s, "fake_csv", fakeCsvSink)
  );
  return {
    file: opts.file,
    name: doc.name ?? "fake",
    version: 1,
    seed: doc.seed ?? 1,
    document: doc,
    source: node("raw", "fake_csv", fakeSource),
    features: [],
    detectors,
    fusion: node("fused", "mean", {} as never),
    sinks,
    stages: { model: { ...MODEL_DEFAULTS, ...(doc.model ?? {}) } } as Pipeline["stages"],
  };
}

/** Signature over everything but name, sinks and the fake hooks. */
export function pipelineSignature(p: Pipeline): string {
  const { name: _n, sinks: _s, fake: _f, ...rest } = p.document as Record<string, unknown>;
  return sha256Hex(JSON.stringify(rest)).slice(0, 16);
}

/** Fits per-sensor mean and std on the sensors that have data; fits third-party detectors too. */
export async function fitModel(
  p: Pipeline,
  frame: Frame,
  _opts: { log?: Logger } = {},
): Promise<FittedModel> {
  const sensors: string[] = [];
  const mean: number[] = [], sd: number[] = [];
  frame.columns.forEach((c, j) => {
    const col = frame.values.subarray(j * frame.rows, (j + 1) * frame.rows).filter(Number.isFinite);
    if (col.length === 0) return;
    const m = col.reduce((a, b) => a + b, 0) / col.length;
    const v = col.reduce((a, b) => a + (b - m) ** 2, 0) / col.length;
    sensors.push(c);
    mean.push(m);
    sd.push(Math.sqrt(v) || 1);
  });
  const detectors: FittedModel["detectors"] = {};
  for (const d of p.detectors) {
    const inst = d.plugin.create(d.options as never, {
      nodeId: d.id,
      log: _opts.log!,
      rng: undefined as never,
      seed: p.seed,
      fail: (m: string) => {
        throw new Error(m);
      },
    });
    await inst.fit(frame);
    detectors[d.id] = inst.save();
  }
  return {
    signature: pipelineSignature(p),
    seed: p.seed,
    sensors,
    sensorHealth: frame.columns.map((c) => ({
      sensor: c,
      status: sensors.includes(c) ? "ok" : "excluded",
    })),
    features: {},
    heads: ["fake"],
    plugins: {},
    train: {
      rows: frame.rows,
      start: frame.timestamps[0],
      end: frame.timestamps[frame.rows - 1],
      hash: sha256Hex(frame.values).slice(0, 16),
    },
    metrics: { fake: { sensors: sensors.length } },
    detectors,
    engine: { mean: Float64Array.from(mean), sd: Float64Array.from(sd), updates: 0 },
  };
}

/** A scorer over the fake model; honours the `fake` hooks (hang / spin / fail on a chunk). */
export function createScorer(p: Pipeline, model: FittedModel) {
  const hooks = ((p.document as Record<string, unknown>).fake ?? {}) as Record<string, string>;
  const mean = model.engine.mean as Float64Array, sd = model.engine.sd as Float64Array;
  return Promise.resolve({
    async score(
      frame: Frame,
      stream: StreamState | null,
      meta: { asset: string; chunk: string; modelVersion: number },
    ) {
      if (hooks.fail_chunk === meta.chunk) throw new Error(`fake failure in ${meta.chunk}`);
      if (hooks.hang_chunk === meta.chunk) await new Promise(() => setInterval(() => {}, 1000));
      if (hooks.spin_chunk === meta.chunk) { while (true) { /* busy */ } }
      const n = frame.rows;
      const z = new Float64Array(n), fused = new Float64Array(n), alarm = new Uint8Array(n);
      let prev = (stream?.last as number) ?? 0;
      let nextId = (stream?.nextEpisode as number) ?? 1;
      const episodes: ScoredChunk["episodes"] = [];
      for (let i = 0; i < n; i++) {
        let s = 0, k = 0;
        model.sensors.forEach((c, m) => {
          const j = frame.columns.indexOf(c);
          const x = j < 0 ? NaN : frame.values[j * n + i];
          if (Number.isFinite(x)) {
            s += Math.abs(x - mean[m]) / sd[m];
            k++;
          }
        });
        z[i] = k ? s / k : 0;
        prev = fused[i] = 0.7 * prev + 0.3 * z[i];
        alarm[i] = fused[i] > 2 ? 1 : 0;
        if (alarm[i] && (i === 0 || !alarm[i - 1])) {
          episodes.push({
            id: nextId++,
            start: frame.timestamps[i],
            end: frame.timestamps[i],
            duration_s: 0,
            peak_z: fused[i],
            mean_z: fused[i],
            severity: "info",
            detector: "fake",
            culprits: [],
            regime: -1,
            open: false,
          });
        }
      }
      const chunk: ScoredChunk = {
        asset: meta.asset,
        chunk: meta.chunk,
        modelVersion: meta.modelVersion,
        timestamps: frame.timestamps.slice(),
        heads: { fake: z },
        fused,
        contributions: { fake: fused.slice() },
        alarm,
        health: new Float64Array(n).fill(100),
        regime: new Int32Array(n).fill(-1),
        regimeUnseen: new Uint8Array(n),
        episodes,
        sensorHealth: [],
        notes: [],
        raw: frame,
        trainRanges: {},
      };
      return {
        chunk,
        stream: { last: prev, nextEpisode: nextId, tail: frame.values.slice(-3) } as StreamState,
      };
    },
    update(frame: Frame, chunk: ScoredChunk): FittedModel | null {
      // Moves each mean 10% towards the chunk's non-alarm mean.
      const m2 = Float64Array.from(mean);
      model.sensors.forEach((c, m) => {
        const j = frame.columns.indexOf(c);
        let s = 0, k = 0;
        for (let i = 0; i < frame.rows; i++) {
          const x = frame.values[j * frame.rows + i];
          if (!chunk.alarm[i] && Number.isFinite(x)) (s += x), k++;
        }
        if (k) m2[m] = 0.9 * mean[m] + 0.1 * (s / k);
      });
      return {
        ...model,
        engine: { ...model.engine, mean: m2, updates: (model.engine.updates as number) + 1 },
      };
    },
  });
}

/** Writes a fleet of ISO-timestamp CSV chunks: `root/<asset>/batch_<k>.csv`. */
export async function writeFleet(
  root: string,
  spec: { assets: string[]; chunks: number; rows: number; sensors?: string[]; seed?: number },
): Promise<void> {
  const sensors = spec.sensors ?? ["a", "b", "c"];
  let s = spec.seed ?? 1;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (const asset of spec.assets) {
    await Deno.mkdir(`${root}/${asset}`, { recursive: true });
    let t = Date.UTC(2024, 0, 1);
    for (let k = 1; k <= spec.chunks; k++) {
      let text = `timestamp,${sensors.join(",")}\n`;
      for (let i = 0; i < spec.rows; i++, t += 600_000) {
        const spike = k > 1 && i % 37 === 5 ? 8 : 0;
        text += `${new Date(t).toISOString().slice(0, 19)},${
          sensors.map((_, j) => (j + rand() + spike).toFixed(4)).join(",")
        }\n`;
      }
      await Deno.writeTextFile(`${root}/${asset}/batch_${String(k).padStart(3, "0")}.csv`, text);
    }
  }
}

/** Writes a fake pipeline JSON file and returns its path. */
export async function writeFakePipeline(
  dir: string,
  doc: Record<string, unknown>,
): Promise<string> {
  const path = `${dir}/pipeline.json`;
  await Deno.writeTextFile(path, JSON.stringify({ name: "fake", seed: 3, ...doc }));
  return path;
}

/** This module's URL, for `hostModules`. */
export const FAKE_HOST = import.meta.url;

export type { StateValue };
