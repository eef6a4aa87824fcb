/**
 * A small semantic-versioning range check (semver.org 2.0.0) for plugin
 * `host_api` ranges. Supported: exact `1.2.3`, caret `^1.2.3`, tilde `~1.2.3`,
 * comparators `>=1.0.0 <2.0.0` (space = and), x-ranges `1.x`, `1.2.x`, `1`,
 * `*`, and alternatives joined by `||`. Pre-release tags sort before the release.
 */

/** A parsed version: major, minor, patch and an optional pre-release tag. */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: string;
}

const VERSION =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;
const PARTIAL = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?$/;

/** Parses `1.2.3[-pre][+build]`; undefined when the text is not a full semantic version. */
export function parseVersion(text: string): SemVer | undefined {
  const m = VERSION.exec(text.trim());
  if (!m) return undefined;
  return { major: +m[1], minor: +m[2], patch: +m[3], prerelease: m[4] ?? "" };
}

/** Orders two versions: negative when a < b, 0 when equal, positive when a > b. */
export function compareVersions(a: SemVer, b: SemVer): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  if (a.prerelease === b.prerelease) return 0;
  if (!a.prerelease) return 1;
  if (!b.prerelease) return -1;
  return a.prerelease < b.prerelease ? -1 : 1;
}

type Op = ">=" | "<" | "<=" | ">" | "=";
interface Comparator {
  op: Op;
  v: SemVer;
}

const v = (major: number, minor: number, patch: number, prerelease = ""): SemVer => ({
  major,
  minor,
  patch,
  prerelease,
});

/** Expands one range token into comparators; undefined when it is malformed. */
function expand(token: string): Comparator[] | undefined {
  const opMatch = /^(\^|~|>=|<=|>|<|=)?\s*(.*)$/.exec(token)!;
  const op = opMatch[1] ?? "";
  const m = PARTIAL.exec(opMatch[2]);
  if (!m) return undefined;
  const wild = (s: string | undefined) => s === undefined || /^[xX*]$/.test(s);
  const [maj, min, pat] = [m[1], m[2], m[3]];
  if (wild(maj)) return op === "" || op === "=" || op === ">=" ? [] : undefined;
  const M = +maj, N = wild(min) ? 0 : +min!, P = wild(pat) ? 0 : +pat!;
  const pre = m[4] ?? "";
  const exactDepth = wild(min) ? 1 : wild(pat) ? 2 : 3;
  const base = v(M, N, P, pre);
  const upperOfPartial = exactDepth === 1 ? v(M + 1, 0, 0) : v(M, N + 1, 0);
  switch (op) {
    case "^": {
      const upper = M > 0 || exactDepth === 1
        ? v(M + 1, 0, 0)
        : N > 0 || exactDepth === 2
        ? v(0, N + 1, 0)
        : v(0, 0, P + 1);
      return [{ op: ">=", v: base }, { op: "<", v: upper }];
    }
    case "~":
      return [{ op: ">=", v: base }, {
        op: "<",
        v: exactDepth === 1 ? v(M + 1, 0, 0) : v(M, N + 1, 0),
      }];
    case "":
    case "=":
      return exactDepth === 3
        ? [{ op: "=", v: base }]
        : [{ op: ">=", v: base }, { op: "<", v: upperOfPartial }];
    case ">":
      return exactDepth === 3 ? [{ op: ">", v: base }] : [{ op: ">=", v: upperOfPartial }];
    case "<=":
      return exactDepth === 3 ? [{ op: "<=", v: base }] : [{ op: "<", v: upperOfPartial }];
    default:
      return [{ op: op as Op, v: base }];
  }
}

/** Parses a range into alternatives of comparator sets; undefined when malformed. */
function parseRange(range: string): Comparator[][] | undefined {
  const alternatives: Comparator[][] = [];
  for (const alt of range.split("||")) {
    const tokens = alt.trim().replace(/(\^|~|>=|<=|>|<|=)\s+/g, "$1").split(/\s+/).filter(Boolean);
    if (tokens.length === 0) return undefined;
    const set: Comparator[] = [];
    for (const token of tokens) {
      const comps = expand(token);
      if (!comps) return undefined;
      set.push(...comps);
    }
    alternatives.push(set);
  }
  return alternatives;
}

/** True when the text is a range this module understands. */
export function isValidRange(range: string): boolean {
  return parseRange(range) !== undefined;
}

/** True when `version` lies in `range`; false for a malformed version or range. */
export function satisfies(version: string, range: string): boolean {
  const ver = parseVersion(version);
  const alternatives = parseRange(range);
  if (!ver || !alternatives) return false;
  return alternatives.some((set) =>
    set.every(({ op, v: bound }) => {
      const c = compareVersions(ver, bound);
      return op === ">="
        ? c >= 0
        : op === ">"
        ? c > 0
        : op === "<"
        ? c < 0
        : op === "<="
        ? c <= 0
        : c === 0;
    })
  );
}
