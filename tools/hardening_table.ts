/**
 * `deno task hardening`: runs the adversarial corpus of issue 15 (the test
 * files below: hostile plugins, malformed chunks, YAML attacks, corrupt state)
 * and prints the README "Hardening" table from the results: per area the cases
 * tried, handled cleanly (the test passed: positioned error or counted note,
 * other assets finish), wrong outcome (the case ran to its end but not with its
 * stated outcome: data lost or altered without a note, or a missing or wrong
 * message — an assertion failed) and crash (an uncaught error, a timeout, or
 * the test process died). Each file runs in its own `deno test` process, so one
 * that dies is counted without taking the others with it.
 *
 * Usage: deno task hardening (exit 1 when a case is not handled cleanly)
 */
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url)).replace(/\/$/, "");

/** One row: an area of the issue, and the test cases (file + name pattern) that try it. */
interface Area {
  area: string;
  /** What the adversarial pass of issue 15 found before this work. */
  before: string;
  cases: { file: string; name?: RegExp }[];
}

const R = "tests/core/replay/";
export const AREAS: Area[] = [
  {
    area: "sandbox: /etc/passwd, other assets' data and artifacts, symlinks (1a)",
    before: "21 of 22 probes refused; a directory symlink read /etc/passwd",
    cases: [{ file: `${R}permissions_test.ts` }, {
      file: `${R}hostile_test.ts`,
      name: /top-level code reads/,
    }],
  },
  {
    area: "sandbox: plugin top-level code / create() outside the worker (1b)",
    before: "top-level code read /etc/passwd and $HOME and wrote a file",
    cases: [{ file: "tests/core/pipeline/plugin_sandbox_test.ts" }],
  },
  {
    area: "malformed chunk files: bad cells, encodings, delimiters, dates (2, 9)",
    before: "one bad cell dropped the whole column; UTF-16 / `|` refused; 1e309 read as Infinity",
    cases: [{ file: "tests/core/source/malformed_corpus_test.ts" }],
  },
  {
    area: "reader notes reach data_quality.json, SQLite, report, console (2)",
    before: "notes stopped at log.debug (144 duplicate rows dropped unseen)",
    cases: [{ file: `${R}asset_runner_test.ts`, name: /every reader note/ }],
  },
  {
    area: "runaway plugin: busy loop, huge chunk, default timeout (3)",
    before: "a busy loop or 10,000 columns hung the run",
    cases: [{ file: `${R}hostile_test.ts`, name: /busy-looping/ }, { file: `${R}limits_test.ts` }],
  },
  {
    area: "runaway plugin: JS heap exhaustion, 6 GiB ArrayBuffer (3)",
    before: "whole replay aborted (exit 133, no summary/manifest); 6 GiB allowed",
    cases: [{ file: `${R}memory_test.ts` }, {
      file: "tests/core/pipeline/plugin_sandbox_memory_test.ts",
      name: /top-level code fills the heap/,
    }],
  },
  {
    area: "artifact-root lock: 2nd run, --clear-cache, kill -9 (4)",
    before: "two runs both trained; last ledger writer won",
    cases: [{ file: `${R}lock_test.ts` }],
  },
  {
    area: "overlapping / backwards chunks (5)",
    before: "scores.csv 7,200 rows vs SQLite 6,880",
    cases: [{ file: `${R}asset_runner_test.ts`, name: /overlaps|wholly before/ }],
  },
  {
    area: "missing / dead / new sensor does not retrain (6)",
    before: "retrained v1, v2, v3 in 3 chunks",
    cases: [
      { file: `${R}asset_runner_test.ts`, name: /missing or all-NaN/ },
      { file: `${R}replay_test.ts`, name: /new sensor/ },
    ],
  },
  {
    area: "lost outputs rebuilt or named by --resume (7)",
    before: "deleted scores.csv not rebuilt; exit 0",
    cases: [{ file: `${R}verify_outputs_test.ts` }],
  },
  {
    area: "pipeline YAML: alias bombs, nesting, size (8)",
    before: "uncaught stack traces; 50 MB took 49 s",
    cases: [{ file: "tests/core/pipeline/yaml_attacks_test.ts" }],
  },
  {
    area: "corrupt ledger/manifest/checkpoint/SQLite, .tmp leftovers, blocked chunks (9)",
    before: "detected, no recovery command; .tmp left behind",
    cases: [
      { file: `${R}recovery_test.ts` },
      { file: `${R}leftovers_test.ts` },
      { file: "tests/plugins/sinks/sqlite_test.ts", name: /malformed store/ },
      { file: `${R}replay_test.ts`, name: /corrupt ledger|blocked/ },
      { file: `${R}asset_runner_test.ts`, name: /coveredHours/ },
    ],
  },
];

/** A test case's result. */
export interface CaseResult {
  name: string;
  outcome: "clean" | "wrong" | "crash";
  detail?: string;
}

const unescape = (s: string) =>
  s.replaceAll("&quot;", '"').replaceAll("&apos;", "'").replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">").replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
    .replaceAll("&amp;", "&");

/** Test cases of a Deno JUnit report: passed = clean; AssertionError = wrong; other = crash. */
export function parseJunit(xml: string): CaseResult[] {
  const out: CaseResult[] = [];
  const re = /<testcase name="([^"]*)"[^>]*>([\s\S]*?)<\/testcase>/g;
  for (const m of xml.matchAll(re)) {
    const body = m[2];
    const failure = /<failure message="([^"]*)"/.exec(body);
    if (!failure) {
      out.push({ name: unescape(m[1]), outcome: "clean" });
      continue;
    }
    const message = unescape(failure[1]);
    out.push({
      name: unescape(m[1]),
      outcome: /AssertionError/.test(message) ? "wrong" : "crash",
      detail: message.split("\n")[0].slice(0, 200),
    });
  }
  return out;
}

/** Runs one test file; its cases, or a single crash when the process died without a report. */
async function runFile(file: string): Promise<CaseResult[]> {
  const report = await Deno.makeTempFile({ prefix: "acm_hardening_", suffix: ".xml" });
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "test",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-run",
      "--allow-sys",
      "--allow-net=127.0.0.1,localhost",
      "--reporter=junit",
      `--junit-path=${report}`,
      file,
    ],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).output();
  const xml = await Deno.readTextFile(report).catch(() => "");
  await Deno.remove(report).catch(() => {});
  const cases = parseJunit(xml);
  if (cases.length === 0 || ![0, 1].includes(out.code)) {
    const tail = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-1)[0] ?? "";
    cases.push({ name: file, outcome: "crash", detail: `deno test exited ${out.code}: ${tail}` });
  }
  return cases;
}

/** Rows of the table from each file's results. */
export function tableRows(results: Map<string, CaseResult[]>) {
  return AREAS.map((a) => {
    const hits = a.cases.flatMap((c) =>
      (results.get(c.file) ?? []).filter((r) => !c.name || c.name.test(r.name) || r.name === c.file)
    );
    return {
      area: a.area,
      tried: hits.length,
      clean: hits.filter((h) => h.outcome === "clean").length,
      wrong: hits.filter((h) => h.outcome === "wrong").length,
      crash: hits.filter((h) => h.outcome === "crash").length,
      before: a.before,
      files: [...new Set(a.cases.map((c) => c.file.split("/").pop()!))].join(", "),
      failures: hits.filter((h) => h.outcome !== "clean"),
    };
  });
}

/** The markdown table. */
export function markdown(rows: ReturnType<typeof tableRows>): string {
  const head = [
    "area (issue 15 item)",
    "tried",
    "handled cleanly",
    "wrong outcome / silent loss",
    "crash",
    "before (issue 15)",
    "tests",
  ];
  const body = rows.map((r) =>
    [r.area, r.tried, r.clean, r.wrong, r.crash, r.before, r.files].map((c) =>
      String(c).replaceAll("|", "\\|")
    )
  );
  const total = rows.reduce(
    (t, r) => [t[0] + r.tried, t[1] + r.clean, t[2] + r.wrong, t[3] + r.crash],
    [0, 0, 0, 0],
  );
  body.push(["**all**", ...total.map((n) => `**${n}**`), "", ""]);
  const width = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(width[i])).join(" | ")} |`;
  return [line(head), line(width.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

if (import.meta.main) {
  const files = [...new Set(AREAS.flatMap((a) => a.cases.map((c) => c.file)))];
  const results = new Map<string, CaseResult[]>();
  for (const file of files) {
    const t0 = performance.now();
    results.set(file, await runFile(file));
    console.error(`${file}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const rows = tableRows(results);
  console.log(markdown(rows));
  for (const r of rows) {
    for (const f of r.failures) {
      console.log(`\n${f.outcome}: ${f.name}${f.detail ? ` — ${f.detail}` : ""}`);
    }
  }
  Deno.exit(rows.some((r) => r.failures.length > 0) ? 1 : 0);
}
