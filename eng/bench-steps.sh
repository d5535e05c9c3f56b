#!/usr/bin/env bash
# The ceiling the products alone set on a workload's efficiency. For T2 (whose products are T1's) and I1, times the
# matrix products of one step back to back with OpenBLAS (eng/openblas_steps.py) and with the engine's GEMM
# (tests/MlNetDeep.Benchmarks `steps`), at 2 and 1 threads, next to OpenBLAS 2048³ at 2 threads, and prints each as an
# efficiency (samples/s × GEMM FLOPs per sample ÷ OpenBLAS 2048³ FLOP/s), with each side's 2-thread gain. A product
# sequence is what a step would cost if activations, normalization, dropout, loss and optimizer were free.
#
# usage: eng/bench-steps.sh [rounds, default 3]
#
# Every figure is the best of 7 batches (as eng/bench-gemm.sh); the table gives the medians of the rounds.
# OpenBLAS is installed and set up by eng/openblas-env.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
. eng/openblas-env.sh

dotnet build tests/MlNetDeep.Benchmarks -c Release -v quiet -nologo >&2
ours=(dotnet tests/MlNetDeep.Benchmarks/bin/Release/net10.0/MlNetDeep.Benchmarks.dll steps)
field() { tail -n 1 | sed -E "s/.*\"$1\":([0-9.]+).*/\1/"; }
blas() { "${blas_env[@]}" "$python" "$@"; }

results=()
for round in $(seq "$rounds"); do
    line=""
    for workload in T2 I1; do
        b=$(blas eng/openblas_gemm.py --m 2048 --k 2048 --n 2048 --threads 2 --form nn --seconds 3 | field gflops)
        o2=$(blas eng/openblas_steps.py --workload "$workload" --threads 2 | field gflops)
        e2=$("${ours[@]}" --workload "$workload" --threads 2 | field gflops)
        o1=$(blas eng/openblas_steps.py --workload "$workload" --threads 1 | field gflops)
        e1=$("${ours[@]}" --workload "$workload" --threads 1 | field gflops)
        echo "round $round $workload: OpenBLAS 2048³ $b GFLOP/s; products OpenBLAS $o2 (1 thread $o1), ours $e2 (1 thread $e1)" >&2
        line+="$workload $b $o2 $o1 $e2 $e1 "
    done
    results+=("$line")
done

printf '%s\n' "${results[@]}" | awk '
function median(values, count,    sorted, i, j, t) {
    for (i = 1; i <= count; i++) sorted[i] = values[i]
    for (i = 1; i <= count; i++) for (j = i + 1; j <= count; j++) if (sorted[j] < sorted[i]) { t = sorted[i]; sorted[i] = sorted[j]; sorted[j] = t }
    return count % 2 ? sorted[(count + 1) / 2] : (sorted[count / 2] + sorted[count / 2 + 1]) / 2
}
{
    for (w = 0; w < 2; w++) {
        f = w * 6
        name[w] = $(f + 1)
        openblasEff[w, NR] = $(f + 3) / $(f + 2); oursEff[w, NR] = $(f + 5) / $(f + 2)
        openblasGain[w, NR] = $(f + 3) / $(f + 4); oursGain[w, NR] = $(f + 5) / $(f + 6)
        ratio[w, NR] = $(f + 5) / $(f + 3)
    }
}
END {
    print "| products of | OpenBLAS efficiency | ours efficiency | ours ÷ OpenBLAS | OpenBLAS 2 threads ÷ 1 | ours 2 threads ÷ 1 |"
    print "|---|---|---|---|---|---|"
    for (w = 0; w < 2; w++) {
        for (r = 1; r <= NR; r++) { a[r] = openblasEff[w, r]; b[r] = oursEff[w, r]; c[r] = ratio[w, r]; d[r] = openblasGain[w, r]; e[r] = oursGain[w, r] }
        printf "| %s | %.2f | %.2f | %.2f | %.2f | %.2f |\n", name[w], median(a, NR), median(b, NR), median(c, NR), median(d, NR), median(e, NR)
    }
}'
