using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MlNetDeep.Training;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// <c>quality --dataset letter|digits|breast_cancer|diabetes [--data data] [--seeds 0,1,2,3,4] [--hidden 256,128]
/// [--epochs N] [--batch N] [--lr X] [--normalization BatchNorm] [--dropout X] [--threads N] [--transform Quantile]
/// [--ensemble K] [--embedding Periodic] [--embedding-dimension N] [--embedding-frequencies N] [--embedding-scale X] [--embedding-bins N]</c>: trains on the
/// published train/test splits (label first in the CSV, split flag 1 = test) and reports the test accuracy
/// (RMSE for regression) per seed, its mean and standard deviation, and the training time.
/// </summary>
internal static class QualityCommand
{
    public static int Run(string[] args)
    {
        var options = new CommandLine(args);
        var name = options.String("dataset", "letter");
        var directory = options.String("data", "data");
        var seeds = options.String("seeds", "0,1,2,3,4").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var threads = options.Int("threads", Environment.ProcessorCount);
        var (features, labels, columns, task, classes) = Load(Path.Combine(directory, name + ".csv"), name);
        var rows = labels.Length;
        var hidden = options.String("hidden", "256,128").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var activation = Enum.Parse<Activation>(options.String("activation", "ReLU"));
        var normalization = Enum.Parse<Normalization>(options.String("normalization", "BatchNorm"));
        var dropout = options.Float("dropout", 0.1f);
        var scores = new List<double>();
        var seconds = new List<double>();
        var epochs = new List<int>();
        foreach (var seed in seeds)
        {
            var flags = File.ReadAllLines(Path.Combine(directory, "splits", $"{name}.seed{seed}.txt")).Where(l => l.Length > 0).Select(l => l.Trim() == "1").ToArray();
            if (flags.Length != rows)
            {
                throw new InvalidDataException($"{name}.seed{seed}.txt has {flags.Length} flags for {rows} rows.");
            }

            var train = Subset(features, labels, columns, flags, test: false);
            var test = Subset(features, labels, columns, flags, test: true);
            var spec = new NetworkSpec
            {
                InputSize = columns,
                Task = task,
                ClassCount = classes,
                HiddenLayers = hidden.Select(h => new HiddenLayerSpec(h, activation, normalization, dropout)).ToArray(),
                InputTransform = Enum.Parse<InputTransform>(options.String("transform", nameof(InputTransform.Standardize))),
                NumericEmbedding = Enum.Parse<NumericEmbedding>(options.String("embedding", nameof(NumericEmbedding.None))),
                EmbeddingDimension = options.Int("embedding-dimension", TrainingDefaults.EmbeddingDimension),
                EmbeddingFrequencies = options.Int("embedding-frequencies", TrainingDefaults.EmbeddingFrequencies),
                EmbeddingFrequencyScale = options.Float("embedding-scale", TrainingDefaults.EmbeddingFrequencyScale),
                EmbeddingBins = options.Int("embedding-bins", TrainingDefaults.EmbeddingBins),
                EnsembleSize = options.Int("ensemble", TrainingDefaults.EnsembleSize),
            };
            var settings = new TrainingSettings
            {
                NumberOfEpochs = options.Int("epochs", 100),
                BatchSize = options.Int("batch", 0) is > 0 and var batch ? batch : null,
                LearningRate = options.Float("lr", 0.003f),
                EarlyStoppingPatience = options.Int("patience", 10),
                ValidationFraction = options.Float("validation", 0.1f),
                Optimizer = Enum.Parse<Optimizer>(options.String("optimizer", "Adam")),
                L2Regularization = options.Float("l2", 0f),
                Schedule = options.String("schedule", "plateau") switch
                {
                    "cosine" => new CosineAnnealingSchedule(options.Float("lr", 0.003f), options.Int("epochs", 100), options.Float("lr", 0.003f) * 0.01, 0),
                    "flatcos" => new FlatCosineSchedule(options.Float("lr", 0.003f), options.Int("epochs", 100), FeedForwardTrainerOptionsBase.Defaults.FlatCosineFlatFraction),
                    "plateau" => new ReduceOnPlateauSchedule(options.Float("lr", 0.003f), 0.5, options.Int("plateau", 3), options.Float("lr", 0.003f) * 0.01),
                    _ => null,
                },
                Seed = seed,
                Threads = threads,
            };
            var stopwatch = Stopwatch.StartNew();
            var result = NetworkTrainer.Train(spec, train, settings);
            seconds.Add(stopwatch.Elapsed.TotalSeconds);
            epochs.Add(result.History.Count);
            var scorer = result.Network.CreateScorer(1024);
            var outputs = new float[test.Rows * spec.OutputSize];
            scorer.Score(test.Features, outputs, test.Rows);
            double score = 0;
            for (var r = 0; r < test.Rows; r++)
            {
                score += task switch
                {
                    TaskKind.Multiclass => System.Numerics.Tensors.TensorPrimitives.IndexOfMax(outputs.AsSpan(r * classes, classes)) == (int)test.Labels[r] ? 1 : 0,
                    TaskKind.Binary => (outputs[r] > 0) == (test.Labels[r] > 0.5f) ? 1 : 0,
                    _ => (outputs[r] - test.Labels[r]) * (double)(outputs[r] - test.Labels[r]),
                };
            }

            score /= test.Rows;
            scores.Add(task == TaskKind.Regression ? Math.Sqrt(score) : score);
            Console.Error.WriteLine($"{name} seed {seed}: {(task == TaskKind.Regression ? "RMSE" : "accuracy")} {scores[^1]:F4}, {result.History.Count} epochs (best {result.BestEpoch}), {seconds[^1]:F2} s");
        }

        var mean = scores.Average();
        var std = Math.Sqrt(scores.Sum(s => (s - mean) * (s - mean)) / Math.Max(1, scores.Count - 1));
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            dataset = name,
            metric = task == TaskKind.Regression ? "rmse" : "accuracy",
            mean = Math.Round(mean, 4),
            std = Math.Round(std, 4),
            seconds_mean = Math.Round(seconds.Average(), 2),
            epochs_mean = epochs.Average(),
            threads,
        }));
        return 0;
    }

    internal static (float[] Features, float[] Labels, int Columns, TaskKind Task, int Classes) Load(string path, string name)
    {
        var lines = File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).ToArray();
        var columns = lines[0].Split(',').Length - 1;
        var rawLabels = lines.Select(l => l[..l.IndexOf(',', StringComparison.Ordinal)]).ToArray();
        var features = new float[lines.Length * columns];
        for (var r = 0; r < lines.Length; r++)
        {
            var parts = lines[r].Split(',');
            for (var c = 0; c < columns; c++)
            {
                features[(r * columns) + c] = float.Parse(parts[c + 1], CultureInfo.InvariantCulture);
            }
        }

        var task = name switch
        {
            "diabetes" => TaskKind.Regression,
            "breast_cancer" => TaskKind.Binary,
            _ => TaskKind.Multiclass,
        };
        if (task == TaskKind.Multiclass)
        {
            var classes = rawLabels.Distinct().Order(StringComparer.Ordinal).ToList();
            return (features, rawLabels.Select(l => (float)classes.IndexOf(l)).ToArray(), columns, task, classes.Count);
        }

        return (features, rawLabels.Select(l => float.Parse(l, CultureInfo.InvariantCulture)).ToArray(), columns, task, 0);
    }

    internal static TrainingData Subset(float[] features, float[] labels, int columns, bool[] flags, bool test)
    {
        var rows = Enumerable.Range(0, labels.Length).Where(r => flags[r] == test).ToArray();
        var x = new float[rows.Length * columns];
        var y = new float[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            features.AsSpan(rows[i] * columns, columns).CopyTo(x.AsSpan(i * columns));
            y[i] = labels[rows[i]];
        }

        return new TrainingData(x, rows.Length, columns, y);
    }
}
