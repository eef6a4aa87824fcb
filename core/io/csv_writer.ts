/**
 * A growable byte buffer that CSV text is written into field by field: numbers and
 * timestamps go in as ASCII bytes (core/io/number_format.ts) with no per-value
 * string, headers and names as UTF-8. `bytes()` is what a file write takes, so a
 * chunk's CSV part is built once and never held as a JS string.
 */
import {
  MAX_NUMBER_BYTES,
  MAX_TIMESTAMP_BYTES,
  writeDigits,
  writeNumber,
  writeTimestamp,
} from "./number_format.ts";
import { csvField } from "./csv_text.ts";
import { writeSignificant } from "./round_significant.ts";

const encoder = new TextEncoder();

/** CSV bytes built field by field (the caller writes separators with comma()/newline()). */
export class CsvWriter {
  #buf: Uint8Array;
  #pos = 0;

  /** `capacity`: initial bytes (it doubles as needed; a good estimate avoids copies). */
  constructor(capacity = 1 << 16) {
    this.#buf = new Uint8Array(Math.max(64, capacity));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#pos;
  }

  /** Makes room for `n` more bytes (callers test first: the common case stays inline). */
  #grow(n: number): void {
    let size = this.#buf.length * 2;
    while (size < this.#pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#pos));
    this.#buf = next;
  }

  /** Raw text as UTF-8 (no quoting: for whole header lines or prepared text). */
  text(s: string): void {
    if (this.#pos + s.length * 3 > this.#buf.length) this.#grow(s.length * 3);
    const r = encoder.encodeInto(s, this.#buf.subarray(this.#pos));
    this.#pos += r.written;
  }

  /** Bytes copied as they are (text encoded once by the caller, e.g. a name written on many rows). */
  raw(b: Uint8Array): void {
    if (this.#pos + b.length > this.#buf.length) this.#grow(b.length);
    if (b.length <= 16) {
      for (let i = 0; i < b.length; i++) this.#buf[this.#pos + i] = b[i];
    } else this.#buf.set(b, this.#pos);
    this.#pos += b.length;
  }

  /** One field of text, quoted when it must be (RFC 4180). */
  field(s: string): void {
    this.text(csvField(s));
  }

  /** A number at full precision (shortest round-trip, `String(x)`); NaN writes an empty field. */
  number(x: number): void {
    if (this.#pos + MAX_NUMBER_BYTES > this.#buf.length) this.#grow(MAX_NUMBER_BYTES);
    this.#pos = writeNumber(this.#buf, this.#pos, x);
  }

  /**
   * A number rounded to `digits` significant digits (0 = full precision), as
   * number(roundSignificant(x, digits)) writes it; NaN writes an empty field.
   */
  significant(x: number, digits: number): void {
    if (this.#pos + MAX_NUMBER_BYTES > this.#buf.length) this.#grow(MAX_NUMBER_BYTES);
    this.#pos = writeSignificant(this.#buf, this.#pos, x, digits);
  }

  /**
   * For each k < count a comma and `a[from + k·step]`, a comma and `b[from + k·step]`,
   * each as significant(x, digits) writes it: one row of interleaved columns (expected.csv's
   * expected value and residual per sensor, column-major), with one room check for the row.
   */
  significantPairs(
    a: Float64Array,
    b: Float64Array,
    from: number,
    step: number,
    count: number,
    digits: number,
  ): void {
    const need = count * 2 * (MAX_NUMBER_BYTES + 1);
    if (this.#pos + need > this.#buf.length) this.#grow(need);
    const buf = this.#buf;
    let pos = this.#pos;
    for (let k = 0, i = from; k < count; k++, i += step) {
      buf[pos++] = 44;
      pos = writeSignificant(buf, pos, a[i], digits);
      buf[pos++] = 44;
      pos = writeSignificant(buf, pos, b[i], digits);
    }
    this.#pos = pos;
  }

  /** A non-negative integer below 2^53 (flags, labels ≥ 0); others go through number(). */
  int(n: number): void {
    if (n >= 0 && n < 2 ** 53 && Math.floor(n) === n) {
      if (this.#pos + 16 > this.#buf.length) this.#grow(16);
      this.#pos = writeDigits(this.#buf, this.#pos, n);
    } else this.number(n);
  }

  /** An epoch-ms timestamp as `formatTimestamp` writes it. */
  timestamp(ms: number): void {
    if (this.#pos + MAX_TIMESTAMP_BYTES > this.#buf.length) this.#grow(MAX_TIMESTAMP_BYTES);
    this.#pos = writeTimestamp(this.#buf, this.#pos, ms);
  }

  /** A field separator. */
  comma(): void {
    if (this.#pos >= this.#buf.length) this.#grow(1);
    this.#buf[this.#pos++] = 44;
  }

  /** A record end ("\n"). */
  newline(): void {
    if (this.#pos >= this.#buf.length) this.#grow(1);
    this.#buf[this.#pos++] = 10;
  }

  /** The bytes written so far (a view: valid until the next write). */
  bytes(): Uint8Array {
    return this.#buf.subarray(0, this.#pos);
  }

  /** The bytes written so far as text. */
  toString(): string {
    return new TextDecoder().decode(this.bytes());
  }
}
