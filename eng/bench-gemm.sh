#!/usr/bin/env bash
# Compares Gemm.Multiply (tests/MlNetDeep.Benchmarks `gemm`) with OpenBLAS through numpy
# (eng/openblas_gemm.py) at the shapes training uses, at 1 and 2 threads, and prints a table of
# GFLOP/s and the ratio ours/OpenBLAS. Each pair runs back to back, since the machine may be shared.
#
# usage: eng/bench-gemm.sh [seconds per measurement, default 2]
#
# OpenBLAS comes from Debian (python3-numpy, python3-threadpoolctl, libopenblas0-pthread), installed
# here with apt-get when missing. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for the numpy runs
# so OpenBLAS picks its own kernels; when its CPU detection falls back to a pre-AVX core on a machine
# with AVX-512 (OpenBLAS 0.3.21 does not know every newer Xeon), it is given SkylakeX, its AVX-512
# kernels, so the comparison is with OpenBLAS at its best. Set GEMM_BENCH_CORETYPE to choose another.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-2}"
python=/usr/bin/python3

if ! "$python" -c 'import numpy, threadpoolctl' 2>/dev/null || [ ! -e /usr/lib/x86_64-linux-gnu/openblas-pthread ]; then
    echo "installing numpy, threadpoolctl and OpenBLAS with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        python3-numpy python3-threadpoolctl libopenblas0-pthread >&2
fi

blas_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
detected=$("${blas_env[@]}" "$python" -c 'import numpy
from threadpoolctl import threadpool_info
print(next((p.get("architecture") or "?") for p in threadpool_info() if p.get("user_api") == "blas"))')
coretype="${GEMM_BENCH_CORETYPE:-}"
if [ -z "$coretype" ] && grep -qw avx512f /proc/cpuinfo && [[ "$detected" =~ ^(Prescott|Core2|Penryn|Dunnington|Nehalem|Atom|Katmai|Coppermine|Northwood|Banias|generic)$ ]]; then
    coretype=SkylakeX
fi
if [ -n "$coretype" ]; then
    blas_env+=(OPENBLAS_CORETYPE="$coretype")
fi
echo "OpenBLAS detected core: $detected; measured with: ${coretype:-$detected}" >&2

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
