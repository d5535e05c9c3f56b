using System.CommandLine;
using Microsoft.ML;
using MlNetDeep.Cli.Data;
using MlNetDeep.Cli.Reporting;
using MlNetDeep.Training;
using Spectre.Console;

namespace MlNetDeep.Cli.Commands;

/// <summary>
/// <c>mlnetdeep train</c>: reads a CSV file (or the embedded digits dataset), infers the column types and the
/// task, holds out a test set, trains with live progress, prints the test metrics, and saves the model
/// (<c>.zip</c>) with its learning curve (<c>.png</c>) beside it; with <c>--diagnostics</c> also the per-layer
/// activation spread and gradient norm plot (<c>.layers.png</c>) and every diagnostics record (<c>.diagnostics.csv</c>),
/// and it prints the gradient warnings.
/// </summary>
internal static class TrainCommand
{
    /// <summary>The default model file.</summary>
    public const string DefaultOutput = "model.zip";

    /// <summary>The default share of rows held out for testing.</summary>
    public const float DefaultTestFraction = 0.2f;

    /// <summary>The default seed.</summary>
    public const int DefaultSeed = 1;

    /// <summary>The epoch budget on the embedded dataset when <c>--epochs</c> is not given, so the first run takes seconds.</summary>
    public const int EmbeddedDefaultEpochs = 30;

    /// <summary>The file name suffix of the learning curve written beside the model.</summary>
    public const string CurveSuffix = ".learning-curve.png";

    /// <summary>The file name suffix of the per-layer diagnostics plot written beside the model with <c>--diagnostics</c>.</summary>
    public const string LayersSuffix = ".layers.png";

    /// <summary>The file name suffix of the diagnostics CSV written beside the model with <c>--diagnostics</c>.</summary>
    public const string DiagnosticsSuffix = ".diagnostics.csv";

    /// <summary>Creates the verb.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var dataset = new Option<string?>("--dataset", "-d") { Description = "CSV file with a header row (default: the embedded digits dataset)." };
        var label = new Option<string>("--label", "-l") { Description = "The label column.", DefaultValueFactory = _ => EmbeddedDataset.Label };
        var task = new Option<TaskKind?>("--task", "-t") { Description = "multiclass, binary or regression (default: inferred from the label).", HelpName = "task" };
        var hidden = new Option<int[]?>("--hidden") { Description = "Hidden layer widths, comma separated, e.g. 128,64 (default: the trainer's).", CustomParser = OptionParsing.ParseLayerWidths };
        var activation = new Option<Activation?>("--activation") { Description = $"Hidden layer activation: {string.Join(", ", Enum.GetNames<Activation>())} (default: the trainer's).", HelpName = "name" };
        var normalization = new Option<Normalization?>("--normalization") { Description = "None, BatchNorm or LayerNorm (default: the trainer's).", HelpName = "name" };
        var dropout = OptionParsing.InRange(new Option<float?>("--dropout") { Description = "Dropout rate after each hidden layer, in [0, 1)." }, 0f, 1f, maxExclusive: true);
        var epochs = OptionParsing.InRange(new Option<int?>("--epochs", "-e") { Description = $"Maximum epochs (default: the trainer's; {EmbeddedDefaultEpochs} on the embedded dataset)." }, 1, 100_000);
        var learningRate = OptionParsing.InRange(new Option<float?>("--learning-rate") { Description = "Base learning rate (default: the trainer's)." }, 1e-8f, 10f);
        var batchSize = OptionParsing.InRange(new Option<int?>("--batch-size") { Description = "Mini-batch size (default: the trainer's)." }, 1, 1_000_000);
        var output = new Option<string>("--output", "-o") { Description = $"The model file to write; the learning curve is written beside it as *{CurveSuffix}.", DefaultValueFactory = _ => DefaultOutput };
        var testFraction = OptionParsing.InRange(new Option<float>("--test-fraction") { Description = "Share of rows held out as the test set, in [0.01, 0.99].", DefaultValueFactory = _ => DefaultTestFraction }, 0.01f, 0.99f);
        var seed = new Option<int>("--seed") { Description = "Seed of the test split and of training.", DefaultValueFactory = _ => DefaultSeed };
        var training = new TrainingFlags.Parser();
        var diagnostics = new Option<bool>("--diagnostics") { Description = $"Record per-layer diagnostics; write the activation spread and gradient norm per epoch beside the model as *{LayersSuffix} and every record as *{DiagnosticsSuffix}, and print gradient warnings." };

        var command = new Command("train", "Train a network on a CSV file (or the embedded digits dataset), print test metrics, save the model and its learning curve.")
        {
            dataset, label, task, hidden, activation, normalization, dropout, epochs, learningRate, batchSize,
        };
        training.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(testFraction);
        command.Options.Add(seed);
        command.Options.Add(diagnostics);
        command.SetAction(result => CliApp.Guard(console, () => Run(console, new TrainSettings
        {
            Dataset = result.GetValue(dataset),
            Label = result.GetValue(label)!,
            Task = result.GetValue(task),
            Hidden = result.GetResult(hidden) is null ? null : result.GetValue(hidden),
            Activation = result.GetValue(activation),
            Normalization = result.GetValue(normalization),
            Dropout = result.GetValue(dropout),
            Epochs = result.GetValue(epochs),
            LearningRate = result.GetValue(learningRate),
            BatchSize = result.GetValue(batchSize),
            Training = training.Read(result),
            Output = result.GetValue(output)!,
            TestFraction = result.GetValue(testFraction),
            Seed = result.GetValue(seed),
            Diagnostics = result.GetValue(diagnostics),
        })));
        return command;
    }

    /// <summary>Runs a training job.</summary>
    /// <exception cref="CliException">A problem with the data or the options.</exception>
    public static void Run(IAnsiConsole console, TrainSettings settings)
    {
        var table = settings.Dataset is null ? EmbeddedDataset.Load() : CsvTable.Load(settings.Dataset);
        if (settings.Dataset is null && settings.Epochs is null)
        {
            settings = settings with { Epochs = EmbeddedDefaultEpochs };
        }

        var schema = DatasetSchema.Infer(table, settings.Label, settings.Task);
        settings.Training.CheckTask(schema.Task);
        WriteSchema(console, table, schema);

        var mlContext = new MLContext(settings.Seed);
        var data = TableLoading.LoadForTraining(mlContext, table, schema);
        var split = mlContext.Data.TrainTestSplit(data, settings.TestFraction, seed: settings.Seed);

        var trained = ModelTraining.Train(console, mlContext, schema, split.TrainSet, settings);

        var metrics = ModelMetrics.Evaluate(mlContext, trained.Model.Transform(split.TestSet), schema.Task, schema.Label);
        metrics.Write(console, $"Test set ({settings.TestFraction:P0} of {table.Rows.Count} rows)");

        var modelPath = Path.GetFullPath(settings.Output);
        var directory = Path.GetDirectoryName(modelPath);
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        mlContext.Model.Save(trained.Model, data.Schema, modelPath);
        var curvePath = CurvePath(modelPath);
        LearningCurvePlot.Save(trained.History, schema.Task, curvePath, trained.BestEpoch);
        console.MarkupLine($"Model saved to [green]{Markup.Escape(modelPath)}[/]");
        console.MarkupLine($"Learning curve saved to [green]{Markup.Escape(curvePath)}[/]");
        if (settings.Diagnostics && trained.Diagnostics is { } diagnostics)
        {
            WriteDiagnostics(console, diagnostics, modelPath);
        }
    }

    /// <summary>The learning-curve file written beside <paramref name="modelPath"/>.</summary>
    public static string CurvePath(string modelPath) =>
        Path.Combine(Path.GetDirectoryName(modelPath) ?? ".", Path.GetFileNameWithoutExtension(modelPath) + CurveSuffix);

    /// <summary>The per-layer diagnostics plot written beside <paramref name="modelPath"/>.</summary>
    public static string LayersPath(string modelPath) =>
        Path.Combine(Path.GetDirectoryName(modelPath) ?? ".", Path.GetFileNameWithoutExtension(modelPath) + LayersSuffix);

    /// <summary>The diagnostics CSV written beside <paramref name="modelPath"/>.</summary>
    public static string DiagnosticsPath(string modelPath) =>
        Path.Combine(Path.GetDirectoryName(modelPath) ?? ".", Path.GetFileNameWithoutExtension(modelPath) + DiagnosticsSuffix);

    private static void WriteDiagnostics(IAnsiConsole console, FeedForwardDiagnostics diagnostics, string modelPath)
    {
        var layersPath = LayersPath(modelPath);
        LayerDiagnosticsPlot.Save(diagnostics, layersPath);
        var csvPath = DiagnosticsPath(modelPath);
        File.WriteAllText(csvPath, diagnostics.ToCsv());
        var warnings = diagnostics.GradientWarnings;
        if (warnings.Count == 0)
        {
            console.MarkupLine("Gradient warnings: none");
        }
        else
        {
            console.MarkupLine($"[yellow]Gradient warnings ({warnings.Count}):[/]");
            foreach (var warning in warnings)
            {
                console.MarkupLine($"[yellow]  {Markup.Escape(warning)}[/]");
            }
        }

        console.MarkupLine($"Layer diagnostics plot saved to [green]{Markup.Escape(layersPath)}[/]");
        console.MarkupLine($"Layer diagnostics saved to [green]{Markup.Escape(csvPath)}[/]");
    }

    private static void WriteSchema(IAnsiConsole console, CsvTable table, DatasetSchema schema)
    {
        var numeric = schema.Features.Count(f => f.Kind == ColumnKind.Numeric);
        var categorical = schema.Features.Where(f => f.Kind == ColumnKind.Categorical).Select(f => f.Name).ToList();
        console.MarkupLine($"Dataset [bold]{Markup.Escape(table.Source)}[/]: {table.Rows.Count} rows, label [bold]{Markup.Escape(schema.Label)}[/], task [bold]{schema.Task.ToString().ToLowerInvariant()}[/]"
            + (schema.Classes.Count > 0 ? $" ({schema.Classes.Count} classes)" : string.Empty));
        console.MarkupLine($"Features: {numeric} numeric, {categorical.Count} categorical{(categorical.Count > 0 ? " (" + Markup.Escape(string.Join(", ", categorical)) + ")" : string.Empty)}");
    }
}
