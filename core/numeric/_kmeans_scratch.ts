/** The k-means working memory in this thread's scratch kernel instance (wasm/kernels.ts). */
import { type KernelExports, KernelMemory, scratchKernels } from "./wasm/kernels.ts";

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
  const scratch = kmeansLayout(n, d, sizes, false);
  new Float64Array(scratch.buffer, scratch.at.x, n * d).set(x.subarray(0, n * d));
  return scratch;
}

/**
 * The layout of {@link kmeansScratch} without copying x: in the thread's scratch
 * instance, or with `own` in a fresh instance of its own (its memory is never
 * grown again, so views into it stay valid while the caller holds it).
 */
export function kmeansLayout(
  n: number,
  d: number,
  sizes: Record<string, number>,
  own: boolean,
): KMeansScratch {
  const at: Record<string, number> = {};
  let bytes = 0;
  for (const [name, size] of Object.entries({ x: 8 * n * d, ...sizes })) {
    at[name] = bytes;
    bytes += Math.ceil(size / 16) * 16;
  }
  const { kernels, buffer } = own ? new KernelMemory(bytes) : scratchKernels(bytes);
  return { kernels, buffer, at };
}
