import { ok, strictEqual } from "node:assert/strict";
import {
  excessDistance,
  fitExtrapolation,
  leaveOneOutDistance,
} from "../../../core/numeric/extrapolation_scale.ts";
import { spdInverse } from "../../../core/numeric/linalg.ts";
import { createRng } from "../../../core/rng.ts";

/** Three correlated standardised sensors (column-major): b ≈ a, c independent. */
function sensors(rows: number, seed = 3) {
  const rng = createRng(seed);
  const z = new Float64Array(rows * 3);
  for (let i = 0; i < rows; i++) {
    const a = rng.normal();
    z[i] = a;
    z[rows + i] = 0.9 * a + 0.3 * rng.normal();
    z[2 * rows + i] = rng.normal();
  }
  return z;
}

Deno.test("leaveOneOutDistance() equals the Mahalanobis distance over the other sensors (direct inverse)", () => {
  const rows = 2000;
  const z = sensors(rows);
  const fit = fitExtrapolation(z, rows, 3, new Uint8Array(rows).fill(1), 0.01, 0.99)!;
  const x = Float64Array.of(1.5, -0.5, 2);
  const out = new Float64Array(3);
  leaveOneOutDistance(fit, x, 1, out);
  // Reference: invert the covariance (with the same ridge) of the two other sensors.
  const P = fit.precision;
  const c = spdInverse(P, 3)!;
  for (let j = 0; j < 3; j++) {
    const keep = [0, 1, 2].filter((k) => k !== j);
    const sub = new Float64Array(4);
    for (let a = 0; a < 2; a++) {
      for (let b = 0; b < 2; b++) sub[a * 2 + b] = c[keep[a] * 3 + keep[b]];
    }
    const inv = spdInverse(sub, 2)!;
    const u = keep.map((k) => x[k] - fit.center[k]);
    let d2 = 0;
    for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) d2 += u[a] * inv[a * 2 + b] * u[b];
    ok(Math.abs(out[j] - Math.sqrt(d2)) < 1e-9, `sensor ${j}: ${out[j]} vs ${Math.sqrt(d2)}`);
  }
});

Deno.test("excessDistance() is 0 inside the training envelope and grows for the others when one sensor leaves it", () => {
  const rows = 2000;
  const z = sensors(rows);
  const fit = fitExtrapolation(z, rows, 3, new Uint8Array(rows).fill(1), 0.01, 0.99)!;
  const inside = new Float64Array(rows * 3);
  excessDistance(fit, z, rows, inside);
  let zeros = 0;
  for (let i = 0; i < rows; i++) if (inside[i] === 0) zeros++;
  ok(zeros >= 0.99 * rows - 1, `${zeros} of ${rows} training rows inside`);
  // Sensor a breaks away from b (a fault on a): b's and c's inputs leave the
  // envelope, a's own (b, c) stay inside.
  const x = Float64Array.of(6, 0, 0);
  const out = new Float64Array(3);
  excessDistance(fit, x, 1, out);
  strictEqual(out[0], 0);
  ok(out[1] > 1 && out[2] > 1, `excess ${out[1]}, ${out[2]}`);
});

Deno.test("fitExtrapolation() returns null with fewer usable rows than sensors + 2", () => {
  const z = sensors(4);
  strictEqual(fitExtrapolation(z, 4, 3, new Uint8Array(4).fill(1), 0.01, 0.99), null);
});
