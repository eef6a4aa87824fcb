#!/usr/bin/python3
"""Golden values for core/numeric (helper A): rolling stats, eigen, Cholesky,
Ledoit-Wolf, PCA SPE/T2 and limits, F / normal / chi2 quantiles, incomplete beta,
ridge, Mahalanobis. References: numpy, pandas, scipy, scikit-learn.

Run: /usr/bin/python3 tests/golden/make_golden_a.py  (Debian: python3-sklearn
python3-scipy python3-numpy python3-pandas). Writes tests/golden/golden_a.json.
"""
import json
import os

import numpy as np
import pandas as pd
import scipy
import sklearn
from scipy import special, stats
from sklearn.covariance import LedoitWolf
from sklearn.linear_model import Ridge

rng = np.random.default_rng(20240517)
out = {"versions": {"numpy": np.__version__, "pandas": pd.__version__, "scipy": scipy.__version__,
                    "sklearn": sklearn.__version__}}


def lst(a):
    return [None if not np.isfinite(v) else float(v) for v in np.asarray(a, dtype=float).ravel()]


# ---------------------------------------------------------------- rolling
n = 200
x = np.round(rng.normal(50.0, 3.0, n) * 4) / 4  # quantised: ties in medians
x[[5, 6, 40, 41, 42, 43, 44, 45, 46, 47, 120]] = np.nan
ts = np.cumsum(rng.integers(500, 2500, n)).astype(float) + 1.7e12
W = 7
s = pd.Series(x)


def per_window(fn, windows):
    res = []
    for lo, hi in windows:
        w = x[lo:hi + 1]
        pos = np.arange(lo, hi + 1)[np.isfinite(w)] - lo
        w = w[np.isfinite(w)]
        res.append(fn(w, pos) if len(w) else np.nan)
    return np.array(res)


def mad(w, pos):
    return np.median(np.abs(w - np.median(w)))


def skew(w, pos):
    if len(w) < 3 or np.ptp(w) == 0:
        return 0.0
    return stats.skew(w, bias=False)


def kurt(w, pos):
    if len(w) < 4 or np.ptp(w) == 0:
        return 0.0
    return stats.kurtosis(w, fisher=True, bias=False)


def slope(w, pos):
    return 0.0 if len(w) < 2 else np.polyfit(pos, w, 1)[0]


def std(w, pos):
    return 0.0 if len(w) < 2 else np.std(w, ddof=1)


def rz(w, pos, xt):
    med = np.median(w)
    z = (xt - med) / (1.4826 * max(mad(w, pos), 1e-9))
    return float(np.clip(z, -100, 100))


row_windows = [(max(0, t - W + 1), t) for t in range(n)]
ms = 9000.0
time_windows = []
for t in range(n):
    lo = t
    while lo > 0 and ts[lo - 1] > ts[t] - ms:
        lo -= 1
    time_windows.append((lo, t))

roll = {"x": lst(x), "ts": ts.tolist(), "window_rows": W, "window_ms": ms}
r = s.rolling(W, min_periods=1)
roll["rows"] = {
    "median": lst(r.median()), "mean": lst(r.mean()),
    "std_pandas": lst(r.std()),  # NaN for one value; ours gives 0 there
    "std": lst(per_window(std, row_windows)),
    "mad": lst(per_window(mad, row_windows)), "skew": lst(per_window(skew, row_windows)),
    "kurt": lst(per_window(kurt, row_windows)), "slope": lst(per_window(slope, row_windows)),
    "rz": lst([rz(x[lo:hi + 1][np.isfinite(x[lo:hi + 1])], None, x[hi])
               if np.isfinite(x[lo:hi + 1]).any() else np.nan for lo, hi in row_windows]),
}
st = pd.Series(x, index=pd.to_datetime(ts, unit="ms")).rolling(f"{int(ms)}ms", min_periods=1)
roll["time"] = {
    "median": lst(st.median()), "mean": lst(st.mean()),
    "mad": lst(per_window(mad, time_windows)), "slope": lst(per_window(slope, time_windows)),
}
out["rolling"] = roll

# ---------------------------------------------------------------- matrices
d = 6
latent = rng.normal(size=(n, 2))
mix = rng.normal(size=(2, d))
X = latent @ mix + 0.3 * rng.normal(size=(n, d)) + rng.normal(10, 5, size=d)
X[:, 3] *= 100.0  # one large-unit column
out["X"] = {"rows": n, "cols": d, "row_major": lst(X)}

A = np.cov(X, rowvar=False)
w, V = np.linalg.eigh(A)
out["eigen"] = {"matrix": lst(A), "values_desc": lst(w[::-1])}
out["cholesky"] = {"matrix": lst(A), "lower": lst(np.linalg.cholesky(A))}

lw = LedoitWolf().fit(X)
out["ledoit_wolf"] = {"covariance": lst(lw.covariance_), "shrinkage": float(lw.shrinkage_),
                      "location": lst(lw.location_)}

# standardised (population std), as the detectors do
Z = (X - X.mean(axis=0)) / X.std(axis=0)
out["Z_row_major"] = lst(Z)

# PCA with k = 2 on Z: eigen of sample covariance
C = np.cov(Z, rowvar=False)
lam, P = np.linalg.eigh(C)
order = np.argsort(lam)[::-1]
lam, P = lam[order], P[:, order]
k = 2
T = Z @ P[:, :k]
Xhat = T @ P[:, :k].T
spe = ((Z - Xhat) ** 2).sum(axis=1)
t2 = (T ** 2 / lam[:k]).sum(axis=1)
alpha = 0.99
t2_lim = k * (n - 1) * (n + 1) / (n * (n - k)) * stats.f.ppf(alpha, k, n - k)
th = [np.sum(lam[k:] ** i) for i in (1, 2, 3)]
h0 = 1 - 2 * th[0] * th[2] / (3 * th[1] ** 2)
ca = stats.norm.ppf(alpha)
spe_lim = th[0] * (ca * np.sqrt(2 * th[1] * h0 ** 2) / th[0] + 1 + th[1] * h0 * (h0 - 1) / th[0] ** 2) ** (1 / h0)
out["pca"] = {"k": k, "eigenvalues": lst(lam), "spe": lst(spe), "t2": lst(t2), "alpha": alpha,
              "t2_limit": float(t2_lim), "spe_limit": float(spe_lim)}

# Ridge: each column of Z on the others, sklearn alpha = 2.5
ra = 2.5
coef = np.zeros((d, d))
resid = np.zeros((n, d))
for j in range(d):
    others = [i for i in range(d) if i != j]
    m = Ridge(alpha=ra).fit(Z[:, others], Z[:, j])
    coef[j, others] = m.coef_
    resid[:, j] = Z[:, j] - m.predict(Z[:, others])
out["ridge"] = {"sklearn_alpha": ra, "coef_row_major": lst(coef), "residuals_row_major": lst(resid[:20])}

# Mahalanobis with Ledoit-Wolf on Z (sklearn's precision via pinvh)
lwz = LedoitWolf().fit(Z)
out["mahalanobis"] = {"shrinkage": float(lwz.shrinkage_), "d2": lst(lwz.mahalanobis(Z))}

# ---------------------------------------------------------------- special functions
fq = [(0.99, 2, 198), (0.95, 3, 10), (0.999, 1, 2), (0.9, 7.5, 3.2), (0.5, 12, 40), (0.99, 5, 49994),
      (0.01, 4, 9), (0.99, 30, 30)]
out["f_quantile"] = [{"p": p, "d1": a, "d2": b, "q": float(stats.f.ppf(p, a, b))} for p, a, b in fq]
nq = [1e-12, 1e-6, 0.001, 0.025, 0.3, 0.5, 0.7, 0.975, 0.99, 0.999999]
out["normal_quantile"] = [{"p": p, "q": float(stats.norm.ppf(p))} for p in nq]
cq = [(0.99, 1), (0.95, 3.7), (0.5, 10), (0.999, 0.6), (0.01, 25)]
out["chi2_quantile"] = [{"p": p, "k": k_, "q": float(stats.chi2.ppf(p, k_))} for p, k_ in cq]
ib = [(0.3, 2, 5), (0.9, 0.5, 0.5), (0.01, 3, 200), (0.999, 50, 2), (0.5, 100, 100)]
out["incomplete_beta"] = [{"x": a, "a": b, "b": c, "v": float(special.betainc(b, c, a))} for a, b, c in ib]

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden_a.json")
with open(path, "w") as fh:
    json.dump(out, fh, separators=(",", ":"))
print(path, os.path.getsize(path), "bytes")
