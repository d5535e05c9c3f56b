using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MlNetDeep.Tests.Tuning;
using MlNetDeep.Tuning;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// <c>regret [--functions branin,hartmann6,...] [--seeds 8] [--first-seed 0] [--trials 30] [--optimizers bayes,bayes-q2,random]</c>:
/// the simple regret (best value found minus the known minimum) of the engine's optimizers on the benchmark
/// functions of <see cref="TestFunctions.Problems"/>, for seeds first-seed … first-seed + seeds − 1. <c>bayes</c> is the Bayesian
/// optimizer with its default options, one trial at a time; <c>bayes-q2</c> the same asked for batches of 2 with
/// both results told before the next batch (trials/2 steps, as two parallel workers); <c>random</c> is random
/// search. Prints each function's mean regret on stderr and one JSON line last with every seed's regret, in the
/// shape <c>eng/optuna_regret.py</c> prints, so <c>eng/bench-tuning.sh</c> can put both in one table.
/// </summary>
internal static class RegretCommand
{
    public static int Run(string[] args)
    {
        var options = new CommandLine(args);
        var problems = options.String("functions", string.Join(",", TestFunctions.Problems.Select(p => p.Name))).Split(',').Select(TestFunctions.Find).ToList();
        var seeds = options.Int("seeds", 8);
        var firstSeed = options.Int("first-seed", 0);
        var trials = options.Int("trials", 30);
        var optimizers = options.String("optimizers", "bayes,bayes-q2,random").Split(',');
        var results = new List<object>();
        foreach (var problem in problems)
        {
            foreach (var optimizer in optimizers)
            {
                var clock = Stopwatch.StartNew();
                var regrets = Enumerable.Range(firstSeed, seeds).Select(seed => problem.Regret(BestValue(problem, optimizer, seed, trials))).ToArray();
                var mean = regrets.Average();
                var sem = Math.Sqrt(regrets.Sum(r => (r - mean) * (r - mean)) / Math.Max(1, seeds - 1) / seeds);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{problem.Name} {optimizer}: mean regret {mean:G4} ± {sem:G2} over {seeds} seeds × {trials} trials ({clock.Elapsed.TotalSeconds:F1} s)"));
                results.Add(new { function = problem.Name, optimizer, regret_mean = mean, regret_sem = sem, regrets });
            }
        }

        Console.WriteLine(JsonSerializer.Serialize(new { trials, seeds, first_seed = firstSeed, results }));
        return 0;
    }

    private static double BestValue(Problem problem, string name, int seed, int trials)
    {
        var space = problem.Space();
        switch (name)
        {
            case "random":
                return new RandomSearchOptimizer(space, seed).Minimize(problem.Evaluate, trials).BestValue;
            case "bayes":
                return new BayesianOptimizer(space, seed).Minimize(problem.Evaluate, trials).BestValue;
            case "bayes-q2":
                var optimizer = new BayesianOptimizer(space, seed);
                var best = double.PositiveInfinity;
                for (var step = 0; step < trials / 2; step++)
                {
                    foreach (var parameters in optimizer.Propose(2))
                    {
                        var value = problem.Evaluate(parameters);
                        best = Math.Min(best, value);
                        optimizer.Tell(parameters, value);
                    }
                }

                return best;
            default:
                throw new ArgumentException($"Unknown optimizer '{name}'; use bayes, bayes-q2 or random. Received: --optimizers {name}.");
        }
    }
}
