/**
 * Hand-written timestamp parser for the formats found in plant exports.
 *
 * Accepted (leading/trailing spaces ignored):
 * - ISO 8601: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.f…]]` (or a space for `T`), optionally
 *   followed by `Z`, `±HH`, `±HHMM` or `±HH:MM`. A zone designator is converted to UTC and
 *   reported through `TimestampState.zoned`.
 * - Month-first (Excel artefacts, mixed in one file): `M/D/YYYY` and `MM-DD-YYYY`, optionally
 *   followed by ` H:MM[:SS[.f…]]` and ` AM`/` PM`. `dayFirst` reads `D/M/YYYY` instead.
 *
 * The result is epoch milliseconds of the wall-clock time read as UTC (see core/frame.ts);
 * fractions below one millisecond are truncated. Every field is range-checked (month 1–12,
 * day valid for the month with Gregorian leap years, hour < 24, minute and second < 60).
 * Nothing is guessed: anything else is NaN, with the reason left in `TimestampState.reason`.
 */

/** Hint listing the accepted formats, for errors about unparseable timestamps. */
export const TIMESTAMP_FORMATS_HINT =
  "supported: ISO 8601 (2019-06-01T00:00:00[.fff][Z|±HH:MM]), YYYY-MM-DD HH:MM[:SS[.fff]], " +
  "month-first M/D/YYYY H:MM[:SS] and MM-DD-YYYY HH:MM[:SS] (optional AM/PM); " +
  "set timestamp_column if the wrong column was taken, day_first for D/M/YYYY dates";

/** Scratch state of one parse: zone flag and the reason of the last failure. */
export interface TimestampState {
  /** True when the last parsed value carried a zone designator (Z or an offset). */
  zoned: boolean;
  /** Why the last failed parse failed ("" after a success). */
  reason: string;
  /** Read `a/b/YYYY` as day/month instead of month/day. */
  dayFirst: boolean;
}

/** A fresh parse state (month-first unless `dayFirst`). */
export function timestampState(dayFirst = false): TimestampState {
  return { zoned: false, reason: "", dayFirst };
}

const D0 = 48;
const SPACE = 32;
const COLON = 58;
const DASH = 45;
const SLASH = 47;
const DOT = 46;
const COMMA = 44;
const PLUS = 43;

// Cursor shared by the helpers below (single-threaded, reset by every parse).
let P = 0;

/** Reads between `min` and `max` digits at P; -1 when fewer than `min`. */
function readInt(t: string, e: number, min: number, max: number): number {
  let v = 0;
  let n = 0;
  while (P < e && n < max) {
    const d = t.charCodeAt(P) - D0;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
    n++;
    P++;
  }
  return n < min ? -1 : v;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "days_from_civil"). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Number of days in month `m` (1–12) of year `y`, Gregorian leap years. */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function fail(st: TimestampState, reason: string): number {
  st.reason = reason;
  return NaN;
}

/** Parses `text[start, end)` as a timestamp; epoch ms (naive wall clock as UTC) or NaN. */
export function parseTimestampRange(
  t: string,
  start: number,
  end: number,
  st: TimestampState,
): number {
  let s = start;
  let e = end;
  while (s < e && t.charCodeAt(s) === SPACE) s++;
  while (e > s && t.charCodeAt(e - 1) === SPACE) e--;
  st.zoned = false;
  if (s === e) return fail(st, "empty");
  P = s;
  let y: number, mo: number, d: number;
  const first = readInt(t, e, 1, 4);
  if (first < 0) return fail(st, "does not start with a digit");
  const iso = P - s === 4;
  if (iso) {
    if (P >= e || t.charCodeAt(P) !== DASH) return fail(st, "expected '-' after the year");
    P++;
    y = first;
    mo = readInt(t, e, 1, 2);
    if (mo < 0 || P >= e || t.charCodeAt(P) !== DASH) return fail(st, "expected YYYY-MM-DD");
    P++;
    d = readInt(t, e, 1, 2);
    if (d < 0) return fail(st, "expected YYYY-MM-DD");
  } else {
    if (P - s > 2 || P >= e) return fail(st, "expected M/D/YYYY, MM-DD-YYYY or YYYY-MM-DD");
    const sep = t.charCodeAt(P);
    if (sep !== SLASH && sep !== DASH) {
      return fail(st, "expected M/D/YYYY, MM-DD-YYYY or YYYY-MM-DD");
    }
    P++;
    const second = readInt(t, e, 1, 2);
    if (second < 0 || P >= e || t.charCodeAt(P) !== sep) {
      return fail(st, "expected M/D/YYYY or MM-DD-YYYY");
    }
    P++;
    y = readInt(t, e, 4, 4);
    if (y < 0) return fail(st, "expected a 4-digit year");
    mo = st.dayFirst ? second : first;
    d = st.dayFirst ? first : second;
  }
  if (mo < 1 || mo > 12) return fail(st, `month ${mo} is not in 1–12`);
  if (d < 1 || d > daysInMonth(y, mo)) {
    return fail(st, `day ${d} does not exist in month ${mo} of ${y}`);
  }
  let h = 0, mi = 0, sec = 0, ms = 0, offsetMin = 0;
  if (P < e) {
    const c = t.charCodeAt(P);
    if (c !== SPACE && !(iso && (c === 84 || c === 116))) {
      return fail(st, "unexpected text after the date");
    }
    P++;
    h = readInt(t, e, 1, 2);
    if (h < 0 || P >= e || t.charCodeAt(P) !== COLON) {
      return fail(st, "expected H:MM after the date");
    }
    P++;
    mi = readInt(t, e, 2, 2);
    if (mi < 0) return fail(st, "expected two minute digits");
    if (P < e && t.charCodeAt(P) === COLON) {
      P++;
      sec = readInt(t, e, 2, 2);
      if (sec < 0) return fail(st, "expected two second digits");
      if (P < e && (t.charCodeAt(P) === DOT || t.charCodeAt(P) === COMMA)) {
        P++;
        const f0 = P;
        let scale = 100;
        while (P < e) {
          const dd = t.charCodeAt(P) - D0;
          if (dd < 0 || dd > 9) break;
          ms += dd * scale;
          scale /= 10;
          P++;
        }
        if (P === f0) return fail(st, "expected digits after the decimal point");
        ms = Math.floor(ms);
      }
    }
    if (P < e) {
      if (iso) {
        const z = t.charCodeAt(P);
        if (z === 90 || z === 122) {
          P++;
          st.zoned = true;
        } else if (z === PLUS || z === DASH) {
          P++;
          const oh = readInt(t, e, 2, 2);
          let om = 0;
          if (oh < 0) return fail(st, "expected ±HH[:MM] zone offset");
          if (P < e && t.charCodeAt(P) === COLON) P++;
          if (P < e) {
            om = readInt(t, e, 2, 2);
            if (om < 0) return fail(st, "expected ±HH[:MM] zone offset");
          }
          if (oh > 23 || om > 59) return fail(st, "zone offset out of range");
          offsetMin = (z === PLUS ? 1 : -1) * (oh * 60 + om);
          st.zoned = true;
        }
      } else {
        while (P < e && t.charCodeAt(P) === SPACE) P++;
        const a = t.charCodeAt(P) | 32;
        if (P + 2 === e && (a === 97 || a === 112) && (t.charCodeAt(P + 1) | 32) === 109) {
          if (h < 1 || h > 12) return fail(st, `hour ${h} is not in 1–12 with AM/PM`);
          if (a === 97 && h === 12) h = 0;
          else if (a === 112 && h !== 12) h += 12;
          P = e;
        }
      }
    }
    if (h > 23) return fail(st, `hour ${h} is not in 0–23`);
    if (mi > 59) return fail(st, `minute ${mi} is not in 0–59`);
    if (sec > 59) return fail(st, `second ${sec} is not in 0–59`);
  }
  if (P !== e) return fail(st, "unexpected text after the time");
  st.reason = "";
  return daysFromCivil(y, mo, d) * 86400000 + h * 3600000 + mi * 60000 + sec * 1000 + ms -
    offsetMin * 60000;
}

/** Parses a whole string as a timestamp (month-first unless `dayFirst`); NaN when it is not one. */
export function parseTimestamp(text: string, dayFirst = false): number {
  return parseTimestampRange(text, 0, text.length, timestampState(dayFirst));
}

/** The reason `text` is not a timestamp, or "" when it is one. */
export function timestampFailure(text: string, dayFirst = false): string {
  const st = timestampState(dayFirst);
  parseTimestampRange(text, 0, text.length, st);
  return st.reason;
}
