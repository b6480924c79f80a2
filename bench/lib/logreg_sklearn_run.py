#!/usr/bin/env python3
"""scikit-learn's LogisticRegression (defaults: lbfgs, C=1, max_iter=100) on the benchmark's files;
prints one JSON line. Usage: python3 logreg_sklearn_run.py <x.f32> <y.u8> <n> <d> [ref]
With "ref", also fits (untimed) LogisticRegression(tol=1e-10, max_iter=10000) and reports its
coefficients as "refCoefficients": the exact optimum to measure everyone's accuracy against."""
import json
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

x_path, y_path, n, d = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
X = np.fromfile(x_path, dtype=np.float32).reshape(n, d).astype(np.float64)
y = np.fromfile(y_path, dtype=np.uint8)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    LogisticRegression().fit(X[:4096], y[:4096])  # warm-up
    t0 = time.perf_counter()
    m = LogisticRegression().fit(X, y)
    seconds = time.perf_counter() - t0
    warned = [str(w.message).split("\n")[0] for w in caught if "converge" in str(w.message).lower()]
ref = None
if len(sys.argv) > 5 and sys.argv[5] == "ref":
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = LogisticRegression(tol=1e-10, max_iter=10000).fit(X, y).coef_[0].tolist()
print(json.dumps({"refCoefficients": ref, "seconds": seconds, "iterations": int(m.n_iter_[0]), "auc": roc_auc_score(y, m.predict_proba(X)[:, 1]),
                  "coefficients": m.coef_[0].tolist(), "intercept": float(m.intercept_[0]),
                  "convergenceWarning": warned[-1] if warned else "", "sklearn": sklearn.__version__}))
