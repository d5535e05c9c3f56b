using System.Text.Json;
using MlNetDeep.Training;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// <c>train --workload T1|T2|T3|T4 --threads N [--epochs 3] [--warmup W] [--hidden 512,512] [--ensemble K]
/// [--normalization None] [--dropout X]</c> (and <c>--workload S1</c>, see <see cref="LargeDataWorkload"/>): warm-up epochs (1, or 5 for the short
/// epochs of T3), then timed epochs; prints
/// samples per second and the final training loss as one JSON line.
/// </summary>
internal static class TrainCommand
{
    public static int Run(string[] args)
    {
        var options = new CommandLine(args);
        if (options.String("workload", "T1") == "S1")
        {
            return LargeDataWorkload.Run(options);
        }

        var workload = Workload.Get(options.String("workload", "T1")).WithOptions(options);
        var threads = options.Int("threads", Environment.ProcessorCount);
        var timedEpochs = options.Int("epochs", 3);

        // T3's epochs are short (about 0.1 s), so one epoch does not get past the JIT's tiering; warm up longer.
        var warmUpEpochs = options.Int("warmup", workload.Name == "T3" ? 5 : 1);
        var data = workload.CreateData();
        var settings = new TrainingSettings
        {
            Optimizer = Optimizer.Adam,
            LearningRate = 1e-3f,
            BatchSize = workload.BatchSize,
            NumberOfEpochs = timedEpochs + warmUpEpochs,
            EarlyStoppingPatience = 0,
            ValidationFraction = 0,
            StandardizeFeatures = false,
            Seed = 1,
            Threads = threads,
        };
        var ends = new List<TrainingEpoch>();
        var result = NetworkTrainer.Train(workload.Spec, data, settings, record =>
        {
            ends.Add(record);
            Console.Error.WriteLine($"epoch {record.Epoch}: loss {record.TrainingLoss:F4}, {record.ElapsedSeconds:F2} s");
        });
        var seconds = ends[^1].ElapsedSeconds - ends[warmUpEpochs - 1].ElapsedSeconds;
        var samplesPerSecond = timedEpochs * (double)data.Rows / seconds;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            workload = workload.Name,
            hidden = string.Join(',', workload.Hidden.Select(h => h.Units)),
            ensemble = workload.EnsembleSize,
            embedding = workload.NumericEmbedding.ToString(),
            threads,
            samples_per_second = Math.Round(samplesPerSecond, 1),
            final_loss = Math.Round(result.History[^1].TrainingLoss, 6),
            flops_per_sample = workload.TrainingFlopsPerSample,
            gflops = Math.Round(samplesPerSecond * workload.TrainingFlopsPerSample / 1e9, 2),
        }));
        return 0;
    }
}
