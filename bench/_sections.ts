/**
 * The bench's sections: each measures (through child processes) and returns
 * its raw numbers plus a markdown table. Definitions used throughout:
 * train = fit on the bootstrap chunk (gating, features, every head, out-of-fold
 * calibration, regimes); score = the scoring chunks with fitted models (stream
 * state carried); replay = parse every chunk CSV + train + score + write outputs.
 * Rates divide the rows (or rows × sensors) of that stage by its wall time.
 */
import { type ChunkSpec, writeChunkSet } from "./_gen.ts";
import { type ChildResult, type PeerResult, runChild, runPeer } from "./_spawn.ts";
import { type Agreement, compareDirs } from "./_agreement.ts";
import { fix, int, mdTable, pct, times } from "./_table.ts";

/** Profile results: ours, and the peer's with agreement when it ran. */
export interface ProfileRun {
  name: string;
  spec: ChunkSpec;
  ours: ChildResult;
  peer: PeerResult | null;
  agreement: Agreement | null;
  peerError: string | null;
}

/** Generates a profile's chunks, runs ours and (unless `peerSkip` is set) the peer on them. */
export async function runProfile(
  root: string,
  name: string,
  spec: ChunkSpec,
  peerSkip: string | null,
): Promise<ProfileRun> {
  const dir = `${root}/${name}`;
  const set = await writeChunkSet(`${dir}/chunks`, spec);
  const ours = await runChild(set.dir, `${dir}/ours`);
  let peer: PeerResult | null = null,
    agreement: Agreement | null = null,
    peerError: string | null = null;
  if (peerSkip === null) {
    try {
      peer = await runPeer(set.dir, `${dir}/peer`);
      agreement = await compareDirs(`${dir}/ours`, `${dir}/peer`);
    } catch (err) {
      peerError = err instanceof Error ? err.message : String(err);
    }
  }
  return { name, spec, ours, peer, agreement, peerError };
}

const mb = (x: number | null) => (x === null ? "–" : `${x.toFixed(0)} MB`);

/** Throughput table: rows/s and sensor-values/s for train, score and whole replay, peak RSS. */
export function throughputTable(runs: readonly ProfileRun[]): string {
  const rows = runs.map(({ name, spec, ours: o }) => {
    const d = o.sensors;
    return [
      name,
      `${d} × ${int(spec.rows)}`,
      int(o.train_rows / o.train_s),
      int((o.train_rows * d) / o.train_s),
      int(o.scored_rows / o.score_s),
      int((o.scored_rows * d) / o.score_s),
      int(o.rows / o.total_s),
      int((o.rows * d) / o.total_s),
      fix(o.parse_s),
      fix(o.train_s),
      fix(o.score_s),
      mb(o.peak_rss_mb),
    ];
  });
  return mdTable([
    "profile",
    "sensors × rows/chunk",
    "train rows/s",
    "train values/s",
    "score rows/s",
    "score values/s",
    "replay rows/s",
    "replay values/s",
    "parse s",
    "train s",
    "score s (3 chunks)",
    "peak RSS",
  ], rows);
}

/** Side-by-side table with the Python peer (time ratio and alarm agreement). */
export function peerTable(runs: readonly ProfileRun[]): string {
  const rows = runs.filter((r) => r.peer && r.agreement).map(
    ({ name, ours: o, peer, agreement }) => {
      const p = peer!, a = agreement!;
      return [
        name,
        `${fix(o.parse_s)} / ${fix(p.parse_s)}`,
        `${fix(o.train_s)} / ${fix(p.train_s)}`,
        `${fix(o.score_s)} / ${fix(p.score_s)}`,
        `${fix(o.total_s)} / ${fix(p.total_s)}`,
        times(p.total_s / o.total_s),
        `${fix(o.cpu_s)} / ${fix(p.cpu_s)}`,
        times(p.cpu_s / o.cpu_s),
        `${mb(o.peak_rss_mb)} / ${mb(p.peak_rss_mb)}`,
        fix(a.jaccard),
        `${a.episodesOurs} / ${a.episodesPeer}`,
        pct(a.peerCoveredByOurs),
        pct(a.oursCoveredByPeer),
      ];
    },
  );
  return mdTable([
    "profile",
    "parse s (ours / peer)",
    "train s",
    "score s",
    "total s",
    "peer ÷ ours (wall)",
    "CPU s",
    "peer ÷ ours (CPU)",
    "peak RSS",
    "alarm Jaccard",
    "episodes",
    "peer eps hit by ours",
    "our eps hit by peer",
  ], rows);
}

/** One growth variant's timings. */
export interface GrowthRun {
  axis: "rows" | "sensors";
  factor: number;
  sensors: number;
  rows: number;
  ours: ChildResult;
}

/** Cost growth: train/score time at 1×, 2×, 4× rows and sensors (bootstrap + one scoring chunk). */
export async function runGrowth(
  root: string,
  base: { sensors: number; rows: number },
): Promise<GrowthRun[]> {
  const out: GrowthRun[] = [];
  const variants: Array<[GrowthRun["axis"], number]> = [["rows", 1], ["rows", 2], ["rows", 4], [
    "sensors",
    2,
  ], ["sensors", 4]];
  let one: ChildResult | null = null;
  for (const [axis, factor] of variants) {
    const sensors = axis === "sensors" ? base.sensors * factor : base.sensors;
    const rows = axis === "rows" ? base.rows * factor : base.rows;
    const spec: ChunkSpec = { sensors, rows, scoringChunks: 1, cadenceS: 60, type: "turbine" };
    const dir = `${root}/growth_${axis}_${factor}`;
    const set = await writeChunkSet(`${dir}/chunks`, spec);
    const ours: ChildResult = factor === 1 && one ? one : await runChild(set.dir, `${dir}/ours`);
    if (factor === 1) one = ours;
    out.push({ axis, factor, sensors, rows, ours });
    if (axis === "rows" && factor === 1) {
      out.push({ axis: "sensors", factor: 1, sensors, rows, ours });
    }
  }
  return out.sort((a, b) => a.axis.localeCompare(b.axis) || a.factor - b.factor);
}

/** Growth table: seconds and the ratio to the 1× run on the same axis (linear = the factor). */
export function growthTable(runs: readonly GrowthRun[]): string {
  const base = (axis: string) => runs.find((r) => r.axis === axis && r.factor === 1)!.ours;
  return mdTable(
    ["grows", "factor", "sensors × rows", "train s", "train ×", "score s", "score ×", "peak RSS"],
    runs.map((r) => [
      r.axis,
      `${r.factor}×`,
      `${r.sensors} × ${int(r.rows)}`,
      fix(r.ours.train_s),
      times(r.ours.train_s / base(r.axis).train_s),
      fix(r.ours.score_s),
      times(r.ours.score_s / base(r.axis).score_s),
      mb(r.ours.peak_rss_mb),
    ]),
  );
}

/** Issue-3 check: one big chunk — train and score times against targets, memory against 10× raw size. */
export function checkTables(run: ProfileRun, targets: { trainS: number; scoreS: number }): string {
  const o = run.ours;
  const budget = 10 * o.raw_mb;
  const work = o.engine_peak_rss_mb !== null && o.engine_baseline_rss_mb !== null
    ? o.engine_peak_rss_mb - o.engine_baseline_rss_mb
    : NaN;
  const verdict = (ok: boolean) => (ok ? "met" : "missed");
  const timed = (what: string, s: number, target: number) => [
    what,
    `${fix(s)} s`,
    `≤ ${target} s`,
    verdict(s <= target),
  ];
  const summary = mdTable(["measure", "value", "target", "verdict"], [
    ["parse 2 chunk CSVs", `${fix(o.parse_s)} s`, "–", "–"],
    timed("train all heads (fit + out-of-fold calibration), wall", o.train_s, targets.trainS),
    timed("train, CPU of the process", o.train_cpu_s, targets.trainS),
    timed("score one chunk with fitted models, wall", o.score_s, targets.scoreS),
    timed("score, CPU of the process", o.score_cpu_s, targets.scoreS),
    ["peak RSS of the process (parsing included)", mb(o.peak_rss_mb), "–", "–"],
    [
      "peak RSS of fit + score − RSS with the chunks loaded",
      mb(work),
      `≤ ${mb(budget)} (10 × ${fix(o.raw_mb, 1)} MB raw)`,
      verdict(work <= budget),
    ],
    ...(run.peer
      ? [[
        "Python peer: train / score, wall (total CPU)",
        `${fix(run.peer.train_s)} / ${fix(run.peer.score_s)} s (${fix(run.peer.cpu_s)} s)`,
        "–",
        "–",
      ]]
      : []),
  ]);
  const stages = mdTable(
    ["stage", "train: fit CPU s", "train: cross-fit CPU s", "score CPU s"],
    stageRows(o.fit_timings, o.score_timings),
  );
  return `${summary}\n\nWhere the time goes (engine stage timings on the process CPU clock; cross-fit = refitting each head per fold for out-of-fold calibration):\n\n${stages}`;
}

/**
 * One row per stage: detector nodes merge `fit:`, `crossfit:`/`trainscore:` and
 * `score:`; other stages (gate/select, features, regimes, calibrate, ...) keep
 * their engine names. Last row: the totals.
 */
function stageRows(fit: Record<string, number>, score: Record<string, number>): string[][] {
  const rows = new Map<string, [number, number, number]>();
  const add = (name: string, at: 0 | 1 | 2, v: number) => {
    const r = rows.get(name) ?? [NaN, NaN, NaN];
    r[at] = (Number.isNaN(r[at]) ? 0 : r[at]) + v;
    rows.set(name, r);
  };
  for (const [k, v] of Object.entries(fit)) {
    const [kind, node] = k.split(":");
    if (kind === "fit") add(node, 0, v);
    else if (kind === "crossfit" || kind === "trainscore") add(node, 1, v);
    else add(k === "gate" ? "gate / select sensors" : k, 0, v);
  }
  for (const [k, v] of Object.entries(score)) {
    const [kind, node] = k.split(":");
    add(kind === "score" ? node : k === "select" ? "gate / select sensors" : k, 2, v);
  }
  const sum = (at: 0 | 1 | 2) =>
    [...rows.values()].reduce((a, r) => a + (Number.isNaN(r[at]) ? 0 : r[at]), 0);
  const out = [...rows].map(([name, [f, c, sc]]) => [name, fix(f, 3), fix(c, 3), fix(sc, 3)]);
  out.push(["total", fix(sum(0), 3), fix(sum(1), 3), fix(sum(2), 3)]);
  return out;
}
