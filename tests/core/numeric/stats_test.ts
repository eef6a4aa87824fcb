import { quantile, quantileSorted, sortedFinite } from "../../../core/numeric/stats.ts";

Deno.test("quantile() by selection equals quantileSorted() of the sorted values, bit for bit", () => {
  let seed = 5;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let trial = 0; trial < 200; trial++) {
    const n = 1 + Math.floor(rand() * 60);
    const xs = Float64Array.from({ length: n }, () => {
      const u = rand();
      return u < 0.1
        ? 0
        : u < 0.2
        ? -0
        : u < 0.25
        ? NaN
        : u < 0.5
        ? Math.round(u * 8)
        : u * 1e3 - 500;
    });
    for (const q of [0, 0.01, 0.25, 0.5, 0.9, 0.99, 1]) {
      const want = quantileSorted(sortedFinite(xs), q), got = quantile(xs, q);
      if (!Object.is(got, want)) throw new Error(`trial ${trial} q ${q}: ${got} != ${want}`);
    }
  }
});
