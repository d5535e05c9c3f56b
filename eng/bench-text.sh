#!/usr/bin/env bash
# Text classification on Jane Austen's passages (data/austen.csv), the pipeline of samples/TextClassification: builds
# tests/MlNetDeep.Benchmarks in Release and runs its `text` command, which per seed splits each novel's passages 80/20
# (seeded), featurizes and caches both sets once, then fits and evaluates the sample's network with the rows kept sparse
# (`sparse`), the same network with the rows densified (`dense`, DataLoading.InMemory) and ML.NET's SdcaMaximumEntropy
# (`sdca`) on the same rows, printing every fit and a Markdown table (accuracy mean ± sd, trainer fit seconds).
#
# usage: eng/bench-text.sh [text arguments...]
#   e.g. eng/bench-text.sh                                  # seeds 0,1,2, all three trainers
#        eng/bench-text.sh --modes sparse --seeds 0 --rows 4000
#
# About twelve minutes on two cores for the three seeds; runs at nice 5. Fit times on a shared machine are indicative.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tests/MlNetDeep.Benchmarks -c Release -v quiet -nologo >&2
exec nice -n 5 dotnet tests/MlNetDeep.Benchmarks/bin/Release/net10.0/MlNetDeep.Benchmarks.dll text --data "$PWD/data/austen.csv" "$@"
