/**
 * Culprit attribution: which heads and which raw sensors a row adds to an episode.
 * Each head's per-column contributions are normalised per row and weighted by the
 * head's share of the fused z on that row, then summed by source sensor. Heads
 * that score rows independently (`rowContributions`) provide contributions for the
 * episode rows only (`ScoreOptions.rows`); the others for every row.
 */
import type { Frame } from "../frame.ts";
import type { Detector } from "../plugin.ts";
import { DenseRowAttribution, type RowAttribution } from "../episodes/accumulator.ts";
import type { ResolvedNode } from "../pipeline/types.ts";
import { callHook } from "./context.ts";
import { headName } from "./inputs.ts";

/** One head's contributions: column-major over `n` rows; `index` maps a chunk row to one of them (−1: none). */
export interface HeadContributions {
  values: Float64Array;
  sensors: readonly string[];
  n: number;
  index?: Int32Array;
}

/** A row-wise head whose contributions are asked for later, for the episode rows only. */
export interface DeferredHead {
  node: ResolvedNode<unknown>;
  detector: Detector;
  input: Frame;
}

/** Asks each deferred head for the contributions of `rows` (ascending) and files them under its heads. */
export async function contributionsForRows(
  deferred: readonly DeferredHead[],
  rows: Int32Array,
  chunkRows: number,
  into: Map<string, HeadContributions>,
): Promise<void> {
  if (rows.length === 0) return;
  const index = new Int32Array(chunkRows).fill(-1);
  rows.forEach((i, k) => index[i] = k);
  for (const { node, detector, input } of deferred) {
    const part = await callHook(node, "score", () => detector.score(input, { rows }));
    for (const output of detector.outputs) {
      const c = part.contributions?.[output];
      if (c && c.length === rows.length * input.columns.length) {
        into.set(headName(node.id, output), {
          values: c,
          sensors: input.sensors,
          n: rows.length,
          index,
        });
      }
    }
  }
}

/**
 * The attribution function the episode machine calls for the rows it keeps.
 * Sensor shares are summed in one array indexed by sensor (each head's columns
 * mapped once) and handed over as that array with the touched slots
 * (DenseRowAttribution, valid until the next call): the accumulator adds them
 * without a record per row.
 */
export function rowAttribution(
  heads: readonly string[],
  fusedShares: Record<string, Float64Array>,
  contributions: ReadonlyMap<string, HeadContributions>,
  regimes: Int32Array,
): (i: number) => RowAttribution {
  const names: string[] = [];
  const slot = new Map<string, number>();
  const columnsOf = new Map<string, Int32Array>();
  for (const [head, m] of contributions) {
    columnsOf.set(
      head,
      Int32Array.from(m.sensors, (s) => {
        if (!slot.has(s)) {
          slot.set(s, names.length);
          names.push(s);
        }
        return slot.get(s)!;
      }),
    );
  }
  const acc = new Float64Array(names.length);
  const touched = new Uint8Array(names.length);
  const slots = new Int32Array(names.length);
  return (i) => {
    const byHead: Record<string, number> = {};
    let count = 0;
    for (const head of heads) {
      const share = fusedShares[head]?.[i] ?? 0;
      if (!(share > 0)) continue;
      byHead[head] = share;
      const m = contributions.get(head);
      if (!m) continue;
      const r = m.index ? m.index[i] : i;
      if (r < 0) continue;
      let total = 0;
      for (let j = 0; j < m.sensors.length; j++) {
        const v = m.values[j * m.n + r];
        if (v > 0) total += v;
      }
      if (!(total > 0)) continue;
      const cols = columnsOf.get(head)!;
      for (let j = 0; j < cols.length; j++) {
        const v = m.values[j * m.n + r];
        if (v > 0) {
          const s = cols[j];
          if (touched[s] === 0) {
            touched[s] = 1;
            acc[s] = 0;
            slots[count++] = s;
          }
          acc[s] += (share * v) / total;
        }
      }
    }
    // Sensors in slot order (a later head may touch an earlier slot): insertion sort.
    for (let k = 1; k < count; k++) {
      const s = slots[k];
      let at = k;
      while (at > 0 && slots[at - 1] > s) {
        slots[at] = slots[at - 1];
        at--;
      }
      slots[at] = s;
    }
    for (let k = 0; k < count; k++) touched[slots[k]] = 0;
    return new DenseRowAttribution(byHead, names, acc, slots, count, regimes[i]);
  };
}
