/**
 * Labels rows with the nearest regime centre, flags operating points farther than
 * `unseen_factor` × that regime's training p99 distance — in several sensors at
 * once, see `spreadOut` — as unseen (the label stays the nearest centre), and
 * smooths labels by minimum dwell, carrying the open run across chunk boundaries. Rows with no finite sensor value get label −1.
 * For unseen rows it also says which way the point left: `below` = 1 when every
 * far sensor lies below the nearest centre (a stop, or a load lower than any in
 * training), and `farthest` = the regime sensor farthest out (−1 on seen rows).
 * With `min_regime_share` > 0 the rows of a regime training saw only briefly are
 * unseen too (markRareRegimes).
 */
import type { Frame } from "../frame.ts";
import type { RegimeOptions } from "../pipeline/stage_schemas.ts";
import { nearestDistance, nearestIndex, type RegimeModel, standardisedRows } from "./model.ts";
import { type RegimeCarry, smoothLabels } from "./smooth.ts";

/** Rows standardised at a time. */
const BLOCK = 4096;

/** Regime label (−1 unassigned) and unseen flag per row, and the carry for the next chunk. */
export function assignRegimes(
  model: RegimeModel,
  frame: Frame,
  options: RegimeOptions,
  carry?: RegimeCarry,
): RegimeAssignment {
  const d = model.sensors.length, n = frame.rows;
  const raw = new Int32Array(n).fill(-1);
  const unseen = new Uint8Array(n), below = new Uint8Array(n);
  const farthest = new Int32Array(n).fill(-1);
  // Blocks of rows: the standardised copy never holds more than BLOCK rows, in one reused buffer.
  const work = {
    x: new Float64Array(Math.min(n, BLOCK) * d),
    valid: new Uint8Array(Math.min(n, BLOCK)),
  };
  const limits: (Float64Array | undefined)[] = new Array(model.k); // farLimits per regime, when needed
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
      const c = nearestIndex(x, r, model.centres, model.k, d);
      raw[from + r] = c;
      if (nearestDistance <= options.unseen_factor * model.p99[c]) continue;
      const out = spreadOut(x, r, model, c, limits[c] ??= farLimits(model, c, options));
      if (out.far >= Math.min(3, d)) {
        unseen[from + r] = 1;
        below[from + r] = out.above ? 0 : 1;
        farthest[from + r] = out.farthest;
      }
    }
  }
  const smoothed = smoothLabels(
    raw,
    frame.timestamps,
    { minDwellRows: options.min_dwell_rows, minDwellS: options.min_dwell_s },
    carry ?? null,
  );
  if (options.min_regime_share > 0) {
    markRareRegimes(model, smoothed.labels, options.min_regime_share, unseen, below, farthest);
  }
  return { labels: smoothed.labels, unseen, below, farthest, carry: smoothed.carry };
}

/** What assignRegimes() returns per row, and the carry for the next chunk. */
export interface RegimeAssignment {
  labels: Int32Array;
  unseen: Uint8Array;
  below: Uint8Array;
  farthest: Int32Array;
  carry: RegimeCarry;
}

/**
 * Rows of a regime that holds fewer than `share` of the training rows (a state
 * training saw only briefly, such as its one stop) count as unseen: one short
 * visit does not teach a model that state's relations and spread. `below` = 1
 * when the regime's centre lies below the training mean in most regime sensors
 * (a stop, a low load); `farthest` = the sensor whose centre lies farthest out.
 */
function markRareRegimes(
  model: RegimeModel,
  labels: Int32Array,
  share: number,
  unseen: Uint8Array,
  below: Uint8Array,
  farthest: Int32Array,
): void {
  const d = model.sensors.length, k = model.k;
  const rare = new Uint8Array(k), low = new Uint8Array(k), far = new Int32Array(k).fill(-1);
  for (let c = 0; c < k; c++) {
    if (model.counts[c] >= share * model.trainRows) continue;
    rare[c] = 1;
    let under = 0, most = -1;
    for (let a = 0; a < d; a++) {
      const v = model.centres[c * d + a];
      if (v < 0) under++;
      if (Math.abs(v) > most) (most = Math.abs(v)), (far[c] = a);
    }
    low[c] = 2 * under > d ? 1 : 0;
  }
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (c < 0 || c >= k || !rare[c] || unseen[i]) continue;
    unseen[i] = 1;
    below[i] = low[c];
    farthest[i] = far[c];
  }
}

/**
 * An operating point is a new *mode* only when it is far in several sensors at
 * once: at least min(3, d) regime sensors lie beyond their limit (farLimits) from
 * the nearest centre. A row far out in one or two sensors is a
 * sensor-level anomaly, which must stay visible to the episode stage, not a
 * regime training never saw (a fan switched off moves current, flows, pressure
 * and damper together).
 */
function spreadOut(
  x: Float64Array,
  i: number,
  model: RegimeModel,
  c: number,
  limits: Float64Array,
): { far: number; above: boolean; farthest: number } {
  const d = model.sensors.length, centres = model.centres;
  let far = 0, above = false, farthest = -1, most = 0;
  for (let a = 0; a < d; a++) {
    const dev = x[i * d + a] - centres[c * d + a];
    if (Math.abs(dev) > limits[a]) {
      far++;
      if (dev > 0) above = true;
    }
    if (Math.abs(dev) / limits[a] > most) (most = Math.abs(dev) / limits[a]), (farthest = a);
  }
  return { far, above, farthest };
}

/**
 * Per sensor, how far from regime `c`'s centre counts as far: `envelope_sd`
 * training standard deviations, or, with `envelope_spread_factor` > 0 and a model
 * that has them, that factor × the sensor's own p99 spread inside the regime.
 */
function farLimits(model: RegimeModel, c: number, options: RegimeOptions): Float64Array {
  const d = model.sensors.length;
  const f = options.envelope_spread_factor;
  if (f > 0 && model.spread) return model.spread.slice(c * d, (c + 1) * d).map((v) => f * v);
  return new Float64Array(d).fill(options.envelope_sd);
}
