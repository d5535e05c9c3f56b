#!/usr/bin/env bash
# Measures the end-to-end workloads of tests/MlNetDeep.Benchmarks against OpenBLAS in the same run and prints the
# efficiencies the engine is judged by: training efficiency = samples/s × GEMM FLOPs per sample ÷ OpenBLAS 2048³
# sgemm FLOP/s at 2 threads (T1 and T2: 2,407,424 FLOPs per sample; T3: 85,760; I1: 1,070,080 per row).
#
# usage: eng/bench-workloads.sh [rounds, default 3]
#
# OpenBLAS is measured right before each workload its efficiency is computed against, so every ratio comes from
# one state of the machine (on a shared machine the absolute speed drifts by tens of percent over minutes). The
# table gives every round and the medians of the rounds. Each efficiency is given twice: against OpenBLAS's best
# batch of seven (the strict figure) and against its mean over the whole 3 s run, which is the statistic the
# workloads themselves report (samples over the whole timed epochs, rows over all repeats). OpenBLAS is installed and set up by eng/openblas-env.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
. eng/openblas-env.sh

dotnet build tests/MlNetDeep.Benchmarks -c Release -v quiet -nologo >&2
bench=(dotnet tests/MlNetDeep.Benchmarks/bin/Release/net10.0/MlNetDeep.Benchmarks.dll)
field() { tail -n 1 | sed -E "s/.*\"$1\":([0-9.]+).*/\1/"; }

results=()
# OpenBLAS's best batch and its mean over the whole timed run (3 s), as "best/mean".
openblas() { "${blas_env[@]}" "$python" eng/openblas_gemm.py --m 2048 --k 2048 --n 2048 --threads 2 --form nn --seconds 3 | tail -n 1 | sed -E 's/.*"gflops":([0-9.]+),"gflops_mean":([0-9.]+).*/\1\/\2/'; }
for round in $(seq "$rounds"); do
    # OpenBLAS is measured right before every workload that an efficiency is computed for.
    b1=$(openblas); t1=$("${bench[@]}" train --workload T1 --threads 2 | field samples_per_second)
    t1one=$("${bench[@]}" train --workload T1 --threads 1 | field samples_per_second)
    b2=$(openblas); t2=$("${bench[@]}" train --workload T2 --threads 2 | field samples_per_second)
    b3=$(openblas); t3=$("${bench[@]}" train --workload T3 --threads 2 | field samples_per_second)
    bi=$(openblas); i1=$("${bench[@]}" infer --workload I1 --threads 2 --repeats 30 | field rows_per_second)
    i2=$("${bench[@]}" infer --workload I2 --threads 2 | field median_microseconds)
    i2one=$("${bench[@]}" infer --workload I2 --threads 1 | field median_microseconds)
    echo "round $round: T1 $t1 samples/s (OpenBLAS $b1 GFLOP/s; 1 thread $t1one), T2 $t2 ($b2), T3 $t3 ($b3); I1 $i1 rows/s ($bi); I2 $i2 µs (1 thread $i2one)" >&2
    results+=("$b1 $t1 $t1one $b2 $t2 $b3 $t3 $bi $i1 $i2 $i2one")
done

printf '%s\n' "${results[@]}" | tr '/' ' ' | awk '
function median(values, count,    sorted, i, j, t) {
    for (i = 1; i <= count; i++) sorted[i] = values[i]
    for (i = 1; i <= count; i++) for (j = i + 1; j <= count; j++) if (sorted[j] < sorted[i]) { t = sorted[i]; sorted[i] = sorted[j]; sorted[j] = t }
    return count % 2 ? sorted[(count + 1) / 2] : (sorted[count / 2] + sorted[count / 2 + 1]) / 2
}
# Fields: T1 OpenBLAS best mean, T1, T1 one thread, T2 OpenBLAS best mean, T2, T3 OpenBLAS best mean, T3,
# I1 OpenBLAS best mean, I1, I2, I2 one thread.
{
    n++
    t1[n] = $3; e1[n] = $3 * 2407424 / ($1 * 1e9); m1[n] = $3 * 2407424 / ($2 * 1e9); s1[n] = $3 / $4
    t2[n] = $7; e2[n] = $7 * 2407424 / ($5 * 1e9); m2[n] = $7 * 2407424 / ($6 * 1e9)
    t3[n] = $10; e3[n] = $10 * 85760 / ($8 * 1e9); m3[n] = $10 * 85760 / ($9 * 1e9)
    i1[n] = $13; ei[n] = $13 * 1070080 / ($11 * 1e9); mi[n] = $13 * 1070080 / ($12 * 1e9)
    i2[n] = $14; i2one[n] = $15
    blas[n] = ($1 + $5 + $8 + $11) / 4; blasMean[n] = ($2 + $6 + $9 + $12) / 4
}
END {
    print "Efficiency against OpenBLAS 2048³'"'"'s best batch / against its mean over the whole timed run (the statistic the workloads report)."
    print ""
    print "| round | OpenBLAS 2048³ 2T GFLOP/s best / mean | T1 samples/s (eff.) | T1 2T/1T | T2 (eff.) | T3 (eff.) | I1 rows/s (eff.) | I2 µs 2T / 1T |"
    print "|---|---|---|---|---|---|---|---|"
    for (i = 1; i <= n; i++)
        printf "| %d | %.0f / %.0f | %.0f (%.2f / %.2f) | %.2f | %.0f (%.2f / %.2f) | %.0f (%.2f / %.2f) | %.0f (%.2f / %.2f) | %.1f / %.1f |\n", i, blas[i], blasMean[i], t1[i], e1[i], m1[i], s1[i], t2[i], e2[i], m2[i], t3[i], e3[i], m3[i], i1[i], ei[i], mi[i], i2[i], i2one[i]
    printf "| median | %.0f / %.0f | %.0f (%.2f / %.2f) | %.2f | %.0f (%.2f / %.2f) | %.0f (%.2f / %.2f) | %.0f (%.2f / %.2f) | %.1f / %.1f |\n", median(blas, n), median(blasMean, n), median(t1, n), median(e1, n), median(m1, n), median(s1, n), median(t2, n), median(e2, n), median(m2, n), median(t3, n), median(e3, n), median(m3, n), median(i1, n), median(ei, n), median(mi, n), median(i2, n), median(i2one, n)
}'
