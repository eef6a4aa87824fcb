/**
 * Frame layout: column-major vs row-major Float64Array for the two access
 * patterns of the data path — per-sensor scans (rolling windows, AR(1), medians)
 * and per-row reductions over sensors (projections, quadratic forms).
 *   deno run bench/frame_layout.ts [rows] [cols]
 * Prints the best of 5 runs per kernel. Not a test.
 */
const rows = Number(Deno.args[0] ?? 50_000);
const cols = Number(Deno.args[1] ?? 50);
const colMajor = new Float64Array(rows * cols);
const rowMajor = new Float64Array(rows * cols);
for (let i = 0; i < rows; i++) {
  for (let j = 0; j < cols; j++) {
    const v = Math.sin(i * 0.01 + j) + j;
    colMajor[j * rows + i] = v;
    rowMajor[i * cols + j] = v;
  }
}
const w = Float64Array.from({ length: cols * 5 }, (_, k) => Math.cos(k));
let sink = 0;

function best(fn: () => void): number {
  let min = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

/** Rolling mean over 16 rows of every column. */
const rollCol = () => {
  const out = new Float64Array(rows);
  for (let j = 0; j < cols; j++) {
    const x = colMajor.subarray(j * rows, (j + 1) * rows);
    let s = 0;
    for (let i = 0; i < rows; i++) {
      s += x[i] - (i >= 16 ? x[i - 16] : 0);
      out[i] = s / Math.min(i + 1, 16);
    }
    sink += out[rows - 1];
  }
};
const rollRow = () => {
  const out = new Float64Array(rows);
  for (let j = 0; j < cols; j++) {
    let s = 0;
    for (let i = 0; i < rows; i++) {
      s += rowMajor[i * cols + j] - (i >= 16 ? rowMajor[(i - 16) * cols + j] : 0);
      out[i] = s / Math.min(i + 1, 16);
    }
    sink += out[rows - 1];
  }
};
/** Projection on 5 components: z_k = Σ_j x_j w_jk, then Σ_k z_k² per row. */
const projCol = () => {
  const z = new Float64Array(rows * 5);
  for (let k = 0; k < 5; k++) {
    const zk = z.subarray(k * rows, (k + 1) * rows);
    for (let j = 0; j < cols; j++) {
      const wjk = w[j * 5 + k];
      const x = colMajor.subarray(j * rows, (j + 1) * rows);
      for (let i = 0; i < rows; i++) zk[i] += x[i] * wjk;
    }
  }
  for (let i = 0; i < rows; i++) sink += z[i] * z[i];
};
const projRow = () => {
  const z = new Float64Array(5);
  for (let i = 0; i < rows; i++) {
    z.fill(0);
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      const x = rowMajor[base + j];
      for (let k = 0; k < 5; k++) z[k] += x * w[j * 5 + k];
    }
    sink += z[0] * z[0];
  }
};
const table = [
  ["rolling mean (W=16), every column", best(rollCol), best(rollRow)],
  ["projection on 5 components, every row", best(projCol), best(projRow)],
] as const;
console.log(`frame ${rows.toLocaleString("en")} rows × ${cols} columns (best of 5, ms)\n`);
console.log("| kernel | column-major | row-major |\n|---|---:|---:|");
for (const [name, c, r] of table) console.log(`| ${name} | ${c.toFixed(1)} | ${r.toFixed(1)} |`);
if (sink === 42) console.log("");
