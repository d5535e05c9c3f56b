using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// <c>loading --dataset letter|digits|breast_cancer [--data data] [--seeds 0,1,2,3,4] [--shuffle-buffer 65536] [--log 1]</c>:
/// fits the multiclass trainer with its default options through ML.NET on each published train/test split twice, with
/// <see cref="DataLoading.InMemory"/> and with <see cref="DataLoading.Streaming"/>, and reports the test accuracy of
/// each per seed and their means and standard deviations as one JSON line; <c>--log 1</c> also prints how many epochs each fit ran.
/// </summary>
internal static class LoadingCommand
{
    public static int Run(string[] args)
    {
        var options = new CommandLine(args);
        var name = options.String("dataset", "letter");
        var directory = options.String("data", "data");
        var seeds = options.String("seeds", "0,1,2,3,4").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var shuffleBuffer = options.Int("shuffle-buffer", FeedForwardTrainerOptionsBase.Defaults.ShuffleBufferRows);
        var (features, labels, columns, task, _) = QualityCommand.Load(Path.Combine(directory, name + ".csv"), name);
        if (task != TaskKind.Multiclass)
        {
            throw new ArgumentException($"loading compares multiclass data sets; {name} is {task}.");
        }

        var accuracies = new Dictionary<DataLoading, List<double>> { [DataLoading.InMemory] = [], [DataLoading.Streaming] = [] };
        foreach (var seed in seeds)
        {
            var flags = File.ReadAllLines(Path.Combine(directory, "splits", $"{name}.seed{seed}.txt")).Where(l => l.Length > 0).Select(l => l.Trim() == "1").ToArray();
            var train = QualityCommand.Subset(features, labels, columns, flags, test: false);
            var test = QualityCommand.Subset(features, labels, columns, flags, test: true);
            foreach (var loading in accuracies.Keys)
            {
                var mlContext = new MLContext(seed: seed);
                if (options.Int("log", 0) == 1)
                {
                    mlContext.Log += (_, e) =>
                    {
                        if (e.Message.Contains("Training finished", StringComparison.Ordinal) || e.Message.StartsWith("Epoch 1:", StringComparison.Ordinal))
                        {
                            Console.Error.WriteLine($"  {loading}: {e.Message}");
                        }
                    };
                }

                var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label").Append(mlContext.MulticlassClassification.Trainers.FeedForward(new FeedForwardMulticlassTrainer.Options
                {
                    DataLoading = loading,
                    ShuffleBufferRows = shuffleBuffer,
                    Seed = seed,
                }));
                var model = pipeline.Fit(View(mlContext, train));
                var accuracy = mlContext.MulticlassClassification.Evaluate(model.Transform(View(mlContext, test))).MicroAccuracy;
                accuracies[loading].Add(accuracy);
                Console.Error.WriteLine($"{name} seed {seed} {loading}: accuracy {accuracy:F4}");
            }
        }

        static (double Mean, double Std) Stats(List<double> values)
        {
            var mean = values.Average();
            return (mean, values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0);
        }

        var (inMemoryMean, inMemoryStd) = Stats(accuracies[DataLoading.InMemory]);
        var (streamingMean, streamingStd) = Stats(accuracies[DataLoading.Streaming]);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            dataset = name,
            seeds = seeds.Length,
            in_memory_mean = Math.Round(inMemoryMean, 4),
            in_memory_std = Math.Round(inMemoryStd, 4),
            streaming_mean = Math.Round(streamingMean, 4),
            streaming_std = Math.Round(streamingStd, 4),
        }));
        return 0;
    }

    /// <summary>The rows as an ML.NET view: the class index as a Single label and a vector of features.</summary>
    private static IDataView View(MLContext mlContext, TrainingData data)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, data.Columns);
        var rows = Enumerable.Range(0, data.Rows).Select(r => new Row { Label = data.Labels[r], Features = data.Row(r).ToArray() }).ToArray();
        return mlContext.Data.LoadFromEnumerable(rows, schema);
    }

    private sealed class Row
    {
        public float Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
