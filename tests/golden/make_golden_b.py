"""Golden values for silhouette, GMM log-likelihood/BIC and isolation forest (issue 3).

Run with: /usr/bin/python3 tests/golden/make_golden_b.py
Needs numpy, scipy and scikit-learn (Debian: python3-sklearn python3-scipy).
Writes tests/golden/golden_b.json next to this file. Every value is computed by
scikit-learn / scipy (or, for the hand-built forest, by the textbook formulas
written out below), never by the code under test.
"""

import json
import math
import os

import numpy as np
import sklearn
from scipy.special import logsumexp
from scipy.stats import multivariate_normal
from sklearn.ensemble import IsolationForest
from sklearn.ensemble._iforest import _average_path_length
from sklearn.metrics import roc_auc_score, silhouette_score
from sklearn.mixture import GaussianMixture
from sklearn.mixture._gaussian_mixture import _compute_precision_cholesky

rng = np.random.default_rng(20240601)
out = {"generator": "tests/golden/make_golden_b.py", "sklearn": sklearn.__version__}


def r(a, nd=10):
    return np.round(np.asarray(a, dtype=float), nd).tolist()


# ---------------------------------------------------------------- silhouette
# Three overlapping 3-D clusters of uneven size, plus a singleton cluster.
centres = np.array([[0, 0, 0], [2.5, 0.5, -1], [0.5, 3, 1]])
sizes = [25, 15, 19]
X = np.vstack([rng.normal(c, 1.0, size=(s, 3)) for c, s in zip(centres, sizes)])
X = np.vstack([X, [[6.0, 6.0, 6.0]]])
labels = np.concatenate([np.full(s, i) for i, s in enumerate(sizes)] + [[7]])
out["silhouette"] = {
    "x": r(X),
    "labels": labels.tolist(),
    "score": float(silhouette_score(X, labels)),
}

# ---------------------------------------------------------------- GMM log-likelihood + BIC
d = 3
pts = rng.normal(0, 1.5, size=(40, d))
weights = np.array([0.5, 0.3, 0.2])
means = np.array([[0.0, 0.0, 0.0], [1.5, -1.0, 0.5], [-1.0, 2.0, -0.5]])
A = rng.normal(size=(3, d, d))
full_covs = np.array([a @ a.T / d + 0.3 * np.eye(d) for a in A])
diag_covs = np.array([[1.0, 0.5, 2.0], [0.3, 1.2, 0.8], [2.5, 0.4, 1.0]])


def fixed_model(cov_type, covs):
    gm = GaussianMixture(n_components=3, covariance_type=cov_type)
    gm.weights_ = weights
    gm.means_ = means
    gm.covariances_ = covs
    gm.precisions_cholesky_ = _compute_precision_cholesky(covs, cov_type)
    return gm


gmm = {"x": r(pts), "weights": r(weights), "means": r(means)}
for cov_type, covs in (("full", full_covs), ("diag", diag_covs)):
    gm = fixed_model(cov_type, covs)
    ll = gm.score_samples(pts)
    # Cross-check sklearn with scipy's multivariate normal + log-sum-exp.
    comp = np.column_stack([
        np.log(w) + multivariate_normal(m, np.diag(c) if cov_type == "diag" else c).logpdf(pts)
        for w, m, c in zip(weights, means, covs)
    ])
    assert np.allclose(ll, logsumexp(comp, axis=1), atol=1e-10)
    gmm[cov_type] = {
        "covariances": r(covs),
        "log_prob": r(ll, 12),
        "bic": float(gm.bic(pts)),
        "n_parameters": int(gm._n_parameters()),
    }
out["gmm"] = gmm

# ---------------------------------------------------------------- isolation forest
ns = [1, 2, 3, 5, 10, 100, 256, 2048]
out["average_path_length"] = {"n": ns, "c": r(_average_path_length(np.array(ns)), 12)}

# A hand-built forest of two trees on 2 columns (x <= threshold goes left), psi = 8.
# Node lists: feature -1 = leaf with its training size.
trees = [
    {"feature": [0, -1, 1, -1, -1], "threshold": [1.0, 0, 2.0, 0, 0],
     "left": [1, -1, 3, -1, -1], "right": [2, -1, 4, -1, -1], "size": [8, 1, 7, 5, 2]},
    {"feature": [1, 0, -1, -1, -1], "threshold": [0.5, -1.0, 0, 0, 0],
     "left": [1, 3, -1, -1, -1], "right": [2, 4, -1, -1, -1], "size": [8, 3, 5, 1, 2]},
]
psi = 8
probe = np.array([[0.0, 0.0], [2.0, 3.0], [-2.0, 0.0], [1.5, 1.0]])


def path_length(tree, x):
    node, depth = 0, 0
    while tree["feature"][node] >= 0:
        f = tree["feature"][node]
        node = tree["left"][node] if x[f] <= tree["threshold"][node] else tree["right"][node]
        depth += 1
    size = tree["size"][node]
    # c(n) = 2H(n-1) - 2(n-1)/n with H(i) ~ ln(i) + Euler's gamma; c(2) = 1, c(1) = 0.
    c = 0.0 if size <= 1 else 1.0 if size == 2 else 2 * (math.log(size - 1) + np.euler_gamma) - 2 * (size - 1) / size
    return depth + c


c_psi = float(_average_path_length(np.array([psi]))[0])
hand_scores = [2 ** (-np.mean([path_length(t, x) for t in trees]) / c_psi) for x in probe]
out["hand_forest"] = {"trees": trees, "psi": psi, "x": r(probe), "scores": r(hand_scores, 12)}

# Seeded outlier-ranking check: 1000 correlated normal rows + 30 scattered outliers, 5 columns.
n_in, n_out = 1000, 30
L = np.array([[1, 0, 0, 0, 0], [0.8, 0.6, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0.5, 0.8, 0], [0.3, 0, 0, 0, 0.9]])
inliers = rng.normal(size=(n_in, 5)) @ L.T
outliers = rng.uniform(-6, 6, size=(n_out, 5))
outliers[np.linalg.norm(outliers, axis=1) < 4] *= 2.0
data = np.vstack([inliers, outliers])
is_out = np.concatenate([np.zeros(n_in), np.ones(n_out)])
forest = IsolationForest(n_estimators=100, max_samples=256, random_state=0).fit(data)
sk_scores = -forest.score_samples(data)
out["outlier_ranking"] = {
    "x": r(data, 6),
    "is_outlier": is_out.astype(int).tolist(),
    "sklearn_scores": r(sk_scores, 8),
    "sklearn_auc": float(roc_auc_score(is_out, sk_scores)),
}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden_b.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
print("wrote", path)
