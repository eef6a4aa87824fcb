import assert from "node:assert/strict";
import { writeChunkSet } from "../../bench/_gen.ts";
import { peerUnavailable, PYTHON, REPO } from "../../bench/_spawn.ts";

const missing = await peerUnavailable();

/** Runs a Python snippet; returns its stdout (an error fails the test with its stderr). */
async function python(code: string): Promise<string> {
  const out = await new Deno.Command(PYTHON, {
    args: ["-c", code],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

Deno.test({
  name:
    "condition_peer.py fits on the first chunk, scores every chunk and writes scores and episodes",
  ignore: missing !== null,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "acm_cpeer_test_" });
    try {
      const set = await writeChunkSet(`${dir}/chunks`, {
        sensors: 6,
        rows: 600,
        scoringChunks: 2,
        cadenceS: 60,
        type: "pump",
      });
      const out = await new Deno.Command(PYTHON, {
        args: [`${REPO}/bench/peer/condition_peer.py`, "--chunks", set.dir, "--out", `${dir}/p`],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.ok(out.success, new TextDecoder().decode(out.stderr));
      const r = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
      assert.equal(r.rows, 1800);
      assert.equal(r.train_rows, 600);
      // The bootstrap chunk is scored too (with its out-of-fold residuals), as acm replay does.
      assert.equal(r.scored_rows, 1800);
      const scores = (await Deno.readTextFile(`${dir}/p/scores.csv`)).trim().split("\n");
      assert.equal(scores[0], "timestamp,fused,alarm,regime,envelope,transient");
      assert.equal(scores.length, 1801);
      for (const line of scores.slice(1)) {
        const [, fused, alarm] = line.split(",");
        // z = 4.5 × S/h with S capped at 1.5 h: within [0, 6.75]
        assert.ok(Number(fused) >= 0 && Number(fused) <= 6.75 + 1e-9, `fused ${fused}`);
        assert.ok(alarm === "0" || alarm === "1");
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "condition_peer.cusum_capped() equals the row-by-row capped CUSUM recursion",
  ignore: missing !== null,
  async fn() {
    const code = `
import sys; sys.path.insert(0, ${JSON.stringify(`${REPO}/bench/peer`)})
import numpy as np
from condition_peer import cusum_capped
rng = np.random.default_rng(1)
worst = 0.0
for trial in range(40):
    n, m = int(rng.integers(1, 3000)), int(rng.integers(1, 5))
    l = rng.normal(rng.uniform(-1, 0.6), 1, (n, m)); s0 = rng.uniform(0, 3, m); top = rng.uniform(0.5, 8, m)
    got = cusum_capped(l, s0, top, block=int(rng.integers(1, 100)))
    ref = np.empty_like(l); v = s0.copy()
    for i in range(n):
        v = np.minimum(top, np.maximum(0, v + l[i])); ref[i] = v
    worst = max(worst, float(np.abs(got - ref).max()))
print(worst)
`;
    assert.ok(Number(await python(code)) < 1e-9);
  },
});

Deno.test({
  name:
    "condition_peer: the vectorised frozen test, whitening, transients and episodes equal their row recursions",
  ignore: missing !== null,
  async fn() {
    const code = `
import sys; sys.path.insert(0, ${JSON.stringify(`${REPO}/bench/peer`)})
import numpy as np
import condition_peer as cp
rng = np.random.default_rng(2)
for trial in range(30):  # frozen-reading test (core/numeric/frozen_reading.ts runFrozen)
    n, d = 300, 4
    v = np.round(rng.standard_normal((n, d)) * 0.7); v[rng.random((n, d)) < 0.05] = np.nan
    hold = rng.random(n) < 0.05; g = rng.integers(0, 3, n)
    w0, w1 = rng.random((3, d)) + 0.1, rng.random((3, d)) + 0.1
    s0 = np.where(rng.random(d) < 0.5, rng.random(d) * 3, 0.0)
    last0 = np.where(rng.random(d) < 0.5, 0.0, np.nan)
    top = None if trial % 2 else np.full(d, 2.5)
    got, _, _ = cp.frozen_run(v, w0, w1, g, s0, last0, top, hold)
    for j in range(d):
        s, last = s0[j], last0[j]
        for i in range(n):
            x = v[i, j]
            if hold[i]:
                s = 0.0
                last = x if np.isfinite(x) else last
            elif np.isfinite(x):
                s = (min(s + (w1 if s > 0 else w0)[g[i], j], np.inf if top is None else top[j])
                     if x == last else 0.0)
                last = x
            assert abs(got[i, j] - s) < 1e-9, ("frozen", trial, i, j)
for trial in range(30):  # AR(2) whitening with missing residuals (core/numeric/whiten.ts)
    n, d = 400, 3
    q = rng.standard_normal((n, d)); m = rng.random((n, d)) < 0.1
    for j in range(d):
        s = int(rng.integers(0, n - 50)); m[s:s + int(rng.integers(1, 50)), j] = True
    q[m] = np.nan
    phi, hist = rng.uniform(-0.5, 0.5, (d, 2)), rng.standard_normal((2, d))
    e, _ = cp.whiten(q, phi, hist)
    for j in range(d):
        h = list(hist[:, j])
        for i in range(n):
            pred = phi[j, 0] * h[0] + phi[j, 1] * h[1]
            x = q[i, j]
            assert (np.isnan(e[i, j]) if np.isnan(x) else abs(e[i, j] - (x - pred)) < 1e-9), "whiten"
            h = [x if np.isfinite(x) else pred, h[0]]
for trial in range(30):  # transients (core/engine/transients.ts)
    n = 3000
    labels = np.repeat(rng.integers(-1, 3, 60), 50); unseen = np.repeat(rng.random(60) < 0.2, 50)
    moving = rng.random(n) < 0.002; t = 60000.0 * np.arange(n)
    carry = None if trial % 2 else (int(rng.integers(-1, 3)), -1e6, -1e7)
    got, _ = cp.transient_mask(labels, unseen, moving, t, carry)
    last, since, back = carry if carry else (-1, -np.inf, -np.inf)
    for i in range(n):
        l = -1 if labels[i] < 0 else (cp.UNSEEN_LABEL if unseen[i] else labels[i])
        if l >= 0 and last >= 0 and l != last: since = t[i]
        if last == cp.UNSEEN_LABEL and l >= 0 and l != cp.UNSEEN_LABEL: back = t[i]
        ref = t[i] - back < cp.SETTLE_MS
        if l >= 0: last = l
        if moving[i]: since = t[i]; ref = True
        ref = ref or t[i] - since < cp.TRANSIENT_MS
        assert got[i] == ref, ("transient", trial, i)
for trial in range(30):  # episodes chunk by chunk (core/episodes/state_machine.ts)
    z = np.repeat(rng.choice([0.5, 2.0, 5.0], 200, p=[.5, .2, .3]), rng.integers(1, 20, 200))
    n = len(z)
    hold = np.zeros(n, bool); hold[:3000] = np.repeat(rng.random(100) < 0.1, 30)[:n]
    bounds = np.sort(rng.choice(np.arange(1, n), 5, replace=False))
    gaps = np.sort(np.r_[rng.choice(np.arange(1, n), 2, replace=False), bounds[:trial % 2]])
    eps, alarm = cp.episodes_of(z, hold, bounds, gaps)
    ref, ref_alarm = [], np.zeros(n, int)
    active, pend, tail, start, end = False, 0, 0, 0, 0
    edges = [0] + list(bounds) + [n]
    for c0, c1 in zip(edges[:-1], edges[1:]):
        pend_from, tail_from = -1, (c0 if tail > 0 else -1)
        for i in range(c0, c1):
            if i in gaps:  # a long gap: the open episode closes at the row before, pending dropped
                if active:
                    if tail_from >= 0: ref_alarm[tail_from:i] = 0
                    ref.append((start, end)); active, tail, tail_from = False, 0, -1
                pend, pend_from = 0, -1
            low = hold[i] or z[i] < cp.OFF_Z
            if not active:
                if not hold[i] and z[i] >= cp.ON_Z:
                    start = i if pend == 0 else start
                    pend_from = i if pend_from < 0 else pend_from
                    pend += 1
                    if pend >= cp.ON_HOLD:
                        active, pend, end, tail = True, 0, i, 0
                        ref_alarm[pend_from:i + 1] = 1
                        pend_from = -1
                else:
                    pend, pend_from = 0, -1
                continue
            ref_alarm[i] = 1
            if low:
                tail_from = i if tail == 0 else tail_from
                tail += 1
                if tail >= cp.OFF_HOLD:
                    ref_alarm[tail_from:i + 1] = 0; ref.append((start, end))
                    active, tail, tail_from = False, 0, -1
            else:
                tail, end, tail_from = 0, i, -1
    if active: ref.append((start, end))
    assert eps == ref and (alarm == ref_alarm).all(), ("episodes", trial)
print("ok")
`;
    assert.equal((await python(code)).trim(), "ok");
  },
});
