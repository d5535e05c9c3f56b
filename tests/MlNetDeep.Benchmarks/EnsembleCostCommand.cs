using System.Text.Json;
using MlNetDeep.Training;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// <c>ensemble-cost --workload T4 --threads N [--ensemble 4] [--rounds 5] [--epochs 2] [--hidden 256,128] [--normalization X]
/// [--dropout X]</c>: trains the workload as a single network and as an ensemble of K members at the same widths,
/// alternating round by round in one process so both see the same machine, and prints the median over rounds of the
/// ensemble's per-epoch time over the single network's (the first round is a warm-up and not counted).
/// </summary>
internal static class EnsembleCostCommand
{
    public static int Run(string[] args)
    {
        var options = new CommandLine(args);
        var workload = Workload.Get(options.String("workload", "T4")).WithOptions(options);
        var members = options.Int("ensemble", 4);
        var threads = options.Int("threads", Environment.ProcessorCount);
        var rounds = options.Int("rounds", 5);
        var epochs = options.Int("epochs", 2);
        var data = workload.CreateData();
        var single = new List<double>();
        var ensemble = new List<double>();
        var ratios = new List<double>();
        for (var round = 0; round <= rounds; round++)
        {
            var one = SecondsPerEpoch(workload with { EnsembleSize = 1 }, data, threads, epochs);
            var many = SecondsPerEpoch(workload with { EnsembleSize = members }, data, threads, epochs);
            Console.Error.WriteLine($"round {round}: k=1 {one * 1000:F0} ms, k={members} {many * 1000:F0} ms per epoch, ratio {many / one:F2}{(round == 0 ? " (warm-up)" : "")}");
            if (round > 0)
            {
                single.Add(one);
                ensemble.Add(many);
                ratios.Add(many / one);
            }
        }

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            workload = workload.Name,
            hidden = string.Join(',', workload.Hidden.Select(h => h.Units)),
            ensemble = members,
            threads,
            median_ratio = Math.Round(Median(ratios), 2),
            median_single_ms = Math.Round(Median(single) * 1000, 1),
            median_ensemble_ms = Math.Round(Median(ensemble) * 1000, 1),
        }));
        return 0;
    }

    /// <summary>Seconds per training epoch of <paramref name="workload"/>, from the fastest of <paramref name="epochs"/> epochs after one warm-up epoch.</summary>
    private static double SecondsPerEpoch(Workload workload, TrainingData data, int threads, int epochs)
    {
        var settings = new TrainingSettings
        {
            Optimizer = Optimizer.Adam,
            LearningRate = 1e-3f,
            BatchSize = workload.BatchSize,
            NumberOfEpochs = epochs + 1,
            EarlyStoppingPatience = 0,
            ValidationFraction = 0,
            StandardizeFeatures = false,
            Seed = 1,
            Threads = threads,
        };
        var ends = new List<double>();
        NetworkTrainer.Train(workload.Spec, data, settings, record => ends.Add(record.ElapsedSeconds));
        var fastest = double.MaxValue;
        for (var e = 1; e < ends.Count; e++)
        {
            fastest = Math.Min(fastest, ends[e] - ends[e - 1]);
        }

        return fastest;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}
