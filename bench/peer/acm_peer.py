#!/usr/bin/env python3
"""ACM peer: the method of pipelines/default.yaml written as a pandas/scikit-learn user would.

Bootstrap (fit) on the first chunk CSV of --chunks, score the later chunks with the fitted
models, write scores.csv (timestamp, fused, alarm) and episodes.csv (start, end, peak_z) to
--out, print JSON timings {parse_s, train_s, score_s, total_s, rows, ...} on stdout.

Stages (options mirror the default pipeline and the built-in plugins' defaults):
  sensor health   drop sensors > 50 % NaN, < 2 distinct values, or one value > 95 % of rows
  features        rolling window 16 rows (min_periods 1): median, MAD, mean, std, slope,
                  skew, kurt, robust z; the last 15 raw rows of the previous chunk are
                  prepended so windows continue across chunk edges
  heads           ar1 (raw), pca spe + t2 (features, 90 % variance), mahalanobis (raw,
                  Ledoit-Wolf), iforest (features, 100 trees x 256 rows), gmm (raw, diag,
                  k 1..5 by BIC), omr (raw, one ridge per sensor)
  calibration     z = (s - median) / scale of out-of-fold training scores (3 contiguous folds),
                  scale = max(1.4826 MAD, 0.1 std, (q99 - median) / 2.326, 1e-9), clip 50
  fusion          weighted mean of max(z, 0), V8 weights renormalised
  episodes        hysteresis: open at z >= 3 for 3 rows, close below 1.5 for 5 rows

See bench/peer/README.md for the approximations this peer makes.
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
from sklearn.linear_model import Ridge
from sklearn.mixture import GaussianMixture

SEED = 17
WINDOW = 16
WEIGHTS = {"ar1": 0.2, "iforest": 0.2, "gmm": 0.1, "pca_spe": 0.2, "mahalanobis": 0.2,
           "pca_t2": 0.0, "omr": 0.1}
ON_Z, ON_HOLD, OFF_Z, OFF_HOLD = 3.0, 3, 1.5, 5
CLIP_Z, MIN_SCALE, REL_FLOOR, TAIL_Q, FOLDS = 50.0, 1e-9, 0.1, 0.99, 3


def read_chunk(path):
    """One chunk CSV -> numeric DataFrame indexed by timestamp (first column)."""
    df = pd.read_csv(path, index_col=0, parse_dates=[0])
    df.index.name = "timestamp"
    return df.apply(pd.to_numeric, errors="coerce").astype("float64")


def healthy_sensors(df):
    """Sensors that pass the gate (NaN share, distinct values, longest run of one value)."""
    keep = []
    for c in df.columns:
        x = df[c]
        if x.isna().mean() > 0.5 or x.nunique() < 2:
            continue
        runs = x.ne(x.shift()).cumsum()
        longest = x.groupby(runs).size().max()
        if longest / len(x) > 0.95:
            continue
        keep.append(c)
    return keep


def rolling_features(raw):
    """Rolling statistics of every column (trailing window, min_periods 1)."""
    r = raw.rolling(WINDOW, min_periods=1)
    med = r.median()
    mad = (raw - med).abs().rolling(WINDOW, min_periods=1).median()
    pos = pd.Series(np.arange(len(raw), dtype="float64"), index=raw.index)
    r2 = raw.rolling(WINDOW, min_periods=2)
    slope = r2.cov(pos).div(pos.rolling(WINDOW, min_periods=2).var(), axis=0)
    parts = {
        "median": med,
        "mad": mad,
        "mean": r.mean(),
        "std": r.std().fillna(0.0),
        "slope": slope.fillna(0.0),
        "skew": r.skew().fillna(0.0),
        "kurt": r.kurt().fillna(0.0),
        "rz": ((raw - med) / (1.4826 * mad.clip(lower=1e-9))).clip(-100, 100),
    }
    out = pd.concat(parts, axis=1)
    out.columns = [f"{c}_{s}" for s, c in out.columns]
    return out.replace([np.inf, -np.inf], np.nan)


class Scaler:
    """Training medians impute NaN, then (x - mean) / std; near-constant columns dropped."""

    def fit(self, df):
        self.medians = df.median()
        filled = df.fillna(self.medians)
        mean, std = filled.mean(), filled.std(ddof=0)
        self.cols = list(df.columns[(std > 1e-9 * np.maximum(1.0, mean.abs())).to_numpy()])
        self.mean, self.std = mean[self.cols], std[self.cols]
        return self

    def transform(self, df):
        x = df.reindex(columns=self.cols).fillna(self.medians[self.cols])
        return ((x - self.mean) / self.std).to_numpy()


class Ar1:
    """Per-column AR(1) one-step residual z, row score = mean over columns (raw sensors)."""

    def fit(self, raw, feats):
        x = raw.to_numpy()
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

    def score(self, raw, feats):
        x = raw.to_numpy()[:, self.live]
        mu, phi, sigma = self.mu[self.live], self.phi[self.live], self.sigma[self.live]
        prev = np.vstack([mu, x[:-1]])
        prev = np.where(np.isfinite(prev), prev, mu)
        z = np.abs(x - mu - phi * (prev - mu)) / sigma
        with np.errstate(invalid="ignore"):
            s = np.nanmean(z, axis=1) if z.shape[1] else np.zeros(len(x))
        return {"ar1": np.nan_to_num(s)}


class PcaHeads:
    """PCA on standardised features: SPE and Hotelling T2."""

    def fit(self, raw, feats):
        self.scaler = Scaler().fit(feats)
        z = self.scaler.transform(feats)
        k_cap = max(1, min(z.shape[1] - 1, z.shape[0] - 1))
        probe = PCA(n_components=0.9, svd_solver="full").fit(z)
        k = min(probe.n_components_, k_cap)
        self.pca = PCA(n_components=k, svd_solver="full").fit(z)
        return self

    def score(self, raw, feats):
        z = self.scaler.transform(feats)
        t = self.pca.transform(z)
        spe = ((z - self.pca.inverse_transform(t)) ** 2).sum(axis=1)
        t2 = (t ** 2 / self.pca.explained_variance_).sum(axis=1)
        return {"pca_spe": spe, "pca_t2": t2}


class Mahalanobis:
    """Squared Mahalanobis distance with a Ledoit-Wolf covariance on standardised raw sensors."""

    def fit(self, raw, feats):
        self.scaler = Scaler().fit(raw)
        self.lw = LedoitWolf().fit(self.scaler.transform(raw))
        return self

    def score(self, raw, feats):
        return {"mahalanobis": self.lw.mahalanobis(self.scaler.transform(raw))}


class IForest:
    """Isolation forest on the rolling features (training medians impute NaN)."""

    def fit(self, raw, feats):
        self.medians = feats.median().fillna(0.0)
        self.cols = list(feats.columns)
        self.model = IsolationForest(n_estimators=100, max_samples=256, random_state=SEED)
        self.model.fit(feats.fillna(self.medians).to_numpy())
        return self

    def score(self, raw, feats):
        x = feats.reindex(columns=self.cols).fillna(self.medians).to_numpy()
        return {"iforest": -self.model.score_samples(x)}


class Gmm:
    """Diagonal Gaussian mixture on standardised raw sensors, k in 1..5 by BIC, -log p(x)."""

    def fit(self, raw, feats):
        self.scaler = Scaler().fit(raw)
        z = self.scaler.transform(raw)
        if len(z) > 10000:
            z = z[np.random.default_rng(SEED).choice(len(z), 10000, replace=False)]
        fits = [GaussianMixture(k, covariance_type="diag", reg_covar=1e-6, tol=1e-3,
                                max_iter=100, random_state=SEED).fit(z) for k in range(1, 6)]
        self.model = min(fits, key=lambda m: m.bic(z))
        return self

    def score(self, raw, feats):
        return {"gmm": -self.model.score_samples(self.scaler.transform(raw))}


class Omr:
    """Overall model residual: each standardised sensor predicted from the others by ridge."""

    def fit(self, raw, feats):
        self.scaler = Scaler().fit(raw)
        z = self.scaler.transform(raw)
        d = z.shape[1]
        self.models = [Ridge(alpha=0.01 * len(z)).fit(np.delete(z, j, axis=1), z[:, j])
                       for j in range(d)]
        self.train_mean = 1.0
        self.train_mean = max(self.score(raw, feats)["omr"].mean(), 1e-12)
        return self

    def score(self, raw, feats):
        z = self.scaler.transform(raw)
        r = np.column_stack([z[:, j] - m.predict(np.delete(z, j, axis=1))
                             for j, m in enumerate(self.models)])
        return {"omr": (r ** 2).sum(axis=1) / self.train_mean}


HEADS = (Ar1, PcaHeads, Mahalanobis, IForest, Gmm, Omr)


def calibrator(train_scores):
    """Robust (median, scale) of training scores with the pipeline's floors: relative std
    floor, tail floor (q99 - median) / Phi^-1(0.99), absolute minimum."""
    s = np.sort(train_scores[np.isfinite(train_scores)])
    med = np.median(s)
    mad = np.median(np.abs(s - med)) * 1.4826
    tail = (np.quantile(s, TAIL_Q) - med) / norm.ppf(TAIL_Q)
    return med, max(mad, MIN_SCALE, REL_FLOOR * s.std(), tail)


def to_z(raw_scores, cal):
    med, scale = cal
    return np.clip(np.nan_to_num((raw_scores - med) / scale), -CLIP_Z, CLIP_Z)


def out_of_fold(head_cls, raw, feats):
    """Calibration scores: refit the head on all but one of FOLDS contiguous blocks of the
    training rows and score the held-out block (in-sample scores flatter flexible heads)."""
    n, parts = len(raw), {}
    for k in range(FOLDS):
        lo, hi = k * n // FOLDS, (k + 1) * n // FOLDS
        keep = np.r_[0:lo, hi:n]
        head = head_cls().fit(raw.iloc[keep], feats.iloc[keep])
        for name, s in head.score(raw.iloc[lo:hi], feats.iloc[lo:hi]).items():
            parts.setdefault(name, []).append(s)
    return {name: np.concatenate(v) for name, v in parts.items()}


class Model:
    """All heads plus their calibrators, fitted on the bootstrap chunk."""

    def fit(self, df):
        self.sensors = healthy_sensors(df)
        raw = df[self.sensors]
        feats = rolling_features(raw)
        self.heads = [cls().fit(raw, feats) for cls in HEADS]
        self.cal = {}
        for cls in HEADS:
            for name, s in out_of_fold(cls, raw, feats).items():
                self.cal[name] = calibrator(s)
        return self

    def raw_scores(self, raw, feats):
        out = {}
        for head in self.heads:
            out.update(head.score(raw, feats))
        return out

    def fused(self, raw, feats):
        total = sum(w for w in WEIGHTS.values() if w > 0)
        out = np.zeros(len(raw))
        for head, s in self.raw_scores(raw, feats).items():
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
    args = ap.parse_args()
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
    tail = chunks[0][model.sensors].iloc[-(WINDOW - 1):]
    fused_parts = []
    for df in chunks[1:]:
        raw = df.reindex(columns=model.sensors)
        feats = rolling_features(pd.concat([tail, raw])).iloc[len(tail):]
        fused_parts.append(pd.Series(model.fused(raw, feats), index=raw.index))
        tail = raw.iloc[-(WINDOW - 1):]
    fused = pd.concat(fused_parts)
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
        "gmm_k": int(model.heads[4].model.n_components),
        "pca_k": int(model.heads[1].pca.n_components_),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


if __name__ == "__main__":
    main()
