#!/usr/bin/env bash
# Compares two builds of the engine on the same machine in the same run: every workload of
# tests/MlNetDeep.Benchmarks (T1 at 2 and 1 threads, T2, T3, I1, I2) and the GEMM shapes of eng/bench-gemm.sh,
# each measured with the two builds back to back, the order alternating from round to round so a drift of the
# machine's speed weighs on both alike. Prints per measurement the median and range of each build and the median
# of the per-round ratios (after ÷ before; for I2, a latency, before ÷ after, so above 1 is always faster).
#
# usage: eng/bench-compare.sh BEFORE_CHECKOUT AFTER_CHECKOUT [rounds, default 5]
#
# Each checkout is a working tree of this repository (for example one made with `git worktree add`); its
# benchmarks are built in Release first.
set -euo pipefail
before="$(cd "$1" && pwd)"
after="$(cd "$2" && pwd)"
rounds="${3:-5}"

for tree in "$before" "$after"; do
    dotnet build "$tree/tests/MlNetDeep.Benchmarks" -c Release -v quiet -nologo >&2
done
dll=tests/MlNetDeep.Benchmarks/bin/Release/net10.0/MlNetDeep.Benchmarks.dll

field() { tail -n 1 | sed -E "s/.*\"$1\":([0-9.]+).*/\1/"; }

# name | arguments | JSON field | 1 when lower is better
measurements=(
    "T1-2T|train --workload T1 --threads 2|samples_per_second|0"
    "T1-1T|train --workload T1 --threads 1|samples_per_second|0"
    "T2|train --workload T2 --threads 2|samples_per_second|0"
    "T3|train --workload T3 --threads 2|samples_per_second|0"
    "I1|infer --workload I1 --threads 2 --repeats 30|rows_per_second|0"
    "I2|infer --workload I2 --threads 2|median_microseconds|1"
    "gemm-nn-128x784x512|gemm --m 128 --k 784 --n 512 --threads 2 --form nn --seconds 1|gflops|0"
    "gemm-nt-128x784x512|gemm --m 128 --k 784 --n 512 --threads 2 --form nt --seconds 1|gflops|0"
    "gemm-nn-128x512x256|gemm --m 128 --k 512 --n 256 --threads 2 --form nn --seconds 1|gflops|0"
    "gemm-tn-512x128x784|gemm --m 512 --k 128 --n 784 --threads 2 --form tn --seconds 1|gflops|0"
    "gemm-nn-2048|gemm --m 2048 --k 2048 --n 2048 --threads 2 --form nn --seconds 1|gflops|0"
)

results=$(mktemp)
for round in $(seq "$rounds"); do
    for entry in "${measurements[@]}"; do
        IFS='|' read -r name arguments key lower <<<"$entry"
        read -ra args <<<"$arguments"
        if (( round % 2 )); then order=(before after); else order=(after before); fi
        for side in "${order[@]}"; do
            tree=$before; [[ $side == after ]] && tree=$after
            value=$(dotnet "$tree/$dll" "${args[@]}" | field "$key")
            echo "$round $name $side $value $lower" >>"$results"
            echo "  round $round $name $side $value" >&2
        done
    done
done

awk '
function median(values, count,    sorted, i, j, t) {
    for (i = 1; i <= count; i++) sorted[i] = values[i]
    for (i = 1; i <= count; i++) for (j = i + 1; j <= count; j++) if (sorted[j] < sorted[i]) { t = sorted[i]; sorted[i] = sorted[j]; sorted[j] = t }
    return count % 2 ? sorted[(count + 1) / 2] : (sorted[count / 2] + sorted[count / 2 + 1]) / 2
}
function range(values, count,    i, lo, hi) {
    lo = values[1]; hi = values[1]
    for (i = 2; i <= count; i++) { if (values[i] < lo) lo = values[i]; if (values[i] > hi) hi = values[i] }
    return sprintf("%.4g–%.4g", lo, hi)
}
{ value[$2, $3, $1] = $4; lower[$2] = $5; if (!($2 in seen)) { seen[$2] = 1; names[++count] = $2 } if ($1 > rounds) rounds = $1 }
END {
    print "| measurement | before median (range) | after median (range) | after vs before, median of rounds (range) |"
    print "|---|---|---|---|"
    for (m = 1; m <= count; m++) {
        name = names[m]; n = 0
        for (r = 1; r <= rounds; r++) {
            if (!((name, "before", r) in value)) continue
            n++; b[n] = value[name, "before", r]; a[n] = value[name, "after", r]
            ratio[n] = lower[name] ? b[n] / a[n] : a[n] / b[n]
        }
        printf "| %s | %.4g (%s) | %.4g (%s) | %.3f (%s) |\n", name, median(b, n), range(b, n), median(a, n), range(a, n), median(ratio, n), range(ratio, n)
    }
}' "$results"
rm -f "$results"
