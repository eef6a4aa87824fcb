/**
 * The small, JSON-safe summary of a scored chunk that every file sink keeps
 * beside its part files: time span, model version, heads, episodes, data
 * quality, training ranges and the last row's state.
 */
import { formatTimestamp } from "../frame.ts";
import type { DataNote, ScoredChunk, SensorHealth } from "../plugin.ts";
import { type EpisodeRecord, episodeRecord } from "./records.ts";

/** The last row of a chunk: where the asset stands now. */
export interface CurrentState {
  timestamp: string;
  fused: number | null;
  health: number | null;
  alarm: number;
  regime: number;
}

/** JSON-safe summary of one chunk. */
export interface ChunkSummary {
  asset: string;
  chunk: string;
  first: string;
  last: string;
  rows: number;
  modelVersion: number;
  heads: string[];
  episodes: EpisodeRecord[];
  sensorHealth: SensorHealth[];
  notes: DataNote[];
  trainRanges: Record<string, [number, number, number]>;
  current: CurrentState | null;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Summarises a chunk for its part manifest. */
export function chunkSummary(chunk: ScoredChunk): ChunkSummary {
  const n = chunk.timestamps.length;
  const i = n - 1;
  return {
    asset: chunk.asset,
    chunk: chunk.chunk,
    first: n > 0 ? formatTimestamp(chunk.timestamps[0]) : "",
    last: n > 0 ? formatTimestamp(chunk.timestamps[i]) : "",
    rows: n,
    modelVersion: chunk.modelVersion,
    heads: Object.keys(chunk.heads),
    episodes: chunk.episodes.map(episodeRecord),
    sensorHealth: chunk.sensorHealth,
    notes: chunk.notes,
    trainRanges: chunk.trainRanges,
    current: n === 0 ? null : {
      timestamp: formatTimestamp(chunk.timestamps[i]),
      fused: finiteOrNull(chunk.fused[i]),
      health: finiteOrNull(chunk.health[i]),
      alarm: chunk.alarm[i],
      regime: chunk.regime[i],
    },
  };
}

/** One chunk's entry in data_quality.json. */
export interface ChunkQuality {
  chunk: string;
  first: string;
  last: string;
  rows: number;
  modelVersion: number;
  sensorHealth: SensorHealth[];
  notes: DataNote[];
}

/** The data-quality entry of a chunk (data_quality.json). */
export function chunkQuality(s: ChunkSummary): ChunkQuality {
  return {
    chunk: s.chunk,
    first: s.first,
    last: s.last,
    rows: s.rows,
    modelVersion: s.modelVersion,
    sensorHealth: s.sensorHealth,
    notes: s.notes,
  };
}
