using System.Diagnostics;
using System.Text.Json;
using MlNetDeep.Training;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// <c>infer --workload I1|I2 --threads N [--repeats R]</c>: trains the T1 network for one epoch, then I1 scores 10,000 rows
/// in batches of 1,024, R times (default 10; rows per second over all R passes, and of the best pass) and I2 scores one row at a time (median microseconds of 10,000 calls).
/// </summary>
internal static class InferCommand
{
    public static int Run(string[] args)
    {
        var options = new CommandLine(args);
        var workload = Workload.Get(options.String("workload", "I1"));
        var threads = options.Int("threads", Environment.ProcessorCount);
        var repeats = options.Int("repeats", 10);
        if (repeats < 1)
        {
            throw new ArgumentException($"--repeats must be at least 1. Received: {repeats}.");
        }

        var data = workload.CreateData();
        var settings = new TrainingSettings { BatchSize = 128, NumberOfEpochs = 1, EarlyStoppingPatience = 0, ValidationFraction = 0, Seed = 1, Threads = threads };
        var network = NetworkTrainer.Train(workload.Spec, data, settings).Network;
        const int Rows = 10_000;
        var input = data.Features.AsSpan(0, Rows * workload.Features).ToArray();
        var output = new float[Rows * workload.Classes];
        if (workload.Name == "I2")
        {
            var scorer = network.CreateScorer(1, threads);
            var times = new double[Rows];
            for (var i = 0; i < 2_000; i++)
            {
                scorer.Score(input.AsSpan((i % Rows) * workload.Features, workload.Features), output, 1);
            }

            for (var i = 0; i < Rows; i++)
            {
                var start = Stopwatch.GetTimestamp();
                scorer.Score(input.AsSpan(i * workload.Features, workload.Features), output.AsSpan(i * workload.Classes), 1);
                times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }

            Array.Sort(times);
            Console.WriteLine(JsonSerializer.Serialize(new { workload = "I2", threads, median_microseconds = Math.Round(times[Rows / 2], 2), p90_microseconds = Math.Round(times[Rows * 9 / 10], 2) }));
            return 0;
        }

        var batchScorer = network.CreateScorer(1024, threads);
        for (var i = 0; i < 5; i++)
        {
            batchScorer.Score(input, output, Rows);
        }

        // The figure is the mean over all repeats; the spread of single passes goes to standard error.
        var seconds = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            var start = Stopwatch.GetTimestamp();
            batchScorer.Score(input, output, Rows);
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        var rowsPerSecond = repeats * Rows / seconds.Sum();
        var passes = seconds.Select(t => Rows / t).Order().ToArray();
        Console.Error.WriteLine($"I1 threads {threads}: {repeats} passes of {Rows} rows, rows/s min {passes[0]:F0} median {passes[repeats / 2]:F0} best {passes[^1]:F0} mean {rowsPerSecond:F0}");
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            workload = "I1",
            threads,
            rows_per_second = Math.Round(rowsPerSecond, 1),
            best_pass_rows_per_second = Math.Round(passes[^1], 1),
            flops_per_row = workload.InferenceFlopsPerRow,
            gflops = Math.Round(rowsPerSecond * workload.InferenceFlopsPerRow / 1e9, 2),
        }));
        return 0;
    }
}
