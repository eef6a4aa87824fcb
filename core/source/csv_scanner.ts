/**
 * CSV tokenizer: a char-code scanner over a decoded string that yields one record at a time
 * as field ranges (no per-field strings), so numeric cells can be parsed in place.
 *
 * Grammar (RFC 4180, widened): records end at LF, CRLF or a lone CR, mixed freely; a field
 * that starts with `"` is quoted and may hold delimiters, newlines and `""` (an escaped quote);
 * a quote inside an unquoted field is an ordinary character. After a closing quote only spaces
 * and then a delimiter, a newline or the end of input may follow. Empty lines between records are skipped
 * and counted. A leading UTF-8 BOM is skipped.
 */
import { DataError } from "../errors.ts";

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Field flag: plain, quoted without escapes, quoted with `""` escapes. */
export const FIELD_PLAIN = 0;
/** Quoted field whose content range needs no unescaping. */
export const FIELD_QUOTED = 1;
/** Quoted field holding `""` escapes: use `field()` to get its text. */
export const FIELD_ESCAPED = 2;

/** Scans records of a CSV text; `starts`/`ends` hold content ranges of the current record. */
export class CsvScanner {
  /** Start offsets of the fields of the current record (quotes excluded). */
  starts = new Int32Array(64);
  /** End offsets (exclusive) of the fields of the current record. */
  ends = new Int32Array(64);
  /** One of FIELD_PLAIN, FIELD_QUOTED, FIELD_ESCAPED per field. */
  flags = new Uint8Array(64);
  /** Number of fields of the current record. */
  fieldCount = 0;
  /** 1-based line on which the current record starts. */
  line = 0;
  /** Empty lines skipped so far. */
  blankLines = 0;
  /** Offset of the next unread character. */
  pos: number;
  private nextLine = 1;

  constructor(
    readonly text: string,
    readonly delimiter: number,
    readonly file?: string,
  ) {
    this.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  /** Moves back to a saved `pos`, its `upcomingLine` and `blankLines` count. */
  seek(pos: number, line: number, blankLines: number): void {
    this.pos = pos;
    this.nextLine = line;
    this.blankLines = blankLines;
  }

  /** Line number of the next record (for `seek`). */
  get upcomingLine(): number {
    return this.nextLine;
  }

  /** Reads the next record; false at the end of input. */
  next(): boolean {
    const t = this.text;
    const n = t.length;
    const delim = this.delimiter;
    let i = this.pos;
    // Skip empty lines.
    while (i < n) {
      const c = t.charCodeAt(i);
      if (c === LF) {
        i++;
      } else if (c === CR) {
        i += i + 1 < n && t.charCodeAt(i + 1) === LF ? 2 : 1;
      } else break;
      this.nextLine++;
      if (i < n) this.blankLines++;
    }
    if (i >= n) {
      this.pos = n;
      this.fieldCount = 0;
      return false;
    }
    this.line = this.nextLine;
    let f = 0;
    for (;;) {
      if (f === this.starts.length) this.grow();
      if (i < n && t.charCodeAt(i) === QUOTE) {
        const open = i;
        let j = i + 1;
        let flag = FIELD_QUOTED;
        let q: number;
        for (;;) {
          q = t.indexOf('"', j);
          if (q < 0) {
            throw new DataError(
              "csv-quote",
              "Cannot read CSV: a quoted field is not closed before the end of the file",
              { file: this.file, line: this.nextLine },
              "check for a stray '\"' in this field; a quote inside a quoted field is written '\"\"'",
            );
          }
          if (q + 1 < n && t.charCodeAt(q + 1) === QUOTE) {
            flag = FIELD_ESCAPED;
            j = q + 2;
          } else break;
        }
        this.nextLine += countNewlines(t, open + 1, q);
        this.starts[f] = open + 1;
        this.ends[f] = q;
        this.flags[f] = flag;
        i = q + 1;
        while (i < n && t.charCodeAt(i) === 32 && delim !== 32) i++;
        if (i < n) {
          const c = t.charCodeAt(i);
          if (c !== delim && c !== LF && c !== CR) {
            throw new DataError(
              "csv-quote",
              `Cannot read CSV: unexpected ${
                JSON.stringify(t[i])
              } after the closing quote of field ${f + 1}`,
              { file: this.file, line: this.nextLine },
              "a quoted field must end with '\"' right before the delimiter or the end of the line",
            );
          }
        }
      } else {
        let j = i;
        while (j < n) {
          const c = t.charCodeAt(j);
          if (c === delim || c === LF || c === CR) break;
          j++;
        }
        this.starts[f] = i;
        this.ends[f] = j;
        this.flags[f] = FIELD_PLAIN;
        i = j;
      }
      f++;
      if (i >= n) break;
      const c = t.charCodeAt(i);
      i++;
      if (c === delim) continue;
      if (c === CR && i < n && t.charCodeAt(i) === LF) i++;
      this.nextLine++;
      break;
    }
    this.pos = i;
    this.fieldCount = f;
    return true;
  }

  /** Text of field `k` of the current record (quotes removed, `""` unescaped). */
  field(k: number): string {
    const raw = this.text.slice(this.starts[k], this.ends[k]);
    return this.flags[k] === FIELD_ESCAPED ? raw.replaceAll('""', '"') : raw;
  }

  /** All fields of the current record as strings. */
  record(): string[] {
    const out = new Array<string>(this.fieldCount);
    for (let k = 0; k < this.fieldCount; k++) out[k] = this.field(k);
    return out;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const flags = new Uint8Array(size);
    starts.set(this.starts);
    ends.set(this.ends);
    flags.set(this.flags);
    this.starts = starts;
    this.ends = ends;
    this.flags = flags;
  }
}

/** Line breaks (LF, CRLF, lone CR) in `text[start, end)`. */
function countNewlines(t: string, start: number, end: number): number {
  let count = 0;
  for (let i = start; i < end; i++) {
    const c = t.charCodeAt(i);
    if (c === LF) count++;
    else if (c === CR && (i + 1 >= end || t.charCodeAt(i + 1) !== LF)) count++;
  }
  return count;
}

const CANDIDATES = [44, 59, 9, 124];

/**
 * Picks the delimiter: among `,` `;` tab and `|`, the one that occurs (outside quotes) in the header
 * line and equally often in each of the next few lines, the most frequent in the header winning
 * (ties prefer `,` then `;` then tab). When none is consistent, the most frequent in the header; `,`
 * when the header has none.
 */
export function detectDelimiter(text: string, sampleLines = 6): number {
  const counts: number[][] = [];
  let row = [0, 0, 0, 0];
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length && counts.length < sampleLines; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) quoted = !quoted;
    else if (!quoted) {
      if (c === LF || c === CR) {
        if (c === CR && text.charCodeAt(i + 1) === LF) i++;
        if (row.some((x) => x > 0) || counts.length === 0) counts.push(row);
        row = [0, 0, 0, 0];
      } else {
        const k = CANDIDATES.indexOf(c);
        if (k >= 0) row[k]++;
      }
    }
  }
  if (counts.length < sampleLines && row.some((x) => x > 0)) counts.push(row);
  const head = counts[0] ?? [0, 0, 0, 0];
  let best = -1;
  for (let k = 0; k < CANDIDATES.length; k++) {
    if (head[k] === 0 || !counts.every((r) => r[k] === head[k])) continue;
    if (best < 0 || head[k] > head[best]) best = k;
  }
  if (best < 0) {
    best = 0;
    for (let k = 1; k < CANDIDATES.length; k++) if (head[k] > head[best]) best = k;
  }
  return CANDIDATES[best];
}
