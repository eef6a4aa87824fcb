#!/usr/bin/env python3
"""ACM peer: the method of pipelines/default.yaml written as a pandas/scikit-learn user would.

Bootstrap (fit) on the first chunk CSV of --chunks, score the later chunks with the fitted
models, write scores.csv (timestamp, fused, alarm) and episodes.csv (start, end, peak_z) to
--out, print JSON timings {parse_s, train_s, score_s, total_s, rows, ...} on stdout.

Stages (options mirror the default pipeline and the built-in plugins' defaults):
  sensor health   drop sensors > 50 % NaN, < 2 distinct values, or one value > 95 % of rows
  features        none: every head reads the raw sensors (the engine skips the unused
                  rolling-feature node too)
  heads           ar1 (raw), then on the standardised raw sensors: pca spe + t2 (90 %
                  variance), mahalanobis (Ledoit-Wolf), iforest (100 trees x 256 rows),
                  gmm (diag, k 1..3 by BIC on <= 4,000 rows), omr (ridge residual operator, per-sensor
                  residual scale, row max, conditional-mean imputation)
  calibration     z = (s - median) / scale of out-of-fold training scores (3 contiguous folds,
                  each fit on <= 20,000 evenly spaced rows of the other two),
                  scale = max(1.4826 MAD, 0.1 std, (q99 - median) / 2.326, 1e-9), clip 50
  fusion          weighted mean of max(z, 0), weights renormalised over the heads with w > 0
  episodes        hysteresis: open at z >= 3 for 3 rows, close below 1.5 for 5 rows

No operating regimes (so no transient or unseen-regime holds). See bench/peer/README.md for
the approximations this peer makes.
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
from scipy.stats import norm
from sklearn.covariance import LedoitWolf
from sklearn.decomposition import PCA
from sklearn.ensemble import IsolationForest
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_limits

SEED = 17
WEIGHTS = {"ar1": 0.2, "iforest": 0.2, "gmm": 0.1, "pca_spe": 0.2, "mahalanobis": 0.2,
           "pca_t2": 0.0, "omr": 0.5}
ON_Z, ON_HOLD, OFF_Z, OFF_HOLD = 3.0, 3, 1.5, 5
CLIP_Z, MIN_SCALE, REL_FLOOR, TAIL_Q = 50.0, 1e-9, 0.1, 0.99
FOLDS, FOLD_MAX_ROWS = 3, 20_000
PCA_VARIANCE = 0.9
OMR_ALPHA, OMR_MIN_SIGMA = 0.01, 0.01
GMM_SAMPLE = 4_000


def read_chunk(path):
    """One chunk CSV -> numeric DataFrame indexed by timestamp (first column)."""
    df = pd.read_csv(path, index_col=0, parse_dates=[0])
    df.index.name = "timestamp"
    return df.apply(pd.to_numeric, errors="coerce").astype("float64")


def longest_runs(x):
    """Longest run of one repeated value per column of a 2-D array (NaN never repeats)."""
    same = (x[1:] == x[:-1]).astype(np.int64)
    count = np.cumsum(same, axis=0)
    # reset the running count at every change: subtract the count reached at the last change
    at_change = np.where(same == 0, count, 0)
    run = count - np.maximum.accumulate(at_change, axis=0)
    return (run.max(axis=0) if len(run) else np.zeros(x.shape[1], dtype=np.int64)) + 1


def healthy_sensors(df):
    """Sensors that pass the gate (NaN share, distinct values, longest run of one value)."""
    ok = (df.isna().mean() <= 0.5) & (df.nunique() >= 2)
    ok &= longest_runs(df.to_numpy()) / len(df) <= 0.95
    return list(df.columns[ok.to_numpy()])


class Scaler:
    """Training medians impute NaN, then (x - mean) / std; near-constant columns dropped."""

    def fit(self, x):
        med = np.nanmedian(x, axis=0)
        filled = np.where(np.isnan(x), med, x)
        mean, std = filled.mean(axis=0), filled.std(axis=0)
        self.cols = np.flatnonzero((std > 1e-9 * np.maximum(1.0, np.abs(mean))) & np.isfinite(med))
        self.med, self.mean, self.std = med[self.cols], mean[self.cols], std[self.cols]
        return self

    def transform(self, x):
        """Standardised kept columns and their missing mask (True = the value was NaN)."""
        x = x[:, self.cols]
        miss = np.isnan(x)
        return (np.where(miss, self.med, x) - self.mean) / self.std, miss


class Ar1:
    """Per-column AR(1) one-step residual z on the raw sensors, row score = mean over columns."""

    def fit(self, x):
        mu = np.nanmean(x, axis=0)
        sd = np.nanstd(x, axis=0)
        self.live = sd > 1e-9 * np.maximum(1.0, np.abs(mu))
        xc = x - mu
        a, b = xc[1:], xc[:-1]
        ok = np.isfinite(a) & np.isfinite(b)
        a0, b0 = np.where(ok, a, 0.0), np.where(ok, b, 0.0)
        den = (b0 * b0).sum(axis=0)
        phi = np.clip(np.divide((a0 * b0).sum(axis=0), den, out=np.zeros_like(den), where=den > 0),
                      -0.999, 0.999)
        resid = np.where(ok, a - phi * b, np.nan)
        self.mu, self.phi = mu, phi
        self.sigma = np.maximum(np.nanstd(resid, axis=0), np.maximum(1e-3 * sd, 1e-12))
        return self

    def score(self, x):
        x = x[:, self.live]
        mu, phi, sigma = self.mu[self.live], self.phi[self.live], self.sigma[self.live]
        prev = np.vstack([mu, x[:-1]])
        prev = np.where(np.isfinite(prev), prev, mu)
        z = np.abs(x - mu - phi * (prev - mu)) / sigma
        with np.errstate(invalid="ignore"):
            s = np.nanmean(z, axis=1) if z.shape[1] else np.zeros(len(x))
        return {"ar1": np.nan_to_num(s)}


class PcaHeads:
    """PCA with the fewest components reaching 90 % variance: SPE and Hotelling T2."""

    def fit(self, z):
        self.pca = PCA(svd_solver="full").fit(z)
        cum = np.cumsum(self.pca.explained_variance_ratio_)
        k_cap = max(1, min(z.shape[1] - 1, z.shape[0] - 1))
        self.k = int(min(np.searchsorted(cum, PCA_VARIANCE - 1e-12) + 1, k_cap))
        self.v = self.pca.components_[:self.k]
        self.var = self.pca.explained_variance_[:self.k]
        return self

    def score(self, z):
        zc = z - self.pca.mean_
        t = zc @ self.v.T
        spe = ((zc - t @ self.v) ** 2).sum(axis=1)
        return {"pca_spe": spe, "pca_t2": (t ** 2 / self.var).sum(axis=1)}


class Mahalanobis:
    """Squared Mahalanobis distance with a Ledoit-Wolf covariance."""

    def fit(self, z):
        self.lw = LedoitWolf().fit(z)
        return self

    def score(self, z):
        return {"mahalanobis": self.lw.mahalanobis(z)}


class IForest:
    """Isolation forest (scale-free, so the standardised sensors split like the raw ones)."""

    def fit(self, z):
        self.model = IsolationForest(n_estimators=100, max_samples=256, random_state=SEED).fit(z)
        return self

    def score(self, z):
        return {"iforest": -self.model.score_samples(z)}


class Gmm:
    """Diagonal Gaussian mixture, k in 1..3 by BIC on <= 4,000 sampled rows, -log p(x)."""

    def fit(self, z):
        if len(z) > GMM_SAMPLE:
            z = z[np.random.default_rng(SEED).choice(len(z), GMM_SAMPLE, replace=False)]
        fits = [GaussianMixture(k, covariance_type="diag", reg_covar=1e-6, tol=1e-3,
                                max_iter=100, random_state=SEED).fit(z) for k in range(1, 4)]
        self.model = min(fits, key=lambda m: m.bic(z))
        return self

    def score(self, z):
        return {"gmm": -self.model.score_samples(z)}


class Omr:
    """Overall model residual: every sensor regressed on the others by ridge, all at once.

    With P = (S + alpha I)^-1 (S the population covariance), the leave-one-out ridge residual
    of sensor j is (P z)_j / P_jj. Each residual is divided by sigma_j = max(1.4826 MAD of
    sensor j's training residuals, 0.01); the row score is max_j |r_j| / sigma_j. A missing
    value gets its Gaussian conditional mean given the observed sensors and residual 0.
    """

    def fit(self, z, miss):
        d = z.shape[1]
        self.prec = np.linalg.inv(z.T @ z / len(z) + OMR_ALPHA * np.eye(d))
        self.op = self.prec / np.diag(self.prec)[:, None]
        self.sigma = np.ones(d)
        z = self.impute(z, miss)
        r = np.where(miss, np.nan, z @ self.op.T)
        dev = np.abs(r - np.nanmedian(r, axis=0))
        with np.errstate(invalid="ignore"):
            mad = np.nanmedian(dev, axis=0)
        self.sigma = np.where(np.isfinite(mad), np.maximum(1.4826 * mad, OMR_MIN_SIGMA), 1.0)
        return self

    def impute(self, z, miss):
        """z with missing entries set to E[z_M | z_O] = -P_MM^-1 P_MO z_O, one solve per pattern."""
        rows = np.flatnonzero(miss.any(axis=1))
        if len(rows) == 0:
            return z
        z = z.copy()
        patterns, group = np.unique(miss[rows], axis=0, return_inverse=True)
        for g, m in enumerate(patterns):
            at = rows[group.ravel() == g]
            o = ~m
            if not o.any():
                z[np.ix_(at, m)] = 0.0
                continue
            rhs = -self.prec[np.ix_(m, o)] @ z[np.ix_(at, o)].T
            z[np.ix_(at, m)] = np.linalg.solve(self.prec[np.ix_(m, m)], rhs).T
        return z

    def score(self, z, miss):
        r = self.impute(z, miss) @ self.op.T
        q = np.where(miss, 0.0, np.abs(r) / self.sigma)
        return {"omr": q.max(axis=1) if q.shape[1] else np.zeros(len(z))}


class Heads:
    """Every head fitted on one set of training rows (raw sensors, NaN kept)."""

    def fit(self, x):
        self.scaler = Scaler().fit(x)
        z, miss = self.scaler.transform(x)
        self.ar1 = Ar1().fit(x)
        self.multi = [PcaHeads().fit(z), Mahalanobis().fit(z), IForest().fit(z), Gmm().fit(z)]
        self.omr = Omr().fit(z, miss)
        return self

    def score(self, x):
        z, miss = self.scaler.transform(x)
        out = self.ar1.score(x)
        for head in self.multi:
            out.update(head.score(z))
        out.update(self.omr.score(z, miss))
        return out


def calibrator(train_scores):
    """Robust (median, scale) of training scores with the pipeline's floors: relative std
    floor, tail floor (q99 - median) / Phi^-1(0.99), absolute minimum."""
    s = train_scores[np.isfinite(train_scores)]
    med = np.median(s)
    mad = np.median(np.abs(s - med)) * 1.4826
    tail = (np.quantile(s, TAIL_Q) - med) / norm.ppf(TAIL_Q)
    return med, max(mad, MIN_SCALE, REL_FLOOR * s.std(), tail)


def to_z(raw_scores, cal):
    med, scale = cal
    return np.clip(np.nan_to_num((raw_scores - med) / scale), -CLIP_Z, CLIP_Z)


def out_of_fold(x):
    """Calibration scores: each of FOLDS contiguous blocks is scored by heads fitted on at most
    FOLD_MAX_ROWS evenly spaced rows of the other blocks (in-sample scores flatter flexible
    heads)."""
    n, parts = len(x), {}
    for k in range(FOLDS):
        lo, hi = k * n // FOLDS, (k + 1) * n // FOLDS
        keep = np.r_[0:lo, hi:n]
        if len(keep) > FOLD_MAX_ROWS:
            keep = keep[np.arange(FOLD_MAX_ROWS) * len(keep) // FOLD_MAX_ROWS]
        for name, s in Heads().fit(x[keep]).score(x[lo:hi]).items():
            parts.setdefault(name, []).append(s)
    return {name: np.concatenate(v) for name, v in parts.items()}


class Model:
    """All heads plus their calibrators, fitted on the bootstrap chunk."""

    def fit(self, df):
        self.sensors = healthy_sensors(df)
        x = df[self.sensors].to_numpy()
        self.heads = Heads().fit(x)
        self.cal = {name: calibrator(s) for name, s in out_of_fold(x).items()}
        return self

    def fused(self, df):
        total = sum(w for w in WEIGHTS.values() if w > 0)
        out = np.zeros(len(df))
        for head, s in self.heads.score(df.reindex(columns=self.sensors).to_numpy()).items():
            if WEIGHTS[head] > 0:
                out += WEIGHTS[head] / total * np.maximum(to_z(s, self.cal[head]), 0.0)
        return out


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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chunks", required=True, help="folder of chunk CSVs (sorted by name)")
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--threads", type=int, default=0,
                    help="BLAS/OpenMP threads (0 = the libraries' default); the bench passes "
                         "the CPUs per concurrent process")
    args = ap.parse_args()
    if args.threads > 0:
        threadpool_limits(limits=args.threads)
    t_start, cpu_start = time.perf_counter(), time.process_time()
    files = sorted(glob.glob(os.path.join(args.chunks, "*.csv")))
    if len(files) < 2:
        sys.exit(f"Cannot run: need a bootstrap chunk and at least one scoring chunk in {args.chunks}")

    t0 = time.perf_counter()
    chunks = [read_chunk(f) for f in files]
    parse_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    model = Model().fit(chunks[0])
    train_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    fused = pd.concat([pd.Series(model.fused(df), index=df.index) for df in chunks[1:]])
    episodes = hysteresis(fused.to_numpy())
    alarm = np.zeros(len(fused), dtype=int)
    for s, e in episodes:
        alarm[s:e + 1] = 1
    score_s = time.perf_counter() - t0

    os.makedirs(args.out, exist_ok=True)
    fmt = "%Y-%m-%dT%H:%M:%S"
    pd.DataFrame({"timestamp": fused.index.strftime(fmt), "fused": fused.to_numpy().round(6),
                  "alarm": alarm}).to_csv(os.path.join(args.out, "scores.csv"), index=False)
    ts = fused.index
    pd.DataFrame({"start": [ts[s].strftime(fmt) for s, _ in episodes],
                  "end": [ts[e].strftime(fmt) for _, e in episodes],
                  "peak_z": [round(float(fused.iloc[s:e + 1].max()), 6) for s, e in episodes]}
                 ).to_csv(os.path.join(args.out, "episodes.csv"), index=False)
    print(json.dumps({
        "parse_s": round(parse_s, 4), "train_s": round(train_s, 4), "score_s": round(score_s, 4),
        "total_s": round(time.perf_counter() - t_start, 4),
        "cpu_s": round(time.process_time() - cpu_start, 4),
        "rows": int(sum(len(c) for c in chunks)), "train_rows": int(len(chunks[0])),
        "scored_rows": int(len(fused)), "sensors": len(model.sensors), "episodes": len(episodes),
        "gmm_k": int(model.heads.multi[3].model.n_components),
        "pca_k": int(model.heads.multi[0].k),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


if __name__ == "__main__":
    main()
