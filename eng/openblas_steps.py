#!/usr/bin/env python3
"""Times the matrix products of one workload step with numpy's BLAS (OpenBLAS), back to back, and nothing else:
the speed a step would have if every other part of it (activations, normalization, dropout, loss, optimizer) were
free and every product ran as fast as OpenBLAS runs it. The `steps` command of tests/MlNetDeep.Benchmarks times
the same products with the engine's GEMM.

A training step of a network with sizes s0 → s1 → … → sL and batch b runs, for every dense layer i:
forward  Y_i = X_i·W_iᵀ (b × s_i × s_(i+1)), weight gradient dW_i = dY_iᵀ·X_i (s_(i+1) × b × s_i) and, except
for the first layer, input gradient dX_i = dY_i·W_i (b × s_(i+1) × s_i). Inference runs the forward products only.

Timed by eng/timing.py as eng/openblas_gemm.py: warm-up, then 7 batches of about seconds/7 each, best batch reported. Prints as its last line
{"op":"steps","workload":...,"threads":...,"samples_per_second":...,"flops_per_sample":...,"gflops":...}.

usage: openblas_steps.py --workload T1|T2|T3|I1 [--threads T] [--seconds S]
"""
import argparse
import json
import sys

import numpy as np
from threadpoolctl import threadpool_limits

from timing import BATCHES, time_batches

# Batch, layer sizes, training: the workloads of tests/MlNetDeep.Benchmarks (T2 has T1's products).
WORKLOADS = {
    "T1": (128, [784, 512, 256, 10], True),
    "T2": (128, [784, 512, 256, 10], True),
    "T3": (64, [64, 128, 64, 10], True),
    "I1": (1024, [784, 512, 256, 10], False),
}


def step_products(batch, sizes, training, rng):
    """The products of one step as argument-free calls, and the step's multiply-adds × 2."""
    layers = len(sizes) - 1
    uniform = lambda *shape: rng.uniform(-1, 1, shape).astype(np.float32)
    activations = [uniform(batch, sizes[0])] + [np.empty((batch, s), np.float32) for s in sizes[1:]]
    weights = [uniform(sizes[i + 1], sizes[i]) for i in range(layers)]
    output_gradients = [uniform(batch, sizes[i + 1]) for i in range(layers)]
    weight_gradients = [np.empty((sizes[i + 1], sizes[i]), np.float32) for i in range(layers)]

    calls = []
    flops = 0
    for i in range(layers):
        calls.append(lambda i=i: np.matmul(activations[i], weights[i].T, out=activations[i + 1]))
        flops += 2 * batch * sizes[i] * sizes[i + 1]
    if training:
        for i in reversed(range(layers)):
            calls.append(lambda i=i: np.matmul(output_gradients[i].T, activations[i], out=weight_gradients[i]))
            flops += 2 * batch * sizes[i] * sizes[i + 1]
            if i > 0:
                calls.append(lambda i=i: np.matmul(output_gradients[i], weights[i], out=output_gradients[i - 1]))
                flops += 2 * batch * sizes[i] * sizes[i + 1]
    return calls, flops


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", choices=sorted(WORKLOADS), default="T2")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    batch, sizes, training = WORKLOADS[args.workload]
    calls, flops = step_products(batch, sizes, training, np.random.default_rng(1))

    def step():
        for call in calls:
            call()

    with threadpool_limits(limits=args.threads, user_api="blas"):
        steps, per_step, _, _ = time_batches(step, args.seconds)

    rates = sorted(batch / t for t in per_step)
    per_sample = flops // batch
    print(f"openblas steps {args.workload} threads {args.threads}: {len(calls)} products per step, {steps} steps per batch, "
          f"samples/s min {rates[0]:.0f} median {rates[BATCHES // 2]:.0f} best {rates[-1]:.0f}", file=sys.stderr)
    print(json.dumps({"op": "steps", "workload": args.workload, "threads": args.threads,
                      "samples_per_second": round(rates[-1], 1), "flops_per_sample": per_sample,
                      "gflops": round(rates[-1] * per_sample / 1e9, 2)}, separators=(",", ":")))


if __name__ == "__main__":
    main()
