/**
 * The per-asset JSON Lines outputs: `scores.jsonl` (one object per row: timestamp,
 * heads {name: z}, fused, alarm, health, regime, regime_unseen, and — when the
 * pipeline sets them — envelope and transient, 0/1) and `episodes.jsonl` (one
 * stored episode per line, culprits as an array, `kind: "envelope"` on envelope
 * episodes). Numbers
 * keep full precision; a missing value is null. Same part-file scheme as the
 * CSV outputs (`.parts/jsonl/`), so re-writing a chunk replaces its rows, and the
 * same append-or-rebuild of the cumulative scores file.
 */
import { formatTimestamp } from "../frame.ts";
import type { ScoredChunk } from "../plugin.ts";
import { atomicWriteText, ensureDir, syncDir } from "./atomic_write.ts";
import { type ChunkSummary, chunkSummary } from "./chunk_summary.ts";
import { type PartManifest, PartStore } from "./part_store.ts";
import { latestEpisodes } from "./records.ts";
import { appendPart, rewriteCumulative } from "./cumulative.ts";

const JSONL = { headerLine: false };

/** The jsonl sink's manifest of one chunk. */
export type JsonlManifest = PartManifest & ChunkSummary;

const num = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The rows of one chunk as JSON Lines text. */
export function scoresJsonl(chunk: ScoredChunk): string {
  const heads = Object.keys(chunk.heads);
  const lines: string[] = [];
  for (let i = 0; i < chunk.timestamps.length; i++) {
    const z: Record<string, number | null> = {};
    for (const h of heads) z[h] = num(chunk.heads[h][i]);
    lines.push(
      JSON.stringify({
        timestamp: formatTimestamp(chunk.timestamps[i]),
        heads: z,
        fused: num(chunk.fused[i]),
        alarm: chunk.alarm[i],
        health: num(chunk.health[i]),
        regime: chunk.regime[i],
        regime_unseen: chunk.regimeUnseen[i],
        ...(chunk.envelope ? { envelope: chunk.envelope[i] } : {}),
        ...(chunk.transient ? { transient: chunk.transient[i] } : {}),
      }) + "\n",
    );
  }
  return lines.join("");
}

/**
 * Writes one chunk's parts, then appends to scores.jsonl (or rebuilds it, as the
 * CSV outputs do: core/io/cumulative.ts) and rebuilds episodes.jsonl.
 */
export async function writeJsonlChunk(assetDir: string, chunk: ScoredChunk): Promise<void> {
  await ensureDir(assetDir);
  const store = new PartStore<JsonlManifest>(`${assetDir}/.parts/jsonl`);
  const summary = chunkSummary(chunk);
  const part = scoresJsonl(chunk);
  await store.put(summary, { "scores.jsonl": part });
  const manifests = await store.manifests();
  const order = manifests.map((m) => m.chunk);
  const path = `${assetDir}/scores.jsonl`;
  if (!(await appendPart(store.dir, path, order, summary.chunk, part, JSONL))) {
    const texts: string[] = [];
    for (const m of manifests) texts.push(await store.read(m.chunk, "scores.jsonl"));
    await rewriteCumulative(store.dir, path, order, texts.join(""), JSONL);
  }
  const episodes = latestEpisodes(manifests.map((m) => m.episodes));
  await atomicWriteText(
    `${assetDir}/episodes.jsonl`,
    episodes.map((e) => JSON.stringify(e) + "\n").join(""),
    { syncDir: false },
  );
  await syncDir(assetDir);
}
