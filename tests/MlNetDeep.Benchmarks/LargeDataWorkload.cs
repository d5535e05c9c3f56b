using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// <c>train --workload S1 [--loading Auto|InMemory|Streaming] [--rows 1000000] [--epochs 1] [--threads N]</c>: a binary FeedForward trainer with default
/// options except one hidden layer of 64 units, fitted through ML.NET on a view of <c>--rows</c> rows of 100 features
/// that are generated lazily as the view is read (the view does not know its row count, so nothing holds the rows but
/// the trainer). Prints samples per second (rows × epochs over the whole fit, reading included), the feature bytes and
/// the process's peak working set as one JSON line.
/// </summary>
internal static class LargeDataWorkload
{
    private const int Features = 100;

    public static int Run(CommandLine options)
    {
        var rows = options.Int("rows", 1_000_000);
        var epochs = options.Int("epochs", 1);
        var threads = options.Int("threads", Environment.ProcessorCount);
        var loading = Enum.Parse<DataLoading>(options.String("loading", nameof(DataLoading.Auto)), ignoreCase: true);
        var mlContext = new MLContext(seed: 1);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Features);
        var data = mlContext.Data.LoadFromEnumerable(Generate(rows), schema);
        var trainer = mlContext.BinaryClassification.Trainers.FeedForward(new FeedForwardBinaryTrainer.Options
        {
            HiddenLayers = [64],
            NumberOfEpochs = epochs,
            NumberOfThreads = threads,
            Seed = 1,
            DataLoading = loading,
        });

        var stopwatch = Stopwatch.StartNew();
        var model = trainer.Fit(data);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        GC.KeepAlive(model);
        var featureBytes = (long)rows * Features * sizeof(float);
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            workload = "S1",
            loading = loading.ToString(),
            rows,
            epochs,
            threads,
            seconds = Math.Round(seconds, 2),
            samples_per_second = Math.Round(rows * (double)epochs / seconds, 1),
            feature_mb = Math.Round(featureBytes / 1e6, 1),
            peak_working_set_mb = Math.Round(peak / 1e6, 1),
            peak_over_feature_bytes = Math.Round(peak / (double)featureBytes, 3),
        }));
        return 0;
    }

    /// <summary>Row r's features are uniform in [−1, 1) from a hash of (r, column); the label is the sign of a fixed linear function of the first ten plus an interaction.</summary>
    private static IEnumerable<Row> Generate(int rows)
    {
        for (var r = 0; r < rows; r++)
        {
            var features = new float[Features];
            for (var c = 0; c < Features; c++)
            {
                var h = (ulong)r * 0x9E3779B97F4A7C15UL ^ ((ulong)c * 0xC2B2AE3D27D4EB4FUL);
                h ^= h >> 31;
                h *= 0xBF58476D1CE4E5B9UL;
                h ^= h >> 27;
                features[c] = ((h >> 40) / (float)(1UL << 24) * 2f) - 1f;
            }

            var score = (features[0] * features[1]) + (0.5f * features[2]);
            for (var c = 3; c < 10; c++)
            {
                score += (c % 2 == 0 ? 0.3f : -0.3f) * features[c];
            }

            yield return new Row { Features = features, Label = score > 0 };
        }
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }
}
