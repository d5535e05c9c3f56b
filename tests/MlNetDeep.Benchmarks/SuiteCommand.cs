using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Cli.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// <c>suite [--data DIR] [--datasets all|digits,letter,...] [--seeds 0,1,2,3,4] [--set Name=Value]... [--json FILE]</c>:
/// trains through ML.NET, as a user would, on the public suite's train/test splits and sets the test scores beside the
/// anchor systems' in <c>DIR/anchors.json</c> (<c>all</c> is every data set listed there, in its order).
/// <para>
/// Per data set and seed: <c>DIR/NAME.csv</c> (header row, the label in the first column) is split by
/// <c>DIR/splits/NAME.seedK.txt</c> (one flag per data row, 1 = test); the pipeline is the <c>mlnetdeep</c> tool's
/// (<see cref="Featurization"/>): the label converted for the task (binary: the second label value in sort order is
/// <c>true</c>), numeric columns mean-imputed, categorical columns one-hot encoded with a missing (empty) or unseen
/// category as all zeros, all concatenated into <c>Features</c>, every statistic fitted on the training rows only; then
/// the task's <c>FeedForward</c> trainer with default options except <c>Seed</c> = the split's seed and the
/// <c>--set</c> assignments (<see cref="TrainerOptionAssignments"/>). A column is categorical when a value in it is not
/// a number or when <c>anchors.json</c> lists it as categorical (soybean's codes are written as numbers), as the
/// anchors encoded it. Scores: multiclass micro-accuracy, binary accuracy, regression RMSE in the label's units.
/// </para>
/// <para>
/// Prints a block per data set as it finishes (<see cref="SuiteReport.WriteSet"/>), then the counts, a Markdown table,
/// and last the counts as one JSON line; <c>--json FILE</c> also writes every result (<see cref="SuiteReport.WriteJson"/>).
/// </para>
/// </summary>
internal static class SuiteCommand
{
    /// <summary>The data directory when <c>--data</c> is not given: the repository's data folder, seen from its root.</summary>
    public const string DefaultDataDirectory = "data";

    public static int Run(string[] args)
    {
        var options = new CommandLine(args);
        options.RejectUnknown("data", "datasets", "seeds", "set", "json");
        var directory = options.String("data", DefaultDataDirectory);
        var seeds = options.String("seeds", "0,1,2,3,4").Split(',', StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var assignments = TrainerOptionAssignments.Parse(options.Strings("set"));
        var jsonPath = options.String("json", string.Empty);
        var anchorsPath = Path.Combine(directory, "anchors.json");
        if (!File.Exists(anchorsPath))
        {
            throw new ArgumentException($"{anchorsPath} does not exist (full path: {Path.GetFullPath(anchorsPath)}); point --data at the suite's data directory.");
        }

        var anchors = SuiteAnchors.Load(anchorsPath);
        var requested = options.String("datasets", "all");
        var datasets = requested == "all" ? anchors.Datasets : [.. requested.Split(',', StringSplitOptions.TrimEntries).Select(name =>
            anchors.Datasets.FirstOrDefault(d => d.Name == name)
            ?? throw new ArgumentException($"'{name}' is not a data set of {anchorsPath}. Data sets: {string.Join(", ", anchors.Datasets.Select(d => d.Name))}."))];

        Console.WriteLine($"suite: {datasets.Count} data set(s), seeds {string.Join(",", seeds)}, options: defaults"
            + (assignments.Assignments.Count == 0 ? string.Empty : " with " + string.Join(", ", assignments.Assignments.Select(a => $"{a.Name}={a.Text}"))));
        Console.WriteLine($"fit time: {SuiteReport.FitTimeMeaning}.");
        var results = new List<SuiteResult>();
        foreach (var dataset in datasets)
        {
            results.Add(RunDataset(directory, dataset, seeds, assignments));
            Console.WriteLine();
            SuiteReport.WriteSet(Console.Out, results[^1]);
        }

        Console.WriteLine();
        SuiteReport.WriteSummary(Console.Out, results);
        Console.WriteLine();
        SuiteReport.WriteTable(Console.Out, results);
        if (jsonPath.Length > 0)
        {
            SuiteReport.WriteJson(jsonPath, directory, seeds, assignments, results);
            Console.WriteLine();
            Console.WriteLine($"Results written to {Path.GetFullPath(jsonPath)}.");
        }

        Console.WriteLine(SuiteReport.SummaryLine(results));
        return 0;
    }

    private static SuiteResult RunDataset(string directory, SuiteAnchors.Dataset dataset, IReadOnlyList<int> seeds, TrainerOptionAssignments assignments)
    {
        var table = CsvTable.Load(Path.Combine(directory, dataset.Name + ".csv"));
        var schema = DatasetSchema.Infer(table, table.Columns[0], dataset.Task, dataset.Categorical);
        var fits = new List<SuiteResult.Fit>();
        foreach (var seed in seeds)
        {
            var test = ReadSplit(directory, dataset.Name, seed, table.Rows.Count);
            var mlContext = new MLContext(seed: seed);
            var trainRows = TableLoading.LoadForTraining(mlContext, table.Select(Enumerable.Range(0, test.Length).Where(r => !test[r])), schema);
            var testRows = TableLoading.LoadForTraining(mlContext, table.Select(Enumerable.Range(0, test.Length).Where(r => test[r])), schema);
            var pipeline = Featurization.ConvertLabel(mlContext, schema)
                .Append(Featurization.Featurize(mlContext, schema))
                .Append(Trainer(mlContext, schema.Task, seed, assignments));

            var stopwatch = Stopwatch.StartNew();
            var model = pipeline.Fit(trainRows);
            var seconds = stopwatch.Elapsed.TotalSeconds;

            var scored = model.Transform(testRows);
            var score = schema.Task switch
            {
                TaskKind.Multiclass => mlContext.MulticlassClassification.Evaluate(scored, schema.Label).MicroAccuracy,
                TaskKind.Binary => mlContext.BinaryClassification.Evaluate(scored, schema.Label).Accuracy,
                _ => mlContext.Regression.Evaluate(scored, schema.Label).RootMeanSquaredError,
            };
            var network = ((IPredictionTransformer<FeedForwardModelParameters>)model.LastTransformer).Model;
            var features = ((VectorDataViewType)scored.Schema[Featurization.FeaturesColumn].Type).Size;
            fits.Add(new SuiteResult.Fit(seed, score, seconds, network.TrainingHistory.Count, network.BestEpoch, features));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{dataset.Name} seed {seed}: {dataset.Metric} {score:F4}, {features} features, {network.TrainingHistory.Count} epochs (best {network.BestEpoch}), fit {seconds:F2} s"));
        }

        var optionsType = schema.Task switch
        {
            TaskKind.Multiclass => typeof(FeedForwardMulticlassTrainer.Options),
            TaskKind.Binary => typeof(FeedForwardBinaryTrainer.Options),
            _ => typeof(FeedForwardRegressionTrainer.Options),
        };
        return new SuiteResult(dataset, fits, assignments.NotApplicableTo(optionsType));
    }

    /// <summary>The task's trainer with default options except the seed and the assignments.</summary>
    private static IEstimator<ITransformer> Trainer(MLContext mlContext, TaskKind task, int seed, TrainerOptionAssignments assignments) => task switch
    {
        TaskKind.Multiclass => mlContext.MulticlassClassification.Trainers.FeedForward(assignments.Apply(new FeedForwardMulticlassTrainer.Options { Seed = seed })),
        TaskKind.Binary => mlContext.BinaryClassification.Trainers.FeedForward(assignments.Apply(new FeedForwardBinaryTrainer.Options { Seed = seed })),
        _ => mlContext.Regression.Trainers.FeedForward(assignments.Apply(new FeedForwardRegressionTrainer.Options { Seed = seed })),
    };

    /// <summary>The test flags of one split: one line per data row, 1 = test, 0 = train.</summary>
    private static bool[] ReadSplit(string directory, string name, int seed, int rows)
    {
        var path = Path.Combine(directory, "splits", $"{name}.seed{seed}.txt");
        var lines = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (lines.Length != rows)
        {
            throw new InvalidDataException($"{path} has {lines.Length} flags for the {rows} data rows of {name}.csv.");
        }

        return [.. lines.Select((l, i) => l switch
        {
            "1" => true,
            "0" => false,
            _ => throw new InvalidDataException($"{path}, line {i + 1}: '{l}' is not 0 or 1."),
        })];
    }
}
