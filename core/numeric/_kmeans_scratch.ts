/** The k-means working memory in this thread's scratch kernel instance (wasm/kernels.ts). */
import { type KernelExports, scratchKernels } from "./wasm/kernels.ts";

/** The kernels, their memory and the byte address of each named region (`x` first). */
export interface KMeansScratch {
  kernels: KernelExports;
  buffer: ArrayBuffer;
  at: Record<string, number>;
}

/**
 * Lays out `x` (row-major `n × d`, copied in) and the regions `sizes` (bytes,
 * each 16-byte aligned) in the scratch instance; valid until the next
 * scratchKernels call by anything else.
 */
export function kmeansScratch(
  x: Float64Array,
  n: number,
  d: number,
  sizes: Record<string, number>,
): KMeansScratch {
  const at: Record<string, number> = {};
  let bytes = 0;
  for (const [name, size] of Object.entries({ x: 8 * n * d, ...sizes })) {
    at[name] = bytes;
    bytes += Math.ceil(size / 16) * 16;
  }
  const { kernels, buffer } = scratchKernels(bytes);
  new Float64Array(buffer, at.x, n * d).set(x.subarray(0, n * d));
  return { kernels, buffer, at };
}
