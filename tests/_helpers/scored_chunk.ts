/**
 * Realistic fake ScoredChunks for sink and report tests: an asset with named
 * sensors following two operating regimes, detector heads whose z rises during
 * injected faults, a hysteresis episode machine, culprits, health, data notes and
 * training ranges. The whole series is generated once and cut into chunks, so an
 * episode that spans a chunk edge is sent open with the first chunk and closed
 * with the next, as the engine does.
 */
import { frameToCsv } from "../../core/replay/split.ts";
import { makeFrame } from "../../core/frame.ts";
import type {
  DataNote,
  Episode,
  PluginContext,
  ScoredChunk,
  SensorHealth,
} from "../../core/plugin.ts";
import { silentLogger } from "../../core/log.ts";
import { writeCsvChunk } from "../../core/io/csv_outputs.ts";
import { createRng } from "../../core/rng.ts";
import { quantile } from "../../core/numeric/stats.ts";

/** A fault injected into the series: rows [start, end) and the sensors (with weights) it moves. */
export interface FakeFault {
  start: number;
  end: number;
  sensors: Record<string, number>;
  /** Peak fused z reached at the fault's middle. */
  peakZ: number;
}

/** Options of the fake series. */
export interface FakeSeriesOptions {
  asset?: string;
  chunks?: number;
  rowsPerChunk?: number;
  /** First timestamp (epoch ms, naive wall clock as UTC). */
  start?: number;
  stepMs?: number;
  seed?: number;
  faults?: FakeFault[];
  heads?: string[];
}

/** Sensor names as in the FD_FAN sample data. */
export const FAKE_SENSORS = [
  "DEMO.SIM.06G31_1FD Fan Damper Position",
  "DEMO.SIM.06I03_1FD Fan Motor Current",
  "DEMO.SIM.06T31_1FD Fan Inlet Temperature",
  "DEMO.SIM.06T32-1_1FD Fan Bearing Temperature",
  "DEMO.SIM.06T33-1_1FD Fan Winding Temperature",
  "DEMO.SIM.FSAA_1FD Fan Air Flow",
];

/** The sensor the gating stage "excluded" in the fake data. */
export const FAKE_EXCLUDED = "DEMO.SIM.06GP34_1FD Fan Outlet Pressure";

/** A fault injected by default: bearing and winding temperature climb. */
export function defaultFaults(total: number): FakeFault[] {
  return [
    {
      start: Math.floor(total * 0.3),
      end: Math.floor(total * 0.36),
      sensors: { [FAKE_SENSORS[3]]: 0.55, [FAKE_SENSORS[4]]: 0.3, [FAKE_SENSORS[1]]: 0.15 },
      peakZ: 7.5,
    },
    {
      start: Math.floor(total * 0.62),
      end: Math.floor(total * 0.72),
      sensors: { [FAKE_SENSORS[0]]: 0.45, [FAKE_SENSORS[5]]: 0.4, [FAKE_SENSORS[1]]: 0.15 },
      peakZ: 12.3,
    },
  ];
}

const health = (z: number) => 100 / (1 + Math.exp(z - 4));

/** Hysteresis episodes over the whole fused series: [start, end, stillOpen] (end inclusive). */
function findEpisodes(fused: Float64Array): [number, number, boolean][] {
  const out: [number, number, boolean][] = [];
  let open = -1, above = 0, below = 0;
  for (let i = 0; i < fused.length; i++) {
    if (open < 0) {
      above = fused[i] >= 3 ? above + 1 : 0;
      if (above >= 3) {
        open = i - 2;
        below = 0;
      }
    } else {
      below = fused[i] < 1.5 ? below + 1 : 0;
      if (below >= 5) {
        out.push([open, i - 5, false]);
        open = -1;
        above = 0;
      }
    }
  }
  if (open >= 0) out.push([open, fused.length - 1, true]);
  return out;
}

/** Makes `chunks` consecutive ScoredChunks of one asset. */
export function makeScoredChunks(opts: FakeSeriesOptions = {}): ScoredChunk[] {
  const asset = opts.asset ?? "FD_FAN";
  const nChunks = opts.chunks ?? 3;
  const per = opts.rowsPerChunk ?? 480;
  const total = nChunks * per;
  const t0 = opts.start ?? Date.UTC(2020, 0, 1);
  const step = opts.stepMs ?? 30 * 60_000;
  const rng = createRng(opts.seed ?? 7);
  const heads = opts.heads ?? ["ar1", "gmm", "iforest", "pca_spe", "pca_t2"];
  const faults = opts.faults ?? defaultFaults(total);
  const ts = new Float64Array(total);
  for (let i = 0; i < total; i++) ts[i] = t0 + i * step;
  // Two operating regimes: high load by day, low load by night (12 h blocks with jitter).
  const regime = new Int32Array(total);
  for (let i = 0; i < total; i++) regime[i] = Math.floor((i * step) / 43_200_000) % 2;
  const level = new Float64Array(total); // 0..1 fault intensity (triangle)
  const faultOf = new Int32Array(total).fill(-1);
  faults.forEach((f, k) => {
    for (let i = f.start; i < f.end && i < total; i++) {
      const u = (i - f.start) / Math.max(1, f.end - f.start - 1);
      level[i] = 1 - Math.abs(2 * u - 1) * 0.6;
      faultOf[i] = k;
    }
  });
  const z: Record<string, Float64Array> = {};
  heads.forEach((h, k) => {
    const col = new Float64Array(total);
    for (let i = 0; i < total; i++) {
      const f = faultOf[i] >= 0 ? faults[faultOf[i]].peakZ * level[i] * (0.7 + 0.15 * k) : 0;
      col[i] = Math.abs(rng.normal()) * 0.7 + f;
    }
    z[h] = col;
  });
  const fused = new Float64Array(total);
  for (let i = 0; i < total; i++) {
    let s = 0;
    for (const h of heads) s += z[h][i];
    fused[i] = s / heads.length;
  }
  // Raw sensors: base + regime effect + noise + fault drift.
  const base = [35, 36, 30, 61, 45, 250];
  const raw = new Float64Array(total * FAKE_SENSORS.length);
  FAKE_SENSORS.forEach((s, j) => {
    for (let i = 0; i < total; i++) {
      const f = faultOf[i] >= 0 ? (faults[faultOf[i]].sensors[s] ?? 0) * level[i] : 0;
      raw[j * total + i] = base[j] * (1 + 0.08 * regime[i] + 0.01 * rng.normal() + 0.5 * f);
    }
  });
  const trainRanges: Record<string, [number, number, number]> = {};
  FAKE_SENSORS.forEach((s, j) => {
    const col = raw.subarray(j * total, j * total + per);
    trainRanges[s] = [quantile(col, 0.01), quantile(col, 0.5), quantile(col, 0.99)];
  });
  const spans = findEpisodes(fused);
  const alarm = new Uint8Array(total);
  for (const [a, b] of spans) alarm.fill(1, a, b + 1);
  const episode = (k: number, upTo: number): Episode => {
    const [a, bFull] = spans[k];
    const b = Math.min(bFull, upTo);
    let peak = -Infinity, sum = 0;
    for (let i = a; i <= b; i++) {
      peak = Math.max(peak, fused[i]);
      sum += fused[i];
    }
    const f = faults.find((x) => a <= x.end && b >= x.start);
    const culprits = Object.entries(f?.sensors ?? {}).map(([sensor, w]) => ({
      sensor,
      pct: Math.round(w * 1000) / 10,
    }));
    return {
      id: k + 1,
      start: ts[a],
      end: ts[b],
      duration_s: (ts[b] - ts[a]) / 1000,
      peak_z: peak,
      mean_z: sum / (b - a + 1),
      severity: peak >= 10 ? "critical" : peak >= 5 ? "warning" : "info",
      detector: heads[heads.length - 1],
      culprits,
      regime: regime[a],
      open: bFull > upTo || spans[k][2],
    };
  };
  const sensorHealth: SensorHealth[] = [
    ...FAKE_SENSORS.map((sensor): SensorHealth => ({ sensor, status: "ok" })),
    { sensor: FAKE_EXCLUDED, status: "excluded", reason: "flatline: 97% of rows repeat one value" },
  ];
  const out: ScoredChunk[] = [];
  for (let c = 0; c < nChunks; c++) {
    const s = c * per, e = s + per;
    const notes: DataNote[] = c === 1
      ? [
        {
          kind: "duplicate-timestamps",
          message: "3 rows with a repeated timestamp removed",
          count: 3,
        },
        {
          kind: "gap",
          message: "gap of 6 h (12 missing rows) before 2020-01-12T06:00:00",
          count: 12,
        },
      ]
      : [];
    const values = new Float64Array(per * FAKE_SENSORS.length);
    FAKE_SENSORS.forEach((_, j) => values.set(raw.subarray(j * total + s, j * total + e), j * per));
    const episodes: Episode[] = [];
    spans.forEach(([a, b], k) => {
      if ((b >= s && b < e) || (a < e && b >= e)) episodes.push(episode(k, e - 1));
    });
    const heads_ = Object.fromEntries(heads.map((h) => [h, z[h].slice(s, e)]));
    out.push({
      asset,
      chunk: `batch_${String(c + 1).padStart(3, "0")}`,
      modelVersion: 1,
      timestamps: ts.slice(s, e),
      heads: heads_,
      fused: fused.slice(s, e),
      contributions: Object.fromEntries(
        heads.map((h) => [h, heads_[h].map((v) => v / heads.length)]),
      ),
      alarm: alarm.slice(s, e),
      health: fused.slice(s, e).map(health),
      regime: regime.slice(s, e),
      regimeUnseen: new Uint8Array(per),
      episodes,
      sensorHealth,
      notes,
      raw: makeFrame({ columns: FAKE_SENSORS, values, timestamps: ts.slice(s, e) }),
      trainRanges,
    });
  }
  return out;
}

/** A temporary directory removed by the returned cleanup function. */
export async function tempDir(prefix = "acm_test_"): Promise<[string, () => Promise<void>]> {
  const dir = await Deno.makeTempDir({ prefix });
  return [dir, () => Deno.remove(dir, { recursive: true }).catch(() => {})];
}

/** A plugin context for sink and detector tests (seed 1, silent log, fail() throws). */
export function sinkContext(nodeId = "sink"): PluginContext {
  return {
    nodeId,
    log: silentLogger,
    rng: createRng(1),
    seed: 1,
    fail(message: string): never {
      throw new Error(`node "${nodeId}": ${message}`);
    },
  };
}

/** Every file under `dir` (relative path → text), excluding temporaries; for identity checks. */
export async function snapshotDir(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (sub: string) => {
    for await (const e of Deno.readDir(`${dir}/${sub}`)) {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory) await walk(rel);
      else out[rel] = await Deno.readTextFile(`${dir}/${rel}`);
    }
  };
  await walk("");
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Writes (csv outputs) a fake asset whose last fault is still going on at the end of the data. */
export async function writeFakeAsset(assetDir: string, rowsPerChunk = 300): Promise<void> {
  const total = 3 * rowsPerChunk;
  const chunks = makeScoredChunks({
    asset: assetDir.split("/").pop(),
    chunks: 3,
    rowsPerChunk,
    faults: [
      {
        start: Math.floor(total * 0.25),
        end: Math.floor(total * 0.32),
        sensors: {
          "DEMO.SIM.06T32-1_1FD Fan Bearing Temperature": 0.6,
          "DEMO.SIM.06I03_1FD Fan Motor Current": 0.4,
        },
        peakZ: 7,
      },
      {
        start: total - 60,
        end: total + 40,
        sensors: {
          "DEMO.SIM.06G31_1FD Fan Damper Position": 0.41,
          "DEMO.SIM.FSAA_1FD Fan Air Flow": 0.3,
          "DEMO.SIM.06T31_1FD Fan Inlet Temperature": 0.29,
        },
        peakZ: 14,
      },
    ],
  });
  // As a replay leaves them: the raw values stay in the chunk files (no sensors.csv copy).
  const sourceDir = `${assetDir}.chunks`;
  await Deno.mkdir(sourceDir, { recursive: true });
  for (const c of chunks) {
    const path = `${sourceDir}/${c.chunk}.csv`;
    await Deno.writeTextFile(path, frameToCsv(c.raw));
    c.source = { path, plugin: "csv", options: {} };
    await writeCsvChunk(assetDir, c);
  }
}
