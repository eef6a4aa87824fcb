/**
 * pipelines/default.yaml on the real ACM sample chunks (skipped when
 * /work/shared/acm_data is absent), replayed as `acm replay` does: the first chunk
 * fits, every chunk is scored in order with the stream state carried.
 * - GAS_TURBINE (hourly) has a ~122-day hole (2019-08-31 → 2020-01-01) inside its
 *   fourth chunk: no episode may span it, and the January-2020 bearing-1 radial
 *   vibration rise (B1RADVIBX/Y from ~2 to ~4) must be an episode led by them.
 * - FD_FAN (30-min data) starts and stops: no episode may start within a few rows
 *   of an on/off change.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { loadPipeline } from "../../core/pipeline/load.ts";
import { fitModel } from "../../core/engine/fit.ts";
import { createScorer } from "../../core/engine/score.ts";
import type { StreamState } from "../../core/engine/types.ts";
import type { Frame } from "../../core/frame.ts";
import type { Episode } from "../../core/plugin.ts";
import { ACM_DATA, chunkFiles, hasAcmData, readFrame } from "../../bench/acm_accuracy.ts";

const present = await hasAcmData();
const PIPELINE = fileURLToPath(new URL("../../pipelines/default.yaml", import.meta.url));
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Replay {
  episodes: Episode[];
  timestamps: number[];
  /** 1 where the row was held (transient or outside the training envelope). */
  held: number[];
}

async function replay(chunks: Frame[]): Promise<Replay> {
  const pipeline = await loadPipeline(PIPELINE);
  const model = await fitModel(pipeline, chunks[0]);
  const scorer = await createScorer(pipeline, model);
  let stream: StreamState | null = null;
  const byId = new Map<number, Episode>();
  const out: Replay = { episodes: [], timestamps: [], held: [] };
  for (let k = 0; k < chunks.length; k++) {
    const { chunk, stream: next } = await scorer.score(chunks[k], stream, {
      asset: "real",
      chunk: `chunk_${k + 1}`,
      modelVersion: 1,
    });
    stream = next;
    for (const e of chunk.episodes) byId.set(e.id, e);
    for (let i = 0; i < chunk.timestamps.length; i++) {
      out.timestamps.push(chunk.timestamps[i]);
      out.held.push(chunk.transient?.[i] || chunk.envelope?.[i] ? 1 : 0);
    }
  }
  out.episodes = [...byId.values()].sort((a, b) => a.start - b.start);
  return out;
}

const iso = (t: number) => new Date(t).toISOString().slice(0, 16);

Deno.test({
  name: "default pipeline on GAS_TURBINE: no episode spans the 122-day hole",
  ignore: !present,
  async fn() {
    const chunks = await Promise.all(
      (await chunkFiles(`${ACM_DATA}/chunked/GAS_TURBINE`)).map((f) => readFrame(f)),
    );
    const run = await replay(chunks);
    // the hole: the one spacing longer than 100 days
    let gapFrom = NaN, gapTo = NaN;
    for (let i = 1; i < run.timestamps.length; i++) {
      if (run.timestamps[i] - run.timestamps[i - 1] > 100 * DAY) {
        gapFrom = run.timestamps[i - 1];
        gapTo = run.timestamps[i];
      }
    }
    assert.ok(Number.isFinite(gapFrom), "the GAS_TURBINE sample has no 100-day hole any more");
    const spanning = run.episodes.filter((e) => e.start <= gapFrom && e.end >= gapTo);
    assert.deepEqual(spanning.map((e) => `#${e.id} ${iso(e.start)} → ${iso(e.end)}`), []);
    // not trivially: there are episodes on both sides of the hole
    assert.ok(run.episodes.some((e) => e.end <= gapFrom), "no episode before the hole");
    assert.ok(run.episodes.some((e) => e.start >= gapTo), "no episode after the hole");
  },
});

/**
 * Issue 11: without `extrapolation_scale` the condition default was in alarm from the
 * first row after the hole (winter temperatures off their summer training relations)
 * and the January episode named LOTEMP1 / INACTTBTEMP1 first, B1RADVIBX third; with
 * it (0.03) the episodes from 2020-01-06 on are led by B1RADVIBX.
 */
Deno.test({
  name:
    "default pipeline on GAS_TURBINE names B1RADVIBX/Y first in the January-2020 vibration rise",
  ignore: !present,
  async fn() {
    const chunks = await Promise.all(
      (await chunkFiles(`${ACM_DATA}/chunked/GAS_TURBINE`)).map((f) => readFrame(f)),
    );
    const run = await replay(chunks);
    // the rise: B1RADVIBX/Y ~2 → ~4 from 2020-01-06 on (last chunk)
    const riseFrom = Date.UTC(2020, 0, 6), riseTo = Date.UTC(2020, 0, 31);
    const overlap = (e: Episode) => Math.min(e.end, riseTo) - Math.max(e.start, riseFrom);
    const during = run.episodes.filter((e) => overlap(e) > 0);
    assert.ok(during.length > 0, "no episode during the January-2020 vibration rise");
    const main = during.reduce((a, b) => overlap(b) > overlap(a) ? b : a);
    assert.ok(
      /^B1RADVIB[XY]$/.test(main.culprits[0]?.sensor ?? ""),
      `the episode covering most of the rise (#${main.id} ${iso(main.start)} → ${
        iso(main.end)
      }) names ${JSON.stringify(main.culprits)} first`,
    );
  },
});

/**
 * On/off changes of FD_FAN from its motor current (on above 5 A), as row indices
 * into the replayed rows.
 */
function onOffChanges(chunks: Frame[]): { at: number[]; onShare: number } {
  const at: number[] = [];
  let prev: boolean | null = null, row = 0, on = 0, seen = 0;
  for (const c of chunks) {
    const j = c.columns.findIndex((n) => /Motor Current/.test(n));
    assert.ok(j >= 0, "FD_FAN has no motor current column");
    for (let i = 0; i < c.rows; i++, row++) {
      const v = c.values[j * c.rows + i];
      if (!Number.isFinite(v)) continue;
      const state = v > 5;
      seen++;
      if (state) on++;
      if (prev !== null && state !== prev) at.push(row);
      prev = state;
    }
  }
  return { at, onShare: on / seen };
}

Deno.test({
  name: "default pipeline on FD_FAN starts no episode within 6 rows of an on/off change",
  ignore: !present,
  async fn() {
    // Rule: a start or stop moves every operating sensor at once; if the model
    // misread that as a fault, an episode would open at the change or within the
    // next few rows (the 1-h EWMA inputs settle over ~2 rows of 30-min data). So no
    // episode may start from 6 rows (3 h) before to 6 rows after a change. The rule
    // has teeth: with `regimes.transient_s=0` an episode starts 5 rows after the
    // 2013-02-24 05:00 start and this test fails.
    const chunks = await Promise.all(
      (await chunkFiles(`${ACM_DATA}/chunked/FD_FAN`)).map((f) => readFrame(f)),
    );
    const run = await replay(chunks);
    const { at, onShare } = onOffChanges(chunks);
    // not trivially: the fan runs most of the time, starts and stops several times,
    // the model is not in a hold the whole time, and it does raise episodes elsewhere
    assert.ok(at.length >= 4, `only ${at.length} on/off changes`);
    assert.ok(onShare > 0.5, `the fan runs on only ${(100 * onShare).toFixed(0)} % of rows`);
    const heldShare = run.held.reduce((s, h) => s + h, 0) / run.held.length;
    assert.ok(heldShare < 0.2, `${(100 * heldShare).toFixed(0)} % of rows held`);
    assert.ok(run.episodes.length > 0, "no episode at all: the test would pass for nothing");
    const rowOf = (t: number) => run.timestamps.findIndex((x) => x >= t);
    const near = run.episodes.filter((e) => at.some((r) => Math.abs(rowOf(e.start) - r) <= 6));
    assert.deepEqual(
      near.map((e) => `#${e.id} starts ${iso(e.start)}`),
      [],
      `on/off changes at ${at.map((r) => iso(run.timestamps[r])).join(", ")}`,
    );
  },
});
