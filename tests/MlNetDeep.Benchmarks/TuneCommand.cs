using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Training;
using MlNetDeep.Tuning;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// <c>tune --dataset letter|digits [--data data] [--seeds 0,1,2,3,4] [--trials 30] [--epochs 100] [--patience 10]
/// [--rows 0] [--threads N] [--folds 0] [--modes default,bayesian,random] [--pruning None] [--concurrent 1]
/// [--set Name=Value]...</c>: on the
/// published train/test splits (split flag 1 = test), compares the FeedForward trainer with its default options against
/// the tuner's best model after <c>--trials</c> Bayesian trials and after as many random-search trials. Reports the test
/// accuracy per configuration (mean ± std over seeds), the trial at which each search reached its best validation
/// accuracy, the pruned trials, and the time. <c>--pruning</c> (e.g. <c>None,SuccessiveHalving</c>) and
/// <c>--concurrent</c> (e.g. <c>1,2</c>) take lists: every search mode runs with every combination, named like
/// <c>bayesian/SuccessiveHalving/x2</c> when a list has more than one value. Each seed is a round that runs every
/// configuration, in an order rotated by one from the round before, so a slow phase of a shared machine does not fall
/// on one configuration. <c>--rows</c> keeps only the first N training rows and <c>--epochs</c> caps every training
/// run, for quick runs. <c>--set</c> (as for <c>suite</c>) changes the base options: the default mode's model and every
/// search's starting point.
/// </summary>
internal static class TuneCommand
{
    public static int Run(string[] args)
    {
        var options = new CommandLine(args);
        var name = options.String("dataset", "letter");
        var directory = options.String("data", "data");
        var seeds = options.String("seeds", "0,1,2,3,4").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var trials = options.Int("trials", 30);
        var epochs = options.Int("epochs", FeedForwardTrainerOptionsBase.Defaults.NumberOfEpochs);
        var patience = options.Int("patience", FeedForwardTrainerOptionsBase.Defaults.EarlyStoppingPatience);
        var rowLimit = options.Int("rows", 0);
        var threads = options.Int("threads", Environment.ProcessorCount);
        var folds = options.Int("folds", 0);
        var modes = options.String("modes", "default,bayesian,random").Split(',');
        var prunings = options.String("pruning", nameof(TrialPruning.None)).Split(',').Select(Enum.Parse<TrialPruning>).ToArray();
        var assignments = TrainerOptionAssignments.Parse(options.Strings("set"));
        var concurrents = options.String("concurrent", "1").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        var configurations = modes.SelectMany(m => m == "default"
            ? [new Configuration(m, m, TrialPruning.None, 1)]
            : prunings.SelectMany(p => concurrents.Select(c => new Configuration(
                m + (prunings.Length > 1 ? "/" + p : string.Empty) + (concurrents.Length > 1 ? $"/x{c}" : string.Empty), m, p, c)))).ToArray();
        var (features, labels, columns, task, _) = QualityCommand.Load(Path.Combine(directory, name + ".csv"), name);
        if (task != TaskKind.Multiclass)
        {
            throw new ArgumentException($"tune compares multiclass accuracy; '{name}' is a {task} data set. Received: --dataset {name}.");
        }

        var results = configurations.ToDictionary(c => c.Name, _ => new List<(double Accuracy, int BestTrial, double Seconds, double BestValidation, int Pruned)>());
        for (var round = 0; round < seeds.Length; round++)
        {
            var seed = seeds[round];
            var flags = File.ReadAllLines(Path.Combine(directory, "splits", $"{name}.seed{seed}.txt")).Where(l => l.Length > 0).Select(l => l.Trim() == "1").ToArray();
            if (flags.Length != labels.Length)
            {
                throw new InvalidDataException($"{name}.seed{seed}.txt has {flags.Length} flags for {labels.Length} rows.");
            }

            var mlContext = new MLContext(seed);
            var trainRows = Enumerable.Range(0, labels.Length).Where(r => !flags[r]).ToArray();
            if (rowLimit > 0)
            {
                trainRows = trainRows[..Math.Min(rowLimit, trainRows.Length)];
            }

            var train = Load(mlContext, features, labels, columns, trainRows);
            var test = Load(mlContext, features, labels, columns, [.. Enumerable.Range(0, labels.Length).Where(r => flags[r])]);
            var toKey = mlContext.Transforms.Conversion.MapValueToKey(nameof(Row.Label), keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(train);
            (train, test) = (toKey.Transform(train), toKey.Transform(test));
            var baseOptions = assignments.Apply(new FeedForwardMulticlassTrainer.Options { NumberOfEpochs = epochs, EarlyStoppingPatience = patience, Seed = seed, NumberOfThreads = threads });
            for (var k = 0; k < configurations.Length; k++)
            {
                var configuration = configurations[(k + round) % configurations.Length];
                var configurationName = configuration.Name;
                var mode = configuration.Mode;
                var stopwatch = Stopwatch.StartNew();
                ITransformer model;
                var bestTrial = 0;
                var bestValidation = double.NaN;
                var pruned = 0;
                var curve = string.Empty;
                if (mode == "default")
                {
                    var trained = mlContext.MulticlassClassification.Trainers.FeedForward(baseOptions).Fit(train);
                    model = trained;
                    var network = trained.Model;
                    var bestEpoch = network.TrainingHistory[network.BestEpoch - 1];
                    bestValidation = bestEpoch.ValidationMetric ?? double.NaN;
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  default seed {seed}: {network.TrainingHistory.Count} epochs, best {network.BestEpoch} (validation accuracy {bestValidation:F4}, loss {bestEpoch.ValidationLoss:F4}, training loss {bestEpoch.TrainingLoss:F4})"));
                }
                else
                {
                    var result = mlContext.MulticlassClassification.TuneFeedForward(train, new FeedForwardTuningOptions
                    {
                        MaxTrials = trials,
                        Seed = seed,
                        NumberOfFolds = folds,
                        BaseOptions = baseOptions,
                        SearchAlgorithm = mode switch
                        {
                            "bayesian" => FeedForwardSearchAlgorithm.Bayesian,
                            "random" => FeedForwardSearchAlgorithm.Random,
                            _ => throw new ArgumentException($"Unknown mode '{mode}'; use default, bayesian or random."),
                        },
                        Pruning = configuration.Pruning,
                        MaxConcurrentTrials = configuration.Concurrent,
                        Progress = t => Console.Error.WriteLine($"  {configurationName} seed {seed} {t}"),
                    });
                    model = result.BestModel;
                    bestTrial = result.BestTrial.Index + 1;
                    bestValidation = result.BestTrial.Value;
                    pruned = result.Trials.Count(t => t.Pruned);
                    var best = double.NegativeInfinity;
                    curve = string.Join(" ", result.Trials.Select(t => (best = t.Succeeded && !t.Pruned ? Math.Max(best, t.Value) : best).ToString("F4", CultureInfo.InvariantCulture)));
                }

                var seconds = stopwatch.Elapsed.TotalSeconds;
                var accuracy = mlContext.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
                results[configurationName].Add((accuracy, bestTrial, seconds, bestValidation, pruned));
                Console.Error.WriteLine($"{name} seed {seed} {configurationName}: test accuracy {accuracy:F4}{(mode == "default" ? string.Empty : $", best at trial {bestTrial}/{trials} (validation {bestValidation:F4}), {pruned} pruned")}, {seconds:F1} s");
                if (curve.Length > 0)
                {
                    Console.Error.WriteLine($"  best validation accuracy after each trial: {curve}");
                }
            }
        }

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            dataset = name,
            seeds,
            trials,
            epochs,
            rows = rowLimit,
            threads,
            folds,
            modes = results.ToDictionary(r => r.Key, r => new
            {
                accuracy_mean = Math.Round(r.Value.Average(v => v.Accuracy), 4),
                accuracy_std = Math.Round(StandardDeviation(r.Value.Select(v => v.Accuracy).ToArray()), 4),
                accuracy = r.Value.Select(v => Math.Round(v.Accuracy, 4)).ToArray(),
                best_trial = r.Value.Select(v => v.BestTrial).ToArray(),
                best_validation = r.Value.Select(v => Math.Round(v.BestValidation, 4)).ToArray(),
                pruned = r.Value.Select(v => v.Pruned).ToArray(),
                seconds = r.Value.Select(v => Math.Round(v.Seconds, 1)).ToArray(),
                seconds_mean = Math.Round(r.Value.Average(v => v.Seconds), 1),
            }),
        }));
        return 0;
    }

    private static double StandardDeviation(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Length - 1));
    }

    // The rows as an IDataView: the class index as a float label (made a key, by value, by the caller) and a Single feature vector.
    private static IDataView Load(MLContext mlContext, float[] features, float[] labels, int columns, int[] rows)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, columns);
        var data = rows.Select(r => new Row { Label = labels[r], Features = features.AsSpan(r * columns, columns).ToArray() }).ToArray();
        return mlContext.Data.LoadFromEnumerable(data, schema);
    }

    /// <summary>One compared configuration: its name in the report, the search mode, the pruning and the concurrent trials.</summary>
    private sealed record Configuration(string Name, string Mode, TrialPruning Pruning, int Concurrent);

    private sealed class Row
    {
        public float Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
