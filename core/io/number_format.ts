/**
 * Numbers and timestamps written as ASCII bytes straight into a buffer, with no
 * intermediate string for the common cases. The text is exactly what the string
 * formatters give (`String(x)`, `formatTimestamp(ms)`), so files stay byte-identical.
 *
 * Numbers: the shortest decimal that reads back as the same double (ECMAScript
 * Number::toString). Integers below 2^53 are written digit by digit; a value with
 * few decimals (sensor readings, 0.5, 12.345) is found as the smallest k with
 * round(|x|·10^k)/10^k === |x|, where round(|x|·10^k) < 2^50: the candidates of k
 * decimals are then more than 4 ulps apart, so at most one reads back as x, that
 * one is what Number::toString prints (fewest digits; fixed notation for
 * 1e-6 ≤ |x| < 1e21), and both the product and the test are exact enough
 * (m/10^k is one correctly rounded division, like the parse of "m·10^-k"). Other
 * values (17-digit z-scores, exponents) fall back to `String(x)` copied byte by byte.
 */

import { formatTimestamp } from "../frame.ts";

const P10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const FAST_LIMIT = 2 ** 50;
const INT_LIMIT = 2 ** 53;
/** Decimals tried before falling back (sensor data rarely has more). */
const MAX_FAST_DECIMALS = 9;
/** Bytes `writeNumber` may write at most ("-1.2345678901234567e-308" is 24). */
export const MAX_NUMBER_BYTES = 25;
/** Bytes `writeTimestamp` may write at most (outside years 0–9999 the string form is used). */
export const MAX_TIMESTAMP_BYTES = 40;

/** Writes the decimal digits of a non-negative integer `n < 2^53` at `pos`; returns the end. */
export function writeDigits(buf: Uint8Array, pos: number, n: number): number {
  if (n < 10) {
    buf[pos] = 48 + n;
    return pos + 1;
  }
  let len = 1;
  while (len < 16 && n >= P10[len]) len++;
  const end = pos + len;
  for (let i = end - 1; i >= pos; i--) {
    const q = Math.floor(n / 10);
    buf[i] = 48 + (n - q * 10);
    n = q;
  }
  return end;
}

function writeAscii(buf: Uint8Array, pos: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
  return pos;
}

/**
 * Writes `String(x)` at `pos` (NaN writes nothing: a missing CSV field); returns
 * the end. `buf` must have `MAX_NUMBER_BYTES` free from `pos`.
 */
export function writeNumber(buf: Uint8Array, pos: number, x: number): number {
  if (x !== x) return pos;
  if (x === 0) {
    buf[pos] = 48; // String(-0) is "0" too
    return pos + 1;
  }
  let ax = x;
  if (x < 0) {
    buf[pos++] = 45;
    ax = -x;
  }
  if (ax < INT_LIMIT && Math.floor(ax) === ax) return writeDigits(buf, pos, ax);
  if (ax >= 1e-6 && ax < FAST_LIMIT) {
    for (let k = 1; k <= MAX_FAST_DECIMALS; k++) {
      const p = P10[k];
      const m = Math.round(ax * p);
      if (m >= FAST_LIMIT) break;
      if (m / p === ax) {
        const ip = Math.floor(m / p);
        pos = writeDigits(buf, pos, ip);
        buf[pos++] = 46;
        let frac = m - ip * p;
        for (let i = pos + k - 1; i >= pos; i--) {
          const q = Math.floor(frac / 10);
          buf[i] = 48 + (frac - q * 10);
          frac = q;
        }
        return pos + k;
      }
    }
  }
  return writeAscii(buf, pos, String(ax));
}

function two(buf: Uint8Array, pos: number, n: number): void {
  const t = Math.floor(n / 10);
  buf[pos] = 48 + t;
  buf[pos + 1] = 48 + (n - t * 10);
}

const MIN_FAST_MS = -62_167_219_200_000; // 0000-01-01T00:00:00
const MAX_FAST_MS = 253_402_300_800_000; // 10000-01-01T00:00:00

/**
 * Writes `formatTimestamp(ms)` (`YYYY-MM-DDTHH:MM:SS`, `.mmm` when non-zero) at
 * `pos`; returns the end. Civil date from days since 1970 by Hinnant's
 * `civil_from_days` (https://howardhinnant.github.io/date_algorithms.html).
 */
export function writeTimestamp(buf: Uint8Array, pos: number, ms: number): number {
  if (!(ms >= MIN_FAST_MS && ms < MAX_FAST_MS) || Math.floor(ms) !== ms) {
    return writeAscii(buf, pos, formatTimestamp(ms));
  }
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) -
      Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  two(buf, pos, Math.floor(y / 100));
  two(buf, pos + 2, y % 100);
  buf[pos + 4] = 45;
  two(buf, pos + 5, m);
  buf[pos + 7] = 45;
  two(buf, pos + 8, d);
  buf[pos + 10] = 84; // T
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const mi = Math.floor(rest / 60_000);
  rest -= mi * 60_000;
  const s = Math.floor(rest / 1000);
  const frac = rest - s * 1000;
  two(buf, pos + 11, h);
  buf[pos + 13] = 58;
  two(buf, pos + 14, mi);
  buf[pos + 16] = 58;
  two(buf, pos + 17, s);
  if (frac === 0) return pos + 19;
  buf[pos + 19] = 46;
  buf[pos + 20] = 48 + Math.floor(frac / 100);
  two(buf, pos + 21, frac % 100);
  return pos + 23;
}
