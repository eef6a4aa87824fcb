/**
 * What the report sink keeps of each chunk it is handed, so that at close() the
 * report need not parse scores.csv back nor read the chunk files again for the
 * raw sensor values: the same numbers, since the csv sink writes each score as
 * the shortest round-trip decimal (parse(format(x)) === x; −0 is written "0",
 * NaN an empty field) and timestamps at millisecond precision. The scores stand
 * in only when every chunk the csv sink recorded (its part manifests, in their
 * order) is cached with the same row count and head list, and every value and
 * name reads back as itself (finite or NaN numbers, whole-ms timestamps of years
 * 0–9999, names with no comma, quote, line break or edge space); else the caller
 * parses scores.csv (a resumed run, a retrain that changed the heads).
 */
import type { ScoredChunk } from "../plugin.ts";
import type { CsvManifest } from "../io/csv_outputs.ts";
import type { CachedTraces } from "./cached_traces.ts";

/** A chunk's score columns as scores.csv holds them (copies). */
export interface CachedScores {
  heads: string[];
  /** Per head (in `heads` order), its calibrated z. */
  z: Float64Array[];
  fused: Float64Array;
  alarm: Uint8Array;
  health: Float64Array;
  regime: Int32Array;
  envelope: Uint8Array | null;
  transient: Uint8Array | null;
  /** Per row the culprit sensor (index into `sensors`) and test (into `tests`), −1 none. */
  sensor: Int32Array | null;
  test: Int32Array | null;
  sensors: string[];
  tests: string[];
}

/** A chunk's raw sensor values (column-major copies) and whether they equal its file's. */
export interface CachedRaw {
  columns: string[];
  values: Float64Array;
  /**
   * False when the engine changed values on the way (out-of-range values masked,
   * model sensors missing from the file): the file is read instead.
   */
  asRead: boolean;
}

/** One chunk as the report sink keeps it. */
export interface CachedChunk extends CachedTraces {
  scores?: CachedScores;
  raw?: CachedRaw;
}

/** The score columns of an asset over its chunks, as read from scores.csv. */
export interface ScoreColumns {
  t: Float64Array;
  heads: Record<string, Float64Array>;
  fused: Float64Array;
  alarm: Uint8Array;
  health: Float64Array;
  regime: Int32Array;
  envelope: Uint8Array;
  transient: Uint8Array;
  signature: string[];
  culprit: string[];
}

/** Copies what the report needs of `chunk` (its arrays may be transferred after the sinks). */
export function cacheChunk(chunk: ScoredChunk): CachedChunk {
  const heads = Object.keys(chunk.heads);
  const sig = chunk.signature;
  const raw = chunk.raw;
  const asRead = chunk.source?.plugin === "csv" &&
    !chunk.notes.some((n) => n.kind === "out_of_range" || n.kind === "unmonitored");
  return {
    t: chunk.timestamps.slice(),
    ...(chunk.traces ? { traces: chunk.traces } : {}),
    scores: {
      heads,
      z: heads.map((h) => chunk.heads[h].slice()),
      fused: chunk.fused.slice(),
      alarm: chunk.alarm.slice(),
      health: chunk.health.slice(),
      regime: chunk.regime.slice(),
      envelope: chunk.envelope?.slice() ?? null,
      transient: chunk.transient?.slice() ?? null,
      sensor: sig ? sig.sensor.slice() : null,
      test: sig ? sig.test.slice() : null,
      sensors: sig ? [...sig.sensors] : [],
      tests: sig ? [...sig.tests] : [],
    },
    raw: {
      columns: [...raw.columns],
      values: raw.values.slice(0, raw.rows * raw.columns.length),
      asRead,
    },
  };
}

const MIN_MS = -62_167_219_200_000; // 0000-01-01T00:00:00
const MAX_MS = 253_402_300_800_000; // 10000-01-01T00:00:00

/** Whether a name is written into scores.csv unquoted and read back as itself. */
function plainName(s: string): boolean {
  return !/[",\n\r]/.test(s) && s.trim() === s;
}

/** A score as it reads back from its shortest round-trip text; undefined for ±Infinity. */
function asRead(v: number): number | undefined {
  if (v !== v) return NaN;
  return v - v === 0 ? v + 0 : undefined;
}

/** scores.csv's columns from the cache, or null when the cache cannot stand in (see the module). */
export function scoresFromCache(
  manifests: readonly CsvManifest[],
  cache: ReadonlyMap<string, CachedChunk>,
): ScoreColumns | null {
  if (manifests.length === 0) return null;
  const pieces: CachedChunk[] = [];
  for (const m of manifests) {
    const c = cache.get(m.chunk);
    if (!c || !c.scores || c.t.length !== m.rows) return null;
    pieces.push(c);
  }
  const heads = pieces[0].scores!.heads;
  const key = heads.join("\u0000");
  for (const p of pieces) {
    const s = p.scores!;
    if (s.heads.join("\u0000") !== key) return null;
    if (!s.sensors.every(plainName) || !s.tests.every(plainName)) return null;
  }
  if (!heads.every(plainName) || new Set(heads).size !== heads.length) return null;
  const n = pieces.reduce((s, p) => s + p.t.length, 0);
  const t = new Float64Array(n), fused = new Float64Array(n), health = new Float64Array(n);
  const alarm = new Uint8Array(n), regime = new Int32Array(n);
  const envelope = new Uint8Array(n), transient = new Uint8Array(n);
  const z = heads.map(() => new Float64Array(n));
  const signature: string[] = new Array(n), culprit: string[] = new Array(n);
  let at = 0;
  for (const p of pieces) {
    const s = p.scores!;
    const rows = p.t.length;
    for (let i = 0; i < rows; i++) {
      const ms = p.t[i];
      if (!(ms >= MIN_MS && ms < MAX_MS) || Math.floor(ms) !== ms) return null;
      t[at + i] = ms;
      const f = asRead(s.fused[i]), h = asRead(s.health[i]);
      if (f === undefined || h === undefined) return null;
      fused[at + i] = f;
      health[at + i] = h;
      alarm[at + i] = s.alarm[i] === 1 ? 1 : 0;
      regime[at + i] = s.regime[i];
      envelope[at + i] = s.envelope && s.envelope[i] === 1 ? 1 : 0;
      transient[at + i] = s.transient && s.transient[i] === 1 ? 1 : 0;
      const who = s.sensor ? s.sensor[i] : -1, test = s.test ? s.test[i] : -1;
      culprit[at + i] = who >= 0 ? s.sensors[who] : "";
      signature[at + i] = test >= 0 ? s.tests[test] : "";
    }
    for (let h = 0; h < heads.length; h++) {
      const src = s.z[h], dst = z[h];
      for (let i = 0; i < rows; i++) {
        const v = asRead(src[i]);
        if (v === undefined) return null;
        dst[at + i] = v;
      }
    }
    at += rows;
  }
  const byHead: Record<string, Float64Array> = {};
  heads.forEach((h, k) => (byHead[h] = z[k]));
  return {
    t,
    heads: byHead,
    fused,
    alarm,
    health,
    regime,
    envelope,
    transient,
    signature,
    culprit,
  };
}
