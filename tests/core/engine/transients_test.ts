import { deepStrictEqual } from "node:assert/strict";
import { transientMask } from "../../../core/engine/transients.ts";

const ts = (n: number) => Float64Array.from({ length: n }, (_, i) => i * 60_000);

Deno.test("transientMask() marks rows within the window after a regime change, not the first regime", () => {
  const labels = Int32Array.from([0, 0, 0, 1, 1, 1, 1, -1, 0, 0, 0]);
  const { mask } = transientMask(labels, ts(11), 120_000, null);
  deepStrictEqual([...mask], [0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0]);
});

Deno.test("transientMask() gives the same mask when the series is cut into chunks", () => {
  const labels = Int32Array.from([0, 0, 1, 1, 1, 0, 0, 0, 2, 2, 2, 2]);
  const t = ts(12);
  const whole = transientMask(labels, t, 150_000, null).mask;
  const a = transientMask(labels.subarray(0, 4), t.subarray(0, 4), 150_000, null);
  const b = transientMask(labels.subarray(4), t.subarray(4), 150_000, a.carry);
  deepStrictEqual([...a.mask, ...b.mask], [...whole]);
});

Deno.test("transientMask() makes ramp rows transient and restarts the window at the last one", () => {
  const labels = new Int32Array(12).fill(0);
  const t = Float64Array.from({ length: 12 }, (_, i) => i * 60_000);
  const moving = Uint8Array.from([0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  const { mask } = transientMask(labels, t, 3 * 60_000, null, undefined, moving);
  deepStrictEqual([...mask], [0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  const noWindow = transientMask(labels, t, 0, null, undefined, moving).mask;
  deepStrictEqual([...noWindow], [...moving]);
});

Deno.test("transientMask() holds settle_s after coming back from an unseen operating point, across chunks", () => {
  const labels = new Int32Array(14).fill(0);
  const unseen = Uint8Array.from([0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const t = ts(14);
  // No transient window of its own: only the settle span after the unseen rows counts.
  const { mask } = transientMask(labels, t, 0, null, unseen, undefined, 4 * 60_000);
  deepStrictEqual([...mask], [0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
  const a = transientMask(
    labels.subarray(0, 6),
    t.subarray(0, 6),
    0,
    null,
    unseen.subarray(0, 6),
    undefined,
    4 * 60_000,
  );
  const b = transientMask(
    labels.subarray(6),
    t.subarray(6),
    0,
    a.carry,
    unseen.subarray(6),
    undefined,
    4 * 60_000,
  );
  deepStrictEqual([...a.mask, ...b.mask], [...mask]);
  // settle 0: the old behaviour, and no `back` in the carry.
  const off = transientMask(labels, t, 0, null, unseen, undefined, 0);
  deepStrictEqual([...off.mask], new Array(14).fill(0));
  deepStrictEqual(off.carry.back, undefined);
});
