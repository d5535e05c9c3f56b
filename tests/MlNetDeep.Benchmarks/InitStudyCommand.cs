using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MlNetDeep.Diagnostics;
using MlNetDeep.Training;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// <c>initstudy [--data data/digits.csv] [--layers 10] [--units 256] [--epochs 5] [--batch 64] [--lr 0.001]
/// [--rows 0] [--initializers Zeros,RandomNormal,XavierNormal,HeNormal,LeCunNormal] [--activations Tanh,ReLU,SELU]
/// [--normalizations None,BatchNorm,LayerNorm] [--out initstudy] [--threads N] [--seed 0]</c>: trains a deep stack
/// for every initializer × activation × normalization with diagnostics on and writes <c>initstudy.md</c> (per-layer
/// activation standard deviation at initialization and in the last epoch, the first-to-last gradient ratio at
/// initialization, the validation accuracy) and <c>initstudy.csv</c> (every diagnostics record) to the output
/// folder. <c>--rows 0</c> takes every row; 20% of the rows are held out for validation.
/// </summary>
internal static class InitStudyCommand
{
    public static int Run(string[] args)
    {
        var options = new CommandLine(args);
        var path = options.String("data", "data/digits.csv");
        var name = Path.GetFileNameWithoutExtension(path);
        var depth = options.Int("layers", 10);
        var units = options.Int("units", 256);
        var epochs = options.Int("epochs", 5);
        var output = options.String("out", "initstudy");
        var initializers = options.String("initializers", "Zeros,RandomNormal,XavierNormal,HeNormal,LeCunNormal").Split(',').Select(Enum.Parse<WeightInitializer>).ToArray();
        var activations = options.String("activations", "Tanh,ReLU,SELU").Split(',').Select(Enum.Parse<Activation>).ToArray();
        var normalizations = options.String("normalizations", "None,BatchNorm,LayerNorm").Split(',').Select(Enum.Parse<Normalization>).ToArray();
        var (features, labels, columns, task, classes) = QualityCommand.Load(path, name);
        var rows = options.Int("rows", 0) is > 0 and var limit ? Math.Min(limit, labels.Length) : labels.Length;
        var data = new TrainingData(features[..(rows * columns)], rows, columns, labels[..rows]);
        var settings = new TrainingSettings
        {
            NumberOfEpochs = epochs,
            BatchSize = options.Int("batch", 64),
            LearningRate = options.Float("lr", 0.001f),
            EarlyStoppingPatience = 0,
            ValidationFraction = 0.2f,
            Seed = options.Int("seed", 0),
            Threads = options.Int("threads", Environment.ProcessorCount),
            Diagnostics = new DiagnosticsSettings(),
        };

        Directory.CreateDirectory(output);
        var table = new StringBuilder();
        var csv = new StringBuilder();
        var shown = new[] { 0, depth / 2, depth - 1 }.Distinct().ToArray();
        var layerNames = string.Join(" → ", shown.Select(l => $"L{l + 1}"));
        table.AppendLine(CultureInfo.InvariantCulture, $"# Initialization study: {name}, {depth} × {units}, {epochs} epochs, {rows} rows (20% validation)")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Activation standard deviation per hidden layer ({layerNames}) at initialization (one training-mode batch before any update) and over the last epoch; gradient norm of the first hidden layer over the last at initialization; dead ReLU units or saturated tanh outputs in the last layer after training; validation accuracy after the last epoch.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"| initializer | activation | normalization | std at init ({layerNames}) | std after training ({layerNames}) | grad L1/L{depth} at init | last layer dead/saturated | gradient warnings | validation accuracy |")
            .AppendLine("|---|---|---|---|---|---|---|---|---|");
        var stopwatch = Stopwatch.StartNew();
        var runs = 0;
        foreach (var activation in activations)
        {
            foreach (var normalization in normalizations)
            {
                foreach (var initializer in initializers)
                {
                    var spec = new NetworkSpec
                    {
                        InputSize = columns,
                        Task = task,
                        ClassCount = classes,
                        HiddenLayers = Enumerable.Range(0, depth).Select(_ => new HiddenLayerSpec(units, activation, normalization, 0f)).ToArray(),
                        WeightInitializer = initializer,
                    };
                    table.Append(CultureInfo.InvariantCulture, $"| {initializer} | {activation} | {normalization} | ");
                    TrainingResult result;
                    try
                    {
                        result = NetworkTrainer.Train(spec, data, settings);
                    }
                    catch (InvalidOperationException error)
                    {
                        table.AppendLine(CultureInfo.InvariantCulture, $"diverged | | | | | {error.Message.Split('.')[0]} |");
                        continue;
                    }

                    runs++;
                    var diagnostics = result.Diagnostics!;
                    var initial = diagnostics.ForEpoch(0);
                    var trained = diagnostics.ForEpoch(result.History.Count);
                    var last = trained[^1];
                    var warnings = diagnostics.FindGradientProblems();
                    table.Append(string.Join(" → ", shown.Select(l => Format(initial[l].ActivationStd)))).Append(" | ")
                        .Append(string.Join(" → ", shown.Select(l => Format(trained[l].ActivationStd)))).Append(" | ")
                        .Append(Format(initial[0].GradientNorm / initial[^1].GradientNorm)).Append(" | ")
                        .Append(last.DeadFraction is { } dead ? $"{dead:P0} dead" : last.SaturatedFraction is { } saturated ? $"{saturated:P0} saturated" : "–").Append(" | ")
                        .Append(Describe(warnings)).Append(" | ")
                        .Append(((result.History[^1].ValidationMetric ?? double.NaN) * 100).ToString("F1", CultureInfo.InvariantCulture)).AppendLine("% |");
                    foreach (var line in diagnostics.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(csv.Length == 0 ? 0 : 1))
                    {
                        csv.Append(csv.Length == 0 ? "initializer," : $"{initializer},").AppendLine(line.TrimEnd('\r'));
                    }

                    Console.Error.WriteLine($"{initializer,-13} {activation,-5} {normalization,-9} accuracy {result.History[^1].ValidationMetric:P1}, {stopwatch.Elapsed.TotalSeconds:F0} s");
                }
            }
        }

        File.WriteAllText(Path.Combine(output, "initstudy.md"), table.ToString());
        File.WriteAllText(Path.Combine(output, "initstudy.csv"), csv.ToString());
        Console.WriteLine(JsonSerializer.Serialize(new { dataset = name, runs, seconds = Math.Round(stopwatch.Elapsed.TotalSeconds, 1), table = Path.Combine(output, "initstudy.md") }));
        return 0;
    }

    private static string Format(double value)
        => !double.IsFinite(value) ? value.ToString(CultureInfo.InvariantCulture)
            : value == 0 ? "0"
            : Math.Abs(value) is >= 0.01 and < 1000 ? value.ToString("0.###", CultureInfo.InvariantCulture)
            : value.ToString("0.#e0", CultureInfo.InvariantCulture);

    private static string Describe(IReadOnlyList<GradientWarning> warnings)
    {
        if (warnings.Count == 0)
        {
            return "none";
        }

        return string.Join(", ", warnings.GroupBy(w => w.Problem).Select(g =>
            $"{g.Key.ToString().ToLowerInvariant()} ({g.Select(w => w.Block).Distinct().Count()} layers, epochs {g.Min(w => w.Epoch)}–{g.Max(w => w.Epoch)})"));
    }
}
