"""Puts two or more `suite --json` results side by side as a Markdown table: per data set each run's mean ± sd over
its seeds and median fit time, the best anchor and its system, TabM and LightGbm, and whether the last run is at or
above the best anchor; then the counts per run. With --seeds, every run is restricted to those seeds first.

usage: python3 eng/suite-compare.py [--seeds 0,1,2] NAME=FILE.json[+MORE.json] [NAME=FILE.json ...]
(a run split over several files, e.g. seeds 0-2 in one and 3-4 in another, is joined with '+')"""
import json
import statistics
import sys


def load(paths, seeds):
    """Reads one run, or several runs of the same configuration on different seeds joined with '+'."""
    runs = [json.load(open(path)) for path in paths.split("+")]
    data = runs[0]
    result = {}
    for d in data["datasets"]:
        fits = [f for run in runs for other in run["datasets"] if other["name"] == d["name"] for f in other["fits"]]
        fits = [f for f in fits if seeds is None or f["seed"] in seeds]
        scores = [f["score"] for f in fits]
        result[d["name"]] = {
            "mean": statistics.mean(scores),
            "sd": statistics.stdev(scores) if len(scores) > 1 else 0.0,
            "fit": statistics.median(f["fit_seconds"] for f in fits),
            "lower": d["lower_is_better"],
            "anchors": d["anchors"],
            "best": d["best_anchor"],
        }
    return result


def main(args):
    seeds = None
    if args and args[0] == "--seeds":
        seeds = {int(s) for s in args[1].split(",")}
        args = args[2:]
    runs = [(a.split("=", 1)[0], load(a.split("=", 1)[1], seeds)) for a in args]
    names = list(runs[0][1].keys())
    header = "| set | " + " | ".join(f"{n} (mean ± sd, median fit)" for n, _ in runs) + " | best anchor | TabM | LightGbm | last ≥ best |"
    print(header)
    print("|" + "---|" * (len(runs) + 5))
    counts = {n: [0, 0] for n, _ in runs}
    for name in names:
        first = runs[0][1][name]
        anchors = first["anchors"]
        best = anchors[first["best"]]
        torch = anchors["torch_mlp"]
        digits = 0 if abs(best["mean"]) > 100 else 3 if abs(best["mean"]) > 10 else 4
        fmt = lambda v: f"{v:.{digits}f}"
        cells = []
        for n, r in runs:
            x = r[name]
            above = x["mean"] <= best["mean"] if x["lower"] else x["mean"] >= best["mean"]
            within = x["mean"] <= torch["mean"] + torch["std"] if x["lower"] else x["mean"] >= torch["mean"] - torch["std"]
            counts[n][0] += above
            counts[n][1] += within
            cells.append(f"{fmt(x['mean'])} ± {fmt(x['sd'])}, {x['fit']:.1f} s")
        last = runs[-1][1][name]
        above = last["mean"] <= best["mean"] if last["lower"] else last["mean"] >= best["mean"]
        tabm = anchors.get("tabm")
        print(f"| {name} | " + " | ".join(cells) + f" | {fmt(best['mean'])} ({best['name']}) | {fmt(tabm['mean']) if tabm else '–'} | {fmt(anchors['mlnet_lightgbm']['mean'])} | {'yes' if above else 'no'} |")
    print()
    for n, (above, within) in counts.items():
        print(f"- {n}: at or above the best anchor on {above} of {len(names)}; within one sd of the PyTorch MLP on {within} of {len(names)}")


if __name__ == "__main__":
    main(sys.argv[1:])
