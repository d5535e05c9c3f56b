using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using MlNetDeep.Cli.Data;
using MlNetDeep.Cli.Reporting;
using MlNetDeep.Training;
using MlNetDeep.Tuning;
using Spectre.Console;

namespace MlNetDeep.Cli.Commands;

/// <summary>
/// <c>mlnetdeep tune</c>: reads a CSV file (or the embedded digits dataset) like <c>train</c>, holds out a test set,
/// searches the trainer's options with Bayesian optimization on the training rows (hold-out or cross-validated
/// metric), prints every trial, retrains the best options on all training rows, prints the test metrics and the
/// best options, and saves the model. <c>--pruning</c> stops poor trials early and <c>--concurrent</c> trains several
/// trials at once (<see cref="FeedForwardTuningOptions.Pruning"/>, <see cref="FeedForwardTuningOptions.MaxConcurrentTrials"/>).
/// The search space is the task's default (<see cref="FeedForwardSearchSpace.CreateDefault(TaskKind)"/>); a training flag
/// that sets a searched option (<c>--ensemble</c>, <c>--input-transform</c>, <c>--embedding</c>, <c>--embedding-scale</c>,
/// <c>--embedding-bins</c>, <c>--label-smoothing</c>) takes that parameter, and those conditioned on it, out of the search.
/// </summary>
internal static class TuneCommand
{
    /// <summary>The default number of trials.</summary>
    public const int DefaultTrials = 20;

    /// <summary>The default model file.</summary>
    public const string DefaultOutput = "tuned.zip";

    /// <summary>Creates the verb.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var dataset = new Option<string?>("--dataset", "-d") { Description = "CSV file with a header row (default: the embedded digits dataset)." };
        var label = new Option<string>("--label", "-l") { Description = "The label column.", DefaultValueFactory = _ => EmbeddedDataset.Label };
        var task = new Option<TaskKind?>("--task", "-t") { Description = "multiclass, binary or regression (default: inferred from the label).", HelpName = "task" };
        var trials = OptionParsing.InRange(new Option<int>("--trials") { Description = "How many configurations to try.", DefaultValueFactory = _ => DefaultTrials }, 1, 10_000);
        var seconds = OptionParsing.InRange(new Option<double>("--seconds") { Description = "Time budget of the search in seconds (0: none)." }, 0.0, 1e7);
        var folds = OptionParsing.InRange(new Option<int>("--folds") { Description = "Cross-validation folds for each trial's metric (0: one hold-out split)." }, 0, 20);
        var epochs = OptionParsing.InRange(new Option<int?>("--epochs", "-e") { Description = "Maximum epochs of every trial (default: the trainer's)." }, 1, 100_000);
        var random = new Option<bool>("--random") { Description = "Random search instead of Bayesian optimization." };
        var metric = new Option<FeedForwardTuningMetric?>("--metric") { Description = "The validation metric to optimize, e.g. Accuracy (default: MicroAccuracy, AreaUnderRocCurve or RootMeanSquaredError by task).", HelpName = "name" };
        var pruning = new Option<TrialPruning>("--pruning") { Description = "Stop poor trials early from their per-epoch validation metric: None, Median or SuccessiveHalving (binary tasks need --metric Accuracy).", HelpName = "name", DefaultValueFactory = _ => FeedForwardTuningOptions.Defaults.Pruning };
        var concurrent = OptionParsing.InRange(new Option<int>("--concurrent") { Description = "Trials trained at once, sharing the processors.", DefaultValueFactory = _ => FeedForwardTuningOptions.Defaults.MaxConcurrentTrials }, 1, 1024);
        var output = new Option<string>("--output", "-o") { Description = "The model file to write.", DefaultValueFactory = _ => DefaultOutput };
        var testFraction = OptionParsing.InRange(new Option<float>("--test-fraction") { Description = "Share of rows held out as the test set, in [0.01, 0.99].", DefaultValueFactory = _ => TrainCommand.DefaultTestFraction }, 0.01f, 0.99f);
        var seed = new Option<int>("--seed") { Description = "Seed of the test split, the search and training.", DefaultValueFactory = _ => TrainCommand.DefaultSeed };
        var training = new TrainingFlags.Parser();

        var command = new Command("tune", "Search the network's hyperparameters on a CSV file (or the embedded digits dataset), retrain the best, print test metrics and save the model.")
        {
            dataset, label, task, trials, seconds, folds, epochs,
        };
        training.AddTo(command);
        command.Options.Add(random);
        command.Options.Add(metric);
        command.Options.Add(pruning);
        command.Options.Add(concurrent);
        command.Options.Add(output);
        command.Options.Add(testFraction);
        command.Options.Add(seed);
        command.SetAction(result => CliApp.Guard(console, () => Run(
            console,
            result.GetValue(dataset),
            result.GetValue(label)!,
            result.GetValue(task),
            new FeedForwardTuningOptions
            {
                MaxTrials = result.GetValue(trials),
                MaxSeconds = result.GetValue(seconds),
                NumberOfFolds = result.GetValue(folds),
                Seed = result.GetValue(seed),
                SearchAlgorithm = result.GetValue(random) ? FeedForwardSearchAlgorithm.Random : FeedForwardSearchAlgorithm.Bayesian,
                Metric = result.GetValue(metric),
                Pruning = result.GetValue(pruning),
                MaxConcurrentTrials = result.GetValue(concurrent),
            },
            result.GetValue(epochs),
            training.Read(result),
            result.GetValue(output)!,
            result.GetValue(testFraction),
            result.GetValue(seed))));
        return command;
    }

    /// <summary>Runs a tuning job.</summary>
    /// <exception cref="CliException">A problem with the data or the options.</exception>
    public static void Run(IAnsiConsole console, string? datasetPath, string label, TaskKind? task, FeedForwardTuningOptions options, int? epochs, TrainingFlags training, string output, float testFraction, int seed)
    {
        var table = datasetPath is null ? EmbeddedDataset.Load() : CsvTable.Load(datasetPath);
        var schema = DatasetSchema.Infer(table, label, task);
        training.CheckTask(schema.Task);
        console.MarkupLine($"Dataset [bold]{Markup.Escape(table.Source)}[/]: {table.Rows.Count} rows, label [bold]{Markup.Escape(schema.Label)}[/], task [bold]{schema.Task.ToString().ToLowerInvariant()}[/]");

        var mlContext = new MLContext(seed);
        var data = TableLoading.LoadForTraining(mlContext, table, schema);
        var split = mlContext.Data.TrainTestSplit(data, testFraction, seed: seed);
        var featurizer = Featurization.ConvertLabel(mlContext, schema).Append(Featurization.Featurize(mlContext, schema)).Fit(split.TrainSet);
        var featurized = featurizer.Transform(split.TrainSet);

        // The flags given fix their options: the task's default space without the parameters that would overwrite them
        // (and without the parameters conditioned on those).
        var space = FeedForwardSearchSpace.CreateDefault(schema.Task);
        var fixedByFlags = training.SearchParametersSet().Where(name => space.Parameters.Any(p => p.Name == name)).ToArray();
        if (options.SearchSpace is null && fixedByFlags.Length > 0)
        {
            options.SearchSpace = space.Without(fixedByFlags);
            console.MarkupLine(Markup.Escape($"Not searched, set by flags: {string.Join(", ", fixedByFlags)}"));
        }

        options.LabelColumnName = schema.Label;
        options.FeatureColumnName = Featurization.FeaturesColumn;
        options.Progress = trial => console.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"trial {trial.Index + 1,3}: {(trial.Succeeded ? trial.Value.ToString("0.0000", CultureInfo.InvariantCulture) : "failed: " + trial.Failure)}{(trial.Pruned ? $" pruned at epoch {trial.PrunedAtStep}" : string.Empty)}  {trial.Parameters}  ({trial.Duration.TotalSeconds:0.0} s)")));

        ITransformer predictor;
        FeedForwardTrainerOptionsBase best;
        string metric;
        try
        {
            switch (schema.Task)
            {
                case TaskKind.Multiclass:
                    options.BaseOptions = BaseOptions(new FeedForwardMulticlassTrainer.Options(), epochs, training);
                    var multiclass = mlContext.MulticlassClassification.TuneFeedForward(featurized, options);
                    (predictor, best, metric) = (multiclass.BestModel, multiclass.BestOptions, multiclass.Metric.ToString());
                    break;
                case TaskKind.Binary:
                    options.BaseOptions = BaseOptions(new FeedForwardBinaryTrainer.Options(), epochs, training);
                    var binary = mlContext.BinaryClassification.TuneFeedForward(featurized, options);
                    (predictor, best, metric) = (binary.BestModel, binary.BestOptions, binary.Metric.ToString());
                    break;
                default:
                    options.BaseOptions = BaseOptions(new FeedForwardRegressionTrainer.Options(), epochs, training);
                    var regression = mlContext.Regression.TuneFeedForward(featurized, options);
                    (predictor, best, metric) = (regression.BestModel, regression.BestOptions, regression.Metric.ToString());
                    break;
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new CliException($"Tuning failed: {e.Message}");
        }

        console.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"Best options by {metric}: hidden [{string.Join(", ", best.HiddenLayers)}], {best.Activation}, {best.Normalization}, dropout {best.DropoutRate:0.###}, {best.WeightInitializer} initializer, learning rate {best.LearningRate:G3}, batch {best.BatchSize?.ToString(CultureInfo.InvariantCulture) ?? "auto"}, L2 {best.L2Regularization:G3}, {best.InputTransform} inputs, {Embedding(best)}, ensemble {best.EnsembleSize?.ToString(CultureInfo.InvariantCulture) ?? "auto"}{LabelSmoothing(best)}")));

        var model = ModelTraining.Assemble(mlContext, schema, featurizer, predictor, featurized);
        ModelMetrics.Evaluate(mlContext, model.Transform(split.TestSet), schema.Task, schema.Label)
            .Write(console, $"Test set ({testFraction:P0} of {table.Rows.Count} rows)");

        var modelPath = Path.GetFullPath(output);
        if (Path.GetDirectoryName(modelPath) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        mlContext.Model.Save(model, data.Schema, modelPath);
        console.MarkupLine($"Model saved to [green]{Markup.Escape(modelPath)}[/]");
    }

    /// <summary>The numeric embedding and the one parameter of it the default space searches, e.g. <c>Periodic embedding (scale 0.3)</c>.</summary>
    private static string Embedding(FeedForwardTrainerOptionsBase options) => options.NumericEmbedding switch
    {
        null => "the automatic embedding",
        NumericEmbedding.None => "no embedding",
        NumericEmbedding.PiecewiseLinear => string.Create(CultureInfo.InvariantCulture, $"{options.NumericEmbedding} embedding ({options.EmbeddingBins} bins)"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{options.NumericEmbedding} embedding (scale {options.EmbeddingFrequencyScale:G3})"),
    };

    /// <summary>The label smoothing of the classification options, e.g. <c>, label smoothing 0.05</c>; empty for regression.</summary>
    private static string LabelSmoothing(FeedForwardTrainerOptionsBase options) => options switch
    {
        FeedForwardMulticlassTrainer.Options multiclass => string.Create(CultureInfo.InvariantCulture, $", label smoothing {multiclass.LabelSmoothing:0.###}"),
        FeedForwardBinaryTrainer.Options binary => string.Create(CultureInfo.InvariantCulture, $", label smoothing {binary.LabelSmoothing:0.###}"),
        _ => string.Empty,
    };

    /// <summary>The options every trial starts from: <paramref name="options"/> with the epochs and the training flags given.</summary>
    private static T BaseOptions<T>(T options, int? epochs, TrainingFlags training)
        where T : FeedForwardTrainerOptionsBase
    {
        options.NumberOfEpochs = epochs ?? options.NumberOfEpochs;
        return training.ApplyTo(options);
    }
}
