# scikit-learn peer for bench/recommend.mjs: TruncatedSVD (PureSVD) fit time on the same matrix.
#   python3 bench/lib/recommend-sklearn.py <triples.bin> <rows> <cols> <factors>
# Binary 0/1 matrix (every stored pair a positive), as PureSVD on implicit data; prints one JSON line.
import json, sys, time
import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD

path, rows, cols, factors = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
raw = np.fromfile(path, dtype=np.uint8)
nnz = raw.size // 12
r = raw[: nnz * 4].view(np.int32)
c = raw[nnz * 4 : nnz * 8].view(np.int32)
x = sp.csr_matrix((np.ones(nnz, dtype=np.float32), (r, c)), shape=(rows, cols))
x.data[:] = 1.0
t = time.perf_counter()
svd = TruncatedSVD(n_components=factors, algorithm="randomized", n_iter=5, random_state=0).fit(x)
sec = time.perf_counter() - t
print(json.dumps({"seconds": sec, "factors": factors, "explainedVariance": float(svd.explained_variance_ratio_.sum())}))
