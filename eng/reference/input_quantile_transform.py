"""Writes tests/MlNetDeep.Core.Tests/Reference/input_quantile_transform.json: scikit-learn's
QuantileTransformer(output_distribution="normal") fitted on features of different shapes (continuous,
heavy-tailed, discrete with many ties, binary) and applied to the training rows and to values beyond them.
Run with Debian's python3-sklearn: /usr/bin/python3 eng/reference/input_quantile_transform.py"""
import json
import sys

import numpy as np
import sklearn
from sklearn.preprocessing import QuantileTransformer

rng = np.random.default_rng(7)
rows = 1500
x = np.stack([
    rng.normal(size=rows),
    rng.standard_cauchy(size=rows),
    rng.integers(0, 16, size=rows).astype(float),
    (rng.random(size=rows) < 0.3).astype(float),
], axis=1).astype(np.float32).astype(np.float64)
probe = np.concatenate([x[:40], np.array([[-50, -1e4, -3, -1], [50, 1e4, 20, 2], [0.123, 0.5, 7.5, 0.5]])])
transformer = QuantileTransformer(n_quantiles=1000, output_distribution="normal", subsample=10**9).fit(x)
out = transformer.transform(probe)
json.dump({
    "name": "input_quantile_transform",
    "reference": f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, float64",
    "definition": "QuantileTransformer(n_quantiles=1000, output_distribution='normal') fitted on x, applied to probe",
    "rows": rows,
    "features": x.shape[1],
    "layout": "x [rows, features]; probe, out [probe rows, features]",
    "x": x.ravel().tolist(),
    "probe": probe.ravel().tolist(),
    "out": out.ravel().tolist(),
}, open(sys.argv[1] if len(sys.argv) > 1 else "tests/MlNetDeep.Core.Tests/Reference/input_quantile_transform.json", "w"))
