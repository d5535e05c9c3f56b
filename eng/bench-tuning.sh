#!/usr/bin/env bash
# The optimizers' simple regret (best value found − known minimum) on smooth and multimodal benchmark functions, next
# to Optuna's samplers on the same functions, bounds, trial counts and seeds: the engine's Bayesian optimizer one trial
# at a time (bayes) and in batches of two (bayes-q2, half as many steps), random search (tests/MlNetDeep.Benchmarks
# `regret`), and Optuna's TPE, multivariate TPE, CMA-ES and random samplers (eng/optuna_regret.py). Prints one
# Markdown table: mean regret ± standard error over the seeds.
#
# usage: eng/bench-tuning.sh [seeds, default 8] [trials, default 30] [functions, default all]
#
# Optuna comes from Debian (python3-optuna, which brings cmaes and numpy), installed here with apt-get when missing.
# Regret does not depend on speed, so the run is meaningful on a loaded machine.
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="${1:-8}"
trials="${2:-30}"
functions="${3:-branin,hartmann6,rastrigin4,rastrigin6,levy4,levy6,michalewicz5,ackley4,ackley6,rastrigin4off,styblinski4}"
python=/usr/bin/python3

if ! "$python" -c 'import optuna, cmaes' 2>/dev/null; then
    echo "installing Optuna with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-optuna >&2
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet build tests/MlNetDeep.Benchmarks -c Release -v quiet -nologo >&2
dotnet tests/MlNetDeep.Benchmarks/bin/Release/net10.0/MlNetDeep.Benchmarks.dll regret \
    --functions "$functions" --seeds "$seeds" --trials "$trials" --optimizers bayes,bayes-q2,random > "$out/ours.json"
"$python" eng/optuna_regret.py --functions "$functions" --seeds "$seeds" --trials "$trials" > "$out/optuna.json"
"$python" eng/optuna_regret.py --table "$out/ours.json" "$out/optuna.json"
