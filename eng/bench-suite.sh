#!/usr/bin/env bash
# Accuracy of the trainers with their default options on the public 15-set suite, beside the anchor systems' scores
# (PyTorch MLP, sklearn MLP, ML.NET LightGbm and linear, TabM): builds tests/MlNetDeep.Benchmarks in Release and runs
# its `suite` command on every data set of anchors.json, seeds 0-4, printing a block per data set, the counts at or
# above the best anchor and within one sd of the PyTorch MLP, and a Markdown table.
#
# usage: eng/bench-suite.sh [suite arguments...]
#   e.g. eng/bench-suite.sh --json before.json
#        eng/bench-suite.sh --datasets digits,ames --seeds 0,1 --set HiddenLayers=512,512,512 --json after.json
#
# The data directory defaults to the repository's data/ (the 15 sets, their splits and anchors.json); a --data argument replaces it (the
# command keeps the last value given). The command runs from the repository root, so relative paths (--data, --json)
# are read from there. About ten minutes on two cores; fit times on a shared machine are indicative.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tests/MlNetDeep.Benchmarks -c Release -v quiet -nologo >&2
exec dotnet tests/MlNetDeep.Benchmarks/bin/Release/net10.0/MlNetDeep.Benchmarks.dll suite --data "$PWD/data" "$@"
