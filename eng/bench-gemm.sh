#!/usr/bin/env bash
# Compares Gemm.Multiply (tests/MlNetDeep.Benchmarks `gemm`) with OpenBLAS through numpy
# (eng/openblas_gemm.py) at the shapes training uses, at 1 and 2 threads, and prints a table of
# GFLOP/s and the ratio ours/OpenBLAS. Each pair runs back to back, since the machine may be shared.
#
# usage: eng/bench-gemm.sh [seconds per measurement, default 2]
#
# OpenBLAS is installed and set up by eng/openblas-env.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-2}"
. eng/openblas-env.sh

dotnet build tests/MlNetDeep.Benchmarks -c Release -v quiet -nologo >&2
ours=(dotnet tests/MlNetDeep.Benchmarks/bin/Release/net10.0/MlNetDeep.Benchmarks.dll gemm)

gflops() { tail -n 1 | sed -E 's/.*"gflops":([0-9.]+).*/\1/'; }

rows=()
for threads in 1 2; do
    for shape in "nn 128 784 512" "nt 128 784 512" "nn 128 512 256" "tn 512 128 784" "nn 2048 2048 2048"; do
        read -r form m k n <<<"$shape"
        args=(--m "$m" --k "$k" --n "$n" --threads "$threads" --form "$form" --seconds "$seconds")
        a=$("${ours[@]}" "${args[@]}" | gflops)
        b=$("${blas_env[@]}" "$python" eng/openblas_gemm.py "${args[@]}" | gflops)
        rows+=("$form $m $k $n $threads $a $b")
        echo "  $form ${m}x${k}x${n} threads $threads: ours $a, OpenBLAS $b GFLOP/s" >&2
    done
done

printf '\n| form | m×k×n | threads | ours GFLOP/s | OpenBLAS GFLOP/s | ours/OpenBLAS |\n|---|---|---|---|---|---|\n'
for row in "${rows[@]}"; do
    read -r form m k n threads a b <<<"$row"
    awk -v f="$form" -v s="${m}×${k}×${n}" -v t="$threads" -v a="$a" -v b="$b" \
        'BEGIN { printf "| %s | %s | %d | %.1f | %.1f | %.2f |\n", f, s, t, a, b, (b > 0 ? a / b : 0) }'
done
