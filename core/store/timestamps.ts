/**
 * Timestamps as the SQLite store keeps them: ISO-8601 in UTC with milliseconds
 * and `Z`, `2020-01-04T08:00:00.000Z` (what `Date.toISOString()` writes). The
 * fixed width keeps text order equal to time order, and SQLite's date functions
 * read the `Z` as UTC: `datetime(ts)`, `julianday(ts)`, `unixepoch(ts)` all work,
 * and `ts >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-7 days')` compares as text.
 */

/** SQL expression giving column `col` in the store format (NULL/unparsable values kept). */
export function sqlStoreTime(col: string): string {
  return `COALESCE(strftime('%Y-%m-%dT%H:%M:%fZ', ${col}), ${col})`;
}

const HOUR_MS = 3_600_000;
/** The largest |epoch ms| a Date holds. */
const MAX_DATE_MS = 8.64e15;
const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));
// The hour the last call fell in and its text up to the minutes ("2020-01-04T08:").
let cachedHour = NaN;
let cachedPrefix = "";

/**
 * Epoch ms → store text, exactly `new Date(ms).toISOString()` (fractions of a
 * millisecond truncated; NaN or an instant beyond a Date's range throws its RangeError). The date and
 * hour are formatted once per hour of consecutive calls, only minutes, seconds and
 * milliseconds per call: a chunk's rows cost a tenth of toISOString's time.
 */
export function storeTime(ms: number): string {
  if (!(Math.abs(ms) <= MAX_DATE_MS)) return new Date(ms).toISOString(); // throws its RangeError
  const t = Math.trunc(ms);
  const hour = Math.floor(t / HOUR_MS);
  if (hour !== cachedHour) {
    const iso = new Date(hour * HOUR_MS).toISOString();
    cachedPrefix = iso.slice(0, iso.length - 10); // strip "MM:SS.mmmZ"
    cachedHour = hour;
  }
  const r = t - hour * HOUR_MS;
  return `${cachedPrefix}${TWO[Math.floor(r / 60_000)]}:${TWO[Math.floor((r % 60_000) / 1000)]}.${
    THREE[r % 1000]
  }Z`;
}

/**
 * ISO text (with or without a zone; naive text is UTC, as everywhere in acm)
 * → store text; undefined stays undefined, unparsable text is kept as given.
 */
export function storeTimeText(text: string | undefined): string | undefined {
  if (text === undefined || text === "") return text;
  const zoned = /(Z|[+-]\d\d:?\d\d)$/.test(text)
    ? text
    : text.length === 10
    ? `${text}T00:00:00Z`
    : `${text}Z`;
  const ms = Date.parse(zoned);
  return Number.isFinite(ms) ? storeTime(ms) : text;
}
