/**
 * The contract suite itself: run (in a child `deno test`) over deliberately
 * broken plugins, it must fail exactly the cases each breakage violates, and
 * pass a correct plugin.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const SUITE = new URL("./contract_suite.ts", import.meta.url).href;

const MODULE = `
import { runContractSuite } from "${SUITE}";

const detector = (name, flaw) => ({
  kind: "detector", name, version: "1.0.0", summary: "Mean/std z for the suite's own test.", host_api: "^1.0.0",
  options: { type: "object", additionalProperties: false,
    properties: { scale: { type: "number", exclusiveMinimum: 0, description: "Divides every score.", default: 1 } },
    examples: [{ scale: 2 }] },
  create(options) {
    let mu = [], sd = [];
    return {
      outputs: [""],
      fit(f) {
        mu = f.columns.map((_, j) => { let s = 0, n = 0; for (let i = 0; i < f.rows; i++) { const x = f.values[j * f.rows + i]; if (x === x) { s += x; n++; } } return s / n; });
        sd = f.columns.map((_, j) => { let s = 0, n = 0; for (let i = 0; i < f.rows; i++) { const x = f.values[j * f.rows + i]; if (x === x) { s += (x - mu[j]) ** 2; n++; } } return Math.sqrt(s / n) || 1; });
      },
      score(f) {
        const rows = flaw === "short" ? f.rows - 1 : f.rows;
        const out = new Float64Array(rows);
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < f.columns.length; j++) {
            const x = f.values[j * f.rows + i];
            if (x === x) out[i] = Math.max(out[i], Math.abs(x - mu[j]) / sd[j] / options.scale);
          }
          if (flaw === "random") out[i] += Math.random();
        }
        return { outputs: { "": out } };
      },
      save: () => ({ plugin: name, version: "1.0.0", data: { mu: Float64Array.from(mu), sd: Float64Array.from(sd) } }),
      load(state) {
        if (flaw === "lossy") return;
        mu = [...state.data.mu]; sd = [...state.data.sd];
      },
    };
  },
});

const fusion = (name, share) => ({
  kind: "fusion", name, version: "1.0.0", summary: "Mean of the heads for the suite's own test.", host_api: "^1.0.0",
  options: { type: "object", additionalProperties: false, properties: {}, examples: [{}] },
  create: () => ({
    fuse(z, rows) {
      const heads = Object.keys(z), fused = new Float64Array(rows), contributions = {};
      for (const h of heads) contributions[h] = z[h].map((v) => (v / heads.length) * share);
      for (let i = 0; i < rows; i++) for (const h of heads) fused[i] += z[h][i] / heads.length;
      return { fused, contributions };
    },
  }),
});

runContractSuite(detector("good", null));
runContractSuite(detector("short", "short"));
runContractSuite(detector("random", "random"));
runContractSuite(detector("lossy", "lossy"));
runContractSuite({ ...detector("loose", null), options: { type: "object", properties: { scale: { type: "number" } }, examples: [{}] } });
runContractSuite(fusion("exact", 1));
runContractSuite(fusion("leaky", 0.5));
`;

Deno.test("runContractSuite() fails exactly the cases a broken plugin violates and passes a correct one", async () => {
  const dir = await Deno.makeTempDir({ prefix: "acm_suite_" });
  await Deno.writeTextFile(`${dir}/broken_test.js`, MODULE);
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "test",
      "--config",
      `${ROOT}deno.json`,
      "--allow-read",
      "--allow-write",
      "--allow-env",
      `${dir}/broken_test.js`,
    ],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(r.stdout);
  await Deno.remove(dir, { recursive: true });
  const results = new Map<string, string>();
  for (const m of out.matchAll(/^(.+?) \.\.\. (ok|FAILED)/gm)) results.set(m[1], m[2]);
  const failed = [...results].filter(([, v]) => v === "FAILED").map(([k]) => k).sort();
  assert.ok(results.size > 20, out);
  assert.deepEqual(
    failed,
    [
      // no default for `scale`: scores are NaN as well
      'detector "loose" (defaults): score() gives finite scores of length rows for every output',
      'detector "loose" ({}): score() gives finite scores of length rows for every output',
      'detector "loose": checkPluginExport() accepts the default export with no warnings',
      'detector "loose": options schema follows the option rules',
      'detector "lossy" (defaults): save() → encodeState → decodeState → load() scores bit-identically',
      'detector "lossy" ({"scale":2}): save() → encodeState → decodeState → load() scores bit-identically',
      'detector "random" (defaults): save() → encodeState → decodeState → load() scores bit-identically',
      'detector "random" ({"scale":2}): save() → encodeState → decodeState → load() scores bit-identically',
      'detector "random" (defaults): score() has no side effects and the same seed gives the same scores',
      'detector "random" ({"scale":2}): score() has no side effects and the same seed gives the same scores',
      'detector "short" (defaults): score() gives finite scores of length rows for every output',
      'detector "short" ({"scale":2}): score() gives finite scores of length rows for every output',
      'fusion "leaky" (defaults): fuse() gives finite rows whose head contributions add up',
      'fusion "leaky" ({}): fuse() gives finite rows whose head contributions add up',
    ].sort(),
  );
  assert.equal(r.code, 1);
});
