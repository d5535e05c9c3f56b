using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Samples.InitializationStudy;

/// <summary>
/// What initializers and normalizations do inside a deep network: a stack of hidden layers (10 × 256 by default) on
/// the digits data, trained a few epochs with diagnostics on for every initializer × activation × normalization.
/// Writes <c>initstudy.md</c> (per-layer activation standard deviation at initialization and after the last epoch,
/// validation accuracy) and <c>initstudy.png</c> (per-layer activation standard deviation at initialization of a few
/// representative configurations, log scale), and prints a short summary.
/// Usage: <c>dotnet run --project samples/InitializationStudy -c Release [-- [--layers 10] [--units 256] [--epochs 3]
/// [--rows 0] [--batch-size 64] [--seed 1] [--initializers Zeros,HeNormal] [--activations Tanh,ReLU]
/// [--normalizations None,BatchNorm] [output-folder]]</c>.
/// </summary>
public static class Program
{
    /// <summary>The markdown table's file name.</summary>
    public const string TableFileName = "initstudy.md";

    /// <summary>The plot's file name.</summary>
    public const string PlotFileName = "initstudy.png";

    /// <summary>Parses the flags, runs the study and prints its summary.</summary>
    public static int Main(string[] args)
    {
        StudySettings settings;
        try
        {
            settings = Parse(args);
        }
        catch (FormatException error)
        {
            Console.Error.WriteLine(error.Message);
            return 2;
        }

        Run(settings, Console.Out);
        return 0;
    }

    /// <summary>Reads the command-line flags (see the class summary); a bare argument is the output folder.</summary>
    /// <exception cref="FormatException">An unknown flag, a missing or malformed value.</exception>
    public static StudySettings Parse(IReadOnlyList<string> args)
    {
        var settings = new StudySettings();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                settings = settings with { OutputDirectory = name };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new FormatException($"The flag '{name}' needs a value.");
            }

            var value = args[++i];
            settings = name switch
            {
                "--layers" => settings with { Layers = PositiveInt(name, value) },
                "--units" => settings with { Units = PositiveInt(name, value) },
                "--epochs" => settings with { Epochs = PositiveInt(name, value) },
                "--rows" => settings with { Rows = int.TryParse(value, CultureInfo.InvariantCulture, out var rows) && rows >= 0 ? rows : throw new FormatException($"'--rows' must be 0 (all rows) or a positive integer; got '{value}'.") },
                "--batch-size" => settings with { BatchSize = PositiveInt(name, value) },
                "--seed" => settings with { Seed = int.TryParse(value, CultureInfo.InvariantCulture, out var seed) ? seed : throw new FormatException($"'--seed' must be an integer; got '{value}'.") },
                "--initializers" => settings with { Initializers = Names<WeightInitializer>(name, value) },
                "--activations" => settings with { Activations = Names<Activation>(name, value) },
                "--normalizations" => settings with { Normalizations = Names<Normalization>(name, value) },
                _ => throw new FormatException($"Unknown flag '{name}'. Known: --layers, --units, --epochs, --rows, --batch-size, --seed, --initializers, --activations, --normalizations."),
            };
        }

        return settings;
    }

    /// <summary>Trains every configuration, writes the table and the plot into <see cref="StudySettings.OutputDirectory"/>, and prints a summary.</summary>
    public static StudyResult Run(StudySettings settings, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        var mlContext = new MLContext(seed: settings.Seed);
        IDataView data = mlContext.Data.LoadFromTextFile<DigitRow>(Path.Combine(AppContext.BaseDirectory, "digits.csv"), separatorChar: ',', hasHeader: true);
        if (settings.Rows > 0)
        {
            data = mlContext.Data.TakeRows(data, settings.Rows);
        }

        // The trainer standardizes the pixels itself; the label becomes a key (10 classes).
        var keyed = mlContext.Transforms.Conversion.MapValueToKey(nameof(DigitRow.Label)).Fit(data).Transform(data);
        keyed = mlContext.Data.Cache(keyed);

        var rows = new List<StudyRow>();
        foreach (var activation in settings.Activations)
        {
            foreach (var normalization in settings.Normalizations)
            {
                foreach (var initializer in settings.Initializers)
                {
                    var row = Train(mlContext, keyed, settings, initializer, activation, normalization);
                    rows.Add(row);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{initializer,-13} {activation,-5} {normalization,-9} std at init L1 {Format(row.InitialStd[0])} → L{settings.Layers} {Format(row.InitialStd[^1])}, validation accuracy {Percent(row.ValidationAccuracy)}"));
                }
            }
        }

        var directory = Path.GetFullPath(settings.OutputDirectory);
        Directory.CreateDirectory(directory);
        var tablePath = Path.Combine(directory, TableFileName);
        File.WriteAllText(tablePath, StudyReport.Table(rows, settings));
        var plotPath = Path.Combine(directory, PlotFileName);
        StudyPlot.Save(rows, settings, plotPath);

        output.WriteLine();
        output.WriteLine("Findings:");
        foreach (var line in StudyReport.Findings(rows))
        {
            output.WriteLine("- " + line);
        }

        output.WriteLine($"Table: {tablePath}");
        output.WriteLine($"Plot: {plotPath}");
        return new StudyResult(rows, tablePath, plotPath);
    }

    /// <summary>A standard deviation as the table shows it: 0, three decimals, or scientific notation when tiny or huge.</summary>
    public static string Format(double value)
        => !double.IsFinite(value) ? value.ToString(CultureInfo.InvariantCulture)
            : value == 0 ? "0"
            : Math.Abs(value) is >= 0.01 and < 1000 ? value.ToString("0.###", CultureInfo.InvariantCulture)
            : value.ToString("0.#e0", CultureInfo.InvariantCulture);

    /// <summary>An accuracy as a percentage with one decimal, or "diverged" for NaN.</summary>
    public static string Percent(double accuracy)
        => double.IsNaN(accuracy) ? "diverged" : (accuracy * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";

    private static StudyRow Train(MLContext mlContext, IDataView data, StudySettings settings, WeightInitializer initializer, Activation activation, Normalization normalization)
    {
        var trainer = mlContext.MulticlassClassification.Trainers.FeedForward(new FeedForwardMulticlassTrainer.Options
        {
            LabelColumnName = nameof(DigitRow.Label),
            FeatureColumnName = nameof(DigitRow.Pixels),
            HiddenLayers = [.. Enumerable.Repeat(settings.Units, settings.Layers)],
            Activation = activation,
            Normalization = normalization,
            WeightInitializer = initializer,

            // The pixels go into the first layer as they are, so every layer's spread comes from the initializer alone.
            NumericEmbedding = NumericEmbedding.None,
            DropoutRate = 0f,
            NumberOfEpochs = settings.Epochs,
            BatchSize = settings.BatchSize,
            EarlyStoppingPatience = 0,
            ValidationFraction = 0.2f,
            Seed = settings.Seed,
            Diagnostics = true,
        });

        FeedForwardModelParameters model;
        try
        {
            model = trainer.Fit(data).Model;
        }
        catch (InvalidOperationException)
        {
            // Training stops with an error when the loss becomes NaN or infinite.
            var nan = Enumerable.Repeat(double.NaN, settings.Layers).ToArray();
            return new StudyRow(initializer, activation, normalization, nan, nan, null, 0, double.NaN);
        }

        var diagnostics = model.Diagnostics ?? throw new InvalidOperationException("The model has no diagnostics although Diagnostics was on.");
        var lastEpoch = diagnostics.Records.Max(r => r.Epoch);
        double[] Std(int epoch) => [.. diagnostics.Records.Where(r => r.Epoch == epoch).OrderBy(r => r.Layer).Select(r => r.ActivationStd)];
        var last = diagnostics.Records.Where(r => r.Epoch == lastEpoch).MaxBy(r => r.Layer)!;
        return new StudyRow(
            initializer,
            activation,
            normalization,
            Std(0),
            Std(lastEpoch),
            last.DeadFraction ?? last.SaturatedFraction,
            diagnostics.GradientWarnings.Count,
            model.TrainingHistory[^1].ValidationMetric ?? double.NaN);
    }

    private static int PositiveInt(string name, string value)
        => int.TryParse(value, CultureInfo.InvariantCulture, out var number) && number > 0 ? number : throw new FormatException($"'{name}' must be a positive integer; got '{value}'.");

    private static T[] Names<T>(string name, string value)
        where T : struct, Enum
        => [.. value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(v => Enum.TryParse<T>(v, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new FormatException($"'{name}': unknown value '{v}'; expected one of {string.Join(", ", Enum.GetNames<T>())}."))];
}

/// <summary>One row of digits.csv: the digit, then the 8×8 pixel intensities (0–16).</summary>
public sealed class DigitRow
{
    /// <summary>The digit, 0–9.</summary>
    [LoadColumn(0)]
    public float Label { get; set; }

    /// <summary>The 64 pixel intensities, row by row.</summary>
    [LoadColumn(1, 64)]
    [VectorType(64)]
    public float[] Pixels { get; set; } = [];
}
