/**
 * Binary codec for fitted state and stream state (`StateValue` trees: JSON plus
 * Float64Array / Int32Array / Uint8Array), bit-exact in both directions.
 *
 * Layout (all integers little-endian):
 *   "ACMS" | u32 format version | u32 header byte length | header (UTF-8 JSON)
 *   | zero padding to 8 | buffers, each starting on an 8-byte boundary
 *   | 32-byte SHA-256 of everything before it.
 * In the header a typed array is `{"$ta":"f64"|"i32"|"u8","o":offset,"n":length}`
 * (offset relative to the buffer section); a number JSON cannot carry exactly
 * (NaN, ±Infinity, -0) is `{"$f64":"<16 hex digits of its IEEE-754 bits>"}`; an
 * object that has a key starting with "$" is wrapped as `{"$o":{...}}`.
 * Typed-array bytes are copied as they are, so NaN payloads survive (a plain
 * number's NaN payload is already canonicalised by V8 when stored in an object).
 */
import type { StateValue } from "./plugin.ts";
import { sha256 } from "./hash.ts";

const MAGIC = [0x41, 0x43, 0x4d, 0x53]; // "ACMS"
const FORMAT_VERSION = 1;
const PREFIX = 12;
const DIGEST = 32;
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

type TypedTag = "f64" | "i32" | "u8";
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const align8 = (n: number) => (n + 7) & ~7;

/** Encodes a state tree into bytes; `decodeState(encodeState(v))` is bit-identical to `v`. */
export function encodeState(value: StateValue): Uint8Array {
  const buffers: {
    tag: TypedTag;
    array: Float64Array | Int32Array | Uint8Array;
    offset: number;
  }[] = [];
  let size = 0;
  const toJson = (v: StateValue, path: string): Json => {
    if (v === null || typeof v === "boolean" || typeof v === "string") return v;
    if (typeof v === "number") {
      if (Number.isFinite(v) && !Object.is(v, -0)) return v;
      return { $f64: numberBitsHex(v) };
    }
    if (v instanceof Float64Array || v instanceof Int32Array || v instanceof Uint8Array) {
      const tag: TypedTag = v instanceof Float64Array
        ? "f64"
        : v instanceof Int32Array
        ? "i32"
        : "u8";
      const offset = size;
      buffers.push({ tag, array: v, offset });
      size = align8(size + v.byteLength);
      return { $ta: tag, o: offset, n: v.length };
    }
    if (Array.isArray(v)) return v.map((x, i) => toJson(x, `${path}/${i}`));
    if (typeof v === "object") {
      const out: { [key: string]: Json } = {};
      let escape = false;
      for (const [k, x] of Object.entries(v)) {
        if (x === undefined) continue;
        if (k.startsWith("$")) escape = true;
        out[k] = toJson(x, `${path}/${k}`);
      }
      return escape ? { $o: out } : out;
    }
    throw new TypeError(
      `Cannot encode state: value of type "${typeof v}" at "${path || "/"}" is not a StateValue`,
    );
  };
  const header = new TextEncoder().encode(JSON.stringify(toJson(value, "")));
  const bodyStart = align8(PREFIX + header.length);
  const total = bodyStart + size + DIGEST;
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint32(4, FORMAT_VERSION, true);
  view.setUint32(8, header.length, true);
  out.set(header, PREFIX);
  for (const { array, offset } of buffers) {
    writeLittleEndian(out, bodyStart + offset, array);
  }
  out.set(sha256(out.subarray(0, total - DIGEST)), total - DIGEST);
  return out;
}

/** Decodes bytes made by `encodeState`; throws a RangeError on a truncated, corrupt or foreign input. */
export function decodeState(bytes: Uint8Array, source = "state"): StateValue {
  const fail = (why: string): never => {
    throw new RangeError(`Cannot decode ${source}: ${why}`);
  };
  if (bytes.length < PREFIX + DIGEST || MAGIC.some((b, i) => bytes[i] !== b)) {
    fail("not an acm state file (bad magic or too short)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== FORMAT_VERSION) fail(`format version ${version} is not supported`);
  const digest = sha256(bytes.subarray(0, bytes.length - DIGEST));
  const stored = bytes.subarray(bytes.length - DIGEST);
  if (digest.some((b, i) => b !== stored[i])) fail("checksum mismatch (truncated or corrupt)");
  const headerLength = view.getUint32(8, true);
  const bodyStart = align8(PREFIX + headerLength);
  const bodyEnd = bytes.length - DIGEST;
  if (bodyStart > bodyEnd) fail("header length exceeds the file");
  let tree: Json;
  try {
    tree = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX, PREFIX + headerLength)));
  } catch (e) {
    return fail(`header is not JSON (${(e as Error).message})`);
  }
  const fromJson = (j: Json): StateValue => {
    if (j === null || typeof j !== "object") return j;
    if (Array.isArray(j)) return j.map(fromJson);
    if (typeof j.$f64 === "string") return numberFromBitsHex(j.$f64);
    if (typeof j.$ta === "string") {
      const tag = j.$ta as TypedTag;
      const width = tag === "f64" ? 8 : tag === "i32" ? 4 : tag === "u8" ? 1 : 0;
      const n = Number(j.n), o = Number(j.o);
      if (!width || !(n >= 0) || !(o >= 0) || bodyStart + o + n * width > bodyEnd) {
        fail(`typed array reference ${JSON.stringify(j)} is out of range`);
      }
      return readLittleEndian(bytes, bodyStart + o, n, tag);
    }
    const inner = (j.$o !== undefined ? j.$o : j) as { [key: string]: Json };
    const out: { [key: string]: StateValue } = {};
    for (const [k, x] of Object.entries(inner)) out[k] = fromJson(x);
    return out;
  };
  return fromJson(tree);
}

function numberBitsHex(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x, false);
  return view.getBigUint64(0, false).toString(16).padStart(16, "0");
}

function numberFromBitsHex(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt("0x" + hex), false);
  return view.getFloat64(0, false);
}

function writeLittleEndian(
  out: Uint8Array,
  at: number,
  array: Float64Array | Int32Array | Uint8Array,
): void {
  if (LITTLE_ENDIAN || array instanceof Uint8Array) {
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset);
  if (array instanceof Float64Array) {
    for (let i = 0; i < array.length; i++) {
      // Copy raw bits so NaN payloads survive on big-endian hosts too.
      const bits = new DataView(array.buffer, array.byteOffset + i * 8, 8).getBigUint64(0, false);
      view.setBigUint64(at + i * 8, bits, true);
    }
  } else {
    for (let i = 0; i < array.length; i++) view.setInt32(at + i * 4, array[i], true);
  }
}

function readLittleEndian(
  bytes: Uint8Array,
  at: number,
  n: number,
  tag: TypedTag,
): Float64Array | Int32Array | Uint8Array {
  const width = tag === "f64" ? 8 : tag === "i32" ? 4 : 1;
  const start = bytes.byteOffset + at;
  const copy = bytes.buffer.slice(start, start + n * width) as ArrayBuffer;
  if (tag === "u8") return new Uint8Array(copy);
  if (!LITTLE_ENDIAN) {
    const v = new DataView(copy);
    for (let i = 0; i < n; i++) {
      if (tag === "f64") v.setBigUint64(i * 8, v.getBigUint64(i * 8, true), false);
      else v.setInt32(i * 4, v.getInt32(i * 4, true), false);
    }
  }
  return tag === "f64" ? new Float64Array(copy) : new Int32Array(copy);
}
