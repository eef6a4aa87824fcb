/**
 * `cusum`: a third-party change detector written only against acm's public API
 * (`mod.ts`). Per sensor a two-sided tabular CUSUM (Page, 1954, "Continuous
 * inspection schemes", Biometrika 41; Montgomery, "Introduction to Statistical
 * Quality Control", §9.1) on values standardised with the training mean and std:
 *   z = (x − μ)/σ,  S⁺ = max(0, S⁺ + z − k),  S⁻ = max(0, S⁻ − z − k).
 * Row score = max over sensors of max(S⁺, S⁻)/h (≥ 1 means "a CUSUM alarm");
 * each sensor's own max(S⁺, S⁻)/h is its contribution. The sums continue across
 * chunks (`scoreStream`: the engine saves them with the stream checkpoint);
 * `score` (training, calibration) starts them at 0. A missing value leaves them
 * unchanged, a sensor with (near) zero training std is ignored.
 *
 * Only types are imported, so the module has no run-time dependency on acm: it
 * loads in a replay worker that may read nothing but this file, and in a
 * compiled `acm` binary.
 */
import type { DetectorPlugin, DetectorScores, Frame, PluginState, StateValue } from "../../mod.ts";

/** Options of `cusum`. */
export interface CusumOptions {
  k: number;
  h: number;
  std_floor: number;
  reset: boolean;
}

const NAME = "cusum";
const VERSION = "1.0.0";

/** The running sums per fitted column after the last row (the streaming state). */
interface Sums {
  up: Float64Array;
  down: Float64Array;
}

/** Per-sensor training moments (Welford / Chan et al. 1979 for merging). */
interface Moments {
  columns: string[];
  n: Float64Array;
  mean: Float64Array;
  m2: Float64Array;
}

/** Count, mean and sum of squared deviations of each column's finite values. */
function moments(frame: Frame): Moments {
  const { rows, values } = frame;
  const d = frame.columns.length;
  const n = new Float64Array(d), mean = new Float64Array(d), m2 = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let c = 0, mu = 0, s = 0;
    for (let i = j * rows, end = i + rows; i < end; i++) {
      const x = values[i];
      if (!Number.isFinite(x)) continue;
      c++;
      const delta = x - mu;
      mu += delta / c;
      s += delta * (x - mu);
    }
    n[j] = c;
    mean[j] = c > 0 ? mu : NaN;
    m2[j] = s;
  }
  return { columns: [...frame.columns], n, mean, m2 };
}

/** Pooled moments of two samples of the same columns (Chan, Golub & LeVeque). */
function merge(a: Moments, b: Moments): Moments {
  const d = a.columns.length;
  const n = new Float64Array(d), mean = new Float64Array(d), m2 = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const na = a.n[j], nb = b.n[j], total = na + nb;
    if (nb === 0 || total === 0) {
      n[j] = na, mean[j] = a.mean[j], m2[j] = a.m2[j];
    } else if (na === 0) {
      n[j] = nb, mean[j] = b.mean[j], m2[j] = b.m2[j];
    } else {
      const delta = b.mean[j] - a.mean[j];
      n[j] = total;
      mean[j] = a.mean[j] + delta * (nb / total);
      m2[j] = a.m2[j] + b.m2[j] + delta * delta * (na * nb / total);
    }
  }
  return { columns: a.columns, n, mean, m2 };
}

/** Sample std per column; NaN where fewer than 2 values or below `floor` (the column is ignored). */
function stds(m: Moments, floor: number): Float64Array {
  return m.n.map((c, j) => {
    const s = c > 1 ? Math.sqrt(m.m2[j] / (c - 1)) : NaN;
    return s > floor ? s : NaN;
  });
}

/** The frame's columns in fitted order (a column the frame lacks is all NaN). */
function aligned(m: Moments, frame: Frame): Float64Array {
  const n = frame.rows;
  const out = new Float64Array(n * m.columns.length).fill(NaN);
  m.columns.forEach((name, j) => {
    const src = frame.columns.indexOf(name);
    if (src >= 0) out.set(frame.values.subarray(src * n, (src + 1) * n), j * n);
  });
  return out;
}

const plugin = {
  kind: "detector",
  name: NAME,
  version: VERSION,
  summary:
    "Two-sided CUSUM per sensor on training-standardised values; score = max over sensors of max(S+, S−)/h; supports update.",
  host_api: "^1.0.0",
  options: {
    type: "object",
    additionalProperties: false,
    properties: {
      k: {
        type: "number",
        minimum: 0,
        description:
          "Allowance (slack) in training standard deviations: drifts smaller than k per row are absorbed. k = δ/2 detects a mean shift of δ std fastest.",
        default: 0.5,
      },
      h: {
        type: "number",
        exclusiveMinimum: 0,
        description:
          "Decision interval in training standard deviations: a sum reaching h scores 1 (the classic CUSUM alarm).",
        default: 5,
      },
      std_floor: {
        type: "number",
        minimum: 0,
        description:
          "A sensor whose training std is at most this is ignored (constant sensors carry no evidence).",
        default: 1e-9,
      },
      reset: {
        type: "boolean",
        description:
          "Restart a sensor's sums at 0 after they reach h (textbook CUSUM); false keeps them growing while the shift lasts.",
        default: false,
      },
    },
    examples: [{ k: 0.5, h: 5 }, { k: 1, h: 8, std_floor: 1e-6, reset: true }],
  },
  create(options, ctx) {
    const { k, h } = options;
    let fitted: Moments | null = null;
    let sigma: Float64Array = new Float64Array(0);
    const need = (): Moments =>
      fitted ?? ctx.fail("Cannot score: the cusum detector is not fitted");
    const use = (m: Moments) => {
      fitted = m;
      sigma = stds(m, options.std_floor);
    };
    /** Scores `frame` continuing the sums in `from` (null: start at 0). */
    const run = (frame: Frame, from: Sums | null): { scores: DetectorScores; sums: Sums } => {
      const m = need();
      const n = frame.rows, x = aligned(m, frame);
      const d = m.columns.length;
      const carry = from && from.up.length === d ? from : null;
      const sums: Sums = { up: new Float64Array(d), down: new Float64Array(d) };
      const score = new Float64Array(n);
      const contributions = new Float64Array(n * frame.columns.length);
      m.columns.forEach((name, j) => {
        const s = sigma[j];
        if (!(s > 0)) return;
        const mu = m.mean[j];
        const dst = frame.columns.indexOf(name) * n;
        let up = carry ? carry.up[j] : 0, down = carry ? carry.down[j] : 0;
        for (let i = 0; i < n; i++) {
          const v = x[j * n + i];
          if (Number.isFinite(v)) {
            const z = (v - mu) / s;
            up = Math.max(0, up + z - k);
            down = Math.max(0, down - z - k);
          }
          const c = Math.max(up, down) / h;
          if (c > score[i]) score[i] = c;
          if (dst >= 0) contributions[dst + i] = c;
          if (options.reset && c >= 1) up = down = 0;
        }
        sums.up[j] = up;
        sums.down[j] = down;
      });
      return { scores: { outputs: { "": score }, contributions: { "": contributions } }, sums };
    };
    return {
      outputs: [""],
      fit(frame: Frame) {
        if (frame.rows < 2) {
          ctx.fail(`Cannot fit: ${frame.rows} training row(s), at least 2 needed`);
        }
        use(moments(frame));
      },
      score(frame: Frame): DetectorScores {
        return run(frame, null).scores;
      },
      scoreStream(frame: Frame, state: StateValue | null) {
        const r = run(frame, state as Sums | null);
        return { scores: r.scores, state: r.sums as unknown as StateValue };
      },
      update(frame: Frame) {
        const m = need();
        use(merge(m, moments(frameLike(m, frame))));
      },
      save(): PluginState {
        const m = need();
        return {
          plugin: NAME,
          version: VERSION,
          data: { columns: m.columns, n: m.n, mean: m.mean, m2: m.m2 },
        };
      },
      load(state: PluginState) {
        if (state.plugin !== NAME) {
          ctx.fail(`Cannot load state: it belongs to plugin "${state.plugin}", not "${NAME}"`);
        }
        const d = state.data as {
          columns: string[];
          n: Float64Array;
          mean: Float64Array;
          m2: Float64Array;
        };
        use({ columns: [...d.columns], n: d.n, mean: d.mean, m2: d.m2 });
      },
      metrics() {
        const m = need();
        const live = sigma.filter((s) => s > 0).length;
        return { columns: m.columns.length, ignored_columns: m.columns.length - live, k, h };
      },
    };
  },
} satisfies DetectorPlugin<CusumOptions>;

/** `frame` re-shaped to the fitted columns (for update()). */
function frameLike(m: Moments, frame: Frame): Frame {
  return {
    rows: frame.rows,
    columns: m.columns,
    sensors: m.columns,
    values: aligned(m, frame),
    timestamps: frame.timestamps,
  };
}

export default plugin;
