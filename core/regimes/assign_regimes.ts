/**
 * Labels rows with the nearest regime centre, flags operating points farther than
 * `unseen_factor` × that regime's training p99 distance — in several sensors at
 * once, see `spreadOut` — as unseen (the label stays the nearest centre), and
 * smooths labels by minimum dwell, carrying the open run across chunk boundaries. Rows with no finite sensor value get label −1.
 */
import type { Frame } from "../frame.ts";
import type { RegimeOptions } from "../pipeline/stage_schemas.ts";
import { nearestCentre, type RegimeModel, standardisedRows } from "./model.ts";
import { type RegimeCarry, smoothLabels } from "./smooth.ts";

/** Rows standardised at a time. */
const BLOCK = 4096;

/** Regime label (−1 unassigned) and unseen flag per row, and the carry for the next chunk. */
export function assignRegimes(
  model: RegimeModel,
  frame: Frame,
  options: RegimeOptions,
  carry?: RegimeCarry,
): { labels: Int32Array; unseen: Uint8Array; carry: RegimeCarry } {
  const d = model.sensors.length, n = frame.rows;
  const raw = new Int32Array(n).fill(-1);
  const unseen = new Uint8Array(n);
  // Blocks of rows: the standardised copy never holds more than BLOCK rows, in one reused buffer.
  const work = {
    x: new Float64Array(Math.min(n, BLOCK) * d),
    valid: new Uint8Array(Math.min(n, BLOCK)),
  };
  for (let from = 0; from < n; from += BLOCK) {
    const to = Math.min(n, from + BLOCK);
    const { x, valid } = standardisedRows(
      frame,
      model.sensors,
      model.mean,
      model.scale,
      model.medians,
      from,
      to,
      work,
    );
    for (let r = 0; r < to - from; r++) {
      if (!valid[r]) continue;
      const [c, dist] = nearestCentre(x, r, model.centres, model.k, d);
      raw[from + r] = c;
      if (dist > options.unseen_factor * model.p99[c] && spreadOut(x, r, model.centres, c, d)) {
        unseen[from + r] = 1;
      }
    }
  }
  const smoothed = smoothLabels(
    raw,
    frame.timestamps,
    { minDwellRows: options.min_dwell_rows, minDwellS: options.min_dwell_s },
    carry ?? null,
  );
  return { labels: smoothed.labels, unseen, carry: smoothed.carry };
}

/**
 * An operating point is a new *mode* only when it is far in several sensors at
 * once: at least min(3, d) regime sensors lie more than 3 training standard
 * deviations from the nearest centre. A row far out in one or two sensors is a
 * sensor-level anomaly, which must stay visible to the episode stage, not a
 * regime training never saw (a fan switched off moves current, flows, pressure
 * and damper together).
 */
function spreadOut(
  x: Float64Array,
  i: number,
  centres: Float64Array,
  c: number,
  d: number,
): boolean {
  let far = 0;
  for (let a = 0; a < d; a++) {
    if (Math.abs(x[i * d + a] - centres[c * d + a]) > 3) far++;
  }
  return far >= Math.min(3, d);
}
