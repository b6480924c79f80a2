#!/usr/bin/env python3
"""scikit-learn's Lloyd k-means on the benchmark's data file; prints one JSON line.
Usage: python3 sklearn_run.py <data.f32> <init.f32> <n> <d> <k> <iters>"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans

path, init_path, n, d, k, iters = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:7])
X = np.fromfile(path, dtype=np.float32).reshape(n, d)
# Read every page before the clock starts, as ours (bench/lib/touch-pages.ts) and ml-kmeans's runners do.
float(X.sum(dtype=np.float64))
init = np.fromfile(init_path, dtype=np.float32).reshape(k, d)
KMeans(n_clusters=k, algorithm="lloyd", n_init=1, max_iter=1, tol=0, init=init).fit(X[:4096])  # warm-up
t0 = time.perf_counter()
km = KMeans(n_clusters=k, algorithm="lloyd", n_init=1, max_iter=iters, tol=0, init=init).fit(X)
ms = (time.perf_counter() - t0) * 1000
try:
    from threadpoolctl import threadpool_info
    threads = [(i.get("user_api"), i.get("num_threads")) for i in threadpool_info()]
except Exception:  # threadpoolctl is a sklearn dependency, but keep the figure optional
    threads = []
print(json.dumps({"ms": ms, "nIter": int(km.n_iter_), "msPerIter": ms / km.n_iter_, "inertia": float(km.inertia_),
                  "sklearn": sklearn.__version__, "threads": threads}))
