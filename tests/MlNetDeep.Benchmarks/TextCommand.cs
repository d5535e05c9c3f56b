using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using MlNetDeep.Samples.TextClassification;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// <c>text [--data data/austen.csv] [--seeds 0,1,2] [--modes sparse,dense,sdca] [--rows N] [--epochs 30]</c>:
/// the text-classification sample's pipeline on Jane Austen's passages, per seed a stratified 80/20 split
/// (<see cref="TextClassificationModel.StratifiedSplit"/>, seeded with the seed). The featurization
/// (<see cref="TextClassificationModel.BuildFeaturization"/>) is fitted on the training passages and both sets are
/// featurized and cached once; then each mode fits its trainer on the same cached rows and is evaluated on the same test
/// rows: <c>sparse</c> is the sample's network (the rows kept sparse), <c>dense</c> the same network with
/// <see cref="DataLoading.InMemory"/> (the rows densified), <c>sdca</c> ML.NET's <c>SdcaMaximumEntropy</c> with its
/// defaults. Prints each fit, then a Markdown table (accuracy mean ± sample standard deviation, trainer fit seconds
/// mean, featurization seconds) and a JSON line. The network uses every processor, as the sample does.
/// </summary>
internal static class TextCommand
{
    public static int Run(string[] args)
    {
        var options = new CommandLine(args);
        options.RejectUnknown("data", "seeds", "modes", "rows", "epochs");
        var path = options.String("data", Path.Combine("data", "austen.csv"));
        var seeds = options.String("seeds", "0,1,2").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var modes = options.String("modes", "sparse,dense,sdca").Split(',');
        var rowLimit = options.Int("rows", 0);
        var epochs = options.Int("epochs", Samples.TextClassification.Program.DefaultEpochs);
        var threads = Environment.ProcessorCount;
        var accuracy = modes.ToDictionary(m => m, _ => new List<double>());
        var seconds = modes.ToDictionary(m => m, _ => new List<double>());
        var featurizeSeconds = new List<double>();
        var all = TextClassificationModel.LoadRows(new MLContext(seed: 0), path);
        foreach (var seed in seeds)
        {
            var rows = rowLimit > 0 && rowLimit < all.Length ? TextClassificationModel.StratifiedSplit(all, 1 - (rowLimit / (double)all.Length), seed).Train : all;
            var (train, test) = TextClassificationModel.StratifiedSplit(rows, TextClassificationModel.TestFraction, seed);
            var mlContext = new MLContext(seed: seed);
            var stopwatch = Stopwatch.StartNew();
            var featurizer = mlContext.Transforms.Conversion.MapValueToKey("Label", "Label")
                .Append(TextClassificationModel.BuildFeaturization(mlContext))
                .Fit(mlContext.Data.LoadFromEnumerable(train));
            var trainRows = Materialize(mlContext, featurizer.Transform(mlContext.Data.LoadFromEnumerable(train)), out var features, out var nonZeros);
            var testRows = Materialize(mlContext, featurizer.Transform(mlContext.Data.LoadFromEnumerable(test)), out _, out _);
            featurizeSeconds.Add(stopwatch.Elapsed.TotalSeconds);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed {seed}: {train.Length} training and {test.Length} test passages, {features} features, {nonZeros / train.Length:F0} non-zeros per passage; featurized in {featurizeSeconds[^1]:F1} s"));
            foreach (var mode in modes)
            {
                IEstimator<ITransformer> trainer = mode switch
                {
                    "sparse" => TextClassificationModel.BuildTrainer(mlContext, epochs, DataLoading.Auto, seed),
                    "dense" => TextClassificationModel.BuildTrainer(mlContext, epochs, DataLoading.InMemory, seed),
                    "sdca" => mlContext.MulticlassClassification.Trainers.SdcaMaximumEntropy(),
                    _ => throw new ArgumentException($"Unknown mode. Received: {mode} (sparse, dense, sdca)."),
                };
                stopwatch.Restart();
                var model = trainer.Fit(trainRows);
                seconds[mode].Add(stopwatch.Elapsed.TotalSeconds);
                var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(testRows));
                accuracy[mode].Add(metrics.MicroAccuracy);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed {seed} {mode}: accuracy {metrics.MicroAccuracy:F4}, fit {seconds[mode][^1]:F1} s"));
            }
        }

        Console.WriteLine("| trainer | accuracy | fit, s (trainer only) |");
        Console.WriteLine("|---|---|---|");
        foreach (var mode in modes)
        {
            var statistic = SeedStatistic.Of(accuracy[mode]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {mode} | {statistic.Mean:F3} ± {statistic.Std:F3} ({string.Join(", ", accuracy[mode].Select(a => a.ToString("F3", CultureInfo.InvariantCulture)))}) | {seconds[mode].Average():F1} ({string.Join(", ", seconds[mode].Select(s => s.ToString("F1", CultureInfo.InvariantCulture)))}) |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"featurization (shared), s: {featurizeSeconds.Average():F1}"));
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            seeds,
            epochs,
            threads,
            featurize_seconds = featurizeSeconds,
            modes = modes.ToDictionary(m => m, m => new { accuracy = accuracy[m], seconds = seconds[m] }),
        }));
        return 0;
    }

    /// <summary>Caches <paramref name="view"/> in memory after one pass that counts its features and non-zeros.</summary>
    private static IDataView Materialize(MLContext mlContext, IDataView view, out int features, out long nonZeros)
    {
        var cached = mlContext.Data.Cache(view);
        var column = cached.Schema["Features"];
        features = ((Microsoft.ML.Data.VectorDataViewType)column.Type).Size;
        nonZeros = 0;
        using var cursor = cached.GetRowCursor([column]);
        var getter = cursor.GetGetter<Microsoft.ML.Data.VBuffer<float>>(column);
        var buffer = default(Microsoft.ML.Data.VBuffer<float>);
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            nonZeros += buffer.GetValues().Length;
        }

        return cached;
    }
}
