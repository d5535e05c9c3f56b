#!/usr/bin/env python3
"""Times C = op(A)·op(B) in float32 with numpy's BLAS (OpenBLAS) for comparison with the
`gemm` command of tests/MlNetDeep.Benchmarks, measured the same way (eng/timing.py): warm-up, then 7 batches of
about seconds/7 each, best batch reported as "gflops" and the whole timed run as "gflops_mean" (the statistic of a
workload timed over whole epochs). Prints as its last line
{"op":"gemm","form":...,"m":...,"k":...,"n":...,"threads":...,"gflops":...,"gflops_mean":...}.

usage: openblas_gemm.py --m M --k K --n N [--threads T] [--form nn|nt|tn|tt] [--seconds S]
"""
import argparse
import json
import sys

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from timing import BATCHES, time_batches


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--m", type=int, default=128)
    parser.add_argument("--k", type=int, default=784)
    parser.add_argument("--n", type=int, default=512)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--form", choices=["nn", "nt", "tn", "tt"], default="nn")
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    m, k, n = args.m, args.k, args.n

    rng = np.random.default_rng(1)
    # A is stored [m, k], or [k, m] when transposed; B is stored [k, n], or [n, k] when transposed.
    a = rng.uniform(-1, 1, (k, m) if args.form[0] == "t" else (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, k) if args.form[1] == "t" else (k, n)).astype(np.float32)
    op_a = a.T if args.form[0] == "t" else a
    op_b = b.T if args.form[1] == "t" else b
    c = np.empty((m, n), dtype=np.float32)

    with threadpool_limits(limits=args.threads, user_api="blas"):
        blas = [(p.get("internal_api"), p.get("num_threads")) for p in threadpool_info() if p.get("user_api") == "blas"]

        def call():
            np.matmul(op_a, op_b, out=c)

        calls, per_call, wall, cpu = time_batches(call, args.seconds)

    flops = 2.0 * m * n * k
    rates = sorted(flops / t / 1e9 for t in per_call)
    mean_rate = flops * calls * BATCHES / wall / 1e9
    cpu_rate = flops * calls * BATCHES / cpu / 1e9
    print(f"openblas {args.form} {m}x{k}x{n} threads {args.threads} blas {blas}: {calls} calls per batch, "
          f"GFLOP/s min {rates[0]:.1f} median {rates[BATCHES // 2]:.1f} best {rates[-1]:.1f} mean {mean_rate:.1f}; per CPU-second {cpu_rate:.1f}", file=sys.stderr)
    print(json.dumps({"op": "gemm", "form": args.form, "m": m, "k": k, "n": n, "threads": args.threads,
                      "gflops": round(rates[-1], 2), "gflops_mean": round(mean_rate, 2)}, separators=(",", ":")))


if __name__ == "__main__":
    main()
