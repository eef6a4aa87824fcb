#!/usr/bin/env python3
"""Condition-model peer: the method of pipelines/default.yaml in numpy/scipy, as a competent user would.

Bootstrap (fit) on the first chunk CSV of --chunks, score the later chunks in order with the
stream state carried (EWMA levels, whitening history, CUSUM statistics), write scores.csv
(timestamp, fused, alarm) and episodes.csv (start, end, peak_z) to --out, print JSON timings
{parse_s, train_s, score_s, write_s, total_s, cpu_s, rows, ...} on stdout.

Method (options = the `condition` detector in pipelines/default.yaml and its defaults):
  sensor health   drop sensors > 50 % NaN, < 2 distinct values, or one value > 95 % of rows
  standardise     z = (x - mean) / std of the training rows (population std; ~0 std -> 1)
  design          z of every sensor and its EWMAs over 600 s and 3600 s (continuous-time
                  EWMA, a = 1 - exp(-dt/tau); scipy.signal.lfilter on a regular grid);
                  a missing z reads its fast EWMA, a missing EWMA reads 0
  regression      per sensor j: ridge (alpha 0.001 on the covariance scale) of z_j on every
                  design column except j's own value and EWMAs, from one X'X (BLAS) per fold;
                  the d systems are solved as one batched np.linalg.solve
  residual scale  5 contiguous folds, each predicted by the fit on the other four (fold
                  statistics subtracted from the total); scale = max(1.4826 MAD, RMS/4, 0.01)
  whitening       AR(2) by Yule-Walker on residuals clipped to +-6; |phi| mass <= 0.99;
                  innovation scale = max(1.4826 MAD, 0.05); a missing residual is replaced by
                  its prediction in the history
  tests           per sensor Page CUSUM: mean up/down at 1 and 4 noise units, variance x4 up,
                  x0.2 down; e clipped to +-6; limit = max(10, 1.2 x max of the out-of-fold
                  training statistic); scoring caps S at 1.5 limit
  score           max over sensors and tests of S / limit; z = 4.5 x score (limit-scaled
                  calibration), clipped to 50; max_z fusion of the one head
  episodes        hysteresis: open at z >= 4.5 for 3 rows, close below 1.5 for 5 rows

Vectorised everywhere: the uncapped training CUSUMs are a cumulative sum minus its running
minimum (exact, all sensors x tests at once); the capped scoring CUSUMs use the same closed
form and fall back to a scalar loop only from a row where a statistic reaches its cap until it
returns to 0. No operating regimes (so no transient or unseen-regime holds, no per-regime
residual scales): see bench/peer/README.md.
"""
import argparse
import glob
import json
import os
import resource
import sys
import time

import numpy as np
import pandas as pd
from scipy.signal import lfilter

TAUS_S = (600.0, 3600.0)
ALPHA = 0.001
FOLDS = 5
AR_ORDER = 2
TESTS = [("mean", 1.0, 1.0), ("mean", 1.0, -1.0), ("mean", 4.0, 1.0), ("mean", 4.0, -1.0),
         ("var", 4.0, 0.0), ("var", 0.2, 0.0)]
LIMIT_MARGIN, LIMIT_FLOOR, CAP, CLIP = 1.2, 10.0, 1.5, 6.0
MIN_RES_SCALE, MIN_INNOV_SCALE = 0.01, 0.05
ON_Z, ON_HOLD, OFF_Z, OFF_HOLD, CLIP_Z = 4.5, 3, 1.5, 5, 50.0


def read_chunk(path):
    """One chunk CSV -> numeric DataFrame indexed by timestamp (first column)."""
    df = pd.read_csv(path, index_col=0, parse_dates=[0])
    df.index.name = "timestamp"
    return df.apply(pd.to_numeric, errors="coerce").astype("float64")


def longest_runs(x):
    """Longest run of one repeated value per column (NaN never repeats)."""
    same = (x[1:] == x[:-1]).astype(np.int64)
    count = np.cumsum(same, axis=0)
    run = count - np.maximum.accumulate(np.where(same == 0, count, 0), axis=0)
    return (run.max(axis=0) if len(run) else np.zeros(x.shape[1], dtype=np.int64)) + 1


def healthy_sensors(df):
    ok = (df.isna().mean() <= 0.5) & (df.nunique() >= 2)
    ok &= longest_runs(df.to_numpy()) / len(df) <= 0.95
    return list(df.columns[ok.to_numpy()])


def epoch_ms(df):
    return df.index.asi8.astype(np.float64) / 1e6


def ewma(z, t_ms, carry):
    """EWMA columns (n x K*d) of z (n x d) on times t_ms, continuing carry = (t_last, levels K x d).

    On a regular grid each column is one scipy.signal.lfilter pass (a missing value is forward
    filled, which moves the level by a*(previous - level) instead of holding it: 0.1 % of cells);
    irregular timestamps take the row recursion.
    """
    n, d = z.shape
    t_last, levels = carry if carry is not None else (np.nan, np.full((len(TAUS_S), d), np.nan))
    dt = np.diff(t_ms, prepend=t_last)
    out = np.empty((n, len(TAUS_S) * d))
    regular = n > 1 and np.all(dt[1:] == dt[1]) and (np.isnan(dt[0]) or dt[0] == dt[1])
    x = pd.DataFrame(z).ffill().bfill().to_numpy() if regular else z
    lead = np.isnan(pd.DataFrame(z).ffill().to_numpy()) if regular else None
    new_levels = levels.copy()
    for k, tau in enumerate(TAUS_S):
        lev = levels[k]
        block = out[:, k * d:(k + 1) * d]
        if regular:
            a = 1.0 - np.exp(-dt[1] / (tau * 1000.0))
            start = np.where(np.isfinite(lev), lev, x[0])
            y, _ = lfilter([a], [1.0, -(1.0 - a)], x, axis=0, zi=((1.0 - a) * start)[None, :])
            y[lead & ~np.isfinite(lev)[None, :]] = np.nan  # no finite value seen yet
            block[:] = y
            new_levels[k] = np.where(np.isfinite(y[-1]), y[-1], lev)
        else:
            a = 1.0 - np.exp(-dt / (tau * 1000.0))
            a[~np.isfinite(dt)] = 1.0
            lev = lev.copy()
            for i in range(n):
                v = z[i]
                fin = np.isfinite(v)
                lev = np.where(fin & np.isfinite(lev), lev + a[i] * (v - lev), np.where(fin, v, lev))
                block[i] = lev
            new_levels[k] = lev
    return out, (t_ms[-1], new_levels)


def design(z, e):
    """Design matrix: z (missing -> fast EWMA -> 0) then the EWMAs (missing -> 0)."""
    d = z.shape[1]
    v = np.where(np.isfinite(z), z, e[:, :d])
    x = np.hstack([v, e])
    x[np.isnan(x)] = 0.0
    return x


def ridge_all(xtx, xs, n, d):
    """Ridge of each z_j on the design columns other than j's own: (intercepts d, coef d x p)."""
    p = xtx.shape[0]
    mean = xs / n
    cov = xtx / n - np.outer(mean, mean)
    q = p - p // d
    idx = np.array([[c for c in range(p) if c % d != j] for j in range(d)])
    a = cov[idx[:, :, None], idx[:, None, :]] + ALPHA * np.eye(q)[None]
    b = cov[idx, np.arange(d)[:, None]]
    beta = np.linalg.solve(a, b[..., None])[..., 0]
    coef = np.zeros((d, p))
    np.put_along_axis(coef, idx, beta, axis=1)
    intercept = mean[:d] - np.einsum("jc,c->j", coef, mean)
    return intercept, coef


def robust_scale(r, floor):
    """max(1.4826 MAD, RMS deviation / 4, floor) per column over finite values."""
    med = np.nanmedian(r, axis=0)
    dev = np.abs(r - med)
    mad = 1.4826 * np.nanmedian(dev, axis=0)
    rms = np.sqrt(np.nanmean(dev * dev, axis=0))
    return np.maximum(np.maximum(mad, 0.25 * rms), floor)


def ar_fit(q):
    """AR(2) Yule-Walker per column on residuals clipped to +-CLIP -> phi (d x 2)."""
    n, d = q.shape
    c = np.clip(q, -CLIP, CLIP)
    g = np.zeros((AR_ORDER + 1, d))
    for k in range(AR_ORDER + 1):
        prod = c[k:] * c[:n - k]
        g[k] = np.nanmean(prod, axis=0)
    phi = np.zeros((d, AR_ORDER))
    ok = g[0] > 0
    a = np.empty((d, 2, 2))
    a[:, 0, 0] = a[:, 1, 1] = g[0] * (1 + 1e-9)
    a[:, 0, 1] = a[:, 1, 0] = g[1]
    sol = np.linalg.solve(a[ok], np.stack([g[1], g[2]], axis=1)[ok][..., None])[..., 0]
    mass = np.abs(sol).sum(axis=1)
    shrink = np.where(mass > 0.99, 0.99 / np.where(mass > 0, mass, 1), 1.0)
    phi[ok] = sol * shrink[:, None]
    return phi


def whiten(q, phi, hist):
    """Innovations r_t - phi1 r_{t-1} - phi2 r_{t-2} (unit scale), hist = last 2 values (2 x d)."""
    n, d = q.shape
    full = np.vstack([hist[::-1], q])  # rows: r_{-2}, r_{-1}, r_0, ...
    miss = np.argwhere(~np.isfinite(full[2:]))
    for i, j in miss[np.argsort(miss[:, 0], kind="stable")]:  # 0.1 % of cells: fill by prediction
        full[i + 2, j] = phi[j, 0] * full[i + 1, j] + phi[j, 1] * full[i, j]
    e = full[2:] - phi[:, 0] * full[1:-1] - phi[:, 1] * full[:-2]
    e[~np.isfinite(q)] = np.nan
    return e, full[-1:-3:-1].copy()


def llr(e):
    """Per-sample log-likelihood ratios (n x d*T, sensor-major) of the battery on clipped e."""
    miss = np.isnan(e)
    v = np.clip(np.where(miss, 0.0, e), -CLIP, CLIP)
    v2 = v * v
    out = np.empty(e.shape + (len(TESTS),))
    for t, (kind, size, sign) in enumerate(TESTS):
        if kind == "mean":
            np.multiply(v, sign * size, out=out[..., t])
            out[..., t] -= size * size / 2
        else:
            np.multiply(v2, 0.5 * (1 - 1 / size), out=out[..., t])
            out[..., t] -= 0.5 * np.log(size)
        out[..., t][miss] = 0.0  # a missing sample leaves S unchanged
    return out.reshape(e.shape[0], -1)


def cusum_uncapped(l, s0):
    """S_t = max(0, S_{t-1} + l_t) for every column at once: W - min(0, running min W)."""
    w = s0 + np.cumsum(l, axis=0)
    return w - np.minimum(np.minimum.accumulate(w, axis=0), 0.0)


def cusum_capped(l, s0, top, block=2048):
    """S_t = min(top, max(0, S_{t-1} + l_t)) (columns of l: n x m), exact.

    Closed form for every column at once; a column whose uncapped statistic exceeds its cap
    is redone from that row: a scalar recursion until S returns to 0, then the closed form
    again on blocks of `block` rows until the next cap hit.
    """
    n, m = l.shape
    s = cusum_uncapped(l, s0)
    for c in np.flatnonzero((s > top).any(axis=0)):
        col, lc, cap = s[:, c], l[:, c], top[c]
        ll = None
        i = int(np.argmax(col > cap))
        while i < n:
            ll = ll or lc.tolist()
            v = cap
            col[i] = v
            i += 1
            while i < n:  # capped: scalar recursion until S is back at 0
                v += ll[i]
                if v <= 0.0:
                    col[i] = v = 0.0
                    break
                col[i] = v = v if v < cap else cap
                i += 1
            i += 1
            v0, nxt = 0.0, n
            while i < n:  # free again: closed form block by block until the next cap hit
                rest = cusum_uncapped(lc[i:i + block, None], v0)[:, 0]
                hit = np.flatnonzero(rest > cap)
                if len(hit):
                    col[i:i + hit[0]] = rest[:hit[0]]
                    nxt = i + int(hit[0])
                    break
                col[i:i + block] = rest
                v0 = rest[-1]
                i += block
            i = nxt
    return s


class Model:
    def fit(self, df):
        self.sensors = healthy_sensors(df)
        x = df[self.sensors].to_numpy()
        n, d = x.shape
        self.d = d
        self.mean = np.nanmean(x, axis=0)
        sd = np.nanstd(x, axis=0)
        self.std = np.where(sd > 1e-12 * np.maximum(1, np.abs(self.mean)), sd, 1.0)
        z = (x - self.mean) / self.std
        t = epoch_ms(df)
        e, _ = ewma(z, t, None)
        xd = design(z, e)
        use = np.isfinite(z).all(axis=1)
        fold = np.minimum(FOLDS - 1, (np.arange(n) * FOLDS) // n)
        fx = [xd[use & (fold == f)] for f in range(FOLDS)]
        xtx = [a.T @ a for a in fx]
        xs = [a.sum(axis=0) for a in fx]
        nn = [len(a) for a in fx]
        txtx, txs, tn = sum(xtx), sum(xs), sum(nn)
        oof = np.empty_like(z)
        for f in range(FOLDS):
            b0, b = ridge_all(txtx - xtx[f], txs - xs[f], tn - nn[f], d)
            rows = fold == f
            oof[rows] = z[rows] - (b0 + xd[rows] @ b.T)
        self.intercept, self.coef = ridge_all(txtx, txs, tn, d)
        self.res_scale = robust_scale(oof, MIN_RES_SCALE)
        q = oof / self.res_scale
        self.phi = ar_fit(q)
        e0, _ = whiten(q, self.phi, np.zeros((2, d)))
        self.innov = np.maximum(1.4826 * np.nanmedian(np.abs(e0 - np.nanmedian(e0, axis=0)), axis=0),
                                MIN_INNOV_SCALE)
        l = llr(e0 / self.innov)
        peak = np.maximum(cusum_uncapped(l, 0.0).max(axis=0), 0.0)
        self.limits = np.maximum(LIMIT_MARGIN * peak, LIMIT_FLOOR)
        self.stream = None
        return self

    def score(self, df):
        x = df.reindex(columns=self.sensors).to_numpy()
        n, d = x.shape
        z = (x - self.mean) / self.std
        st = self.stream or {"ewma": None, "hist": np.zeros((2, d)), "s": np.zeros(d * len(TESTS))}
        e, carry = ewma(z, epoch_ms(df), st["ewma"])
        pred = self.intercept + design(z, e) @ self.coef.T
        q = (z - pred) / self.res_scale
        w, hist = whiten(q, self.phi, st["hist"])
        l = llr(w / self.innov)
        s = cusum_capped(l, st["s"], CAP * self.limits)
        self.stream = {"ewma": carry, "hist": hist, "s": s[-1].copy()}
        return np.max(s / self.limits, axis=1)


def hysteresis(z):
    """Episodes [(start_row, end_row)] by the on/off hold state machine (one pass)."""
    episodes, active, start, high, low, last_high = [], False, 0, 0, 0, 0
    for i, v in enumerate(z.tolist()):
        if not active:
            high = high + 1 if v >= ON_Z else 0
            if high >= ON_HOLD:
                active, start, last_high, low = True, i - high + 1, i, 0
        elif v < OFF_Z:
            low += 1
            if low >= OFF_HOLD:
                episodes.append((start, last_high))
                active, high = False, 0
        else:
            low, last_high = 0, i
    if active:
        episodes.append((start, last_high))
    return episodes


def cpu_now():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chunks", required=True, help="folder of chunk CSVs (sorted by name)")
    ap.add_argument("--out", required=True, help="output folder")
    args = ap.parse_args()
    t_start = time.perf_counter()
    files = sorted(glob.glob(os.path.join(args.chunks, "*.csv")))
    if len(files) < 2:
        sys.exit(f"Cannot run: need a bootstrap chunk and at least one scoring chunk in {args.chunks}")

    parse_s = score_s = 0.0
    t0 = time.perf_counter()
    train = read_chunk(files[0])
    parse_s += time.perf_counter() - t0
    t0 = time.perf_counter()
    model = Model().fit(train)
    train_s = time.perf_counter() - t0
    rows, parts = len(train), []
    for f in files[1:]:  # chunk by chunk, as a replay does
        t0 = time.perf_counter()
        df = read_chunk(f)
        parse_s += time.perf_counter() - t0
        t0 = time.perf_counter()
        parts.append(pd.Series(np.minimum(ON_Z * model.score(df), CLIP_Z), index=df.index))
        score_s += time.perf_counter() - t0
        rows += len(df)
    t0 = time.perf_counter()
    fused = pd.concat(parts)
    episodes = hysteresis(fused.to_numpy())
    alarm = np.zeros(len(fused), dtype=int)
    for s, e in episodes:
        alarm[s:e + 1] = 1
    score_s += time.perf_counter() - t0

    t0 = time.perf_counter()
    os.makedirs(args.out, exist_ok=True)
    fmt = "%Y-%m-%dT%H:%M:%S"
    pd.DataFrame({"timestamp": fused.index.strftime(fmt), "fused": fused.to_numpy().round(6),
                  "alarm": alarm}).to_csv(os.path.join(args.out, "scores.csv"), index=False)
    ts = fused.index
    pd.DataFrame({"start": [ts[s].strftime(fmt) for s, _ in episodes],
                  "end": [ts[e].strftime(fmt) for _, e in episodes],
                  "peak_z": [round(float(fused.iloc[s:e + 1].max()), 6) for s, e in episodes]}
                 ).to_csv(os.path.join(args.out, "episodes.csv"), index=False)
    write_s = time.perf_counter() - t0
    print(json.dumps({
        "parse_s": round(parse_s, 4), "train_s": round(train_s, 4), "score_s": round(score_s, 4),
        "write_s": round(write_s, 4), "total_s": round(time.perf_counter() - t_start, 4),
        "cpu_s": round(cpu_now(), 4), "rows": int(rows), "train_rows": int(len(train)),
        "scored_rows": int(len(fused)), "sensors": len(model.sensors), "episodes": len(episodes),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


if __name__ == "__main__":
    main()
