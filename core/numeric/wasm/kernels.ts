/**
 * The WebAssembly kernels (kernels.wat, f64x2 SIMD; bytes in kernels_wasm.ts):
 * one compiled module per thread, an instance with its own memory per user, so
 * no two users share an allocator. Views into an instance's memory stay valid:
 * the memory is sized once, at instantiation, and never grown.
 */
import { KERNELS_WASM_BASE64 } from "./kernels_wasm.ts";

/** The exported functions (byte addresses and element counts, see kernels.wat). */
export interface KernelExports {
  predict(
    d: number,
    p: number,
    n: number,
    xb: number,
    xstride: number,
    out: number,
    ostride: number,
    count: number,
    col: number,
    beta: number,
    icpt: number,
  ): void;
  cross(p: number, len: number, g: number, gs: number, part: number, ps: number): void;
  battery(
    P: number,
    T: number,
    n: number,
    e: number,
    hold: number,
    par: number,
    state: number,
    best: number,
    bt: number,
    hasMax: number,
    clip: number,
  ): void;
  rowdist(
    s: number,
    d: number,
    quad: number,
    q0: number,
    q1: number,
    out: number,
    ostride: number,
  ): void;
  seedtrials(
    x: number,
    d: number,
    n: number,
    cand: number,
    P: number,
    tc: number,
    kk: number,
    closest: number,
    owner: number,
    out: number,
    oout: number,
    pots: number,
    c: number,
    tmp: number,
    T: number,
  ): void;
  nearest2(
    x: number,
    d: number,
    n: number,
    cp: number,
    k: number,
    dist: number,
    labels: number,
    upper: number,
    lower: number,
  ): void;
  reassign(
    x: number,
    d: number,
    n: number,
    cen: number,
    cp: number,
    k: number,
    dist: number,
    labels: number,
    upper: number,
    lower: number,
    move: number,
    half: number,
    top: number,
    second: number,
    moveTop: number,
    sums: number,
    counts: number,
    list: number,
    bnd: number,
  ): void;
  clustersums(x: number, d: number, n: number, labels: number, sums: number, counts: number): void;
  addrow(t: number, v: number, count: number): void;
  colmoments(x: number, d: number, n: number, s: number, s2: number): void;
  silsums4(
    T: number,
    m: number,
    members: number,
    start: number,
    next: number,
    L: number,
    dist: number,
    r0: number,
    lab: number,
  ): void;
}

let compiled: WebAssembly.Module | null = null;

function module(): WebAssembly.Module {
  if (compiled) return compiled;
  const bin = atob(KERNELS_WASM_BASE64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return compiled = new WebAssembly.Module(bytes);
}

/** A fresh instance of the kernels and its memory. */
function instantiate(): { memory: WebAssembly.Memory; kernels: KernelExports } {
  const instance = new WebAssembly.Instance(module());
  return {
    memory: instance.exports.memory as WebAssembly.Memory,
    kernels: instance.exports as unknown as KernelExports,
  };
}

/** Grows `memory` to at least `bytes`; its buffer (not shared: the module declares no shared memory). */
function reserve(memory: WebAssembly.Memory, bytes: number): ArrayBuffer {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65_536));
  return memory.buffer as ArrayBuffer;
}

/** A bump allocator over a fresh kernel instance's memory. */
export class KernelMemory {
  readonly kernels: KernelExports;
  readonly buffer: ArrayBuffer;
  #next = 0;

  /** An instance whose memory holds at least `bytes` (16-byte aligned regions of `alloc`). */
  constructor(bytes: number) {
    const { memory, kernels } = instantiate();
    this.kernels = kernels;
    this.buffer = reserve(memory, bytes);
  }

  /** The byte address of a fresh region of `bytes` (16-byte aligned). */
  alloc(bytes: number): number {
    const at = this.#next;
    this.#next += Math.ceil(bytes / 16) * 16;
    if (this.#next > this.buffer.byteLength) {
      throw new RangeError(
        `Kernel memory: ${this.#next} bytes needed, ${this.buffer.byteLength} reserved`,
      );
    }
    return at;
  }
}

let scratch: { memory: WebAssembly.Memory; kernels: KernelExports } | null = null;

/**
 * This thread's scratch instance, its memory grown to at least `bytes`, for a
 * call that lays out its own data each time: views into `buffer` are valid
 * until the next `scratchKernels` call (growing the memory detaches them).
 */
export function scratchKernels(bytes: number): { kernels: KernelExports; buffer: ArrayBuffer } {
  scratch ??= instantiate();
  return { kernels: scratch.kernels, buffer: reserve(scratch.memory, bytes) };
}
