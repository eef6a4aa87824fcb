#!/usr/bin/env python3
"""Condition-model peer: the method of pipelines/default.yaml in numpy/scipy/scikit-learn, as a competent user would.

Bootstrap (fit) on the first chunk CSV of --chunks, then score every chunk in order with the
stream state carried, the bootstrap chunk first (as `acm replay` does: its rows are scored with
their out-of-fold residuals), write scores.csv (timestamp, fused, alarm, regime, envelope,
transient) and episodes.csv (start, end, peak_z) to --out, print JSON timings
{parse_s, train_s, score_s, write_s, total_s, cpu_s, rows, ...} on stdout.

Method (options = pipelines/default.yaml and the plugin / stage defaults it leaves alone):
  sensor health   drop sensors > 50 % NaN, < 2 distinct values, or one value > 95 % of rows
  regimes         standardised healthy sensors (population std, NaN -> median); sklearn KMeans
                  (k-means++, n_init 4, max_iter 100) for k = 2..6 on 10,000 sampled rows, plus
                  each (k-1) partition + its farthest row refined by Lloyd (kept when every
                  cluster holds >= 0.5 % of the rows); silhouette (sklearn, one 2,000-row sample
                  for every candidate); best >= 0.35 wins, refined by Lloyd on <= 50,000 rows;
                  per-regime p99 distance (floor 0.1)
  assignment      nearest centre; unseen = distance > 2 x p99 and >= min(3, d) sensors > 3 sd
                  from that centre; min-dwell smoothing (runs < 3 rows absorbed, open run
                  carried); regimes with < 5 % of the training rows count as unseen
  holds           ramp = half the sensors (>= 3) moved > 1 sd against the mean of the oldest
                  third of a 10-min window; transient = within 30 min of a regime change (unseen
                  = a state of its own) or of a ramp row, or within 4 h after coming back from
                  unseen; held rows = transient | unseen: they restart the tests, shape no
                  scale or limit, and never open an episode
  design          z = (x - mean) / std of training; z and its EWMAs over 600 s and 3600 s (a
                  missing value holds the level; scipy.signal.lfilter per run of constant
                  spacing); a missing z reads its fast EWMA, a missing EWMA reads 0; when
                  scoring, a missing input is its last reading (fill forward across chunks)
  regression      per sensor j: ridge (alpha 0.001, covariance scale) of z_j on every design
                  column except j's own value and EWMAs; X'X per fold by BLAS; all d systems in
                  one batched np.linalg.solve; out-of-fold: 2-hour time blocks dealt to 5 folds
  residual scale  robust centre / scale (median, max(1.4826 MAD, RMS/4, 0.01)) of the steady
                  out-of-fold residuals, pooled and per regime with >= 200 steady rows
  whitening       AR(2) Yule-Walker on residuals clipped to +-6, |phi| mass <= 0.99; innovation
                  scale max(1.4826 MAD, 0.05); a missing residual is its AR prediction
  extrapolation   leave-one-out Mahalanobis distance of the other sensors (P = (C + 0.01 I)^-1,
                  D2_-j = x'Px - (Px)_j^2 / P_jj) beyond its training p99; the whitened
                  residual is multiplied by s / sqrt(s^2 + (0.03 excess)^2)
  tests           per sensor Page CUSUM: mean up/down 2 and 4 noise units, variance x4 up, on
                  e clipped to +-6; frozen-reading test on the raw readings (repeat weights per
                  regime, Laplace rule); limits max(15, 1.2 x out-of-fold training maximum);
                  scoring caps S at 1.5 limit
  score           max over sensors and tests of S / limit; z = 4.5 x score, clipped to 50;
                  max_z fusion of the one head
  episodes        hysteresis: open at z >= 4.5 for 10 rows, close after 5 rows below 1.5
                  (held rows count as below); held rows never open one
  long gaps       after a gap > max(1 day, 50 x the median spacing) the detector's stream
                  restarts and the open episode closes (episodes.max_gap_s 0)

Vectorised over rows and sensors: uncapped CUSUMs are a cumulative sum minus its running
minimum per run of unheld rows; capped ones use the same closed form and a scalar loop only
from a cap hit until the statistic is back at 0; the frozen test is a weighted run length by
cumulative sums; ramps and transients by searchsorted / cumulative maxima. Python loops remain
for the min-dwell merge (over short label runs) and the episode search (over episodes).
See bench/peer/README.md for what still differs from acm.
"""
import argparse
import glob
import heapq
import json
import os
import resource
import sys
import time

import numpy as np
import pandas as pd
from scipy.signal import lfilter
from sklearn.cluster import KMeans
from sklearn.metrics import pairwise_distances, silhouette_score
from threadpoolctl import threadpool_limits

SEED = 17
# condition detector (pipelines/default.yaml + plugin defaults)
TAUS_MS = (600e3, 3600e3)
ALPHA = 0.001
FOLDS, FOLD_BLOCK_MS = 5, 7200e3
MEAN_SHIFTS, VAR_UP = (2.0, 4.0), 4.0
LIMIT_MARGIN, LIMIT_FLOOR, CAP, CLIP = 1.2, 15.0, 1.5, 6.0
MIN_RES_SCALE, MIN_INNOV_SCALE, MIN_REGIME_ROWS = 0.01, 0.05, 200
KAPPA, ENV_RIDGE, ENV_QUANTILE, EDGE_ROWS = 0.03, 0.01, 0.99, 25_000
# regimes
K_MIN, K_MAX, SAMPLE_ROWS, MIN_SILHOUETTE = 2, 6, 2000, 0.35
SPLIT_MIN_SHARE, MIN_REGIME_SHARE, MIN_DWELL_ROWS = 0.005, 0.05, 3
UNSEEN_FACTOR, ENVELOPE_SD, P99_FLOOR = 2.0, 3.0, 0.1
MAX_KMEANS_ROWS, SEARCH_ROWS = 50_000, max(5 * SAMPLE_ROWS, 10_000)
TRANSIENT_MS, SETTLE_MS, RAMP_Z, RAMP_WINDOW_MS = 1800e3, 14400e3, 1.0, 600e3
# episodes
ON_Z, ON_HOLD, OFF_Z, OFF_HOLD, CLIP_Z = 4.5, 10, 1.5, 5, 50.0
MIN_GAP_MS, GAP_SPACINGS = 86_400_000, 50  # episodes.max_gap_s 0: automatic

# The test battery: l(e) = a + b e + c e^2 per test (mean up/down per shift, variance up).
LLR = np.array([(-s * s / 2, sg * s, 0.0) for s in MEAN_SHIFTS for sg in (1.0, -1.0)]
               + [(-0.5 * np.log(VAR_UP), 0.0, 0.5 * (1 - 1 / VAR_UP))])
T = len(LLR)


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


def last_index(mask):
    """Per row (and column) the index of the last row <= it where mask is true (-1: none)."""
    n = mask.shape[0]
    ar = np.arange(n).reshape((n,) + (1,) * (mask.ndim - 1))
    return np.maximum.accumulate(np.where(mask, ar, -1), axis=0)


def ffill(a, carry):
    """NaN cells take the last finite value above them, or carry (per column) before any."""
    out = pd.DataFrame(a).ffill().to_numpy()
    lead = np.isnan(out)
    if lead.any():
        out = np.where(lead, carry[None, :], out)
    return out


def fill_forward(z, carry):
    """Last finite value per column carried forward (from carry, NaN = none) and the new carry."""
    if np.isfinite(z).all():
        return z, z[-1].copy()
    out = ffill(z, carry)
    return out, out[-1].copy()


# ----------------------------------------------------------------------------- regimes

class Regimes:
    """k-means operating regimes on the standardised healthy sensors (core/regimes/)."""

    def fit(self, x, rng):
        d = x.shape[1]
        self.d = d
        self.mean = np.nanmean(x, axis=0)
        sd = np.nanstd(x, axis=0)
        self.scale = np.where(sd > 1e-12 * np.maximum(1, np.abs(self.mean)), sd, 1.0)
        med = np.nanmedian(x, axis=0)
        self.fill = (np.where(np.isfinite(med), med, self.mean) - self.mean) / self.scale
        xs, valid = self.standardised(x)
        xs = xs[valid]
        n = len(xs)
        fit_n = min(n, MAX_KMEANS_ROWS)
        search_n = min(fit_n, SEARCH_ROWS)
        order = rng.permutation(n)[:fit_n] if n > search_n else None
        sx = xs[order[:search_n]] if order is not None else xs
        k_hi = min(K_MAX, search_n - 1)
        fits = []  # (k, centres, labels on sx)
        for k in range(max(2, K_MIN), k_hi + 1):
            km = KMeans(k, init="k-means++", n_init=4, max_iter=100, tol=1e-4,
                        random_state=int(rng.integers(2**31))).fit(sx)
            fits.append((k, km.cluster_centers_, km.labels_))
        if SPLIT_MIN_SHARE > 0:  # each partition plus its farthest row
            for k, c, lab in list(fits):
                if k >= k_hi:
                    continue
                far = int(np.argmax(((sx - c[lab]) ** 2).sum(axis=1)))
                km = KMeans(k + 1, init=np.vstack([c, sx[far]]), n_init=1, max_iter=100,
                            tol=1e-4).fit(sx)
                if np.bincount(km.labels_, minlength=k + 1).min() >= SPLIT_MIN_SHARE * search_n:
                    fits.append((k + 1, km.cluster_centers_, km.labels_))
        # One silhouette sample (and one distance matrix) for every candidate.
        sil_rows = (np.arange(search_n) if SAMPLE_ROWS >= search_n
                    else np.sort(rng.choice(search_n, SAMPLE_ROWS, replace=False)))
        dist = pairwise_distances(sx[sil_rows])
        best_sil, best = -np.inf, None
        for k, c, lab in fits:
            ls = lab[sil_rows]
            nl = len(np.unique(ls))
            sil = (silhouette_score(dist, ls, metric="precomputed")
                   if 2 <= nl <= len(ls) - 1 else np.nan)
            if sil > best_sil:
                best_sil, best = sil, (k, c)
        if best is not None and best_sil >= MIN_SILHOUETTE:
            k, centres = best
            if fit_n > search_n:
                fx = xs[order] if fit_n < n else xs
                centres = KMeans(k, init=centres, n_init=1, max_iter=100, tol=1e-4).fit(
                    fx).cluster_centers_
        else:
            k, centres = 1, xs.mean(axis=0, keepdims=True)
        self.k, self.centres, self.silhouette = k, centres, best_sil
        lab, dist = self.nearest(xs)
        glob99 = np.quantile(dist, 0.99) if n else P99_FLOOR
        self.p99 = np.array([max(P99_FLOOR, np.quantile(dist[lab == c], 0.99)
                                 if (lab == c).any() else glob99) for c in range(k)])
        self.counts = np.bincount(lab, minlength=k)
        self.train_rows = n
        self.rare = self.counts < MIN_REGIME_SHARE * n
        return self

    def standardised(self, x):
        z = (x - self.mean) / self.scale
        valid = np.isfinite(z).any(axis=1)
        return np.where(np.isfinite(z), z, self.fill), valid

    def nearest(self, xs):
        c = self.centres
        d2 = (xs * xs).sum(axis=1)[:, None] - 2 * xs @ c.T + (c * c).sum(axis=1)[None, :]
        lab = np.argmin(d2, axis=1)
        return lab, np.sqrt(np.maximum(d2[np.arange(len(xs)), lab], 0))

    def assign(self, x, carry):
        """Smoothed labels (-1: no finite value), unseen flags, carry of the open run."""
        xs, valid = self.standardised(x)
        lab, dist = self.nearest(xs)
        labels = np.where(valid, lab, -1)
        far = valid & (dist > UNSEEN_FACTOR * self.p99[lab])
        unseen = np.zeros(len(x), dtype=bool)
        if far.any():
            rows = np.flatnonzero(far)
            out = (np.abs(xs[rows] - self.centres[lab[rows]]) > ENVELOPE_SD).sum(axis=1)
            unseen[rows] = out >= min(3, self.d)
        labels, carry = smooth_labels(labels, carry)
        unseen |= (labels >= 0) & self.rare[np.maximum(labels, 0)]
        return labels, unseen, carry


def smooth_labels(labels, carry):
    """Minimum-dwell smoothing (core/regimes/smooth.ts): runs < MIN_DWELL_ROWS rows are absorbed
    by the longer neighbour, shortest first; the run open at the end is kept and carried."""
    out = labels.copy()
    pos = np.flatnonzero(labels >= 0)
    if len(pos) == 0:
        return out, carry
    lab = labels[pos]
    cut = np.flatnonzero(lab[1:] != lab[:-1]) + 1
    starts, ends = np.r_[0, cut], np.r_[cut, len(lab)]
    lab_r, rows_r = lab[starts].tolist(), (ends - starts).tolist()
    start_r, end_r = starts.tolist(), ends.tolist()
    fixed = [False] * len(lab_r)
    if carry is not None and carry[0] >= 0:
        if lab_r[0] == carry[0]:
            rows_r[0] += carry[1]
            fixed[0] = True
        else:
            lab_r.insert(0, carry[0])
            rows_r.insert(0, carry[1])
            start_r.insert(0, 0)
            end_r.insert(0, 0)
            fixed.insert(0, True)
    m = len(lab_r)
    short = [i for i in range(m - 1) if rows_r[i] < MIN_DWELL_ROWS and not fixed[i]]
    if short:
        prev = list(range(-1, m - 1))
        nxt = list(range(1, m)) + [-1]
        alive, version = [True] * m, [0] * m

        def candidate(i):
            return alive[i] and not fixed[i] and nxt[i] >= 0 and rows_r[i] < MIN_DWELL_ROWS

        def merge(a, b, label):
            lab_r[a] = label
            rows_r[a] += rows_r[b]
            end_r[a] = end_r[b]
            fixed[a] = fixed[a] or fixed[b]
            nxt[a] = nxt[b]
            if nxt[b] >= 0:
                prev[nxt[b]] = a
            alive[b] = False
            version[a] += 1

        heap = [(rows_r[i] * 1e8 + start_r[i], i, 0) for i in short]
        heapq.heapify(heap)
        while heap:
            _, i, v = heapq.heappop(heap)
            if not alive[i] or version[i] != v or not candidate(i):
                continue
            left, right = prev[i], nxt[i]
            if left >= 0 and rows_r[left] >= rows_r[right]:
                merge(left, i, lab_r[left])
                if nxt[left] >= 0 and lab_r[nxt[left]] == lab_r[left]:
                    merge(left, nxt[left], lab_r[left])
                surv = left
            else:
                merge(i, right, lab_r[right])
                surv = i
                if left >= 0 and lab_r[left] == lab_r[i]:
                    merge(left, i, lab_r[left])
                    surv = left
            for s in (surv, prev[surv], nxt[surv]):
                if s >= 0 and candidate(s):
                    heapq.heappush(heap, (rows_r[s] * 1e8 + start_r[s], s, version[s]))
        keep = [i for i in range(m) if alive[i]]
    else:
        keep = range(m)
    keep = list(keep)
    r_start = np.array([start_r[i] for i in keep])
    r_end = np.array([end_r[i] for i in keep])
    r_lab = np.array([lab_r[i] for i in keep])
    span = r_end - r_start
    out[pos] = np.repeat(r_lab[span > 0], span[span > 0])
    last = keep[-1]
    return out, (lab_r[last], rows_r[last])


def ramp_mask(reg, x, t, carry):
    """Rows where >= max(min(3, d), ceil(d/2)) sensors moved > RAMP_Z sd against the mean of the
    oldest third of the last RAMP_WINDOW_MS (core/regimes/ramp.ts); carry = the window's rows."""
    z = (x - reg.mean) / reg.scale
    n, d = z.shape
    if carry is not None:
        tt, zz = np.r_[carry[0], t], np.vstack([carry[1], z])
    else:
        tt, zz = t, z
    fin = np.isfinite(zz)
    cs = np.vstack([np.zeros((1, d)), np.cumsum(np.where(fin, zz, 0.0), axis=0)])
    cn = np.vstack([np.zeros((1, d)), np.cumsum(fin, axis=0)])
    lo = np.searchsorted(tt, t - RAMP_WINDOW_MS, side="left")
    hi = np.maximum(lo, np.searchsorted(tt, t - 2 * RAMP_WINDOW_MS / 3, side="right"))
    cnt = cn[hi] - cn[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        old = (cs[hi] - cs[lo]) / cnt
    moving = (cnt > 0) & (np.abs(z - old) > RAMP_Z)  # NaN z or mean compares False
    need = max(min(3, d), -(-d // 2))
    mask = moving.sum(axis=1) >= need
    keep = np.searchsorted(tt, t[-1] - RAMP_WINDOW_MS, side="left") if n else 0
    return mask, (tt[keep:], zz[keep:])


UNSEEN_LABEL = 1_000_000


def transient_mask(labels, unseen, moving, t, carry):
    """core/engine/transients.ts, vectorised: since = time of the last regime change or ramp row,
    back = time of the last return from unseen; carry = (last label, since, back)."""
    last0, since0, back0 = carry if carry is not None else (-1, -np.inf, -np.inf)
    lab = np.where(labels < 0, -1, np.where(unseen, UNSEEN_LABEL, labels))
    seen = lab >= 0
    idx = last_index(seen)
    prev_idx = np.r_[-1, idx[:-1]]
    prev = np.where(prev_idx >= 0, lab[np.maximum(prev_idx, 0)], last0)
    change = seen & (prev >= 0) & (lab != prev)
    back_ev = seen & (prev == UNSEEN_LABEL) & (lab != UNSEEN_LABEL)
    since = np.maximum(np.maximum.accumulate(np.where(change | moving, t, -np.inf)), since0)
    back = np.maximum(np.maximum.accumulate(np.where(back_ev, t, -np.inf)), back0)
    mask = moving | (t - since < TRANSIENT_MS) | (t - back < SETTLE_MS)
    last = lab[idx[-1]] if len(lab) and idx[-1] >= 0 else last0
    return mask, (int(last), float(since[-1]) if len(t) else since0,
                  float(back[-1]) if len(t) else back0)


# ----------------------------------------------------------------------------- condition model

def ewma(z, t_ms, carry):
    """EWMA columns (n x K*d) of z on times t_ms continuing carry = (t_last, levels K x d):
    level += a (x - level), a = 1 - exp(-dt/tau); a missing value holds the level. On a regular
    grid each column is one lfilter over its finite values (the held level is forward filled);
    irregular spacing takes the row recursion."""
    n, d = z.shape
    K = len(TAUS_MS)
    t_last, levels = carry if carry is not None else (np.nan, np.full((K, d), np.nan))
    dt = np.diff(t_ms, prepend=t_last)
    dt[~np.isfinite(dt)] = np.inf
    dt = np.maximum(dt, 0)
    out = np.empty((n, K * d))
    new_levels = levels.copy()
    # rows [0, r0) by the recursion, the rest by lfilter when their spacing is constant
    r0 = 0 if n < 2 or not np.isfinite(dt[0]) or dt[0] == dt[1] else 1
    regular = n > 1 and np.all(dt[2:] == dt[1])
    if not regular:
        r0 = n
    fin = np.isfinite(z)
    for k, tau in enumerate(TAUS_MS):
        a_all = 1.0 - np.exp(-dt / tau)
        lev = levels[k].copy()
        block = out[:, k * d:(k + 1) * d]
        for i in range(r0):
            v = z[i]
            f = np.isfinite(v)
            lev = np.where(f & np.isfinite(lev), lev + a_all[i] * (v - lev), np.where(f, v, lev))
            block[i] = lev
        if r0 < n:
            a = a_all[r0] if r0 > 0 or np.isfinite(t_last) else a_all[1]
            zr, fr = z[r0:], fin[r0:]
            full = fr.all(axis=0) & np.isfinite(lev)
            if full.any():  # complete columns: one lfilter for all of them
                y, _ = lfilter([a], [1.0, -(1.0 - a)], zr[:, full], axis=0,
                               zi=((1.0 - a) * lev[full])[None, :])
                block[r0:, full] = y
            for j in np.flatnonzero(~full):
                vals = zr[fr[:, j], j]
                if len(vals) == 0:
                    block[r0:, j] = lev[j]
                    continue
                start = lev[j] if np.isfinite(lev[j]) else vals[0]
                y, _ = lfilter([a], [1.0, -(1.0 - a)], vals, zi=[(1.0 - a) * start])
                idx = np.cumsum(fr[:, j]) - 1
                block[r0:, j] = np.where(idx >= 0, y[np.maximum(idx, 0)], lev[j])
            lev = block[-1].copy()
        new_levels[k] = lev
    return out, (t_ms[-1] if n else t_last, new_levels)


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


def robust_center_scale(r, floor):
    """Median and max(1.4826 MAD, RMS deviation / 4, floor) per column over finite values."""
    if r.shape[0] == 0 or not np.isfinite(r).any():
        return np.zeros(r.shape[1]), np.full(r.shape[1], floor)
    med = np.nanmedian(r, axis=0)
    dev = np.abs(r - med)
    mad = 1.4826 * np.nanmedian(dev, axis=0)
    rms = np.sqrt(np.nanmean(dev * dev, axis=0))
    ok = np.isfinite(med)
    return (np.where(ok, med, 0.0),
            np.where(ok, np.maximum(np.maximum(mad, 0.25 * rms), floor), floor))


def ar_fit(q):
    """AR(2) Yule-Walker per column on residuals clipped to +-CLIP (finite pairs) -> phi (d x 2)."""
    n, d = q.shape
    c = np.clip(q, -CLIP, CLIP)
    g = np.zeros((3, d))
    for k in range(3):
        prod = c[k:] * c[:n - k]
        cnt = np.isfinite(prod).sum(axis=0)
        g[k] = np.where(cnt > 0, np.nansum(prod, axis=0) / np.maximum(cnt, 1), 0.0)
    phi = np.zeros((d, 2))
    a0 = g[0] * (1 + 1e-9)
    ok = (g[0] > 0) & (a0 * a0 > g[1] * g[1])  # SPD Toeplitz
    det = a0 * a0 - g[1] * g[1]
    sol = np.stack([(a0 * g[1] - g[1] * g[2]), (a0 * g[2] - g[1] * g[1])], axis=1)
    sol = sol / np.where(ok, det, 1.0)[:, None]
    mass = np.abs(sol).sum(axis=1)
    shrink = np.where(mass > 0.99, 0.99 / np.where(mass > 0, mass, 1), 1.0)
    phi[ok] = (sol * shrink[:, None])[ok]
    return phi


def whiten(q, phi, hist):
    """Innovations r_t - phi1 r_{t-1} - phi2 r_{t-2} (NaN where r is NaN), a missing r being its
    prediction in the history; hist = last 2 values, most recent first. Each run of missing
    values is the AR free response of the two values before it: f_k = A_k r_{-1} + B_k r_{-2}
    (A, B from the recursion once per column), runs filled vectorised in time order."""
    d = q.shape[1]
    full = np.vstack([hist[::-1], q])  # rows: r_{-2}, r_{-1}, r_0, ...
    miss = np.isnan(full)
    if miss.any():
        m = np.vstack([np.zeros((1, d), bool), miss, np.zeros((1, d), bool)])
        dm = np.diff(m.astype(np.int8), axis=0)
        run_c, run_s = np.nonzero(dm.T == 1)  # runs per column in time order: start row
        run_l = np.nonzero(dm.T == -1)[1] - run_s  # ... and length
        L = int(run_l.max())
        A, B = np.zeros((L + 1, d)), np.zeros((L + 1, d))
        a1, a2 = np.ones(d), np.zeros(d)   # A_0, A_{-1}
        b1, b2 = np.zeros(d), np.ones(d)
        for k in range(1, L + 1):
            a1, a2 = phi[:, 0] * a1 + phi[:, 1] * a2, a1
            b1, b2 = phi[:, 0] * b1 + phi[:, 1] * b2, b1
            A[k], B[k] = a1, b1
        todo = np.ones(len(run_c), bool)
        while todo.any():
            j, s, ln = run_c[todo], run_s[todo], run_l[todo]
            y1, y2 = full[s - 1, j], full[s - 2, j]
            ready = np.isfinite(y1) & np.isfinite(y2)
            j, s, ln, y1, y2 = j[ready], s[ready], ln[ready], y1[ready], y2[ready]
            rep = np.repeat(np.arange(len(j)), ln)
            k = np.arange(len(rep)) - np.repeat(np.cumsum(ln) - ln, ln) + 1
            jj = j[rep]
            full[s[rep] + k - 1, jj] = A[k, jj] * y1[rep] + B[k, jj] * y2[rep]
            sel = np.flatnonzero(todo)
            todo[sel[ready]] = False
    e = full[2:] - phi[:, 0] * full[1:-1] - phi[:, 1] * full[:-2]
    e[miss[2:]] = np.nan
    return e, full[-1:-3:-1].copy()


def llr(e):
    """Per-sample log-likelihood ratios (n x T*d, test-major) of the battery on e clipped to
    +-CLIP; a missing sample gives 0 (S unchanged). One (n x d) pass per test."""
    n, d = e.shape
    fin = np.isfinite(e)
    v = np.clip(np.where(fin, e, 0.0), -CLIP, CLIP)
    out = np.empty((n, T, d))
    for t, (a, b, c) in enumerate(LLR):
        o = out[:, t]
        if c != 0.0:
            np.multiply(v, v, out=o)
            o *= c
        else:
            np.multiply(v, b, out=o)
        if a != 0.0:
            o += a * fin
    return out.reshape(n, T * d)


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


def unheld_runs(hold):
    """[start, end) of each run of unheld rows."""
    m = np.r_[False, ~hold, False].astype(np.int8)
    dm = np.diff(m)
    return np.flatnonzero(dm == 1), np.flatnonzero(dm == -1)


def cusum_held(l, s0, top, hold):
    """The capped (top finite) or uncapped CUSUM restarted at 0 on held rows (S = 0 there)."""
    n, m = l.shape
    if not hold.any():
        s = cusum_uncapped(l, s0) if top is None else cusum_capped(l, s0, top)
        return s, s[-1].copy()
    s = np.zeros((n, m))
    for a, b in zip(*unheld_runs(hold)):
        start = s0 if a == 0 else 0.0
        s[a:b] = cusum_uncapped(l[a:b], start) if top is None else cusum_capped(l[a:b], start, top)
    return s, s[-1].copy()


def frozen_run(v, w0, w1, g, s0, last0, top, hold):
    """The frozen-reading test (core/numeric/frozen_reading.ts) for every sensor at once:
    S += (S > 0 ? w1 : w0)[regime] on a repeated reading, 0 on a change or a held row, unchanged
    on a missing one, capped at top: a weighted run length, summed over the repeat cells only
    (1-4 % of them) by a grouped cumulative sum. w0, w1: (R + 1) x d tables, g: table row per
    row. Returns S (n x d), the final S and the last finite reading per sensor."""
    n, d = v.shape
    fin = np.isfinite(v)
    filled = v if fin.all() else ffill(v, last0)
    prev = np.vstack([last0[None, :], filled[:-1]])
    last_v = filled[-1].copy()
    h = hold[:, None]
    rep = (v == prev) & ~h  # False where v is NaN
    s = np.zeros((n, d))
    jj, ii = np.nonzero(rep.T)  # repeat cells, per sensor in time order
    if len(jj):
        resets = np.cumsum(h | (fin & ~rep), axis=0)[ii, jj]  # resets up to each repeat
        new = np.r_[True, (jj[1:] != jj[:-1]) | (resets[1:] != resets[:-1])]
        cont = (resets == 0) & (s0[jj] > 0)  # continuing the previous chunk's run
        inc = np.where(new & ~cont, w0[g[ii], jj], w1[g[ii], jj])
        c = np.cumsum(inc)
        first = np.flatnonzero(new)
        val = c - (c[first] - inc[first])[np.cumsum(new) - 1]
        val += np.where(resets == 0, s0[jj], 0.0)
        if top is not None:
            np.minimum(val, top[jj], out=val)
        s[ii, jj] = val
    miss = ~fin & ~h
    if miss.any():  # a missing reading keeps S (s0 before any other row)
        s[miss] = np.nan
        s = ffill(s, s0)
    return s, s[-1].copy(), last_v


def assign_folds(t, n):
    folds = max(1, min(FOLDS, n // 50))
    if folds <= 1:
        return np.zeros(n, dtype=int), 1
    if FOLD_BLOCK_MS > 0:
        return (np.floor((t - t[0]) / FOLD_BLOCK_MS).astype(int) % folds), folds
    return np.minimum(folds - 1, (np.arange(n) * folds) // n), folds


class Model:
    def fit(self, df):
        self.sensors = healthy_sensors(df)
        x = df[self.sensors].to_numpy()
        n, d = x.shape
        self.d = d
        t = epoch_ms(df)
        # operating regimes, then the training rows held as transients / unseen
        self.regimes = Regimes().fit(x, np.random.default_rng(SEED))
        labels, unseen, rcarry = self.regimes.assign(x, None)
        ramp, rampc = ramp_mask(self.regimes, x, t, None)
        trans, tcarry = transient_mask(labels, unseen, ramp, t, None)
        hold = trans | unseen
        self.mean = np.nanmean(x, axis=0)
        sd = np.nanstd(x, axis=0)
        self.std = np.where(sd > 1e-12 * np.maximum(1, np.abs(self.mean)), sd, 1.0)
        z = (x - self.mean) / self.std
        e, _ = ewma(z, t, None)
        xd = design(z, e)
        use = np.isfinite(z).all(axis=1)
        fold, nf = assign_folds(t, n)
        xtx, xs, nn = [], [], []
        for f in range(nf):
            a = xd[use & (fold == f)]
            xtx.append(a.T @ a)
            xs.append(a.sum(axis=0))
            nn.append(len(a))
        txtx, txs, tn = sum(xtx), sum(xs), sum(nn)
        oof = np.empty_like(z)
        for f in range(nf):
            if nf > 1:
                b0, b = ridge_all(txtx - xtx[f], txs - xs[f], tn - nn[f], d)
            else:
                b0, b = ridge_all(txtx, txs, tn, d)
            rows = fold == f
            oof[rows] = z[rows] - (b0 + xd[rows] @ b.T)
        self.intercept, self.coef = ridge_all(txtx, txs, tn, d)
        # residual centres / scales: pooled, and per regime with enough steady rows
        steady = np.where(hold[:, None], np.nan, oof)
        _, self.res_scale = robust_center_scale(steady, MIN_RES_SCALE)
        cnt = np.bincount(labels[(labels >= 0) & ~hold], minlength=self.regimes.k)
        self.regime_labels = np.flatnonzero(cnt >= MIN_REGIME_ROWS) if MIN_REGIME_ROWS > 0 \
            else np.array([], dtype=int)
        R = len(self.regime_labels)
        self.slot_of = np.full(self.regimes.k + 1, R)  # label -> table row (R = pooled)
        self.slot_of[self.regime_labels] = np.arange(R)
        self.center_tab = np.zeros((R + 1, d))
        self.scale_tab = np.empty((R + 1, d))
        self.scale_tab[R] = self.res_scale
        g = self.slots(labels)
        for r in range(R):
            self.center_tab[r], self.scale_tab[r] = robust_center_scale(steady[g == r],
                                                                        MIN_RES_SCALE)
        q = (steady - self.center_tab[g]) / self.scale_tab[g]
        self.phi = ar_fit(q)
        e0, _ = whiten(q, self.phi, np.zeros((2, d)))
        med = np.nanmedian(e0, axis=0)
        mad = 1.4826 * np.nanmedian(np.abs(e0 - med), axis=0)
        self.innov = np.maximum(np.where(np.isfinite(mad), mad, 0.0), MIN_INNOV_SCALE)
        s, _ = cusum_held(llr(e0 / self.innov), 0.0, None, hold)
        peak = np.maximum(s.max(axis=0), 0.0)
        self.limits = np.maximum(LIMIT_MARGIN * peak, LIMIT_FLOOR)
        self.fit_frozen(x, g, hold, R)
        self.fit_envelope(z, use & ~hold)
        # The bootstrap chunk is scored as the first chunk of the stream (out-of-fold residuals).
        self.stream = {"regimes": rcarry, "ramps": rampc, "transients": tcarry}
        self.train_flags = (labels, unseen, trans, hold)
        self.last_t = None
        self.train_score, self.train_gaps = self.score_segments(x, z, t, labels, unseen, hold, oof)
        return self

    def score_segments(self, x, z, t, labels, unseen, hold, oof=None):
        """score_rows per segment between long gaps (core/engine/gap_segments.ts): the detector's
        stream restarts after a gap longer than max(1 day, 50 x the median spacing)."""
        n = len(t)
        sp = np.diff(t)
        sp = sp[sp > 0]
        gap = max(MIN_GAP_MS, GAP_SPACINGS * (np.median(sp) if len(sp) else 0.0))
        breaks = np.r_[self.last_t is not None and n > 0 and t[0] - self.last_t > gap,
                       np.diff(t) > gap] if n else np.zeros(0, bool)
        self.last_t = t[-1] if n else self.last_t
        starts = np.r_[0, np.flatnonzero(breaks[1:]) + 1]
        if breaks[:1].any():
            self.restart()
        if len(starts) == 1:  # one segment: the bootstrap chunk reads its out-of-fold residuals
            return self.score_rows(x, z, t, labels, unseen, hold, oof), np.flatnonzero(breaks)
        parts = []
        for k, (a, b) in enumerate(zip(starts, np.r_[starts[1:], n])):
            if k:
                self.restart()
            parts.append(self.score_rows(x[a:b], z[a:b], t[a:b], labels[a:b], unseen[a:b],
                                         hold[a:b]))
        return np.concatenate(parts), np.flatnonzero(breaks)

    def restart(self):
        for key in ("ewma", "hist", "s", "frozen", "last", "held"):
            self.stream.pop(key, None)

    def slots(self, labels):
        return self.slot_of[np.where(labels >= 0, labels, self.regimes.k)]

    def fit_frozen(self, x, g, hold, R):
        """Repeat probabilities per regime slot and pooled (Laplace), from steady rows: a pair
        (previous pair repeated?, this one repeated?) where both follow finite readings since the
        last held row; limits from the uncapped training statistic."""
        n, d = x.shape
        fin = np.isfinite(x) & ~hold[:, None]
        cols = np.arange(d)
        lastf = last_index(fin)
        lasth = last_index(np.broadcast_to(hold[:, None], (n, d)))
        pf = np.vstack([np.full((1, d), -1), lastf[:-1]])
        defined = fin & (pf > lasth)  # a finite reading before this one since the last hold
        rep = defined & (x == x[np.maximum(pf, 0), cols])
        lastd = last_index(defined)
        pd_ = np.vstack([np.full((1, d), -1), lastd[:-1]])
        pair = defined & (pd_ > lasth)
        prev = rep[np.maximum(pd_, 0), cols]
        rows, cc = np.nonzero(pair)
        prv = prev[rows, cc].astype(np.int64)
        w = rep[rows, cc].astype(float)
        size = (R + 1) * 2 * d
        key = (g[rows] * 2 + prv) * d + cc  # per regime slot (row R: rows of no slot)
        pairs = np.bincount(key, minlength=size).astype(float).reshape(R + 1, 2, d)
        reps = np.bincount(key, weights=w, minlength=size).reshape(R + 1, 2, d)
        key = prv * d + cc  # table row R is pooled over every steady row
        pairs[R] = np.bincount(key, minlength=2 * d).reshape(2, d)
        reps[R] = np.bincount(key, weights=w, minlength=2 * d).reshape(2, d)
        self.fz_w0 = -np.log((reps[:, 0] + 1) / (pairs[:, 0] + 2))
        self.fz_w1 = -np.log((reps[:, 1] + 1) / (pairs[:, 1] + 2))
        s, _, _ = frozen_run(x, self.fz_w0, self.fz_w1, g, np.zeros(d), np.full(d, np.nan),
                             None, hold)
        self.fz_limit = np.maximum(LIMIT_MARGIN * np.maximum(s.max(axis=0), 0), LIMIT_FLOOR)

    def fit_envelope(self, z, use):
        """Training envelope of the standardised readings: precision (C + ridge I)^-1 and the
        p99 of each sensor's leave-one-out distance (over <= EDGE_ROWS evenly strided rows)."""
        self.env = None
        d = z.shape[1]
        zu = z[use]
        n = len(zu)
        if KAPPA <= 0 or n < d + 2:
            return
        center = zu.mean(axis=0)
        xc = zu - center
        c = xc.T @ xc / (n - 1) + ENV_RIDGE * np.eye(d)
        try:
            np.linalg.cholesky(c)
        except np.linalg.LinAlgError:
            return
        self.env = (center, np.linalg.inv(c), None)
        stride = max(1, -(-n // EDGE_ROWS))
        dist = self.loo_distance(zu[::stride])
        self.env = (center, self.env[1], np.quantile(dist, ENV_QUANTILE, axis=0))

    def loo_distance(self, z):
        center, p, _ = self.env
        xc = np.nan_to_num(z - center, nan=0.0)  # a missing reading counts as the centre
        u = xc @ p
        qf = np.einsum("ij,ij->i", u, xc)
        return np.sqrt(np.maximum(qf[:, None] - u * u / np.diag(p), 0))

    def score_rows(self, x, z, t, labels, unseen, hold, oof=None):
        """Condition score per row (max S/h over sensors x tests), continuing self.stream."""
        n, d = x.shape
        st = self.stream
        zin, held = fill_forward(z, st.get("held", np.full(d, np.nan)))
        e, carry = ewma(zin, t, st.get("ewma"))
        pred = z - oof if oof is not None else self.intercept + design(zin, e) @ self.coef.T
        known = np.where(unseen, -1, labels)
        g = self.slots(known)
        sc = self.scale_tab[g]
        q = (z - pred - self.center_tab[g]) / sc
        w, hist = whiten(q, self.phi, st.get("hist", np.zeros((2, d))))
        w /= self.innov
        if self.env is not None:
            ex = KAPPA * np.maximum(self.loo_distance(z) - self.env[2], 0)
            w *= np.where(ex > 0, sc / np.sqrt(sc * sc + ex * ex), 1.0)
        l = llr(w)
        h = self.limits
        s, s_end = cusum_held(l, st.get("s", 0.0), CAP * h, hold)
        s *= 1.0 / h
        ratio = s.reshape(n, T, d).max(axis=1)
        fs, fs_end, last = frozen_run(x, self.fz_w0, self.fz_w1, g,
                                      st.get("frozen", np.zeros(d)),
                                      st.get("last", np.full(d, np.nan)),
                                      CAP * self.fz_limit, hold)
        score = np.maximum(ratio.max(axis=1), (fs / self.fz_limit).max(axis=1))
        st.update(ewma=carry, hist=hist, s=s_end, frozen=fs_end, last=last, held=held)
        return score

    def score(self, df):
        x = df.reindex(columns=self.sensors).to_numpy()
        t = epoch_ms(df)
        st = self.stream
        labels, unseen, st["regimes"] = self.regimes.assign(x, st["regimes"])
        ramp, st["ramps"] = ramp_mask(self.regimes, x, t, st["ramps"])
        trans, st["transients"] = transient_mask(labels, unseen, ramp, t, st["transients"])
        hold = trans | unseen
        z = (x - self.mean) / self.std
        score, gaps = self.score_segments(x, z, t, labels, unseen, hold)
        return score, labels, unseen, trans, hold, gaps


def episodes_of(z, hold, bounds, gaps=()):
    """Hysteresis (core/episodes/state_machine.ts): open when z >= ON_Z on ON_HOLD consecutive
    unheld rows (start = the first), close after OFF_HOLD consecutive rows below OFF_Z or held
    (end = the last row before them). Found with run lengths, one search per episode; a row
    after a long gap (`gaps`) closes the open episode and drops a pending run.
    Returns [(start, end)] and the alarm column as a replay writes it chunk by chunk (`bounds`:
    first row of each later chunk): a pending run never alarms the chunk before its opening,
    and a low tail reaching into the next chunk stays alarmed in its own."""
    n = len(z)
    high = (z >= ON_Z) & ~hold
    low = hold | (z < OFF_Z)

    def runlen(m):
        c = np.cumsum(m)
        return c - np.maximum.accumulate(np.where(m, 0, c))

    eps, alarm = [], np.zeros(n, dtype=np.int8)
    edges = [0] + [int(g) for g in gaps if 0 < g < n] + [n]
    for a, b in zip(edges[:-1], edges[1:]):
        opens = a + np.flatnonzero(runlen(high[a:b]) == ON_HOLD)
        closes = a + np.flatnonzero(runlen(low[a:b]) == OFF_HOLD)
        i = a
        while True:
            k = np.searchsorted(opens, i)
            if k == len(opens):
                break
            o = int(opens[k])
            c = np.searchsorted(closes, o)
            if c == len(closes):  # open at the end, or closed by the gap at b
                end = o + int(np.flatnonzero(~low[o:b])[-1])
                eps.append((o - ON_HOLD + 1, end, o, b))
                break
            cl = int(closes[c])
            eps.append((o - ON_HOLD + 1, cl - OFF_HOLD, o, cl))
            i = cl + 1
    for s, e, o, cl in eps:
        alarm[s:e + 1] = 1
        if cl == n:
            alarm[e + 1:] = 1  # open at the end: its low tail is still alarmed
        for b in bounds:
            if s < b <= o:  # opened in a later chunk than its pending run began
                alarm[s:b] = 0
            if e + 1 < b <= cl:  # the tail crossed into the next chunk: written as alarmed
                alarm[e + 1:b] = 1
    return [(s, e) for s, e, _, _ in eps], alarm


def cpu_now():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chunks", required=True, help="folder of chunk CSVs (sorted by name)")
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--threads", type=int, default=0,
                    help="BLAS/OpenMP threads (0 = the libraries' default); the bench passes "
                         "the CPUs per concurrent process")
    args = ap.parse_args()
    # On a machine with other work, two threads made the batched 114 x 114 solves of the
    # ridge fits take 1.7 s instead of 0.02 s and k-means 5x the CPU (threads spinning).
    if args.threads > 0:
        threadpool_limits(limits=args.threads)
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
    rows = len(train)
    index, scores, regime, envelope, transient, holds = [train.index], [], [], [], [], []
    # The bootstrap chunk's rows, as fit() scored and flagged them.
    gaps = [model.train_gaps]  # rows after a long gap (episodes close there)
    for lst, v in zip((scores, regime, envelope, transient, holds),
                      (model.train_score,) + model.train_flags):
        lst.append(v)
    for f in files[1:]:  # chunk by chunk, as a replay does
        t0 = time.perf_counter()
        df = read_chunk(f)
        parse_s += time.perf_counter() - t0
        t0 = time.perf_counter()
        out = model.score(df)
        for lst, v in zip((scores, regime, envelope, transient, holds), out):
            lst.append(v)
        gaps.append(rows + out[-1])
        index.append(df.index)
        score_s += time.perf_counter() - t0
        rows += len(df)
    t0 = time.perf_counter()
    fused = np.minimum(ON_Z * np.concatenate(scores), CLIP_Z)
    hold = np.concatenate(holds)
    bounds = np.cumsum([len(i) for i in index])[:-1]
    episodes, alarm = episodes_of(fused, hold, bounds, np.concatenate(gaps))
    score_s += time.perf_counter() - t0

    t0 = time.perf_counter()
    os.makedirs(args.out, exist_ok=True)
    ts = np.datetime_as_string(np.concatenate([i.to_numpy() for i in index]), unit="s")
    pd.DataFrame({"timestamp": ts, "fused": fused.round(6), "alarm": alarm,
                  "regime": np.concatenate(regime), "envelope": np.concatenate(envelope).astype(int),
                  "transient": np.concatenate(transient).astype(int)}
                 ).to_csv(os.path.join(args.out, "scores.csv"), index=False)
    peak = [round(float(np.max(np.where(hold[s:e + 1], -np.inf, fused[s:e + 1]))), 6)
            for s, e in episodes]
    pd.DataFrame({"start": [ts[s] for s, _ in episodes], "end": [ts[e] for _, e in episodes],
                  "peak_z": peak}
                 ).to_csv(os.path.join(args.out, "episodes.csv"), index=False)
    write_s = time.perf_counter() - t0
    print(json.dumps({
        "parse_s": round(parse_s, 4), "train_s": round(train_s, 4), "score_s": round(score_s, 4),
        "write_s": round(write_s, 4), "total_s": round(time.perf_counter() - t_start, 4),
        "cpu_s": round(cpu_now(), 4), "rows": int(rows), "train_rows": int(len(train)),
        "scored_rows": int(len(fused)), "sensors": len(model.sensors), "episodes": len(episodes),
        "regimes": int(model.regimes.k),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


if __name__ == "__main__":
    main()
