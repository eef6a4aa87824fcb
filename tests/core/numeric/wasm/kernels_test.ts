import { deepStrictEqual, ok, throws } from "node:assert/strict";
import { KERNELS_WASM_BASE64 } from "../../../../core/numeric/wasm/kernels_wasm.ts";
import { KernelMemory } from "../../../../core/numeric/wasm/kernels.ts";
import { assemble, readSource } from "../../../../tools/build_wasm.ts";

Deno.test("kernels_wasm.ts holds the assembly of kernels.wat (run tools/build_wasm.ts)", async () => {
  const bytes = await assemble(await readSource());
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  deepStrictEqual(KERNELS_WASM_BASE64, btoa(bin), "run: deno run -A tools/build_wasm.ts");
});

Deno.test("KernelMemory hands out 16-byte aligned regions within its memory, and says when it is full", () => {
  const mem = new KernelMemory(100_000);
  ok(mem.buffer.byteLength >= 100_000);
  const a = mem.alloc(10), b = mem.alloc(24), c = mem.alloc(8);
  deepStrictEqual([a, b, c], [0, 16, 48]);
  throws(() => mem.alloc(mem.buffer.byteLength), /Kernel memory: \d+ bytes needed/);
  // Each instance has its own memory.
  const other = new KernelMemory(10);
  new Float64Array(other.buffer, 0, 1)[0] = 5;
  deepStrictEqual(new Float64Array(mem.buffer, 0, 1)[0], 0);
});
