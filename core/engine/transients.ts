/**
 * Start-up / shut-down transients: rows within `transientMs` after a change of
 * the (smoothed) regime label, or after the last row of a ramp (the operating
 * point moving, core/regimes/ramp.ts) when a ramp mask is given. The first regime
 * seen is not a change. The carry (last label and the time of the last change)
 * makes chunked runs agree with a single run over the whole series.
 */

const UNSEEN = 1_000_000;

/** What a stream carries to find transients across chunk edges. */
export interface TransientCarry {
  label: number;
  since: number;
  /** Time the operating point last came back from outside the envelope (absent: never). */
  back?: number;
}

/**
 * 1 on transient rows; labels −1 (unassigned) are ignored. With `unseen`, an
 * operating point outside every training regime counts as a state of its own, so
 * leaving it (a machine starting from a mode training never saw) is a change too.
 * Ramp rows are transients themselves and restart the `transientMs` span. Rows
 * within `settleMs` after coming back from such an unseen point are transients too.
 */
export function transientMask(
  labels: Int32Array,
  timestamps: Float64Array,
  transientMs: number,
  carry: TransientCarry | null,
  unseen?: Uint8Array,
  moving?: Uint8Array,
  settleMs = 0,
): { mask: Uint8Array; carry: TransientCarry } {
  const mask = new Uint8Array(labels.length);
  let last = carry?.label ?? -1;
  let since = carry?.since ?? -Infinity;
  let back = carry?.back ?? -Infinity;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i] < 0 ? -1 : unseen && unseen[i] ? UNSEEN : labels[i];
    if (l >= 0 && last >= 0 && l !== last) since = timestamps[i];
    if (settleMs > 0 && last === UNSEEN && l >= 0 && l !== UNSEEN) back = timestamps[i];
    if (settleMs > 0 && timestamps[i] - back < settleMs) mask[i] = 1;
    if (l >= 0) last = l;
    if (moving && moving[i]) {
      since = timestamps[i];
      mask[i] = 1;
    }
    if (transientMs > 0 && timestamps[i] - since < transientMs) mask[i] = 1;
  }
  return {
    mask,
    carry: Number.isFinite(back) ? { label: last, since, back } : { label: last, since },
  };
}
