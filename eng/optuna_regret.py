"""Simple regret of Optuna's samplers on the benchmark functions of tests/MlNetDeep.Core.Tests/Tuning/TestFunctions.cs.

usage: optuna_regret.py [--functions branin,hartmann6,...] [--seeds 8] [--trials 30] [--samplers tpe,tpe-multivariate,cmaes,random]
       optuna_regret.py --table RESULTS.json [RESULTS.json ...]

The first form runs each sampler for seeds 0 .. seeds-1 (the sampler's seed) with the given number of trials per
study, and prints each function's mean regret on stderr and one JSON line last in the shape the benchmark's
`regret` command prints. The second form reads such lines (the last line of each file) and prints one Markdown
table: one row per function, one column per optimizer, mean regret ± standard error over the seeds.
"""
import argparse
import json
import math
import sys

FUNCTION_NAMES = ["branin", "hartmann6", "rastrigin4", "rastrigin6", "levy4", "levy6", "michalewicz5", "ackley4", "ackley6", "rastrigin4off", "styblinski4"]
BRANIN_MINIMUM = 0.397887357729738
HARTMANN6_MINIMUM = -3.32236801141551
MICHALEWICZ5_MINIMUM = -4.687658179
STYBLINSKI_TANG_MINIMUM_PER_DIMENSION = -39.16616570377141
HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2]
HARTMANN_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
HARTMANN_P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
              [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def branin(x):
    b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    q = x[1] - b * x[0] ** 2 + c * x[0] - 6
    return q * q + 10 * (1 - t) * math.cos(x[0]) + 10


def hartmann6(x):
    return -sum(HARTMANN_ALPHA[i] * math.exp(-sum(HARTMANN_A[i][j] * (x[j] - HARTMANN_P[i][j]) ** 2 for j in range(6))) for i in range(4))


def rastrigin(x):
    return 10 * len(x) + sum(v * v - 10 * math.cos(2 * math.pi * v) for v in x)


def levy(x):
    w = [1 + (v - 1) / 4 for v in x]
    total = math.sin(math.pi * w[0]) ** 2
    for wi in w[:-1]:
        total += (wi - 1) ** 2 * (1 + 10 * math.sin(math.pi * wi + 1) ** 2)
    return total + (w[-1] - 1) ** 2 * (1 + math.sin(2 * math.pi * w[-1]) ** 2)


def michalewicz(x):
    return -sum(math.sin(v) * math.sin((i + 1) * v * v / math.pi) ** 20 for i, v in enumerate(x))


def ackley(x):
    d = len(x)
    return -20 * math.exp(-0.2 * math.sqrt(sum(v * v for v in x) / d)) - math.exp(sum(math.cos(2 * math.pi * v) for v in x) / d) + 20 + math.e


def styblinski_tang(x):
    return 0.5 * sum(v ** 4 - 16 * v * v + 5 * v for v in x)


# name: (lower bounds, upper bounds, known minimum, function); the same as TestFunctions.Problems.
PROBLEMS = {
    "branin": ([-5, 0], [10, 15], BRANIN_MINIMUM, branin),
    "hartmann6": ([0] * 6, [1] * 6, HARTMANN6_MINIMUM, hartmann6),
    "rastrigin4": ([-5.12] * 4, [5.12] * 4, 0, rastrigin),
    "rastrigin6": ([-5.12] * 6, [5.12] * 6, 0, rastrigin),
    "levy4": ([-10] * 4, [10] * 4, 0, levy),
    "levy6": ([-10] * 6, [10] * 6, 0, levy),
    "michalewicz5": ([0] * 5, [math.pi] * 5, MICHALEWICZ5_MINIMUM, michalewicz),
    "ackley4": ([-32.768] * 4, [32.768] * 4, 0, ackley),
    "ackley6": ([-32.768] * 6, [32.768] * 6, 0, ackley),
    "rastrigin4off": ([-2] * 4, [8.24] * 4, 0, rastrigin),
    "styblinski4": ([-5] * 4, [5] * 4, 4 * STYBLINSKI_TANG_MINIMUM_PER_DIMENSION, styblinski_tang),
}

SAMPLERS = ["tpe", "tpe-multivariate", "cmaes", "random"]


def make_sampler(name, seed):
    import optuna
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if name == "tpe-multivariate":
        return optuna.samplers.TPESampler(seed=seed, multivariate=True)
    if name == "cmaes":
        return optuna.samplers.CmaEsSampler(seed=seed)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise SystemExit(f"Unknown sampler '{name}'; use one of {', '.join(SAMPLERS)}. Received: {name}.")


def best_value(name, sampler_name, seed, trials):
    import optuna
    lower, upper, _, function = PROBLEMS[name]

    def objective(trial):
        return function([trial.suggest_float(f"x{j}", lower[j], upper[j]) for j in range(len(lower))])

    study = optuna.create_study(direction="minimize", sampler=make_sampler(sampler_name, seed))
    study.optimize(objective, n_trials=trials)
    return study.best_value


def run(args):
    import warnings
    import optuna
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.filterwarnings("ignore")
    results = []
    for name in args.functions.split(","):
        if name not in PROBLEMS:
            raise SystemExit(f"Unknown function '{name}'; use one of {', '.join(PROBLEMS)}. Received: {name}.")
        minimum = PROBLEMS[name][2]
        for sampler in args.samplers.split(","):
            regrets = [best_value(name, sampler, seed, args.trials) - minimum for seed in range(args.seeds)]
            mean = sum(regrets) / len(regrets)
            sem = math.sqrt(sum((r - mean) ** 2 for r in regrets) / max(1, len(regrets) - 1) / len(regrets))
            print(f"{name} optuna-{sampler}: mean regret {mean:.4g} ± {sem:.2g} over {args.seeds} seeds × {args.trials} trials", file=sys.stderr)
            results.append({"function": name, "optimizer": f"optuna-{sampler}", "regret_mean": mean, "regret_sem": sem, "regrets": regrets})
    print(json.dumps({"trials": args.trials, "seeds": args.seeds, "optuna": optuna.__version__, "results": results}))


def table(paths):
    rows, columns, header = {}, [], []
    for path in paths:
        with open(path) as f:
            line = [l for l in f.read().splitlines() if l.startswith("{")][-1]
        data = json.loads(line)
        header.append(f"{data['seeds']} seeds × {data['trials']} trials")
        if "optuna" in data:
            header.append(f"Optuna {data['optuna']}")
        for r in data["results"]:
            if r["optimizer"] not in columns:
                columns.append(r["optimizer"])
            rows.setdefault(r["function"], {})[r["optimizer"]] = r
    print("Mean simple regret (best value found − known minimum) ± standard error; " + "; ".join(dict.fromkeys(header)) + ".")
    print()
    print("| function | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for function in rows:
        cells = []
        for c in columns:
            r = rows[function].get(c)
            cells.append("" if r is None else f"{r['regret_mean']:.3g} ± {r['regret_sem']:.2g}")
        print(f"| {function} | " + " | ".join(cells) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--functions", default=",".join(FUNCTION_NAMES))
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--samplers", default=",".join(SAMPLERS))
    parser.add_argument("--table", nargs="+", metavar="RESULTS")
    args = parser.parse_args()
    if args.table:
        table(args.table)
    else:
        run(args)


if __name__ == "__main__":
    main()
